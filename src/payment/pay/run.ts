/**
 * A payment year run (年度付费计算) for a region: parameters in force → cases (database or JSONL) → grouping (DRG
 * grouper or DIP catalogue) → weights from the history years (DRG) or the catalogue's scores (DIP) → case points →
 * point values and statements — computed in memory, then written in ONE transaction (pay_run and its rows, with the
 * operation-log row), so a failed run writes nothing. Runs as a long job (platform/jobs.ts) with progress.
 */
import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import type { Db, Tables } from '../../platform/db.js';
import { validationError } from '../../platform/errors.js';
import { formatDatedId, nextSerial } from '../../platform/ids.js';
import { runJob, startJob, type JobHandle } from '../../platform/jobs.js';
import { fenToYuan, yuanToFen, type Fen } from '../../platform/money.js';
import { recordOperation, type Actor } from '../../platform/oplog.js';
import { requireActorCovers } from '../../platform/scope.js';
import { drgGrouper } from '../drg/index.js';
import { buildDipCatalogue } from '../dip/build.js';
import { DipGrouper } from '../dip/group.js';
import { dipCatalogueInForce, loadDipCatalogue } from '../dip/store.js';
import type { DipCase, DipCatalogue, HistoryCase } from '../dip/types.js';
import { ONE, fixed4, text4 } from './arith.js';
import { settleYear, type Settlement } from './budget.js';
import { copyCaseRows, withCopyTransaction, type PgCopyTarget } from './case-copy.js';
import { insertCaseRows, type CaseRow } from './case-rows.js';
import { caseFileBatches, dbCases, regionInstitutions, type Institution } from './cases.js';
import { paramsInForce, rawOf } from './params.js';
import { scoreCase, selectSpecialAmong, stdAmount, type ScoreInput, type Scored } from './score.js';
import { CASE_TYPES, CaseTable, caseTypeNo } from './table.js';
import { PAY_TYPE_NAMES, type PayCase, type PayParams, type PayType } from './types.js';
import { cmiOf, drgWeights, yearWeightsFor, type GroupWeight, type HistoryItem } from './weights.js';

export interface RunOptions {
  pay_type: PayType;
  year: number;
  admdvs: string;
  /** a JSONL case file instead of the database */
  cases?: string;
}

/** How a run writes (kept out of RunOptions: those are stored with the job, and a server URL is not). */
export interface WriteOptions {
  /** PostgreSQL: write pay_case by COPY on a connection of the run's own to this server (the same database as db) */
  copy?: PgCopyTarget;
}

export interface RunSummary {
  run_id: string;
  job_id: string | null;
  pay_type: PayType;
  admdvs: string;
  setl_year: number;
  case_cnt: number;
  budget: string;
  pool: string;
  points: string;
  point_value: string | null;
  psn_pay: string;
  penalty: string;
  weight_src: string;
  warnings: string[];
  stmts: { fixmedins_code: string; fixmedins_name: string | null; case_cnt: number; cmi: string | null; points: string; amount_due: string; psn_pay: string; penalty: string; fund_due: string; prepaid: string; balance: string }[];
}

interface Computed {
  params: PayParams;
  param_begndate: string;
  weight_src: string;
  overall_mean: Fen | null;
  weights: GroupWeight[];
  /** every case read; `paid` lists the paid year's indexes in file order */
  t: CaseTable;
  paid: Int32Array;
  /** the final scoring of the 特例单议 candidates (the others are scored again when written, see caseRows) */
  cands: Map<number, Scored>;
  insts: Map<string, Institution>;
  settlement: Settlement;
  warnings: string[];
}

const yearOf = (d: string) => Number(d.slice(0, 4));
const BATCH = 5000;

/** Cases in batches, from the file (checked line by line, refused at the end when bad) or the settlement lists. */
async function* batchesOf(db: Db, o: RunOptions, years: Set<number>): AsyncGenerator<PayCase[]> {
  if (o.cases) {
    yield* caseFileBatches(o.cases, BATCH);
    return;
  }
  let batch: PayCase[] = [];
  for await (const c of dbCases(db, o.admdvs, `${Math.min(...years)}-01-01`, `${o.year}-12-31`)) {
    batch.push(c);
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

const drgWhy = (status: string, drg: string) => (status !== 'grouped' ? (status === 'QY' ? '歧义病案（QY）' : status === '0000' ? '无法入组（0000）' : `分组未成功（${status}）`) : `${drg} 没有历史权重`);
const dipWhy = (status: string | null) => (status === null ? '没有主要诊断' : status === 'unmatched' ? '空白病组' : status === 'invalid' ? '主要诊断无效' : '未入组');

/** The scoring input of paid case i, as stored (the same when scoring and when writing). */
function scoreInput(t: CaseTable, i: number): ScoreInput {
  const c = t.c;
  return { cost: c.cost[i]!, los: t.los(i), base: CaseTable.num(c.base[i]!), mean: CaseTable.num(c.mean[i]!), coef: c.coef[i]!, why: t.whys.values[c.why[i]!]! };
}

async function compute(db: Db, o: RunOptions, job: JobHandle): Promise<Computed> {
  const { version, params: p } = await paramsInForce(db, { admdvs: o.admdvs, pay_type: o.pay_type, setl_year: o.year });
  const warnings: string[] = [];
  let yw = yearWeightsFor(o.year, p);
  const years = new Set([o.year, ...Object.keys(yw).map(Number)]);
  await job.progress({ stage: '读取病例' }, true);
  const insts = await regionInstitutions(db, o.admdvs);
  const coefOf = (lv: string | null) => (lv !== null && p.level_coef[lv] !== undefined ? p.level_coef[lv] : ONE);

  // read (streamed, batch by batch) and, for DRG, group at once: only compact columns are kept per case
  const t = new CaseTable();
  const g = o.pay_type === 'drg' ? drgGrouper(p.drg_version, { trace: false }) : null;
  const dips: (DipCase | null)[] = [];
  for await (const batch of batchesOf(db, o, years)) {
    if (g) await job.progress({ stage: '分组', done: t.n });
    for (const c of batch) {
      if (!years.has(yearOf(c.dscg_date))) continue;
      if (c.hosp_lv === null && yearOf(c.dscg_date) === o.year) c.hosp_lv = insts.get(c.fixmedins_code)?.hosp_lv ?? null;
      const i = t.push(c);
      if (g) {
        const r = g.group(c.drg, { trace: false });
        t.setGroup(i, r.drg, r.drg_name, r.status);
      } else dips.push(c.dip);
    }
    await job.progress({ stage: '读取病例', done: t.n });
  }
  const paid = Int32Array.from({ length: t.n }, (_, i) => i).filter((i) => t.c.year[i] === o.year);
  if (!paid.length) throw validationError(`区划 ${o.admdvs} ${o.year} 年度没有可付费的住院病例${o.cases ? `（文件 ${o.cases}）` : '（已提交的结算清单）'}`);
  let anyHistory = false;
  for (let i = 0; i < t.n && !anyHistory; i++) anyHistory = yw[String(t.c.year[i])] !== undefined;
  if (!anyHistory) {
    warnings.push(`历史年度 ${Object.keys(yw).join('、')} 没有病例，权重改按 ${o.year} 年度本身的病例计算`);
    yw = { [String(o.year)]: 1 };
  }
  await job.progress({ stage: '权重', total: t.n, done: t.n }, true);

  const c = t.c;
  let weights: GroupWeight[];
  let overall: Fen | null;
  let weight_src: string;
  if (o.pay_type === 'drg') {
    const grouped = t.stases.of('grouped');
    const hist: HistoryItem[] = [];
    for (let i = 0; i < t.n; i++) if (c.stas[i] === grouped) hist.push({ grp: t.grp(i), name: t.grpName(i), cost: c.cost[i]!, year: c.year[i]! });
    const w = drgWeights(hist, yw, p);
    hist.length = 0;
    overall = w.overall_mean;
    weights = [...w.weights.values()];
    weight_src = `${p.drg_version}，历史年度权重 ${JSON.stringify(yw)}`;
    await job.progress({ stage: '计算点数' }, true);
    for (const i of paid) {
      const gw = c.stas[i] === grouped ? w.weights.get(t.grp(i)) : undefined;
      if (gw) {
        c.base[i] = gw.rw * p.scale;
        c.mean[i] = gw.mean_cost;
        c.rw[i] = gw.rw;
      }
      c.why[i] = t.whys.of(drgWhy(t.stas(i), t.grp(i)));
    }
  } else {
    const { catalogue, src } = await dipCatalogueFor(db, o, p, t, dips, yw);
    weight_src = src;
    await job.progress({ stage: '分组' }, true);
    const grouper = new DipGrouper(catalogue);
    const byCode = new Map(catalogue.groups.map((x) => [x.dip_code, x]));
    let sum = 0;
    for (const i of paid) sum += c.cost[i]!;
    overall = catalogue.overall_mean ?? Math.round(sum / paid.length);
    weights = catalogue.groups.map((x) => ({ grp_code: x.dip_code, grp_name: x.dip_name, hist_cnt: x.case_cnt, kept_cnt: x.case_cnt, mean_cost: x.mean_cost, rw: Math.round(x.rw * ONE) }));
    let done = 0;
    for (const i of paid) {
      const d = dips[i]!;
      dips[i] = null;
      if (d) d.cost = c.cost[i]!; // the case's own input, dropped after this: set, not copied per case
      const r = d ? grouper.group(d, { explain: false }) : null;
      const grp = r?.dip_code ? byCode.get(r.dip_code) : undefined;
      t.setGroup(i, r?.dip_code ?? '', r?.dip_name ?? null, r?.status ?? 'invalid');
      if (grp && r?.case_score !== null && r?.case_score !== undefined) c.base[i] = Math.round(r.case_score * ONE);
      if (grp) {
        c.mean[i] = grp.mean_cost;
        c.rw[i] = Math.round(grp.rw * ONE);
      }
      c.why[i] = t.whys.of(dipWhy(r ? r.status : null));
      if (++done % 1000 === 0) await job.progress({ done });
    }
    dips.length = 0;
    await job.progress({ stage: '计算点数' }, true);
  }
  // case points: kept as type + points per case; the 特例单议 candidates as objects (a few per institution)
  const caseCounts = new Map<string, number>();
  const candidates: { id: string; fixmedins_code: string; los: number | null; scored: Scored; i: number }[] = [];
  for (const i of paid) {
    c.coef[i] = coefOf(t.lv(i));
    const s = scoreCase(scoreInput(t, i), p, overall);
    c.type[i] = caseTypeNo(s.case_type);
    c.points[i] = s.points;
    const code = t.inst(i);
    caseCounts.set(code, (caseCounts.get(code) ?? 0) + 1);
    if (s.candidate) candidates.push({ id: t.ids[i]!, fixmedins_code: code, los: t.los(i), scored: s, i });
  }
  selectSpecialAmong(candidates, caseCounts, p);
  const cands = new Map<number, Scored>();
  for (const x of candidates) {
    cands.set(x.i, x.scored);
    c.type[x.i] = caseTypeNo(x.scored.case_type);
    c.points[x.i] = x.scored.points;
  }
  await job.progress({ stage: '点值与清算', done: t.n }, true);
  const penalties = await penaltiesOf(db, [...new Set(Array.from(paid, (i) => t.inst(i)))], o.year);
  const settlement = settleYear(
    Array.from(paid, (i) => {
      const case_type = CASE_TYPES[c.type[i]!]!;
      return { fixmedins_code: t.inst(i), month: c.month[i]!, psn_pay: c.psn[i]!, cost: c.cost[i]!, points: c.points[i]!, case_type, rw: case_type === 'ungrouped' ? null : CaseTable.num(c.rw[i]!) };
    }),
    p,
    penalties,
  );
  if (settlement.points <= 0) throw validationError('全部病例的点数合计为 0，无法计算点值');
  return { params: p, param_begndate: version.begndate, weight_src, overall_mean: overall, weights, t, paid, cands, insts, settlement, warnings };
}

/** The DIP catalogue: the one named in the parameters, else the published one in force, else built from the history. */
async function dipCatalogueFor(db: Db, o: RunOptions, p: PayParams, t: CaseTable, dips: (DipCase | null)[], yw: Record<string, number>): Promise<{ catalogue: DipCatalogue; src: string }> {
  if (p.dip_cat_ver) return { catalogue: await loadDipCatalogue(db, p.dip_cat_ver), src: `DIP 目录 ${p.dip_cat_ver}` };
  const inForce = await dipCatalogueInForce(db, o.admdvs, `${o.year}-12-31`);
  if (inForce) return { catalogue: inForce, src: `DIP 目录 ${inForce.info.cat_ver}（${o.year}-12-31 生效）` };
  const hist: HistoryCase[] = [];
  for (let i = 0; i < t.n; i++) {
    const d = dips[i];
    if (d && yw[String(t.c.year[i])] !== undefined) hist.push(Object.assign(d, { id: t.ids[i], cost: t.c.cost[i]!, year: t.c.year[i]! })); // no copy per case
  }
  // the history years' grouper inputs are not needed once the catalogue is built
  for (let i = 0; i < t.n; i++) if (t.c.year[i] !== o.year) dips[i] = null;
  const { catalogue } = await buildDipCatalogue(hist, { yearWeights: yw, trim: p.trim, trimMinCases: p.trim_min_cases });
  return { catalogue, src: `由历史病例构建的 DIP 目录，年度权重 ${JSON.stringify(yw)}` };
}

/** Confirmed audit deductions (audit_suspect stas 2 已确认违规) per institution, found in the year (Beijing time). */
export async function penaltiesOf(db: Db, codes: string[], year: number): Promise<Map<string, Fen>> {
  if (!codes.length) return new Map();
  // audit_suspect belongs to the audit workflow (migration 0013); read here, never written
  const rows = await sql<{ fixmedins_code: string; amt: string }>`
    select fixmedins_code, sum(vola_amt)::text as amt from audit_suspect
    where stas = '2' and fixmedins_code in (${sql.join(codes)})
      and extract(year from (crte_time at time zone 'Asia/Shanghai')) = ${year}
    group by fixmedins_code`.execute(db.k);
  return new Map(rows.rows.map((r) => [r.fixmedins_code, yuanToFen(r.amt)]));
}

/** The pay_case row of paid case i: stored numbers, the reason from scoring it again (or the 特例单议 result). */
function caseRow(x: Computed, i: number): CaseRow {
  const t = x.t;
  const c = t.c;
  const s = x.cands.get(i) ?? scoreCase(scoreInput(t, i), x.params, x.overall_mean);
  const mean = CaseTable.num(c.mean[i]!);
  return {
    case_id: t.ids[i]!,
    fixmedins_code: t.inst(i),
    setl_month: c.month[i]!,
    grp_code: t.grp(i),
    grp_name: t.grpName(i),
    grp_stas: t.stas(i),
    case_type: s.case_type,
    base_points: text4(s.base),
    coef: text4(s.coef),
    factor: text4(s.factor),
    points: text4(s.points),
    mean_cost: mean === null ? null : fenToYuan(mean),
    medfee_sumamt: fenToYuan(c.cost[i]!),
    psn_pay: fenToYuan(c.psn[i]!),
    std_amt: fenToYuan(s.std_amt),
    reason: s.reason,
  };
}

async function write(db: Db, actor: Actor, o: RunOptions, job_id: string | null, x: Computed, w: WriteOptions = {}): Promise<RunSummary> {
  const s = x.settlement;
  const run_id = formatDatedId(o.admdvs, new Date(), await nextSerial(db, 'general'));
  const caseLv = new Map(Array.from(x.paid, (i) => [x.t.inst(i), x.t.lv(i)]));
  const stmts = s.stmts.map((r) => {
    const inst = x.insts.get(r.fixmedins_code);
    const lv = inst?.hosp_lv ?? caseLv.get(r.fixmedins_code) ?? null;
    const cmi = cmiOf(r.rws);
    return {
      run_id,
      fixmedins_code: r.fixmedins_code,
      fixmedins_name: inst?.fixmedins_name ?? null,
      hosp_lv: lv,
      coef: text4(lv !== null && x.params.level_coef[lv] !== undefined ? x.params.level_coef[lv] : ONE),
      case_cnt: r.case_cnt,
      grouped_cnt: r.grouped_cnt,
      high_cnt: r.high_cnt,
      low_cnt: r.low_cnt,
      special_cnt: r.special_cnt,
      ungrouped_cnt: r.ungrouped_cnt,
      cmi: cmi === null ? null : fixed4(cmi),
      points: fixed4(r.points),
      medfee_sumamt: fenToYuan(r.medfee_sumamt),
      amount_due: fenToYuan(r.amount_due),
      psn_pay: fenToYuan(r.psn_pay),
      penalty: fenToYuan(r.penalty),
      fund_due: fenToYuan(r.fund_due),
      prepaid: fenToYuan(r.prepaid),
      balance: fenToYuan(r.balance),
    };
  });
  const body = async (trx: Kysely<Tables>, client?: pg.ClientBase) => {
    await trx
      .insertInto('pay_run')
      .values({
        run_id,
        job_id,
        pay_type: o.pay_type,
        admdvs: o.admdvs,
        setl_year: o.year,
        source: o.cases ?? 'db',
        param_begndate: x.param_begndate,
        budget: fenToYuan(x.params.budget),
        pool: fenToYuan(s.pool),
        base_rate: fenToYuan(x.params.base_rate),
        params: JSON.stringify(rawOf(x.params)),
        weight_src: x.weight_src,
        overall_mean: x.overall_mean === null ? null : fenToYuan(x.overall_mean),
        case_cnt: x.paid.length,
        points: text4(s.points),
        point_value: s.point_value!,
        psn_pay: fenToYuan(s.psn_pay),
        penalty: fenToYuan(s.penalty),
        warnings: JSON.stringify(x.warnings),
        opter_id: actor.id,
        opter_name: actor.name,
      })
      .execute();
    const chunks = async <T>(rows: T[], insert: (part: T[]) => Promise<unknown>) => {
      for (let i = 0; i < rows.length; i += 500) await insert(rows.slice(i, i + 500));
    };
    await chunks(x.weights, (part) =>
      trx.insertInto('pay_weight').values(part.map((w) => ({ run_id, grp_code: w.grp_code, grp_name: w.grp_name, hist_cnt: w.hist_cnt, kept_cnt: w.kept_cnt, mean_cost: fenToYuan(w.mean_cost), rw: text4(w.rw), std_amt: fenToYuan(stdAmount(w.rw * x.params.scale, ONE, x.params)) }))).execute(),
    );
    // no job progress in here: on PGlite the job row cannot be written while this transaction holds the connection
    const rowAt = (k: number) => caseRow(x, x.paid[k]!);
    if (client) await copyCaseRows(client, run_id, x.paid.length, rowAt);
    else await insertCaseRows(trx, run_id, x.paid.length, rowAt);
    await trx.insertInto('pay_month').values(s.months.map((m) => ({ run_id, setl_month: m.setl_month, case_cnt: m.case_cnt, points: text4(m.points), pool: fenToYuan(m.pool), point_value: m.point_value }))).execute();
    await chunks(stmts, (part) => trx.insertInto('pay_stmt').values(part).execute());
    await chunks(s.prepays, (part) => trx.insertInto('pay_prepay').values(part.map((r) => ({ run_id, fixmedins_code: r.fixmedins_code, setl_month: r.setl_month, points: text4(r.points), amount_due: fenToYuan(r.amount_due), psn_pay: fenToYuan(r.psn_pay), prepaid: fenToYuan(r.prepaid) }))).execute());
    await recordOperation(trx, actor, { action: `pay.run.${o.pay_type}`, target_type: 'pay_run', target_id: run_id, admdvs: o.admdvs, after: { setl_year: o.year, source: o.cases ?? 'db', case_cnt: x.paid.length, pool: fenToYuan(s.pool), point_value: s.point_value } });
  };
  // COPY needs the pg client of the transaction: PostgreSQL with a COPY target only; PGlite inserts
  if (w.copy && db.kind === 'postgres') await withCopyTransaction(w.copy, body);
  else await db.k.transaction().execute((trx) => body(trx));
  return {
    run_id,
    job_id,
    pay_type: o.pay_type,
    admdvs: o.admdvs,
    setl_year: o.year,
    case_cnt: x.paid.length,
    budget: fenToYuan(x.params.budget),
    pool: fenToYuan(s.pool),
    points: fixed4(s.points),
    point_value: s.point_value,
    psn_pay: fenToYuan(s.psn_pay),
    penalty: fenToYuan(s.penalty),
    weight_src: x.weight_src,
    warnings: x.warnings,
    stmts: stmts.map((r) => ({ fixmedins_code: r.fixmedins_code, fixmedins_name: r.fixmedins_name, case_cnt: r.case_cnt, cmi: r.cmi, points: r.points, amount_due: r.amount_due, psn_pay: r.psn_pay, penalty: r.penalty, fund_due: r.fund_due, prepaid: r.prepaid, balance: r.balance })),
  };
}

function check(actor: Actor, o: RunOptions): void {
  if (o.pay_type !== 'drg' && o.pay_type !== 'dip') throw validationError(`付费方式只能是 drg 或 dip，实际为 ${String(o.pay_type)}`);
  if (!/^\d{6}$/.test(o.admdvs)) throw validationError(`医保区划“${o.admdvs}”应为6位数字`);
  if (!Number.isInteger(o.year) || o.year < 2000 || o.year > 2999) throw validationError(`年度应为4位数字，实际为 ${String(o.year)}`);
  requireActorCovers(actor, o.admdvs);
}

/** The year run inside a job the caller owns. */
export async function payYear(db: Db, actor: Actor, o: RunOptions, job: JobHandle, w: WriteOptions = {}): Promise<RunSummary> {
  check(actor, o);
  const x = await compute(db, o, job);
  await job.progress({ stage: '写入结算单', done: 0, total: x.paid.length }, true);
  return write(db, actor, o, job.job_id, x, w);
}

const kindOf = (t: PayType) => `pay-${t}`;
const stageOf = (o: RunOptions) => `${o.year} 年度 ${PAY_TYPE_NAMES[o.pay_type]} 付费计算`;

/** Runs a year to the end (CLI): the job records progress and the summary. */
export function runPayYear(db: Db, actor: Actor, o: RunOptions, onJob?: (job_id: string) => void, w: WriteOptions = {}): Promise<RunSummary> {
  check(actor, o);
  return runJob(db, actor, kindOf(o.pay_type), o, (job) => {
    onJob?.(job.job_id);
    return payYear(db, actor, o, job, w);
  }, { admdvs: o.admdvs, stage: stageOf(o) });
}

/** Starts a year run in the background (console): returns the job id at once; follow it with getJob. Without parameters in force it is refused before any job starts. */
export async function startPayYear(db: Db, actor: Actor, o: RunOptions): Promise<{ job_id: string; done: Promise<RunSummary | null> }> {
  check(actor, o);
  await paramsInForce(db, { admdvs: o.admdvs, pay_type: o.pay_type, setl_year: o.year }); // no parameters: refused at once, no job
  const job = await startJob(db, actor, kindOf(o.pay_type), o, { admdvs: o.admdvs, stage: stageOf(o) });
  const done = payYear(db, actor, o, job).then(
    async (r) => {
      await job.finish(r);
      return r;
    },
    async (e: unknown) => {
      await job.fail(e);
      return null;
    },
  );
  return { job_id: job.job_id, done };
}
