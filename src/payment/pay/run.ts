/**
 * A payment year run (年度付费计算) for a region: parameters in force → cases (database or JSONL) → grouping (DRG
 * grouper or DIP catalogue) → weights from the history years (DRG) or the catalogue's scores (DIP) → case points →
 * point values and statements — computed in memory, then written in ONE transaction (pay_run and its rows, with the
 * operation-log row), so a failed run writes nothing. Runs as a long job (platform/jobs.ts) with progress.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
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
import type { DipCatalogue, HistoryCase } from '../dip/types.js';
import { ONE, fixed4, text4 } from './arith.js';
import { settleYear, type Settlement } from './budget.js';
import { dbCases, readCaseFile, regionInstitutions, type Institution } from './cases.js';
import { paramsInForce, rawOf } from './params.js';
import { scoreCase, selectSpecial, stdAmount, type Scored } from './score.js';
import { PAY_TYPE_NAMES, type PayCase, type PayParams, type PayType } from './types.js';
import { cmiOf, drgWeights, yearWeightsFor, type GroupWeight } from './weights.js';

export interface RunOptions {
  pay_type: PayType;
  year: number;
  admdvs: string;
  /** a JSONL case file instead of the database */
  cases?: string;
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

interface CaseOut {
  c: PayCase;
  id: string;
  fixmedins_code: string;
  los: number | null;
  grp_code: string;
  grp_name: string | null;
  grp_stas: string;
  rw: number | null;
  mean: Fen | null;
  scored: Scored;
}

interface Computed {
  params: PayParams;
  param_begndate: string;
  weight_src: string;
  overall_mean: Fen | null;
  weights: GroupWeight[];
  out: CaseOut[];
  insts: Map<string, Institution>;
  settlement: Settlement;
  warnings: string[];
}

const yearOf = (d: string) => Number(d.slice(0, 4));

async function compute(db: Db, o: RunOptions, job: JobHandle): Promise<Computed> {
  const { version, params: p } = await paramsInForce(db, { admdvs: o.admdvs, pay_type: o.pay_type, setl_year: o.year });
  const warnings: string[] = [];
  let yw = yearWeightsFor(o.year, p);
  const years = new Set([o.year, ...Object.keys(yw).map(Number)]);
  await job.progress({ stage: '读取病例' }, true);
  const insts = await regionInstitutions(db, o.admdvs);
  const all: PayCase[] = [];
  if (o.cases) {
    for (const c of await readCaseFile(o.cases)) if (years.has(yearOf(c.dscg_date))) all.push(c);
  } else {
    const from = `${Math.min(...years)}-01-01`;
    for await (const c of dbCases(db, o.admdvs, from, `${o.year}-12-31`)) if (years.has(yearOf(c.dscg_date))) all.push(c);
  }
  const current = all.filter((c) => yearOf(c.dscg_date) === o.year);
  if (!current.length) throw validationError(`区划 ${o.admdvs} ${o.year} 年度没有可付费的住院病例${o.cases ? `（文件 ${o.cases}）` : '（已提交的结算清单）'}`);
  if (!all.some((c) => yw[String(yearOf(c.dscg_date))] !== undefined)) {
    warnings.push(`历史年度 ${Object.keys(yw).join('、')} 没有病例，权重改按 ${o.year} 年度本身的病例计算`);
    yw = { [String(o.year)]: 1 };
  }
  for (const c of current) if (c.hosp_lv === null) c.hosp_lv = insts.get(c.fixmedins_code)?.hosp_lv ?? null;
  await job.progress({ stage: '分组', total: all.length, done: 0 }, true);
  const coefOf = (lv: string | null) => (lv !== null && p.level_coef[lv] !== undefined ? p.level_coef[lv] : ONE);

  let out: CaseOut[];
  let weights: GroupWeight[];
  let overall: Fen | null;
  let weight_src: string;
  if (o.pay_type === 'drg') {
    const g = drgGrouper(p.drg_version, { trace: false });
    const grouped = new Map<string, { status: string; drg: string; name: string | null }>();
    let done = 0;
    for (const c of all) {
      const r = g.group(c.drg, { trace: false });
      grouped.set(c.id, { status: r.status, drg: r.drg, name: r.drg_name });
      if (++done % 1000 === 0) await job.progress({ done });
    }
    const hist = all.filter((c) => grouped.get(c.id)!.status === 'grouped').map((c) => ({ grp: grouped.get(c.id)!.drg, name: grouped.get(c.id)!.name, cost: c.cost, year: yearOf(c.dscg_date) }));
    const w = drgWeights(hist, yw, p);
    overall = w.overall_mean;
    weights = [...w.weights.values()];
    weight_src = `${p.drg_version}，历史年度权重 ${JSON.stringify(yw)}`;
    out = current.map((c) => {
      const r = grouped.get(c.id)!;
      const gw = r.status === 'grouped' ? w.weights.get(r.drg) : undefined;
      const why = r.status !== 'grouped' ? (r.status === 'QY' ? '歧义病案（QY）' : r.status === '0000' ? '无法入组（0000）' : `分组未成功（${r.status}）`) : `${r.drg} 没有历史权重`;
      const scored = scoreCase({ cost: c.cost, los: c.los, base: gw ? gw.rw * p.scale : null, mean: gw?.mean_cost ?? null, coef: coefOf(c.hosp_lv), why }, p, overall);
      return { c, id: c.id, fixmedins_code: c.fixmedins_code, los: c.los, grp_code: r.drg, grp_name: r.name, grp_stas: r.status, rw: gw ? gw.rw : null, mean: gw?.mean_cost ?? null, scored };
    });
  } else {
    const { catalogue, src } = await dipCatalogueFor(db, o, p, all, yw);
    weight_src = src;
    const grouper = new DipGrouper(catalogue);
    const byCode = new Map(catalogue.groups.map((x) => [x.dip_code, x]));
    overall = catalogue.overall_mean ?? (current.length ? Math.round(current.reduce((s, c) => s + c.cost, 0) / current.length) : null);
    weights = catalogue.groups.map((x) => ({ grp_code: x.dip_code, grp_name: x.dip_name, hist_cnt: x.case_cnt, kept_cnt: x.case_cnt, mean_cost: x.mean_cost, rw: Math.round(x.rw * ONE) }));
    let done = 0;
    out = [];
    for (const c of current) {
      const r = c.dip ? grouper.group({ ...c.dip, cost: c.cost }) : null;
      const grp = r?.dip_code ? byCode.get(r.dip_code) : undefined;
      const base = grp && r?.case_score !== null && r?.case_score !== undefined ? Math.round(r.case_score * ONE) : null;
      const why = !r ? '没有主要诊断' : r.status === 'unmatched' ? '空白病组' : r.status === 'invalid' ? '主要诊断无效' : '未入组';
      const scored = scoreCase({ cost: c.cost, los: c.los, base, mean: grp?.mean_cost ?? null, coef: coefOf(c.hosp_lv), why }, p, overall);
      out.push({ c, id: c.id, fixmedins_code: c.fixmedins_code, los: c.los, grp_code: r?.dip_code ?? '', grp_name: r?.dip_name ?? null, grp_stas: r?.status ?? 'invalid', rw: grp ? Math.round(grp.rw * ONE) : null, mean: grp?.mean_cost ?? null, scored });
      if (++done % 1000 === 0) await job.progress({ done });
    }
  }
  selectSpecial(out, p);
  await job.progress({ stage: '计算点值与清算', done: all.length }, true);
  const penalties = await penaltiesOf(db, [...new Set(current.map((c) => c.fixmedins_code))], o.year);
  const settlement = settleYear(
    out.map((x) => ({ fixmedins_code: x.fixmedins_code, month: Number(x.c.dscg_date.slice(5, 7)), psn_pay: x.c.psn_pay, cost: x.c.cost, points: x.scored.points, case_type: x.scored.case_type, rw: x.scored.case_type === 'ungrouped' ? null : x.rw })),
    p,
    penalties,
  );
  if (settlement.points <= 0) throw validationError('全部病例的点数合计为 0，无法计算点值');
  return { params: p, param_begndate: version.begndate, weight_src, overall_mean: overall, weights, out, insts, settlement, warnings };
}

/** The DIP catalogue: the one named in the parameters, else the published one in force, else built from the history. */
async function dipCatalogueFor(db: Db, o: RunOptions, p: PayParams, all: PayCase[], yw: Record<string, number>): Promise<{ catalogue: DipCatalogue; src: string }> {
  if (p.dip_cat_ver) return { catalogue: await loadDipCatalogue(db, p.dip_cat_ver), src: `DIP 目录 ${p.dip_cat_ver}` };
  const inForce = await dipCatalogueInForce(db, o.admdvs, `${o.year}-12-31`);
  if (inForce) return { catalogue: inForce, src: `DIP 目录 ${inForce.info.cat_ver}（${o.year}-12-31 生效）` };
  const hist: HistoryCase[] = all.filter((c) => c.dip && yw[String(yearOf(c.dscg_date))] !== undefined).map((c) => ({ ...c.dip!, id: c.id, cost: c.cost, year: yearOf(c.dscg_date) }));
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

async function write(db: Db, actor: Actor, o: RunOptions, job_id: string | null, x: Computed): Promise<RunSummary> {
  const s = x.settlement;
  const run_id = formatDatedId(o.admdvs, new Date(), await nextSerial(db, 'general'));
  const caseLv = new Map(x.out.map((c) => [c.fixmedins_code, c.c.hosp_lv]));
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
  await db.k.transaction().execute(async (trx) => {
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
        case_cnt: x.out.length,
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
    await chunks(x.out, (part) =>
      trx
        .insertInto('pay_case')
        .values(
          part.map((c) => ({
            run_id,
            case_id: c.id,
            fixmedins_code: c.fixmedins_code,
            setl_month: Number(c.c.dscg_date.slice(5, 7)),
            grp_code: c.grp_code,
            grp_name: c.grp_name,
            grp_stas: c.grp_stas,
            case_type: c.scored.case_type,
            base_points: text4(c.scored.base),
            coef: text4(c.scored.coef),
            factor: text4(c.scored.factor),
            points: text4(c.scored.points),
            mean_cost: c.mean === null ? null : fenToYuan(c.mean),
            medfee_sumamt: fenToYuan(c.c.cost),
            psn_pay: fenToYuan(c.c.psn_pay),
            std_amt: fenToYuan(c.scored.std_amt),
            reason: c.scored.reason,
          })),
        )
        .execute(),
    );
    await trx.insertInto('pay_month').values(s.months.map((m) => ({ run_id, setl_month: m.setl_month, case_cnt: m.case_cnt, points: text4(m.points), pool: fenToYuan(m.pool), point_value: m.point_value }))).execute();
    await chunks(stmts, (part) => trx.insertInto('pay_stmt').values(part).execute());
    await chunks(s.prepays, (part) => trx.insertInto('pay_prepay').values(part.map((r) => ({ run_id, fixmedins_code: r.fixmedins_code, setl_month: r.setl_month, points: text4(r.points), amount_due: fenToYuan(r.amount_due), psn_pay: fenToYuan(r.psn_pay), prepaid: fenToYuan(r.prepaid) }))).execute());
    await recordOperation(trx, actor, { action: `pay.run.${o.pay_type}`, target_type: 'pay_run', target_id: run_id, admdvs: o.admdvs, after: { setl_year: o.year, source: o.cases ?? 'db', case_cnt: x.out.length, pool: fenToYuan(s.pool), point_value: s.point_value } });
  });
  return {
    run_id,
    job_id,
    pay_type: o.pay_type,
    admdvs: o.admdvs,
    setl_year: o.year,
    case_cnt: x.out.length,
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
export async function payYear(db: Db, actor: Actor, o: RunOptions, job: JobHandle): Promise<RunSummary> {
  check(actor, o);
  const x = await compute(db, o, job);
  await job.progress({ stage: '写入结算单' }, true);
  return write(db, actor, o, job.job_id, x);
}

const kindOf = (t: PayType) => `pay-${t}`;
const stageOf = (o: RunOptions) => `${o.year} 年度 ${PAY_TYPE_NAMES[o.pay_type]} 付费计算`;

/** Runs a year to the end (CLI): the job records progress and the summary. */
export function runPayYear(db: Db, actor: Actor, o: RunOptions, onJob?: (job_id: string) => void): Promise<RunSummary> {
  check(actor, o);
  return runJob(db, actor, kindOf(o.pay_type), o, (job) => {
    onJob?.(job.job_id);
    return payYear(db, actor, o, job);
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
