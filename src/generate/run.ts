/**
 * `yibao generate` as a function: checks the parameters, builds the fixed world from the seed, then streams
 * the region chunk by chunk (CHUNK_PERSONS persons each) — persons, their encounters and settlements — into
 * the sinks asked for: Parquet files under a directory and/or the platform database. A chunk is written while
 * the next is generated, so at most two are ever in memory. Returns (and with an output directory writes as manifest.json) the row count and content checksum
 * of every table: the same seed and parameters give the same manifest, whatever the sink.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../demo/prng.js';
import { DEMO_BEGNDATE } from '../demo/region.js';
import type { Db } from '../platform/db.js';
import { validationError, type FieldProblem } from '../platform/errors.js';
import { Emitter, Manifest, type ChunkRows, type TableManifest } from './chunk.js';
import { prepareDb, writeChunkToDb } from './db-writer.js';
import { ParquetWriter } from './parquet.js';
import { generatePerson, type Counters } from './person.js';
import { CHUNK_PERSONS, generateChunkPersons } from './persons.js';
import type { TableName } from './tables.js';
import { buildWorld, MIN_INSTITUTIONS } from './world.js';

/** Bump when a change makes a seed produce different data. */
export const GENERATOR_VERSION = 1;
/** The generated period starts here; months run on from it. */
export const GENERATE_START = '2025-01-01';
export const MAX_PERSONS = 50_000_000;
export const MAX_MONTHS = 36;

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

export function checkGenerateParams(p: GenerateParams, sinks: GenerateSinks): void {
  const problems: FieldProblem[] = [];
  const int = (v: unknown, lo: number, hi: number) => Number.isSafeInteger(v) && (v as number) >= lo && (v as number) <= hi;
  if (!int(p.seed, 0, 0xffff_ffff)) problems.push({ field: 'seed', message: '种子应为 0 到 4294967295 之间的整数' });
  if (!int(p.persons, 1, MAX_PERSONS)) problems.push({ field: 'persons', message: `参保人数应为 1 到 ${MAX_PERSONS} 之间的整数` });
  if (!int(p.months, 1, MAX_MONTHS)) problems.push({ field: 'months', message: `月数应为 1 到 ${MAX_MONTHS} 之间的整数` });
  if (p.institutions !== undefined && !int(p.institutions, MIN_INSTITUTIONS, 10_000)) problems.push({ field: 'institutions', message: `机构数应为不小于 ${MIN_INSTITUTIONS} 的整数` });
  if (p.violations !== undefined && !(typeof p.violations === 'number' && p.violations >= 0 && p.violations <= 0.5)) problems.push({ field: 'violations', message: '违规注入比例应在 0 到 0.5 之间' });
  if (!sinks.out && !sinks.db) problems.push({ field: 'out', message: '应指定输出目录（--out）或写入数据库（--db）' });
  if (sinks.out && existsSync(sinks.out) && readdirSync(sinks.out).length) problems.push({ field: 'out', message: `输出目录 ${sinks.out} 不为空` });
  if (problems.length) throw validationError(`生成参数错误：${problems.map((x) => x.message).join('；')}`, problems);
}

export async function generateRegion(params: GenerateParams, sinks: GenerateSinks, onProgress?: (p: GenerateProgress) => void): Promise<GenerateManifest> {
  checkGenerateParams(params, sinks);
  const world = buildWorld(params.seed, params.institutions);
  const taken = sinks.db ? await prepareDb(sinks.db, params.seed, world) : new Set<string>();
  const parquet = sinks.out ? await ParquetWriter.open(sinks.out) : undefined;
  const manifest = new Manifest();
  const root = new Rng(params.seed).fork('generate');
  const counters: Counters = { vio: 0, mdtrt: 0, setl: 0, list: 0, feedetl: 0, trace: 0 };
  const emitter = new Emitter(manifest, 0);
  const ctx = { world, start: GENERATE_START, months: params.months, counters, emitter, violations: params.violations ?? 0 };
  const progress: GenerateProgress = { persons: 0, total: params.persons, encounters: 0, lines: 0 };
  const flush = async (chunk: ChunkRows) => {
    if (parquet) await parquet.write(chunk);
    if (sinks.db) await writeChunkToDb(sinks.db, chunk);
  };
  let pending: Promise<void> = Promise.resolve();
  try {
    for (const i of world.institutions) {
      emitter.emit('fixmedins', { fixmedins_code: i.fixmedins_code, fixmedins_name: i.fixmedins_name, fixmedins_type: i.pharmacy ? '2' : '1', hosp_lv: i.hosp_lv, admdvs: i.admdvs, medins_natu: i.medins_natu, begndate: DEMO_BEGNDATE }, '', '');
      for (const d of [...i.doctors, ...i.pharmacists]) {
        emitter.emit('practitioner', { prac_code: d.prac_code, prac_name: d.prac_name, prac_type: d.prac_type, gend: d.gend ?? null, fixmedins_code: d.fixmedins_code, dept_name: d.dept_name ?? null, profttl: d.profttl ?? null, begndate: d.begndate }, '', '');
      }
    }
    const chunks = Math.ceil(params.persons / CHUNK_PERSONS);
    for (let c = 0; c < chunks; c++) {
      const count = Math.min(CHUNK_PERSONS, params.persons - c * CHUNK_PERSONS);
      const { persons, family } = generateChunkPersons(root, c, count, taken);
      for (const p of persons) {
        const s = generatePerson(ctx, p, root.fork(`psn/${p.index}`));
        progress.encounters += s.encounters;
        progress.lines += s.lines;
      }
      for (const f of family) {
        emitter.emit('psn_family', { psn_no: f.owner.psn_no, mem_psn_no: f.member.psn_no, rlts: f.rlts, begndate: f.begndate }, '', f.owner.insuplc_admdvs);
      }
      // write this chunk while the next one is generated (DuckDB works on its own threads); at most two
      // chunks are in memory
      await pending;
      pending = flush(emitter.take(c + 1));
      progress.persons += count;
      onProgress?.({ ...progress });
    }
    await pending;
  } finally {
    await pending.catch(() => undefined);
    parquet?.close();
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
