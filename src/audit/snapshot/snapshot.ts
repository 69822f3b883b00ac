/**
 * `yibao snapshot`: exports what the 事后 batch audit reads — encounters, diagnoses, fee lines, settlements with
 * their fund rows and frozen line splits, persons' sex/birth/death, institutions, practitioners with their
 * payment-qualification history and the audit knowledge base — to Parquet through DuckDB, encounter-bound tables
 * partitioned by month and area (Hive layout `table/month=yyyy-MM/admdvs=NNNNNN/*.parquet`). Rows are read from
 * the database a page at a time by key and appended to a disk-backed DuckDB staging file, so memory stays bounded
 * whatever the size — or, on PostgreSQL with `pgCopy`, with one COPY … TO STDOUT per table streamed to a CSV file
 * that DuckDB reads; each table is then written with one COPY to Parquet. A manifest.json lists the window, the row count
 * and the files of every table. Runs as a job (kind 'snapshot') reporting rows done out of the rows counted first.
 */
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { Db } from '../../platform/db.js';
import { validationError } from '../../platform/errors.js';
import { runJob, type JobHandle } from '../../platform/jobs.js';
import type { Actor } from '../../platform/oplog.js';
import { beijingDateTime, isIsoDate } from '../../platform/time.js';
import { duckRows, lit, openDuck, type DuckDBConnection } from './duck.js';
import { PART_COLS, SNAPSHOT_TABLES, type TableSpec, type Window } from './tables.js';

export const MANIFEST_FILE = 'manifest.json';
const STAGING_FILE = '.staging.duckdb';

export interface SnapshotOptions extends Window {
  out: string;
  /** Rows per database page (default 20,000). */
  pageSize?: number;
  /**
   * With a PostgreSQL database: the server (and schema) to read each table from with one COPY … TO STDOUT on a
   * connection of the snapshot's own, instead of pages through the Db (several times faster on large tables).
   */
  pgCopy?: PgCopySource;
}

export interface PgCopySource {
  url: string;
  schema?: string;
}

export interface SnapshotManifest {
  format: 'yibao-snapshot/1';
  created: string;
  from: string | null;
  to: string | null;
  tables: Record<string, { rows: number; partitioned: boolean; files: string[] }>;
}

export interface SnapshotProgress {
  table: string;
  done: number;
  total: number;
}

function checkOptions(o: SnapshotOptions): void {
  const problems = [];
  if (!o.out) problems.push({ field: 'out', message: '须指定输出目录' });
  if (o.from !== null && !isIsoDate(o.from)) problems.push({ field: 'from', message: '应为 yyyy-MM-dd' });
  if (o.to !== null && !isIsoDate(o.to)) problems.push({ field: 'to', message: '应为 yyyy-MM-dd' });
  if (o.from && o.to && isIsoDate(o.from) && isIsoDate(o.to) && o.to < o.from) problems.push({ field: 'to', message: '结束日期早于开始日期' });
  if (problems.length) throw validationError('快照参数有误', problems);
  if (existsSync(o.out)) {
    const entries = readdirSync(o.out).filter((f) => f !== STAGING_FILE);
    if (entries.length && !entries.includes(MANIFEST_FILE)) throw validationError(`输出目录 ${o.out} 不为空且不是快照目录，为避免覆盖其他文件已停止`);
  }
}

/** A database value as the staging table's text (instants as Beijing wall time). */
function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return beijingDateTime(v);
  return String(v).trimEnd();
}

async function countRows(db: Db, spec: TableSpec, w: Window): Promise<number> {
  // the page query without a limit, counted; keyset pagination makes the count the same rows
  const q = spec.page(w, null, 2_147_483_647);
  const res = await sql<{ n: number }>`select count(*)::int8 as n from (${q}) x`.execute(db.k);
  return Number(res.rows[0]!.n);
}

function listFiles(dir: string, root: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, root));
    else if (e.name.endsWith('.parquet')) out.push(relative(root, p));
  }
  return out.sort();
}

/** Fills the staging table a page at a time through the Db (PGlite, or PostgreSQL without a COPY source). */
async function stageByPages(db: Db, duck: DuckDBConnection, spec: TableSpec, stage: string, o: SnapshotOptions, onRows: (n: number) => Promise<void>): Promise<number> {
  let after: unknown[] | null = null;
  let rows = 0;
  for (;;) {
    const page: Record<string, unknown>[] = (await spec.page(o, after, o.pageSize ?? 20_000).execute(db.k)).rows;
    if (!page.length) break;
    const app = await duck.createAppender(stage);
    for (const r of page) {
      for (const [c] of spec.cols) {
        const v = text(r[c]);
        if (v === null) app.appendNull();
        else app.appendVarchar(v);
      }
      app.endRow();
    }
    app.flushSync();
    app.closeSync();
    rows += page.length;
    const last: Record<string, unknown> = page[page.length - 1]!;
    after = spec.key.map((k) => last[k]);
    await onRows(page.length);
    if (page.length < (o.pageSize ?? 20_000)) break;
  }
  return rows;
}

/** A compiled query with its parameters written in as literals (COPY takes none); they are dates, numbers and codes. */
function inlineParams(text: string, params: readonly unknown[]): string {
  return text.replace(/\$(\d+)\b/g, (_, n: string) => {
    const v = params[Number(n) - 1];
    return typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`;
  });
}

/**
 * Fills the staging table from one COPY (the table's whole page query) to a CSV file, read by DuckDB. The session
 * speaks Beijing time and ISO dates, so instants come out as Beijing wall time like the paged path's (the offset
 * and fractions are cut when the staging text is cast).
 */
async function stageByCopy(db: Db, client: pg.Client, duck: DuckDBConnection, spec: TableSpec, stage: string, o: SnapshotOptions, csv: string): Promise<number> {
  const q = spec.page(o, null, 2_147_483_647).compile(db.k);
  const copy = client.query(copyStreams.to(`copy (${inlineParams(q.sql, q.parameters)}) to stdout with (format csv, null '\\N')`));
  await pipeline(copy, createWriteStream(csv));
  const columns = `{${spec.cols.map(([c]) => `${lit(c)}: 'VARCHAR'`).join(', ')}}`;
  await duck.run(
    `insert into ${stage} select * from read_csv(${lit(csv)}, header = false, columns = ${columns}, delim = ',', quote = '"', escape = '"',
       nullstr = '\\N', allow_quoted_nulls = false, auto_detect = false)`,
  );
  rmSync(csv, { force: true });
  const [{ n }] = (await duckRows<{ n: string }>(duck, `select count(*)::VARCHAR as n from ${stage}`)) as [{ n: string }];
  return Number(n);
}

async function exportTable(
  db: Db,
  duck: DuckDBConnection,
  spec: TableSpec,
  o: SnapshotOptions,
  client: pg.Client | null,
  onRows: (n: number) => Promise<void>,
): Promise<number> {
  const stage = `stage_${spec.name}`;
  await duck.run(`create or replace table ${stage} (${spec.cols.map(([c]) => `${c} VARCHAR`).join(', ')})`);
  let rows: number;
  if (client) {
    rows = await stageByCopy(db, client, duck, spec, stage, o, join(o.out, `.${spec.name}.csv`));
    await onRows(rows);
  } else rows = await stageByPages(db, duck, spec, stage, o, onRows);
  const dir = join(o.out, spec.name);
  rmSync(dir, { recursive: true, force: true });
  if (rows > 0) {
    // instants: 'yyyy-MM-dd HH:mm:ss' (a COPY adds the offset and fractions); char(n) codes lose their padding
    const casts = spec.cols.map(([c, t]) => (t === 'TIMESTAMP' ? `left(${c}, 19)::TIMESTAMP as ${c}` : `rtrim(${c})::${t} as ${c}`)).join(', ');
    if (spec.bound) {
      const [t, a] = PART_COLS;
      await duck.run(
        `copy (select ${casts}, strftime(left(${t}, 19)::TIMESTAMP, '%Y-%m') as month, ${a} as admdvs from ${stage} order by ${spec.key.join(', ')})
           to ${lit(dir)} (format parquet, partition_by (month, admdvs), overwrite_or_ignore true)`,
      );
    } else {
      mkdirSync(dir, { recursive: true });
      await duck.run(`copy (select ${casts} from ${stage} order by ${spec.key.join(', ')}) to ${lit(join(dir, 'data.parquet'))} (format parquet)`);
    }
  }
  await duck.run(`drop table ${stage}`);
  return rows;
}

/** Writes a snapshot; the job (when given) follows rows done. */
export async function writeSnapshot(db: Db, opts: SnapshotOptions, job?: JobHandle, onProgress?: (p: SnapshotProgress) => void): Promise<SnapshotManifest> {
  const o = { ...opts, out: resolve(opts.out) };
  checkOptions(o);
  mkdirSync(o.out, { recursive: true });
  const totals = new Map<string, number>();
  for (const spec of SNAPSHOT_TABLES) totals.set(spec.name, await countRows(db, spec, o));
  const total = [...totals.values()].reduce((a, b) => a + b, 0);
  await job?.progress({ total, done: 0, stage: '统计行数完成，开始导出' }, true);
  const stagingPath = join(o.out, STAGING_FILE);
  rmSync(stagingPath, { force: true });
  const duck = await openDuck(stagingPath);
  let client: pg.Client | null = null;
  if (db.kind === 'postgres' && o.pgCopy) {
    client = new pg.Client({ connectionString: o.pgCopy.url, ...(o.pgCopy.schema ? { options: `-c search_path=${o.pgCopy.schema}` } : {}) });
    await client.connect();
    await client.query(`set timezone = 'Asia/Shanghai'; set datestyle = 'ISO, YMD'`);
  }
  const manifest: SnapshotManifest = { format: 'yibao-snapshot/1', created: new Date().toISOString(), from: o.from, to: o.to, tables: {} };
  let done = 0;
  try {
    for (const spec of SNAPSHOT_TABLES) {
      const rows = await exportTable(db, duck.conn, spec, o, client, async (n) => {
        done += n;
        await job?.progress({ done, stage: `导出 ${spec.name}` });
        onProgress?.({ table: spec.name, done, total: Math.max(total, done) });
      });
      manifest.tables[spec.name] = { rows, partitioned: spec.bound, files: listFiles(join(o.out, spec.name), o.out) };
    }
  } finally {
    await client?.end();
    duck.close();
    rmSync(stagingPath, { force: true });
    rmSync(`${stagingPath}.wal`, { force: true });
  }
  writeFileSync(join(o.out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** `writeSnapshot` as a job of kind 'snapshot' (started, followed, finished or failed in table `job`). */
export function snapshotJob(db: Db, actor: Actor, opts: SnapshotOptions, onProgress?: (p: SnapshotProgress) => void): Promise<SnapshotManifest & { job_id: string }> {
  return runJob(db, actor, 'snapshot', { out: opts.out, from: opts.from, to: opts.to }, async (job) => ({ ...(await writeSnapshot(db, opts, job, onProgress)), job_id: job.job_id }), {
    stage: '统计行数',
  });
}

/** The manifest of a snapshot directory (Chinese error when there is none). */
export function readManifest(dir: string): SnapshotManifest {
  const p = join(dir, MANIFEST_FILE);
  if (!existsSync(p)) throw validationError(`目录 ${dir} 不是快照（缺少 ${MANIFEST_FILE}），请先运行 yibao snapshot`);
  const m = JSON.parse(readFileSync(p, 'utf8')) as SnapshotManifest;
  if (m.format !== 'yibao-snapshot/1') throw validationError(`快照格式“${String(m.format)}”不受支持`);
  return m;
}
