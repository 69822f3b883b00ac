/**
 * Benchmark: settlement-list quality control + DRG grouping + DIP grouping + points and payment for N inpatient cases
 * end to end (issue 6: 1,000,000 cases ≤ 60 s), on a fresh PostgreSQL database (yibao_bench_pay_<time>, dropped
 * afterwards unless --keep).
 *
 * The cases are synthetic settlement lists (4101 shape, every value a string as a HIS sends them), deterministic for
 * a seed: 60 % are the region's common inpatient conditions of src/generate/bundles.ts (principal and secondary
 * diagnoses, procedures, ages, sex and length of stay of the bundle), 40 % are drawn from the real CHS-DRG 1.1 / 医保版
 * code lists by the grouping generator (src/payment/drg/sample-cases.ts: every ADRG, newborns with birth weights,
 * multiple trauma, a little noise such as an empty sex or codes that are not 医保版) so that hundreds of DRGs are
 * reached; costs are log-normal around a mean that depends on the principal diagnosis, surgery, stay and hospital
 * level; 120 hospitals of levels 3, 2 and 1; half the cases are the history year (2025), half the paid year (2026).
 *
 * Stages, each timed, with the peak RSS while it runs:
 *   qc   runQc (src/payment/qc) over every list, the 医保版 code tables loaded once into memory (no query per list);
 *        the lists that pass become the payment JSONL (the lists are generated and converted in batches of 10,000:
 *        only the runQc calls are timed — generation is set-up, not part of the pipeline). With --workers N (default
 *        2) the QC runs on N worker threads: each draws the same list sequence and keeps every N-th batch; a round
 *        of N batches is timed by the wall clock from "go" to the last worker's end of QC.
 *   drg  the DRG year run (payYear): read and check the file, group, weights from 2025, points, point value and
 *        statements, every row written in one transaction (pay_case by COPY unless --no-copy)
 *   dip  the DIP year run: the same with the DIP catalogue built from 2025
 * With 2 or more workers the DRG and DIP runs go side by side on two worker threads (each its own connections),
 * timed by the wall clock from "go" to the later commit. The total is qc + (drg ∥ dip), or qc + drg + dip with
 * --workers 0 (all in this thread, one run after the other: the layout of the earlier measurements).
 *
 *   node --import tsx bench/payment.ts [--cases 100000] [--hospitals 120] [--seed 1] [--only qc,drg,dip]
 *                                      [--pg postgres://postgres@127.0.0.1:5432] [--keep] [--workers 2] [--no-copy]
 *
 * Exports benchPayment() and formatPaymentBench() for bench/run.ts.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import pg from 'pg';
import { BUNDLES, type Bundle } from '../src/generate/bundles.js';
import { resolveVersionDir } from '../src/payment/drg/index.js';
import { generateCases, readCaseSource, seededRandom } from '../src/payment/drg/sample-cases.js';
import { payYear, saveParams, type PayType, type RunSummary } from '../src/payment/pay/index.js';
import { runQc, type QcReport } from '../src/payment/qc/index.js';
import type { ListRow, SetlListInput } from '../src/payment/setl-list/fields.js';
import { openDb } from '../src/platform/db.js';
import type { JobHandle } from '../src/platform/jobs.js';
import { migrate } from '../src/platform/migrations.js';
import { fenToYuan } from '../src/platform/money.js';
import type { Actor } from '../src/platform/oplog.js';
import { addDays } from '../src/platform/time.js';
import { DIAGNOSES, PROCEDURES, readBundled } from '../src/standards/coded-list.js';

export type PaymentStage = 'qc' | PayType;

export interface PaymentBenchOptions {
  /** settlement lists (history + paid year), default 100,000 */
  cases?: number;
  hospitals?: number;
  seed?: number;
  /** server URL without a database name (default postgres://postgres@127.0.0.1:5432, or BENCH_PG_URL) */
  pgUrl?: string;
  /** the stages to run (default all); drg and dip need qc (it writes their case file) */
  stages?: PaymentStage[];
  /** keep the database and the case file */
  keep?: boolean;
  /** worker threads: the QC on this many at once, and with 2 or more the DRG and DIP runs side by side (default 2; 0 = all in this thread, one run after the other) */
  workers?: number;
  /** write pay_case by COPY (default true; false = the INSERTs) */
  copy?: boolean;
  log?: (line: string) => void;
}

export interface StageTime {
  stage: string;
  ms: number;
}

export interface QcBench {
  lists: number;
  passed: number;
  failed: number;
  warnings: number;
  /** the blocking rules that refused most lists */
  topRules: { rule_id: string; lists: number }[];
  ms: number;
  listsPerS: number;
  peakRssMb: number;
  /** generating and converting the lists (not timed as part of the pipeline) */
  setupMs: number;
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
  /** CMI of all grouped paid cases (DRG), from the statements */
  cmi: string | null;
}

export interface PaymentBench {
  cases: number;
  hospitals: number;
  seed: number;
  fileMb: number;
  qc: QcBench | null;
  runs: PaymentRunBench[];
  /** qc + drg + dip (the runs' wall clock when they ran side by side) */
  totalMs: number;
  parallel: boolean;
  workers: number;
  copy: boolean;
  /** the runs' wall clock */
  runsMs: number;
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
  name: string;
  lv: string;
  /** relative case volume */
  volume: number;
  costFactor: number;
}

function hospitals(n: number): Hospital[] {
  const out: Hospital[] = [];
  for (let i = 0; i < n; i++) {
    const lv = i < Math.ceil(n / 6) ? '3' : i < Math.ceil(n / 2) ? '2' : '1';
    out.push({ code: `H9901${String(i + 1).padStart(7, '0')}`, name: `压测${lv}级医院${i + 1}`, lv, volume: lv === '3' ? 6 : lv === '2' ? 2 : 1, costFactor: lv === '3' ? 1.25 : lv === '2' ? 1 : 0.75 });
  }
  return out;
}

/** A stable number in [0, 1) from a string (FNV-1a), so a diagnosis's mean cost does not depend on the draw order. */
function hash01(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 4294967296;
}

type Rand = () => number;

/** Picks by cumulative weight (binary search). */
function weighted<T>(items: readonly T[], weightOf: (x: T) => number): (r: Rand) => T {
  const cum: number[] = [];
  let acc = 0;
  for (const x of items) cum.push((acc += weightOf(x)));
  return (r) => {
    const x = r() * acc;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}

/** What a list is made from, before it is written out as 4101. */
interface Clinical {
  gend: string;
  age: number;
  /** days, for infants under one year */
  ageDays: number | null;
  birthWeight: number | null;
  los: number;
  dscgWay: string;
  dx: string[];
  procs: string[];
}

/**
 * The list generator: draws clinical content (bundles or the DRG generator) and writes it as a complete 4101 list with
 * names from the 医保版 tables, fees, funds and patient payments that balance, dates that agree.
 */
class ListGenerator {
  private readonly bundle: (r: Rand) => Bundle;
  private readonly hospital: (r: Rand) => Hospital;
  private readonly src = readCaseSource(resolveVersionDir('chs-drg-1.1'));
  private drgPool: Record<string, unknown>[] = [];
  private n = 0;

  constructor(
    private readonly rand: Rand,
    hs: Hospital[],
    private readonly dxNames: ReadonlyMap<string, string>,
    private readonly pxNames: ReadonlyMap<string, string>,
  ) {
    this.bundle = weighted(
      BUNDLES.filter((b) => b.setting === 'ipt'),
      (b) => b.weight,
    );
    this.hospital = weighted(hs, (h) => h.volume);
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }

  private normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.rand())) * Math.cos(2 * Math.PI * this.rand());
  }

  private fromBundle(): Clinical {
    const r = this.rand;
    const b = this.bundle(r);
    const age = this.int(b.ages[0], b.ages[1]);
    const l = b.los ?? { median: 6, sigma: 0.3, min: 2, max: 20 };
    const los = Math.min(l.max, Math.max(l.min, Math.round(l.median * Math.exp(l.sigma * this.normal()))));
    const dx = [b.diag, ...(b.sec ?? []).filter(() => r() < 0.5)];
    return { gend: b.gend ?? (r() < 0.5 ? '1' : '2'), age, ageDays: age === 0 ? this.int(29, 364) : null, birthWeight: null, los, dscgWay: r() < 0.97 ? '1' : r() < 0.5 ? '2' : '4', dx, procs: [...(b.oprn ?? [])] };
  }

  private fromDrgTables(): Clinical {
    if (!this.drgPool.length) this.drgPool = (generateCases(this.src, 10_000, this.rand) as Record<string, unknown>[]).reverse();
    const c = this.drgPool.pop()!;
    // the generator's two shapes → the clinical content
    const s = (c.setlinfo ?? c) as Record<string, unknown>;
    const dx = c.setlinfo ? (c.diseinfo as { diag_code: string; maindiag_flag: string }[]).slice().sort((a, b) => Number(b.maindiag_flag) - Number(a.maindiag_flag)).map((d) => d.diag_code) : (c.diagnoses as string[]);
    const procs = c.setlinfo ? (c.oprninfo as { oprn_oprt_code: string; oprn_oprt_type: string }[]).slice().sort((a, b) => Number(a.oprn_oprt_type) - Number(b.oprn_oprt_type)).map((p) => p.oprn_oprt_code) : (c.procedures as string[]);
    const age = typeof s.age === 'number' ? s.age : 0;
    const ageDays = age === 0 ? ((s.nwb_age ?? s.age_days ?? 30) as number) : null;
    return { gend: String(s.gend ?? ''), age, ageDays, birthWeight: (s.nwb_bir_wt as number | null) ?? null, los: Number(s.act_ipt_days ?? s.ipt_days ?? 5), dscgWay: String(s.dscg_way ?? '1'), dx: [...new Set(dx)], procs: [...new Set(procs)] };
  }

  /** The next list, with its institution and the patient's payment in fen. */
  next(): { list: SetlListInput; h: Hospital; cost: number; psn: number } {
    const r = this.rand;
    const n = ++this.n;
    const c = r() < 0.6 ? this.fromBundle() : this.fromDrgTables();
    const h = this.hospital(r);
    const year = n % 2 === 0 ? YEAR : YEAR - 1;
    const dscg = `${year}-${String(this.int(1, 12)).padStart(2, '0')}-${String(this.int(1, 28)).padStart(2, '0')}`;
    const los = Math.max(1, c.los);
    const adm = addDays(dscg, -los);
    // mean cost by principal diagnosis (log-uniform 3,000–60,000 元), surgery ×1.8, longer stays cost more
    const surgical = c.procs.length > 0;
    const mu = Math.log(3000) + hash01(c.dx[0] ?? '') * Math.log(20) + (surgical ? Math.log(1.8) : 0) + 0.35 * Math.log(los / 6);
    const cost = Math.round(Math.min(5_000_000, Math.max(200, Math.exp(mu + 0.45 * this.normal()) * h.costFactor)) * 100);
    const acct = Math.round(cost * 0.05 * r());
    const cash = Math.round(cost * (0.12 + 0.18 * r()));
    const fund = cost - acct - cash;
    const brdy = c.ageDays !== null ? addDays(adm, -c.ageDays) : `${Number(adm.slice(0, 4)) - c.age}-01-01`;
    const ser = String(n).padStart(9, '0');
    const drug = Math.round(cost * 0.35);
    const setlinfo: ListRow = {
      mdtrt_id: `M${ser}`,
      setl_id: `S${ser}`,
      fixmedins_name: h.name,
      fixmedins_code: h.code,
      medcasno: `BA${ser}`,
      psn_name: '压测患者',
      gend: c.gend,
      brdy,
      ntly: 'CHN',
      naty: '01',
      patn_cert_type: '01',
      certno: `9901021980${ser.slice(-8)}`,
      prfs: '17',
      coner_name: '家属',
      patn_rlts: '1',
      coner_addr: '甲市',
      coner_tel: '13800000000',
      hi_type: '310',
      insuplc: '990100',
      ipt_med_type: '1',
      adm_time: `${adm} 08:00:00`,
      adm_caty: 'A03',
      dscg_time: `${dscg} 10:00:00`,
      dscg_caty: 'A03',
      act_ipt_days: String(los),
      diag_code_cnt: String(c.dx.length),
      oprn_oprt_code_cnt: String(c.procs.length),
      dscg_way: c.dscgWay,
      chfpdr_code: 'D99010200001',
      bill_code: 'B001',
      bill_no: `N${ser}`,
      biz_sn: `SN${ser}`,
      setl_begn_date: adm,
      setl_end_date: dscg,
      psn_selfpay: fenToYuan(cash),
      psn_ownpay: '0.00',
      acct_pay: fenToYuan(acct),
      psn_cashpay: fenToYuan(cash),
      hi_paymtd: '4',
      hsorg: '甲市医保中心',
      hsorg_opter: '经办',
      medins_fill_dept: '病案科',
      medins_fill_psn: '填报',
    };
    if (c.ageDays !== null) {
      setlinfo.nwb_age = String(c.ageDays);
      if (c.birthWeight !== null) setlinfo.nwb_bir_wt = String(c.birthWeight);
      if (c.ageDays <= 28) {
        setlinfo.nwb_bir_wt ??= '3200';
        setlinfo.nwb_adm_wt = setlinfo.nwb_bir_wt.split(',')[0];
      }
    } else setlinfo.age = String(c.age);
    const list: SetlListInput = {
      setlinfo,
      payinfo: [{ fund_pay_type: '310100', fund_payamt: fenToYuan(fund) }],
      diseinfo: c.dx.map((code, i) => ({ diag_type: '1', diag_code: code, diag_name: this.dxNames.get(code) ?? code, adm_cond_type: '1', maindiag_flag: i === 0 ? '1' : '0' })),
      iteminfo: [
        { med_chrgitm: '09', amt: fenToYuan(drug), claa_sumfee: fenToYuan(drug), clab_amt: '0', fulamt_ownpay_amt: '0', oth_amt: '0' },
        { med_chrgitm: '01', amt: fenToYuan(cost - drug), claa_sumfee: fenToYuan(cost - drug), clab_amt: '0', fulamt_ownpay_amt: '0', oth_amt: '0' },
      ],
      oprninfo: c.procs.map((code, i) => ({ oprn_oprt_type: i === 0 ? '1' : '2', oprn_oprt_name: this.pxNames.get(code) ?? code, oprn_oprt_code: code, oprn_oprt_date: addDays(adm, Math.min(1, los)), oper_dr_name: '医生', oper_dr_code: 'D99010200001' })),
    };
    return { list, h, cost, psn: acct + cash };
  }
}

/** A passed list as a line of the payment JSONL (the simple case shape of src/payment/pay/cases.ts). */
function payLine(list: SetlListInput, h: Hospital, cost: number, psn: number): string {
  const s = list.setlinfo;
  const dx = list.diseinfo ?? [];
  const principal = dx.find((d) => d.maindiag_flag === '1');
  const age = s.age !== undefined ? Number(s.age) : 0;
  return JSON.stringify({
    id: s.setl_id,
    fixmedins_code: h.code,
    hosp_lv: h.lv,
    dscg_date: s.setl_end_date,
    medfee_sumamt: fenToYuan(cost),
    psn_part_amt: fenToYuan(psn),
    gend: s.gend,
    age,
    age_days: s.nwb_age !== undefined ? Number(s.nwb_age) : null,
    nwb_bir_wt: s.nwb_bir_wt !== undefined ? Number(s.nwb_bir_wt.split(',')[0]) : null,
    ipt_days: Number(s.act_ipt_days),
    dscg_way: s.dscg_way,
    diagnoses: [principal, ...dx.filter((d) => d !== principal)].map((d) => d!.diag_code),
    procedures: (list.oprninfo ?? []).map((p) => p.oprn_oprt_code),
  });
}

const QC_BATCH = 10_000;

/** What one batch contributes: the QC figures and the passed lists as payment JSONL lines. */
interface QcPart {
  passed: number;
  warnings: number;
  byRule: [string, number][];
  /** the paid year's Σ cost and Σ patient payment of the passed lists (fen) */
  cost: number;
  psn: number;
  text: string;
}

type Generated = ReturnType<ListGenerator['next']>;

/** The QC of a batch: the only part of the stage that is timed. */
function checkBatch(batch: Generated[], dxNames: ReadonlyMap<string, string>, pxNames: ReadonlyMap<string, string>): QcReport[] {
  return batch.map((x) => runQc(x.list, { diagnoses: dxNames, procedures: pxNames, checkDate: x.list.setlinfo.setl_end_date! }));
}

/** The batch's figures, and its passed lists converted to payment lines (set-up for the runs, not timed). */
function convertBatch(batch: Generated[], reports: QcReport[]): QcPart {
  const byRule = new Map<string, number>();
  const lines: string[] = [];
  let passed = 0;
  let warnings = 0;
  let cost = 0;
  let psn = 0;
  batch.forEach((x, i) => {
    const rep = reports[i]!;
    warnings += rep.warnings.length;
    if (!rep.passed) {
      for (const id of new Set(rep.errors.map((e) => e.rule_id))) byRule.set(id, (byRule.get(id) ?? 0) + 1);
      return;
    }
    passed++;
    if (x.list.setlinfo.setl_end_date!.startsWith(String(YEAR))) {
      cost += x.cost;
      psn += x.psn;
    }
    lines.push(payLine(x.list, x.h, x.cost, x.psn));
  });
  return { passed, warnings, byRule: [...byRule], cost, psn, text: lines.length ? `${lines.join('\n')}\n` : '' };
}

function codeNames(): { dxNames: Map<string, string>; pxNames: Map<string, string> } {
  return { dxNames: new Map(readBundled(DIAGNOSES).map((e) => [e.code, e.name])), pxNames: new Map(readBundled(PROCEDURES).map((e) => [e.code, e.name])) };
}

/** Messages of a worker (or of the parent, inside a worker) in arrival order, awaited one at a time. */
class Inbox {
  private readonly queue: unknown[] = [];
  private waiting: { resolve: (m: unknown) => void; reject: (e: Error) => void } | null = null;
  private failed: Error | null = null;
  constructor(port: Worker | MessagePort) {
    port.on('message', (m: unknown) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w.resolve(m);
      } else this.queue.push(m);
    });
    const fail = (e: Error) => {
      this.failed = e;
      this.waiting?.reject(e);
      this.waiting = null;
    };
    port.on('error', fail);
    port.on('exit', (code: number) => {
      if (code !== 0) fail(new Error(`压测工作线程异常退出（退出码 ${code}）`));
    });
  }
  next<T>(): Promise<T> {
    if (this.queue.length) return Promise.resolve(this.queue.shift() as T);
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<T>((resolve, reject) => (this.waiting = { resolve: resolve as (m: unknown) => void, reject }));
  }
}

interface QcWorkerData {
  bench: 'payment-qc';
  count: number;
  hospitals: number;
  seed: number;
  slot: number;
  slots: number;
}

interface RunWorkerData {
  bench: 'payment-run';
  url: string;
  pay_type: PayType;
  file: string;
  copy: boolean;
}

/** A worker thread running this file; under tsx (a .ts source tree) it first registers tsx's loader. */
function startWorker(data: QcWorkerData | RunWorkerData): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL(self), { workerData: data });
  const tsx = pathToFileURL(createRequire(self).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(self)}); })`;
  return new Worker(boot, { workerData: data, eval: true });
}

/**
 * A QC worker: draws every list of the seed's sequence (the same lists as one thread would, in the same order) and
 * keeps the batches of its slot (batch b belongs to slot b mod slots); per round it reports ready, waits for go, runs
 * the QC of its batch (the parent times go → every worker's "checked"), then converts and sends the passed lines.
 */
async function qcWorker(d: QcWorkerData, port: MessagePort): Promise<void> {
  const inbox = new Inbox(port);
  const { dxNames, pxNames } = codeNames();
  const gen = new ListGenerator(seededRandom(d.seed), hospitals(d.hospitals), dxNames, pxNames);
  const nBatches = Math.ceil(d.count / QC_BATCH);
  for (let r = 0; r * d.slots + d.slot < nBatches; r++) {
    let mine: Generated[] = [];
    for (let b = r * d.slots; b < Math.min((r + 1) * d.slots, nBatches); b++) {
      const batch = Array.from({ length: Math.min(QC_BATCH, d.count - b * QC_BATCH) }, () => gen.next());
      if (b === r * d.slots + d.slot) mine = batch;
    }
    port.postMessage('ready');
    await inbox.next();
    const reports = checkBatch(mine, dxNames, pxNames);
    port.postMessage('checked');
    port.postMessage(convertBatch(mine, reports));
  }
}

/**
 * Generates `count` lists in batches, runs quality control on each (timed), and writes the passed ones to `file` as
 * payment cases; returns the QC figures and the paid year's Σ cost and Σ patient payment (fen) to size the budget.
 * With workers > 0 the QC of a round of batches runs on that many threads at once (one batch each), timed by the
 * wall clock from the start of the round to the last worker's end.
 */
export async function qcStage(file: string, count: number, nHospitals: number, seed: number, sample: () => void, workers = 0): Promise<QcBench & { cost: number; psn: number }> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  const byRule = new Map<string, number>();
  let qcMs = 0;
  let passed = 0;
  let warnings = 0;
  let paidCost = 0;
  let paidPsn = 0;
  let peak = 0;
  const t0 = performance.now();
  const take = async (part: QcPart) => {
    passed += part.passed;
    warnings += part.warnings;
    paidCost += part.cost;
    paidPsn += part.psn;
    for (const [id, n] of part.byRule) byRule.set(id, (byRule.get(id) ?? 0) + n);
    if (part.text && !out.write(part.text)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  if (workers > 0) {
    const ws = Array.from({ length: workers }, (_, slot) => startWorker({ bench: 'payment-qc', count, hospitals: nHospitals, seed, slot, slots: workers }));
    const inboxes = ws.map((w) => new Inbox(w));
    try {
      const nBatches = Math.ceil(count / QC_BATCH);
      for (let r = 0; r * workers < nBatches; r++) {
        const active = inboxes.slice(0, Math.min(workers, nBatches - r * workers));
        await Promise.all(active.map((i) => i.next()));
        const q0 = performance.now();
        active.forEach((_, k) => ws[k]!.postMessage('go'));
        await Promise.all(active.map((i) => i.next()));
        qcMs += performance.now() - q0;
        sample();
        peak = Math.max(peak, process.memoryUsage.rss());
        for (const i of active) await take(await i.next<QcPart>()); // in batch order
      }
    } finally {
      await Promise.all(ws.map((w) => w.terminate()));
    }
  } else {
    const { dxNames, pxNames } = codeNames();
    const gen = new ListGenerator(seededRandom(seed), hospitals(nHospitals), dxNames, pxNames);
    for (let done = 0; done < count; ) {
      const batch = Array.from({ length: Math.min(QC_BATCH, count - done) }, () => gen.next());
      done += batch.length;
      const q0 = performance.now();
      const reports = checkBatch(batch, dxNames, pxNames);
      qcMs += performance.now() - q0;
      sample();
      peak = Math.max(peak, process.memoryUsage.rss());
      await take(convertBatch(batch, reports));
    }
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  const ms = Math.round(qcMs);
  return {
    lists: count,
    passed,
    failed: count - passed,
    warnings,
    topRules: [...byRule].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([rule_id, lists]) => ({ rule_id, lists })),
    ms,
    listsPerS: Math.round(count / (qcMs / 1000)),
    peakRssMb: mb(peak),
    setupMs: Math.round(performance.now() - t0 - qcMs),
    cost: paidCost,
    psn: paidPsn,
  };
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

/** Σ RW ÷ grouped cases over all statements (each statement's CMI × its grouped cases, to 4 decimals). */
function overallCmi(stmts: { cmi: string | null; case_cnt: number }[]): string | null {
  let w = 0;
  let n = 0;
  for (const s of stmts) {
    if (s.cmi === null) continue;
    w += Number(s.cmi) * s.case_cnt;
    n += s.case_cnt;
  }
  return n ? (w / n).toFixed(4) : null;
}

interface TimedRun {
  summary: RunSummary;
  totalMs: number;
  stages: StageTime[];
}

/** One year run, timed by stage (a stage may come back — reading and grouping alternate batch by batch: its times add up). */
async function timedRun(db: Awaited<ReturnType<typeof openDb>>, pay_type: PayType, file: string, copyUrl: string | null, sample: () => void): Promise<TimedRun> {
  const job = timingJob(sample);
  const t0 = performance.now();
  const summary = await payYear(db, ACTOR, { pay_type, year: YEAR, admdvs: '990100', cases: file }, job, copyUrl ? { copy: { url: copyUrl } } : {});
  const t1 = performance.now();
  sample();
  const sums = new Map<string, number>();
  job.stages.forEach((s, i) => {
    const name = STAGE_NAMES[s.stage] ?? s.stage;
    sums.set(name, (sums.get(name) ?? 0) + ((job.stages[i + 1]?.at ?? t1) - s.at));
  });
  return { summary, totalMs: Math.round(t1 - t0), stages: [...sums].map(([stage, ms]) => ({ stage, ms: Math.round(ms) })) };
}

/** A run worker: opens its own Db on the bench database, reports ready, waits for go, runs and sends the TimedRun. */
async function runWorker(d: RunWorkerData, port: MessagePort): Promise<void> {
  const inbox = new Inbox(port);
  const db = await openDb({ databaseUrl: d.url, dataDir: '' });
  try {
    port.postMessage('ready');
    await inbox.next();
    port.postMessage(await timedRun(db, d.pay_type, d.file, d.copy ? d.url : null, () => undefined));
  } finally {
    await db.close();
  }
}

export async function benchPayment(o: PaymentBenchOptions = {}): Promise<PaymentBench> {
  const count = o.cases ?? 100_000;
  const nHosp = o.hospitals ?? 120;
  const seed = o.seed ?? 1;
  const stages = new Set<PaymentStage>(o.stages ?? ['qc', 'drg', 'dip']);
  stages.add('qc');
  const log = o.log ?? ((l: string) => console.log(l));
  const workers = o.workers ?? 2;
  const parallel = workers > 1;
  const base = (o.pgUrl ?? process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
  const tmp = mkdtempSync(join(tmpdir(), 'yibao-bench-pay-'));
  const file = join(tmp, 'cases.jsonl');

  let peak = 0;
  const sample = () => {
    const r = process.memoryUsage.rss();
    if (r > peak) peak = r;
  };
  const timer = setInterval(sample, 100);
  const database = `yibao_bench_pay_${Date.now()}`;
  let db: Awaited<ReturnType<typeof openDb>> | undefined;
  try {
    log(`生成并质控 ${count.toLocaleString('en-US')} 份结算清单 → ${file}`);
    const qc = await qcStage(file, count, nHosp, seed, sample, workers);
    const fileMb = mb(statSync(file).size);
    log(`质控：${qc.ms} ms（${qc.listsPerS.toLocaleString('en-US')} 份/秒），通过 ${qc.passed}，未通过 ${qc.failed}（${qc.topRules.map((r) => `${r.rule_id} ${r.lists}`).join('，')}），峰值 RSS ${qc.peakRssMb} MiB；生成与转换 ${qc.setupMs} ms（不计入）`);

    const runs: PaymentRunBench[] = [];
    const types = (['drg', 'dip'] as const).filter((t) => stages.has(t));
    if (types.length) {
      await adminQuery(base, `create database ${database}`);
      db = await openDb({ databaseUrl: `${base}/${database}`, dataDir: '' });
      await migrate(db);
    }
    // budget ≈ what the fund paid for the year's cases (cost − patients' payments)
    const budget = fenToYuan(Math.round((qc.cost - qc.psn) * 0.95));
    for (const pay_type of types) await saveParams(db!, ACTOR, { admdvs: '990100', pay_type, setl_year: YEAR }, { begndate: `${YEAR}-01-01`, budget, base_rate: '10000.00', params: { year_weights: { [String(YEAR - 1)]: 1 } } });
    const url = `${base}/${database}`;
    const copy = o.copy ?? true;
    const report = (pay_type: PayType, t: TimedRun, peakMb: number) => {
      const r = t.summary;
      runs.push({ pay_type, fileCases: qc.passed, paidCases: r.case_cnt, totalMs: t.totalMs, stages: t.stages, casesPerS: Math.round(qc.passed / (t.totalMs / 1000)), peakRssMb: peakMb, pointValue: r.point_value, institutions: r.stmts.length, cmi: overallCmi(r.stmts) });
      log(`${pay_type.toUpperCase()}：${t.totalMs} ms（${t.stages.map((x) => `${x.stage} ${x.ms}`).join('，')}），峰值 RSS ${peakMb} MiB，点值 ${r.point_value}`);
    };
    let runsMs = 0;
    if (parallel && types.length > 1) {
      // one worker thread per run, each with its own connections; timed from go to the last run's commit
      const ws = types.map((pay_type) => startWorker({ bench: 'payment-run', url, pay_type, file, copy }));
      const inboxes = ws.map((w) => new Inbox(w));
      try {
        await Promise.all(inboxes.map((i) => i.next()));
        if (global.gc) global.gc();
        peak = process.memoryUsage.rss();
        const t0 = performance.now();
        ws.forEach((w) => w.postMessage('go'));
        const done = await Promise.all(inboxes.map((i) => i.next<TimedRun>()));
        runsMs = Math.round(performance.now() - t0);
        sample();
        types.forEach((pay_type, k) => report(pay_type, done[k]!, mb(peak)));
        log(`DRG 与 DIP 并行（${types.length} 个工作线程）：${runsMs} ms`);
      } finally {
        await Promise.all(ws.map((w) => w.terminate()));
      }
    } else {
      for (const pay_type of types) {
        if (global.gc) global.gc();
        peak = process.memoryUsage.rss();
        const t = await timedRun(db!, pay_type, file, copy ? url : null, sample);
        runsMs += t.totalMs;
        report(pay_type, t, mb(peak));
      }
    }
    return {
      cases: count,
      hospitals: nHosp,
      seed,
      fileMb,
      qc,
      runs,
      totalMs: qc.ms + runsMs,
      parallel: parallel && types.length > 1,
      workers,
      copy,
      runsMs,
      processPeakRssMb: mb(process.resourceUsage().maxRSS * 1024),
      loadAverage: Math.round(loadavg()[0]! * 100) / 100,
    };
  } finally {
    clearInterval(timer);
    await db?.close();
    if (!o.keep) {
      if (db) await adminQuery(base, `drop database if exists ${database} with (force)`).catch((e: Error) => log(`未能删除数据库 ${database}：${e.message}`));
      rmSync(tmp, { recursive: true, force: true });
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
  const qc = b.qc;
  return [
    '## Settlement-list QC + DRG + DIP + points end to end (PostgreSQL)',
    '',
    `Measured by \`node --import tsx bench/payment.ts --cases ${b.cases}\` on ${date}; machine: ${machine}; load average at the end ${b.loadAverage}.`,
    `${fmt(b.cases)} synthetic settlement lists (4101): 60 % the region's common inpatient conditions (src/generate/bundles.ts), 40 % drawn`,
    `from the CHS-DRG 1.1 / 医保版 code lists; half history (${YEAR - 1}), half paid (${YEAR}); ${b.hospitals} hospitals of levels 3/2/1.`,
    `QC runs every rule over every list with the 医保版 tables in memory${b.workers > 0 ? ` on ${b.workers} worker threads` : ''}; the passed lists (a JSONL file of`,
    `${b.fileMb} MiB) go through the DRG and the DIP year runs${b.parallel ? ' (side by side, one worker thread each)' : ''}: read and check, group, weights (DRG) or catalogue (DIP) from the`,
    `history year, points, point value and statements, written in one transaction each${b.copy ? ' (pay_case by COPY)' : ''}.`,
    '',
    qc ? `QC: ${fmt(qc.ms)} ms for ${fmt(qc.lists)} lists (${fmt(qc.listsPerS)} lists/s), ${fmt(qc.passed)} passed, ${fmt(qc.failed)} refused (${qc.topRules.map((r) => `${r.rule_id} × ${fmt(r.lists)}`).join(', ')}); peak RSS ${fmt(qc.peakRssMb)} MiB.` : '',
    '',
    `| run | total ms | cases/s (file) | ${stageCols.join(' ms | ')} ms | peak RSS MiB | CMI |`,
    `|---|---:|---:|${stageCols.map(() => '---:').join('|')}|---:|---:|`,
    ...b.runs.map((r) => `| ${r.pay_type.toUpperCase()} (${fmt(r.paidCases)} paid, ${r.institutions} hospitals) | ${fmt(r.totalMs)} | ${fmt(r.casesPerS)} | ${stageCols.map((s) => cell(r, s)).join(' | ')} | ${fmt(r.peakRssMb)} | ${r.cmi ?? '—'} |`),
    '',
    `**Total QC + ${b.runs.map((r) => r.pay_type.toUpperCase()).join(b.parallel ? ' ∥ ' : ' + ')}: ${fmt(b.totalMs)} ms** (target for 1,000,000 cases: 60,000 ms)${b.parallel ? `; the runs side by side took ${fmt(b.runsMs)} ms of wall clock` : ''}. Peak RSS of the whole process: ${fmt(b.processPeakRssMb)} MiB.`,
  ].join('\n');
}

const role = isMainThread ? null : (workerData as QcWorkerData | RunWorkerData | null);
if (role?.bench === 'payment-qc') await qcWorker(role, parentPort!);
else if (role?.bench === 'payment-run') await runWorker(role, parentPort!);

if (isMainThread && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: '100000' },
      hospitals: { type: 'string', default: '120' },
      seed: { type: 'string', default: '1' },
      only: { type: 'string' },
      pg: { type: 'string' },
      keep: { type: 'boolean', default: false },
      workers: { type: 'string', default: '2' },
      'no-copy': { type: 'boolean', default: false },
    },
  });
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
  const b = await benchPayment({
    cases: Number(values.cases),
    hospitals: Number(values.hospitals),
    seed: Number(values.seed),
    stages: values.only ? (values.only.split(',') as PaymentStage[]) : undefined,
    pgUrl: values.pg,
    keep: values.keep,
    workers: Number(values.workers),
    copy: !values['no-copy'],
  });
  console.log(formatPaymentBench(b, machine, new Date().toISOString().slice(0, 10)));
}
