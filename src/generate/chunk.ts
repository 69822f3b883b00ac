/**
 * The rows of one chunk of persons, table by table, already in the text both writers read, and the run's
 * manifest: row counts and a content checksum per table.
 *
 * Rows are serialised as they are emitted — no row arrays, no per-row objects kept — into tab-separated CSV
 * lines: NULL as an unquoted \N, numbers as they print, text as is unless it holds a tab, newline, quote or
 * backslash or is empty, then in double quotes with quotes doubled. PostgreSQL's COPY … (FORMAT csv, DELIMITER
 * E'\t', NULL '\N') and DuckDB's read_csv (quote '"', escape '"', nullstr '\N') read the same bytes. The Parquet
 * writer also needs each row's partition (month, admdvs): those lines carry them as two more columns.
 *
 * The checksum of a table is SHA-256 over its chunks' digests in chunk order, each digest SHA-256 over the
 * chunk's COPY text (the row lines in generation order, without partition columns, which are a function of the
 * content). So it depends only on the content and the chunk size (fixed, CHUNK_PERSONS) — not on the sink, the
 * Parquet encoding, the database, or how many worker threads generated the chunks. A chunk is handed to the
 * writers and dropped, which is what keeps memory bounded whatever the number of persons.
 */
import { createHash, type Hash } from 'node:crypto';
import { TABLES, TABLE_NAMES, type Cell, type TableName } from './tables.js';

export interface TableText {
  rows: number;
  /** SHA-256 (hex) of the chunk's COPY text of this table. */
  sha256: string;
  /** The rows as COPY reads them (the table's columns), when the database is a sink. */
  copy?: Uint8Array;
  /** The rows with their partition columns (month, admdvs) appended, when Parquet is a sink. */
  staged?: Uint8Array;
}

export interface ChunkResult {
  /** Chunk index (the reference rows of the region come as chunk 0 with no persons, before chunk 0). */
  index: number;
  tables: Record<TableName, TableText>;
  persons: number;
  encounters: number;
  lines: number;
}

/** What the sinks of a run need from every chunk. */
export interface ChunkFormats {
  /** The database is a sink: the rows as COPY reads them. */
  copy: boolean;
  /** Parquet is a sink: the rows with their partition columns. */
  staged: boolean;
}

const QUOTE_NEEDED = /[\t\n\r"\\]/;
const QUOTES = /"/g;

/** One cell of a CSV line (see the module comment). */
export function csvCell(v: Cell | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  return v === '' || QUOTE_NEEDED.test(v) ? `"${v.replace(QUOTES, '""')}"` : v;
}

type Serialiser = (values: Record<string, Cell | undefined>, cell: typeof csvCell) => string;

/**
 * One compiled function per table that reads the columns by name in order and joins the cells: the hottest code
 * of the generator (every emitted row passes here). A fixed property list per table keeps V8's look-ups
 * monomorphic, and an array joined once gives a flat string (a chain of `+` builds a deep rope that every later
 * join has to walk, several times slower).
 */
const SERIALISERS = Object.fromEntries(
  TABLE_NAMES.map((n) => {
    const cells = TABLES[n].cols.map(([c]) => `cell(v[${JSON.stringify(c)}])`).join(', ');
    return [n, new Function('v', 'cell', `return [${cells}].join('\\t');`) as Serialiser];
  }),
) as Record<TableName, Serialiser>;

const COLUMN_SETS = Object.fromEntries(TABLE_NAMES.map((n) => [n, new Set(TABLES[n].cols.map(([c]) => c))])) as Record<TableName, Set<string>>;

/** Throws when a row names a column its table does not have (a typo would otherwise vanish as a NULL). */
function checkColumns(table: TableName, values: Record<string, unknown>): void {
  const known = COLUMN_SETS[table];
  for (const k in values) if (!known.has(k)) throw new Error(`生成器写出了 ${table} 中没有的列：${k}`);
}

/**
 * Every CHECK_EVERY-th chunk (and so always the first, which every test run has) checks each row's column names;
 * the others skip the check, which would cost as much as the serialising.
 */
const CHECK_EVERY = 64;

/** Collects the rows of one chunk as text, table by table. */
export class Emitter {
  private lines = {} as Record<TableName, string[]>;
  private parts = {} as Record<TableName, string[]>;
  private check: boolean;

  constructor(
    private readonly formats: ChunkFormats,
    index = 0,
  ) {
    this.check = index % CHECK_EVERY === 0;
    this.reset();
  }

  private reset(): void {
    for (const n of TABLE_NAMES) {
      this.lines[n] = [];
      this.parts[n] = [];
    }
  }

  /** Starts the rows of chunk `index` (the column check depends on it). */
  begin(index: number): void {
    this.check = index % CHECK_EVERY === 0;
    this.reset();
  }

  emit(table: TableName, values: Record<string, Cell | undefined>, month: string, admdvs: string): void {
    if (this.check) checkColumns(table, values);
    this.lines[table].push(SERIALISERS[table](values, csvCell));
    if (this.formats.staged) {
      const part = TABLES[table].part;
      this.parts[table].push(`${part === 'encounter' || part === 'truth' ? month : ''}\t${part === 'ref' ? '' : admdvs}`);
    }
  }

  /** The chunk's text and digests; the emitter is empty afterwards. */
  finish(index: number, stats: { persons: number; encounters: number; lines: number }): ChunkResult {
    const encoder = new TextEncoder();
    const tables = {} as Record<TableName, TableText>;
    for (const n of TABLE_NAMES) {
      const lines = this.lines[n];
      const copy = lines.length ? `${lines.join('\n')}\n` : '';
      const t: TableText = { rows: lines.length, sha256: createHash('sha256').update(copy).digest('hex') };
      if (this.formats.copy && lines.length) t.copy = encoder.encode(copy);
      if (this.formats.staged && lines.length) {
        const parts = this.parts[n];
        const staged = new Array<string>(lines.length);
        for (let i = 0; i < lines.length; i++) staged[i] = `${lines[i]}\t${parts[i]}`;
        t.staged = encoder.encode(`${staged.join('\n')}\n`);
      }
      tables[n] = t;
    }
    this.reset();
    return { index, tables, ...stats };
  }
}

/** The buffers of a chunk result, for postMessage's transfer list (no copy between threads). */
export function transferables(r: ChunkResult): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const n of TABLE_NAMES) {
    const t = r.tables[n];
    if (t.copy) out.push(t.copy.buffer as ArrayBuffer);
    if (t.staged) out.push(t.staged.buffer as ArrayBuffer);
  }
  return out;
}

export interface TableManifest {
  rows: number;
  sha256: string;
}

/** Row counts and checksums of the run, fed chunk by chunk in chunk order. */
export class Manifest {
  private readonly hashes = new Map<TableName, Hash>();
  private readonly counts = new Map<TableName, number>();

  constructor() {
    for (const n of TABLE_NAMES) {
      this.hashes.set(n, createHash('sha256'));
      this.counts.set(n, 0);
    }
  }

  add(chunk: ChunkResult): void {
    for (const n of TABLE_NAMES) {
      const t = chunk.tables[n];
      if (!t.rows) continue;
      this.hashes.get(n)!.update(`${t.sha256}\n`);
      this.counts.set(n, this.counts.get(n)! + t.rows);
    }
  }

  result(): Record<TableName, TableManifest> {
    const out = {} as Record<TableName, TableManifest>;
    for (const n of TABLE_NAMES) out[n] = { rows: this.counts.get(n)!, sha256: this.hashes.get(n)!.digest('hex') };
    return out;
  }
}
