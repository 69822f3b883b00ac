/**
 * Benchmark: a full DRG and DIP payment year end to end (issue 6) — reading and checking a JSONL case file, grouping,
 * weights from history (DRG) or the DIP catalogue built from history, case points with outliers and 特例单议, point
 * values and the per-institution statements, and writing every row in one transaction — on a fresh PostgreSQL
 * database (yibao_bench_pay_<time>, dropped afterwards unless --keep).
 *
 * The case file is synthetic and deterministic for a seed: half the cases are the history year (2025), half the paid
 * year (2026); diagnoses and procedures are drawn from the real CHS-DRG 1.1 / 医保版 code lists by the grouping
 * generator (src/payment/drg/sample-cases.ts) so that they reach hundreds of DRGs; each case's cost is log-normal
 * around a mean that depends on its DRG and the hospital level; 120 hospitals of levels 3, 2 and 1.
 * Stage times come from the run's own job stages; peak RSS is sampled at every progress report and every 100 ms.
 *
 *   node --import tsx bench/payment.ts [--cases 1000000] [--hospitals 120] [--seed 1] [--only drg|dip]
 *                                      [--pg postgres://postgres@127.0.0.1:5432] [--file cases.jsonl] [--keep]
 *
 * Exports benchPayment() and formatPaymentBench() for bench/run.ts.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { drgGrouper, resolveVersionDir } from '../src/payment/drg/index.js';
import { generateCases, readCaseSource, seededRandom } from '../src/payment/drg/sample-cases.js';
import { payYear, saveParams, type PayType } from '../src/payment/pay/index.js';
import { openDb } from '../src/platform/db.js';
import type { JobHandle } from '../src/platform/jobs.js';
import { migrate } from '../src/platform/migrations.js';
import { fenToYuan } from '../src/platform/money.js';
import type { Actor } from '../src/platform/oplog.js';

export interface PaymentBenchOptions {
  /** total cases in the file (history + paid year), default 1,000,000 */
  cases?: number;
  hospitals?: number;
  seed?: number;
  /** server URL without a database name (default postgres://postgres@127.0.0.1:5432, or BENCH_PG_URL) */
  pgUrl?: string;
  types?: PayType[];
  /** keep the database and the case file */
  keep?: boolean;
  /** write the case file here instead of a temporary folder */
  file?: string;
  log?: (line: string) => void;
}

export interface StageTime {
  stage: string;
  ms: number;
}

export interface PaymentRunBench {
  pay_type: PayType;
  /** cases in the file / paid in the year */
  fileCases: number;
  paidCases: number;
  totalMs: number;
  stages: StageTime[];
  casesPerS: number;
  peakRssMb: number;
  pointValue: string | null;
  institutions: number;
}

export interface PaymentBench {
  cases: number;
  hospitals: number;
  seed: number;
  generateMs: number;
  fileMb: number;
  drgsInFile: number;
  runs: PaymentRunBench[];
  processPeakRssMb: number;
  loadAverage: number;
}

const ACTOR: Actor = { id: 'bench', name: '付费压测', admdvs: ['990100'] };
const YEAR = 2026;
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

/** The job stages of run.ts, in their order, and the short names used in the report. */
const STAGE_NAMES: Record<string, string> = {
  读取病例: 'read/parse',
  分组: 'group',
  权重: 'weights',
  计算点数: 'score',
  点值与清算: 'budget',
  写入结算单: 'write',
};

interface Hospital {
  code: string;
  lv: string;
  /** relative case volume */
  volume: number;
  costFactor: number;
}

function hospitals(n: number): Hospital[] {
  const out: Hospital[] = [];
  for (let i = 0; i < n; i++) {
    const lv = i < Math.ceil(n / 6) ? '3' : i < Math.ceil(n / 2) ? '2' : '1';
    out.push({ code: `H9901${String(i + 1).padStart(7, '0')}`, lv, volume: lv === '3' ? 6 : lv === '2' ? 2 : 1, costFactor: lv === '3' ? 1.25 : lv === '2' ? 1 : 0.75 });
  }
  return out;
}

/** A stable number in [0, 1) from a string (FNV-1a), so a DRG's mean cost does not depend on the draw order. */
function hash01(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 4294967296;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The generator's case (simple or 4101 shape) → the simple case shape of the payment JSONL. */
function simpleOf(c: Record<string, unknown>): Record<string, unknown> {
  if (!isObj(c.setlinfo)) return { gend: c.gend, age: c.age, age_days: c.age_days, nwb_bir_wt: c.nwb_bir_wt, ipt_days: c.ipt_days, dscg_way: c.dscg_way, diagnoses: c.diagnoses, procedures: c.procedures };
  const s = c.setlinfo;
  const dise = (c.diseinfo as { diag_code: string; maindiag_flag: string }[]).slice().sort((a, b) => Number(b.maindiag_flag) - Number(a.maindiag_flag));
  const oprn = (c.oprninfo as { oprn_oprt_code: string; oprn_oprt_type: string }[]).slice().sort((a, b) => Number(a.oprn_oprt_type) - Number(b.oprn_oprt_type));
  return { gend: s.gend, age: s.age ?? 0, age_days: s.nwb_age ?? null, nwb_bir_wt: s.nwb_bir_wt, ipt_days: s.act_ipt_days, dscg_way: s.dscg_way, diagnoses: dise.map((d) => d.diag_code), procedures: oprn.map((p) => p.oprn_oprt_code) };
}

/**
 * Writes `count` cases to `file` (JSONL, deterministic for the seed); returns the paid year's Σ cost and Σ patient
 * payment (fen) to size the budget, and how many DRGs the file reaches.
 */
export async function writeCaseFile(file: string, count: number, nHospitals: number, seed: number): Promise<{ cost: number; psn: number; drgs: number }> {
  const version = 'chs-drg-1.1';
  const src = readCaseSource(resolveVersionDir(version));
  const g = drgGrouper(version, { trace: false });
  const rand = seededRandom(seed);
  const hs = hospitals(nHospitals);
  const cum: number[] = [];
  let acc = 0;
  for (const h of hs) cum.push((acc += h.volume));
  const pickHospital = () => {
    const x = rand() * acc;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return hs[lo]!;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const out = createWriteStream(file, { encoding: 'utf8' });
  const drgs = new Set<string>();
  let paidCost = 0;
  let paidPsn = 0;
  let n = 0;
  const CHUNK = 10_000;
  while (n < count) {
    const batch = generateCases(src, Math.min(CHUNK, count - n), rand) as Record<string, unknown>[];
    const lines: string[] = [];
    for (const raw of batch) {
      n++;
      const c = simpleOf(raw);
      const drg = g.group(c, { trace: false }).drg;
      drgs.add(drg);
      const h = pickHospital();
      // DRG mean between about 2,000 and 60,000 元 (log-uniform by DRG code), σ = 0.5; ungroupable around 8,000
      const mu = drg === '0000' ? Math.log(8000) : Math.log(2000) + hash01(drg) * Math.log(30);
      const yuan = Math.min(5_000_000, Math.max(50, Math.exp(mu + 0.5 * normal()) * h.costFactor));
      const cost = Math.round(yuan * 100);
      const psn = Math.round(cost * (0.15 + 0.2 * rand()));
      const year = n % 2 === 0 ? YEAR : YEAR - 1;
      const day = 1 + Math.floor(rand() * 28);
      const month = 1 + Math.floor(rand() * 12);
      if (year === YEAR) {
        paidCost += cost;
        paidPsn += psn;
      }
      lines.push(JSON.stringify({ id: `B${String(n).padStart(8, '0')}`, fixmedins_code: h.code, hosp_lv: h.lv, dscg_date: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, medfee_sumamt: fenToYuan(cost), psn_part_amt: fenToYuan(psn), ...c }));
    }
    if (!out.write(`${lines.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  drgs.delete('0000');
  return { cost: paidCost, psn: paidPsn, drgs: drgs.size };
}

/** A JobHandle that records when each stage starts and the peak RSS, instead of writing job rows. */
function timingJob(onSample: () => void): JobHandle & { stages: { stage: string; at: number }[] } {
  const stages: { stage: string; at: number }[] = [];
  return {
    job_id: 'bench',
    stages,
    progress(p) {
      onSample();
      if (p.stage !== undefined && stages.at(-1)?.stage !== p.stage) stages.push({ stage: p.stage, at: performance.now() });
      return Promise.resolve();
    },
    finish: () => Promise.resolve(),
    fail: () => Promise.resolve(),
  };
}

async function adminQuery(base: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: `${base}/postgres` });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

export async function benchPayment(o: PaymentBenchOptions = {}): Promise<PaymentBench> {
  const count = o.cases ?? 1_000_000;
  const nHosp = o.hospitals ?? 120;
  const seed = o.seed ?? 1;
  const types = o.types ?? ['drg', 'dip'];
  const log = o.log ?? ((l: string) => console.log(l));
  const base = (o.pgUrl ?? process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
  const tmp = o.file ? null : mkdtempSync(join(tmpdir(), 'yibao-bench-pay-'));
  const file = o.file ?? join(tmp!, 'cases.jsonl');

  let peak = 0;
  const sample = () => {
    const r = process.memoryUsage.rss();
    if (r > peak) peak = r;
  };
  const timer = setInterval(sample, 100);
  const database = `yibao_bench_pay_${Date.now()}`;
  let db: Awaited<ReturnType<typeof openDb>> | undefined;
  try {
    log(`生成 ${count.toLocaleString('en-US')} 条病例 → ${file}`);
    const g0 = performance.now();
    const totals = await writeCaseFile(file, count, nHosp, seed);
    const generateMs = Math.round(performance.now() - g0);
    const { statSync } = await import('node:fs');
    const fileMb = mb(statSync(file).size);
    log(`生成完成：${generateMs} ms，${fileMb} MiB，${totals.drgs} 个 DRG`);

    await adminQuery(base, `create database ${database}`);
    db = await openDb({ databaseUrl: `${base}/${database}`, dataDir: '' });
    await migrate(db);
    // budget ≈ what the fund paid for the year's cases (cost − patients' payments): the point value comes out near 1
    const budget = fenToYuan(Math.round((totals.cost - totals.psn) * 0.95));
    const runs: PaymentRunBench[] = [];
    for (const pay_type of types) {
      await saveParams(db, ACTOR, { admdvs: '990100', pay_type, setl_year: YEAR }, { begndate: `${YEAR}-01-01`, budget, base_rate: '10000.00', params: { year_weights: { [String(YEAR - 1)]: 1 } } });
      if (global.gc) global.gc();
      peak = process.memoryUsage.rss();
      const job = timingJob(sample);
      const t0 = performance.now();
      const r = await payYear(db, ACTOR, { pay_type, year: YEAR, admdvs: '990100', cases: file }, job);
      const t1 = performance.now();
      sample();
      // a stage may come back (reading and grouping alternate batch by batch): its times add up
      const sums = new Map<string, number>();
      job.stages.forEach((s, i) => {
        const name = STAGE_NAMES[s.stage] ?? s.stage;
        sums.set(name, (sums.get(name) ?? 0) + ((job.stages[i + 1]?.at ?? t1) - s.at));
      });
      const stages = [...sums].map(([stage, ms]) => ({ stage, ms: Math.round(ms) }));
      const totalMs = Math.round(t1 - t0);
      runs.push({ pay_type, fileCases: count, paidCases: r.case_cnt, totalMs, stages, casesPerS: Math.round(count / (totalMs / 1000)), peakRssMb: mb(peak), pointValue: r.point_value, institutions: r.stmts.length });
      log(`${pay_type.toUpperCase()}：${totalMs} ms（${stages.map((s) => `${s.stage} ${s.ms}`).join('，')}），峰值 RSS ${mb(peak)} MiB，点值 ${r.point_value}`);
    }
    return { cases: count, hospitals: nHosp, seed, generateMs, fileMb, drgsInFile: totals.drgs, runs, processPeakRssMb: mb(process.resourceUsage().maxRSS * 1024), loadAverage: Math.round(loadavg()[0]! * 100) / 100 };
  } finally {
    clearInterval(timer);
    await db?.close();
    if (!o.keep) {
      await adminQuery(base, `drop database if exists ${database} with (force)`).catch((e: Error) => log(`未能删除数据库 ${database}：${e.message}`));
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    }
  }
}

/** The docs/benchmarks.md section. */
export function formatPaymentBench(b: PaymentBench, machine: string, date: string): string {
  const fmt = (n: number) => n.toLocaleString('en-US');
  const stageCols = Object.values(STAGE_NAMES);
  const cell = (r: PaymentRunBench, s: string) => {
    const x = r.stages.find((y) => y.stage === s);
    return x ? fmt(x.ms) : '—';
  };
  return [
    '## DRG / DIP payment year end to end (PostgreSQL)',
    '',
    `Measured by \`node --import tsx bench/payment.ts --cases ${b.cases}\` on ${date}; machine: ${machine}; load average at the end ${b.loadAverage}.`,
    `${fmt(b.cases)} synthetic inpatient cases in one JSONL file (${b.fileMb} MiB, generated in ${fmt(b.generateMs)} ms): half history (${YEAR - 1}), half`,
    `paid (${YEAR}); real 医保版 codes reaching ${b.drgsInFile} DRGs, log-normal costs per DRG, ${b.hospitals} hospitals of levels 3/2/1.`,
    'Each run reads and checks the whole file, groups every case, learns weights (DRG) or builds the DIP catalogue from the',
    'history year, scores the paid year, settles the budget and writes pay_run, pay_case, pay_stmt … in one transaction.',
    '',
    `| run | total ms | cases/s (file) | ${stageCols.join(' ms | ')} ms | peak RSS MiB |`,
    `|---|---:|---:|${stageCols.map(() => '---:').join('|')}|---:|`,
    ...b.runs.map((r) => `| ${r.pay_type.toUpperCase()} (${fmt(r.paidCases)} paid, ${r.institutions} hospitals) | ${fmt(r.totalMs)} | ${fmt(r.casesPerS)} | ${stageCols.map((s) => cell(r, s)).join(' | ')} | ${fmt(r.peakRssMb)} |`),
    '',
    `Peak RSS of the whole process (generation included): ${fmt(b.processPeakRssMb)} MiB.`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: '1000000' },
      hospitals: { type: 'string', default: '120' },
      seed: { type: 'string', default: '1' },
      only: { type: 'string' },
      pg: { type: 'string' },
      file: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
  const b = await benchPayment({
    cases: Number(values.cases),
    hospitals: Number(values.hospitals),
    seed: Number(values.seed),
    types: values.only ? [values.only as PayType] : undefined,
    pgUrl: values.pg,
    file: values.file,
    keep: values.keep,
  });
  console.log(formatPaymentBench(b, machine, new Date().toISOString().slice(0, 10)));
}
