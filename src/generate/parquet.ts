/**
 * Writes generated chunks as Parquet through DuckDB (@duckdb/node-api): each table's rows of a chunk go into a
 * temporary tab-separated file (all text), then one COPY reads it, casts every column to its SQL type (money
 * DECIMAL(16,2), ratios DECIMAL(5,4), dates, instants …) and writes hive-partitioned files —
 * `<out>/<table>/month=yyyy-MM/admdvs=xxxxxx/c<chunk>_<n>.parquet`, person tables by `admdvs=` only, reference
 * tables (institutions, practitioners) as one `<out>/<table>/c000000_0.parquet`, the ground truth of injected
 * violations under `<out>/ground_truth/gen_violation/` — and the
 * temporary file is removed. One chunk at a time, so DuckDB's memory is bounded by the chunk size.
 * Read back with `read_parquet('<out>/setl/*\/*\/*.parquet', hive_partitioning = true)`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { ChunkRows } from './chunk.js';
import { TABLES, TABLE_NAMES, type ColType } from './tables.js';

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
/** A cell of the staging file: null as \N, everything else quoted (text may hold tabs, quotes, JSON). */
const cell = (v: string | number | null): string => (v === null ? '\\N' : typeof v === 'number' ? String(v) : `"${v.replace(/"/g, '""')}"`);

export class ParquetWriter {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly dir: string,
    private readonly tmp: string,
  ) {}

  static async open(dir: string): Promise<ParquetWriter> {
    const abs = resolve(dir);
    mkdirSync(abs, { recursive: true });
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    return new ParquetWriter(instance, conn, abs, mkdtempSync(join(tmpdir(), 'yibao-gen-')));
  }

  async write(chunk: ChunkRows): Promise<void> {
    for (const name of TABLE_NAMES) {
      const rows = chunk.rows[name];
      if (!rows.length) continue;
      const spec = TABLES[name];
      const parts = chunk.parts[name];
      // the chunk's rows as a quoted tab-separated file DuckDB reads in one pass (much faster than appending
      // cell by cell through the native binding)
      const file = join(this.tmp, `${name}.tsv`);
      const text: string[] = [];
      for (let r = 0; r < rows.length; r++) {
        const cells = rows[r]!.map(cell);
        const [month, admdvs] = parts[r]!;
        cells.push(month, admdvs);
        text.push(cells.join('\t'));
      }
      writeFileSync(file, `${text.join('\n')}\n`);
      const columns = [...spec.cols.map(([c]) => c), 'part_month', 'part_admdvs'].map((c) => `${quoteText(c)}: 'VARCHAR'`).join(', ');
      const stg = `read_csv(${quoteText(file)}, delim = '\t', quote = '"', escape = '"', header = false, nullstr = '\\N', columns = {${columns}})`;
      const select = spec.cols.map(([c, t]) => `cast(${quoteIdent(c)} as ${SQL_TYPE[t]}) as ${quoteIdent(c)}`).join(', ');
      const target = spec.part === 'truth' ? join(this.dir, 'ground_truth', name) : join(this.dir, name);
      const pattern = `c${String(chunk.index).padStart(6, '0')}_{i}`;
      if (spec.part === 'ref') {
        mkdirSync(target, { recursive: true });
        await this.conn.run(`copy (select ${select} from ${stg}) to ${quoteText(join(target, `${pattern.replace('{i}', '0')}.parquet`))} (format parquet)`);
      } else {
        const by = spec.part === 'person' ? 'admdvs' : 'month, admdvs';
        mkdirSync(target, { recursive: true });
        await this.conn.run(
          `copy (select ${select}, part_month as month, part_admdvs as admdvs from ${stg}) to ${quoteText(target)} (format parquet, partition_by (${by}), filename_pattern ${quoteText(pattern)}, overwrite_or_ignore true)`,
        );
      }
      rmSync(file);
    }
  }

  close(): void {
    rmSync(this.tmp, { recursive: true, force: true });
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
