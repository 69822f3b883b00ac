/**
 * The rows of one chunk of persons, table by table, and the run's manifest: row counts and a content checksum
 * per table. The checksum is SHA-256 over every row in generation order (a canonical JSON array of the cell
 * values), so it depends only on the content — not on Parquet encoding, file layout or the database — and the
 * same seed and parameters give the same checksums. A chunk is handed to the writers and then dropped, which
 * is what keeps memory bounded whatever the number of persons.
 */
import { createHash, type Hash } from 'node:crypto';
import { TABLES, TABLE_NAMES, type Cell, type Row, type TableName } from './tables.js';

const COLUMN_SETS = Object.fromEntries(TABLE_NAMES.map((n) => [n, new Set(TABLES[n].cols.map(([c]) => c))])) as Record<TableName, Set<string>>;

export interface ChunkRows {
  index: number;
  rows: Record<TableName, Row[]>;
  /** Partition values of each row: [month 'yyyy-MM' or '', admdvs]. */
  parts: Record<TableName, [string, string][]>;
}

export function emptyChunk(index: number): ChunkRows {
  const rows = {} as Record<TableName, Row[]>;
  const parts = {} as Record<TableName, [string, string][]>;
  for (const n of TABLE_NAMES) {
    rows[n] = [];
    parts[n] = [];
  }
  return { index, rows, parts };
}

export interface TableManifest {
  rows: number;
  sha256: string;
}

export class Manifest {
  private readonly hashes = new Map<TableName, Hash>();
  private readonly counts = new Map<TableName, number>();

  constructor() {
    for (const n of TABLE_NAMES) {
      this.hashes.set(n, createHash('sha256'));
      this.counts.set(n, 0);
    }
  }

  add(table: TableName, row: Row): void {
    this.hashes.get(table)!.update(`${JSON.stringify(row)}\n`);
    this.counts.set(table, this.counts.get(table)! + 1);
  }

  result(): Record<TableName, TableManifest> {
    const out = {} as Record<TableName, TableManifest>;
    for (const n of TABLE_NAMES) out[n] = { rows: this.counts.get(n)!, sha256: this.hashes.get(n)!.digest('hex') };
    return out;
  }
}

/** Adds rows to a chunk, as objects keyed by column name, and feeds the manifest. */
export class Emitter {
  chunk: ChunkRows;

  constructor(
    private readonly manifest: Manifest,
    index: number,
  ) {
    this.chunk = emptyChunk(index);
  }

  emit(table: TableName, values: Record<string, Cell | undefined>, month: string, admdvs: string): void {
    const spec = TABLES[table];
    const row: Row = spec.cols.map(([n]) => values[n] ?? null);
    const known = COLUMN_SETS[table];
    for (const k in values) if (!known.has(k)) throw new Error(`生成器写出了 ${table} 中没有的列：${k}`);
    this.chunk.rows[table].push(row);
    this.chunk.parts[table].push([spec.part === 'encounter' || spec.part === 'truth' ? month : '', spec.part === 'ref' ? '' : admdvs]);
    this.manifest.add(table, row);
  }

  /** Hands over the finished chunk and starts the next one. */
  take(nextIndex: number): ChunkRows {
    const done = this.chunk;
    this.chunk = emptyChunk(nextIndex);
    return done;
  }
}
