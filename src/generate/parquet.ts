/**
 * Writes generated chunks as Parquet through DuckDB (@duckdb/node-api). Each table's rows of a chunk — the
 * tab-separated CSV text the generator produced (chunk.ts), with the partition columns — are appended to a
 * temporary file per table; every FLUSH_CHUNKS chunks or FLUSH_BYTES of text (and at the end) one COPY per table
 * reads that file, each column as its SQL type (money DECIMAL(16,2), ratios DECIMAL(5,4), dates, instants …), and writes
 * hive-partitioned files — `<out>/<table>/month=yyyy-MM/admdvs=xxxxxx/c<first chunk>_<n>.parquet`, person
 * tables by `admdvs=` only, reference tables (institutions, practitioners) as one
 * `<out>/<table>/c000000_0.parquet`, the ground truth of injected violations under
 * `<out>/ground_truth/gen_violation/` — and the temporary files are emptied. Staging on disk keeps memory
 * bounded by the chunk, and batching chunks keeps the number of files and COPY statements small.
 * Read back with `read_parquet('<out>/setl/*\/*\/*.parquet', hive_partitioning = true)`.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { ChunkResult } from './chunk.js';
import { TABLES, TABLE_NAMES, type ColType, type TableName } from './tables.js';

/** Chunks (of CHUNK_PERSONS persons) staged before one COPY per table writes them… */
export const FLUSH_CHUNKS = 10;
/**
 * …or fewer when they hold this much text: what one COPY reads, and so DuckDB's working set, stays about the same
 * whatever the number of months (a chunk of 2,000 persons is some 4 MB of text per month).
 */
export const FLUSH_BYTES = 192 * 1024 * 1024;
/**
 * DuckDB's memory ceiling: the partitioned writes spill beyond it rather than grow the process. One thread: the
 * writes run while the worker threads generate, so a second DuckDB thread only competes with them for the cores
 * (and keeps a second set of partition buffers).
 */
const DUCKDB_MEMORY = '512MB';
const DUCKDB_THREADS = '1';

const SQL_TYPE: Record<ColType, string> = {
  text: 'VARCHAR',
  json: 'VARCHAR',
  int: 'INTEGER',
  bigint: 'BIGINT',
  money: 'DECIMAL(16,2)',
  ratio: 'DECIMAL(5,4)',
  qty: 'DECIMAL(16,4)',
  price: 'DECIMAL(16,6)',
  date: 'DATE',
  ts: 'TIMESTAMPTZ',
};

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
const quoteText = (s: string) => `'${s.replace(/'/g, "''")}'`;

export class ParquetWriter {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly dir: string,
    private readonly tmp: string,
  ) {}

  /** Tables with staged rows, and the first chunk staged since the last flush. */
  private readonly staged = new Set<TableName>();
  private first: number | undefined;
  private chunks = 0;
  private bytes = 0;

  static async open(dir: string): Promise<ParquetWriter> {
    const abs = resolve(dir);
    mkdirSync(abs, { recursive: true });
    const instance = await DuckDBInstance.create(':memory:', { memory_limit: DUCKDB_MEMORY, threads: DUCKDB_THREADS });
    const conn = await instance.connect();
    return new ParquetWriter(instance, conn, abs, mkdtempSync(join(tmpdir(), 'yibao-gen-')));
  }

  async write(chunk: ChunkResult): Promise<void> {
    for (const name of TABLE_NAMES) {
      const staged = chunk.tables[name].staged;
      if (!staged) continue;
      appendFileSync(join(this.tmp, `${name}.tsv`), staged);
      this.staged.add(name);
      this.bytes += staged.byteLength;
    }
    this.first ??= chunk.index;
    if (++this.chunks >= FLUSH_CHUNKS || this.bytes >= FLUSH_BYTES) await this.flush();
  }

  /** Writes what is staged as Parquet files. */
  async flush(): Promise<void> {
    for (const name of TABLE_NAMES) {
      if (!this.staged.has(name)) continue;
      const spec = TABLES[name];
      const file = join(this.tmp, `${name}.tsv`);
      // the CSV reader parses each column as its type (some 10 % less work than text cast afterwards)
      const columns = [...spec.cols.map(([c, t]) => [c, SQL_TYPE[t]] as const), ['part_month', 'VARCHAR'] as const, ['part_admdvs', 'VARCHAR'] as const]
        .map(([c, t]) => `${quoteText(c)}: ${quoteText(t)}`)
        .join(', ');
      const stg = `read_csv(${quoteText(file)}, delim = '\t', quote = '"', escape = '"', header = false, nullstr = '\\N', allow_quoted_nulls = false, columns = {${columns}})`;
      const select = spec.cols.map(([c]) => quoteIdent(c)).join(', ');
      const target = spec.part === 'truth' ? join(this.dir, 'ground_truth', name) : join(this.dir, name);
      const pattern = `c${String(this.first ?? 0).padStart(6, '0')}_{i}`;
      mkdirSync(target, { recursive: true });
      if (spec.part === 'ref') {
        await this.conn.run(`copy (select ${select} from ${stg}) to ${quoteText(join(target, `${pattern.replace('{i}', '0')}.parquet`))} (format parquet)`);
      } else {
        const by = spec.part === 'person' ? 'admdvs' : 'month, admdvs';
        await this.conn.run(
          `copy (select ${select}, part_month as month, part_admdvs as admdvs from ${stg}) to ${quoteText(target)} (format parquet, partition_by (${by}), filename_pattern ${quoteText(pattern)}, overwrite_or_ignore true)`,
        );
      }
      rmSync(file);
    }
    this.staged.clear();
    this.first = undefined;
    this.chunks = 0;
    this.bytes = 0;
  }

  close(): void {
    rmSync(this.tmp, { recursive: true, force: true });
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
