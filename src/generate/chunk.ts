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
 * Parquet encoding, the database, or how many worker threads generated the chunks. Every BATCH_ROWS rows of a
 * table are hashed and encoded to UTF-8 at once, so a chunk's rows live as bytes, not strings; a chunk is handed
 * to the writers and dropped, which is what keeps memory bounded whatever the number of persons.
 */
import { createHash, type Hash } from 'node:crypto';
import { TABLES, TABLE_NAMES, type Cell, type TableName, type TableSpec } from './tables.js';

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

type Serialiser = (values: Record<string, Cell | undefined>, cell: typeof csvCell, typed: typeof typedCell) => string;

/** A cell of a typed column (money, ratio, quantity, price, integer, date, instant): never quoted but when empty. */
export function typedCell(v: Cell | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  return v === '' ? '""' : v;
}

/** Column types whose values the generator builds itself from digits, '-', ':', '.', ' ' and '+': no quoting needed. */
const TYPED = new Set<string>(['int', 'bigint', 'money', 'ratio', 'qty', 'price', 'date', 'ts']);

/**
 * One compiled function per table that reads the columns by name in order and joins the cells: the hottest code
 * of the generator (every emitted row passes here). A fixed property list per table keeps V8's look-ups
 * monomorphic, and an array joined once gives a flat string (a chain of `+` builds a deep rope that every later
 * join has to walk, several times slower). Typed columns skip csvCell's search for characters to quote.
 */
const SERIALISERS = Object.fromEntries(
  TABLE_NAMES.map((n) => {
    const cells = TABLES[n].cols.map(([c, t]) => `${TYPED.has(t) ? 'typed' : 'cell'}(v[${JSON.stringify(c)}])`).join(', ');
    return [n, new Function('v', 'cell', 'typed', `return [${cells}].join('\\t');`) as Serialiser];
  }),
) as Record<TableName, Serialiser>;

const COLUMN_SETS = Object.fromEntries(TABLE_NAMES.map((n) => [n, new Set(TABLES[n].cols.map(([c]) => c))])) as Record<TableName, Set<string>>;

const TYPED_COLUMNS = Object.fromEntries(TABLE_NAMES.map((n) => [n, TABLES[n].cols.filter(([, t]) => TYPED.has(t)).map(([c]) => c)])) as Record<TableName, string[]>;

/**
 * Throws when a row names a column its table does not have (a typo would otherwise vanish as a NULL), or puts in
 * a typed column text that would need quoting (typedCell does not quote).
 */
function checkColumns(table: TableName, values: Record<string, unknown>): void {
  const known = COLUMN_SETS[table];
  for (const k in values) if (!known.has(k)) throw new Error(`生成器写出了 ${table} 中没有的列：${k}`);
  for (const c of TYPED_COLUMNS[table]) {
    const v = values[c];
    if (typeof v === 'string' && QUOTE_NEEDED.test(v)) throw new Error(`生成器在 ${table}.${c} 中写出了需要加引号的值：${JSON.stringify(v)}`);
  }
}

/**
 * Every CHECK_EVERY-th chunk (and so always the first, which every test run has) checks each row's column names;
 * the others skip the check, which would cost as much as the serialising.
 */
const CHECK_EVERY = 64;

/**
 * Rows of a table kept as strings before they are hashed and encoded: a chunk's rows then live as UTF-8 bytes
 * outside the JavaScript heap (about half the size of the strings, most rows holding Chinese text, and never
 * promoted to the old generation for the collector to walk), and the strings die young.
 */
const BATCH_ROWS = 1024;

const encoder = new TextEncoder();

/** The pieces as one buffer of its own (transferable to another thread). */
function concat(pieces: Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  let size = 0;
  for (const p of pieces) size += p.byteLength;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** One table's rows of a chunk: the digest over the COPY text, computed batch by batch, and the encoded text. */
class TableBuffer {
  rows = 0;
  private readonly hash = createHash('sha256');
  private lines: string[] = [];
  private parts: string[] = [];
  private readonly copy: Uint8Array[] = [];
  private readonly staged: Uint8Array[] = [];

  constructor(private readonly formats: ChunkFormats) {}

  add(line: string, part: string): void {
    this.lines.push(line);
    if (this.formats.staged) this.parts.push(part);
    if (++this.rows % BATCH_ROWS === 0) this.spill();
  }

  /** Hashes and encodes the batch (digest updates over consecutive pieces equal the digest of the whole text). */
  private spill(): void {
    const lines = this.lines;
    if (!lines.length) return;
    const copy = encoder.encode(`${lines.join('\n')}\n`);
    this.hash.update(copy);
    if (this.formats.copy) this.copy.push(copy);
    if (this.formats.staged) {
      const parts = this.parts;
      for (let i = 0; i < lines.length; i++) lines[i] = `${lines[i]}\t${parts[i]}`;
      this.staged.push(encoder.encode(`${lines.join('\n')}\n`));
    }
    this.lines = [];
    this.parts = [];
  }

  finish(): TableText {
    this.spill();
    const t: TableText = { rows: this.rows, sha256: this.hash.digest('hex') };
    if (this.formats.copy && this.rows) t.copy = concat(this.copy);
    if (this.formats.staged && this.rows) t.staged = concat(this.staged);
    return t;
  }
}

/** What the Parquet writer appends to a row of each partition kind, for one (month, admdvs). */
interface PartCols {
  month: string;
  admdvs: string;
  byKind: Record<TableSpec['part'], string>;
}

/** Collects the rows of one chunk as text, table by table. */
export class Emitter {
  private tables = {} as Record<TableName, TableBuffer>;
  private check: boolean;
  /** The partition columns of the last (month, admdvs) seen: consecutive rows nearly always share them. */
  private partCols: PartCols = { month: '', admdvs: '', byKind: { encounter: '\t', truth: '\t', person: '\t', ref: '\t' } };

  constructor(
    private readonly formats: ChunkFormats,
    index = 0,
  ) {
    this.check = index % CHECK_EVERY === 0;
    this.reset();
  }

  private reset(): void {
    for (const n of TABLE_NAMES) this.tables[n] = new TableBuffer(this.formats);
  }

  /** Starts the rows of chunk `index` (the column check depends on it). */
  begin(index: number): void {
    this.check = index % CHECK_EVERY === 0;
    this.reset();
  }

  emit(table: TableName, values: Record<string, Cell | undefined>, month: string, admdvs: string): void {
    if (this.check) checkColumns(table, values);
    let part = '';
    if (this.formats.staged) {
      let p = this.partCols;
      if (p.month !== month || p.admdvs !== admdvs) {
        this.partCols = p = { month, admdvs, byKind: { encounter: `${month}\t${admdvs}`, truth: `${month}\t${admdvs}`, person: `\t${admdvs}`, ref: '\t' } };
      }
      part = p.byKind[TABLES[table].part];
    }
    this.tables[table].add(SERIALISERS[table](values, csvCell, typedCell), part);
  }

  /** The chunk's text and digests; the emitter is empty afterwards. */
  finish(index: number, stats: { persons: number; encounters: number; lines: number }): ChunkResult {
    const tables = {} as Record<TableName, TableText>;
    for (const n of TABLE_NAMES) tables[n] = this.tables[n].finish();
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
