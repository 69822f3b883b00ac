/**
 * `yibao generate` as a function: checks the parameters, builds the fixed world from the seed, then streams
 * the region chunk by chunk (CHUNK_PERSONS persons each) into the sinks asked for: Parquet files under a
 * directory and/or the platform database. The calling thread draws each chunk's persons (certnos are kept
 * unique region-wide, so that part is sequential and cheap) and hands the chunk to a pool of worker threads,
 * which generate its encounters, settlements and rows as text; the results are written strictly in chunk
 * order, one chunk while the next ones are generated, so at most `workers + 2` chunks are in memory. A chunk's
 * content depends only on the seed, the parameters and its index, so 1 or N workers give the same output.
 * Returns (and with an output directory writes as manifest.json) the row count and content checksum of every
 * table: the same seed and parameters give the same manifest, whatever the sink and the number of workers.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../demo/prng.js';
import { DEMO_BEGNDATE } from '../demo/region.js';
import type { Db } from '../platform/db.js';
import { validationError, type FieldProblem } from '../platform/errors.js';
import { Emitter, Manifest, type ChunkFormats, type ChunkResult, type TableManifest } from './chunk.js';
import { openDbLoader, prepareDb, type DbLoader, type PgCopyTarget } from './db-writer.js';
import { ParquetWriter } from './parquet.js';
import { CHUNK_PERSONS, generateChunkPersons } from './persons.js';
import type { TableName } from './tables.js';
import type { ChunkJob, ChunkSpec } from './worker-gen.js';
import { ChunkPool } from './worker-pool.js';
import { buildWorld, MIN_INSTITUTIONS } from './world.js';

/**
 * Bump when a change makes a seed produce different data. 3: trace codes' product identifiers are distinct per
 * drug (world.traceProduct; the plain hash gave 230 of the catalogue's 21,744 drug codes a shared one), so some
 * drug_trac_codg values differ from version 2; every other column and table is as before.
 */
export const GENERATOR_VERSION = 3;
/** The generated period starts here; months run on from it. */
export const GENERATE_START = '2025-01-01';
export const MAX_PERSONS = 50_000_000;
export const MAX_MONTHS = 36;
export const MAX_WORKERS = 64;

export interface GenerateParams {
  seed: number;
  persons: number;
  months: number;
  /** Keep only K institutions (the demo region has 116), keeping the level mix. */
  institutions?: number;
  /** Share of encounters with an injected violation (0 to 0.5; default 0), its ground truth in gen_violation. */
  violations?: number;
}

export interface GenerateSinks {
  /** Directory for the Parquet files and manifest.json (must be empty or absent). */
  out?: string;
  db?: Db;
  /**
   * With a PostgreSQL `db`: the server (and schema) to COPY into, on a connection of the loader's own. Without
   * it the rows go in by INSERT … unnest (as on PGlite), slower but the same rows.
   */
  pgCopy?: PgCopyTarget;
}

/** How to run, not what to generate: never changes the output. */
export interface GenerateRunOptions {
  /** Worker threads generating chunks (default: the number of cores; 0 = in the calling thread). */
  workers?: number;
}

export interface GenerateManifest {
  generator: 'yibao generate';
  version: number;
  params: GenerateParams & { start: string; chunk_persons: number };
  /** SHA-256 over the tables' checksums in table order. */
  checksum: string;
  tables: Record<TableName, TableManifest>;
}

export interface GenerateProgress {
  persons: number;
  total: number;
  encounters: number;
  lines: number;
}

export const defaultWorkers = (): number => Math.max(1, Math.min(MAX_WORKERS, availableParallelism()));

export function checkGenerateParams(p: GenerateParams, sinks: GenerateSinks, run: GenerateRunOptions = {}): void {
  const problems: FieldProblem[] = [];
  const int = (v: unknown, lo: number, hi: number) => Number.isSafeInteger(v) && (v as number) >= lo && (v as number) <= hi;
  if (!int(p.seed, 0, 0xffff_ffff)) problems.push({ field: 'seed', message: '种子应为 0 到 4294967295 之间的整数' });
  if (!int(p.persons, 1, MAX_PERSONS)) problems.push({ field: 'persons', message: `参保人数应为 1 到 ${MAX_PERSONS} 之间的整数` });
  if (!int(p.months, 1, MAX_MONTHS)) problems.push({ field: 'months', message: `月数应为 1 到 ${MAX_MONTHS} 之间的整数` });
  if (p.institutions !== undefined && !int(p.institutions, MIN_INSTITUTIONS, 10_000)) problems.push({ field: 'institutions', message: `机构数应为不小于 ${MIN_INSTITUTIONS} 的整数` });
  if (p.violations !== undefined && !(typeof p.violations === 'number' && p.violations >= 0 && p.violations <= 0.5)) problems.push({ field: 'violations', message: '违规注入比例应在 0 到 0.5 之间' });
  if (run.workers !== undefined && !int(run.workers, 0, MAX_WORKERS)) problems.push({ field: 'workers', message: `工作线程数应为 0 到 ${MAX_WORKERS} 之间的整数` });
  if (!sinks.out && !sinks.db) problems.push({ field: 'out', message: '应指定输出目录（--out）或写入数据库（--db）' });
  if (sinks.out && existsSync(sinks.out) && readdirSync(sinks.out).length) problems.push({ field: 'out', message: `输出目录 ${sinks.out} 不为空` });
  if (problems.length) throw validationError(`生成参数错误：${problems.map((x) => x.message).join('；')}`, problems);
}

export async function generateRegion(
  params: GenerateParams,
  sinks: GenerateSinks,
  onProgress?: (p: GenerateProgress) => void,
  run: GenerateRunOptions = {},
): Promise<GenerateManifest> {
  checkGenerateParams(params, sinks, run);
  const world = buildWorld(params.seed, params.institutions);
  const taken = sinks.db ? await prepareDb(sinks.db, params.seed, world) : new Set<string>();
  const formats: ChunkFormats = { copy: sinks.db !== undefined, staged: sinks.out !== undefined };
  const spec: ChunkSpec = {
    seed: params.seed,
    ...(params.institutions !== undefined ? { institutions: params.institutions } : {}),
    start: GENERATE_START,
    months: params.months,
    violations: params.violations ?? 0,
    formats,
  };
  const manifest = new Manifest();
  const root = new Rng(params.seed).fork('generate');
  const progress: GenerateProgress = { persons: 0, total: params.persons, encounters: 0, lines: 0 };
  let parquet: ParquetWriter | undefined;
  let loader: DbLoader | undefined;
  let pool: ChunkPool | undefined;
  let pending: Promise<void> = Promise.resolve();
  const flush = async (chunk: ChunkResult) => {
    if (parquet) await parquet.write(chunk);
    if (loader) await loader.write(chunk);
  };
  const inflight = new Map<number, Promise<ChunkResult>>();
  try {
    parquet = sinks.out ? await ParquetWriter.open(sinks.out) : undefined;
    loader = sinks.db ? await openDbLoader(sinks.db, sinks.pgCopy) : undefined;
    const workers = run.workers ?? defaultWorkers();
    pool = new ChunkPool(spec, workers);

    // the region's institutions and practitioners: Parquet only (the database already holds the demo region's)
    const ref = new Emitter(formats);
    for (const i of world.institutions) {
      ref.emit('fixmedins', { fixmedins_code: i.fixmedins_code, fixmedins_name: i.fixmedins_name, fixmedins_type: i.pharmacy ? '2' : '1', hosp_lv: i.hosp_lv, admdvs: i.admdvs, medins_natu: i.medins_natu, begndate: DEMO_BEGNDATE }, '', '');
      for (const d of [...i.doctors, ...i.pharmacists]) {
        ref.emit('practitioner', { prac_code: d.prac_code, prac_name: d.prac_name, prac_type: d.prac_type, gend: d.gend ?? null, fixmedins_code: d.fixmedins_code, dept_name: d.dept_name ?? null, profttl: d.profttl ?? null, begndate: d.begndate }, '', '');
      }
    }
    const refChunk = ref.finish(0, { persons: 0, encounters: 0, lines: 0 });
    manifest.add(refChunk);
    if (parquet) await parquet.write(refChunk);

    const chunks = Math.ceil(params.persons / CHUNK_PERSONS);
    // persons are drawn here in chunk order (region-wide unique certnos); a worker does the rest of a chunk.
    // Enough chunks are handed out ahead to keep every worker busy while this thread writes.
    const ahead = Math.max(1, workers) + 1;
    let next = 0;
    const submit = () => {
      const c = next++;
      const count = Math.min(CHUNK_PERSONS, params.persons - c * CHUNK_PERSONS);
      const { persons, family } = generateChunkPersons(root, c, count, taken);
      const at = new Map(persons.map((p, k) => [p, k]));
      const job: ChunkJob = { index: c, persons, family: family.map((f) => ({ owner: at.get(f.owner)!, member: at.get(f.member)!, rlts: f.rlts, begndate: f.begndate })) };
      const result = pool!.run(job);
      result.catch(() => undefined); // awaited in order below; a failure surfaces there
      inflight.set(c, result);
    };
    for (let c = 0; c < chunks; c++) {
      while (next < chunks && next <= c + ahead) submit();
      const chunk = await inflight.get(c)!;
      inflight.delete(c);
      manifest.add(chunk);
      progress.encounters += chunk.encounters;
      progress.lines += chunk.lines;
      // write this chunk while the next ones are generated (DuckDB and PostgreSQL work on their own threads)
      await pending;
      pending = flush(chunk);
      progress.persons += chunk.persons;
      onProgress?.({ ...progress });
    }
    await pending;
    await parquet?.flush();
  } finally {
    await pending.catch(() => undefined);
    await pool?.close();
    parquet?.close();
    await loader?.close();
  }
  const tables = manifest.result();
  const checksum = createHash('sha256');
  for (const [name, t] of Object.entries(tables)) checksum.update(`${name}:${t.rows}:${t.sha256}\n`);
  const result: GenerateManifest = {
    generator: 'yibao generate',
    version: GENERATOR_VERSION,
    params: { ...params, start: GENERATE_START, chunk_persons: CHUNK_PERSONS },
    checksum: checksum.digest('hex'),
    tables,
  };
  if (sinks.out) writeFileSync(join(sinks.out, 'manifest.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
