/**
 * Reading the results of year runs for the console and the CLI: runs of a region and year (the latest one is the
 * statement in force), statements with monthly pre-payments, CMI and RW distribution by hospital, cost vs payment per
 * group or hospital, outlier lists and the monthly point values. Read-only; area scoping is the caller's (routes).
 * Amounts stay decimal strings as SQL numeric gives them; estimated payment per group = Σ points × point value in SQL
 * numeric, rounded to the fen (display only: the statement amounts are apportioned, see budget.ts).
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { toQ4 } from '../../platform/decimal.js';
import { fixed4 } from './arith.js';
import type { CaseType, PayType } from './types.js';

export interface RunFilter {
  admdvs?: string;
  /** area prefixes the reader covers; empty = all */
  prefixes?: string[];
  pay_type?: PayType;
  setl_year?: number;
  limit?: number;
}

export async function listRuns(db: Db, f: RunFilter = {}) {
  let q = db.k.selectFrom('pay_run').select(['run_id', 'job_id', 'pay_type', 'admdvs', 'setl_year', 'source', 'case_cnt', 'budget', 'pool', 'points', 'point_value', 'psn_pay', 'penalty', 'weight_src', 'opter_name', 'crte_time']);
  if (f.admdvs) q = q.where('admdvs', '=', f.admdvs);
  if (f.pay_type) q = q.where('pay_type', '=', f.pay_type);
  if (f.setl_year) q = q.where('setl_year', '=', f.setl_year);
  if (f.prefixes?.length) {
    const ps = f.prefixes;
    q = q.where((eb) => eb.or(ps.map((p) => eb('admdvs', 'like', `${p}%`))));
  }
  return q.orderBy('crte_time', 'desc').orderBy('run_id', 'desc').limit(f.limit ?? 50).execute();
}

export async function getRun(db: Db, run_id: string) {
  const r = await db.k.selectFrom('pay_run').selectAll().where('run_id', '=', run_id).executeTakeFirst();
  if (!r) throw notFound(`付费计算 ${run_id} 不存在`);
  return { ...r, params: typeof r.params === 'string' ? JSON.parse(r.params) : r.params, warnings: typeof r.warnings === 'string' ? JSON.parse(r.warnings) : r.warnings };
}

/** The latest run of a region, type and year (the statement in force). */
export async function latestRun(db: Db, admdvs: string, pay_type: PayType, setl_year: number) {
  const [r] = await listRuns(db, { admdvs, pay_type, setl_year, limit: 1 });
  if (!r) throw notFound(`区划 ${admdvs} ${setl_year} 年度还没有 ${pay_type.toUpperCase()} 付费计算结果`);
  return getRun(db, r.run_id);
}

export async function statements(db: Db, run_id: string) {
  const stmts = await db.k.selectFrom('pay_stmt').selectAll().where('run_id', '=', run_id).orderBy('fixmedins_code').execute();
  const prepays = await db.k.selectFrom('pay_prepay').selectAll().where('run_id', '=', run_id).orderBy('fixmedins_code').orderBy('setl_month').execute();
  return stmts.map((s) => ({ ...s, months: prepays.filter((p) => p.fixmedins_code === s.fixmedins_code).map(({ run_id: _r, fixmedins_code: _f, ...m }) => m) }));
}

export async function months(db: Db, run_id: string) {
  return db.k.selectFrom('pay_month').selectAll().where('run_id', '=', run_id).orderBy('setl_month').execute();
}

const RW_BANDS = [0.5, 1, 1.5, 2, 3, 5];

/** CMI per hospital, and how many of its grouped cases fall in each RW band (<0.5, 0.5–1, … ≥5). */
export async function cmiByHospital(db: Db, run_id: string) {
  const stmts = await db.k.selectFrom('pay_stmt').select(['fixmedins_code', 'fixmedins_name', 'hosp_lv', 'case_cnt', 'grouped_cnt', 'cmi']).where('run_id', '=', run_id).orderBy('fixmedins_code').execute();
  const rows = await sql<{ fixmedins_code: string; band: number; n: number }>`
    select c.fixmedins_code, width_bucket(w.rw, array[${sql.join(RW_BANDS)}]::numeric[]) as band, count(*)::int8 as n
    from pay_case c join pay_weight w on w.run_id = c.run_id and w.grp_code = c.grp_code
    where c.run_id = ${run_id} and c.case_type <> 'ungrouped'
    group by 1, 2`.execute(db.k);
  const labels = ['<0.5', ...RW_BANDS.slice(0, -1).map((b, i) => `${b}–${RW_BANDS[i + 1]}`), `≥${RW_BANDS.at(-1)}`];
  return {
    bands: labels,
    hospitals: stmts.map((s) => ({ ...s, rw_dist: labels.map((_, i) => Number(rows.rows.find((r) => r.fixmedins_code === s.fixmedins_code && Number(r.band) === i)?.n ?? 0)) })),
  };
}

/** Cost vs payment per group (by 'group') or per hospital (by 'hospital'). */
export async function costVsPayment(db: Db, run_id: string, by: 'group' | 'hospital', fixmedins_code?: string) {
  const run = await getRun(db, run_id);
  const key = by === 'group' ? sql.ref('c.grp_code') : sql.ref('c.fixmedins_code');
  const name = by === 'group' ? sql`max(c.grp_name)` : sql`max(s.fixmedins_name)`;
  const inst = fixmedins_code ? sql`and c.fixmedins_code = ${fixmedins_code}` : sql``;
  const rows = await sql<{ code: string; name: string | null; case_cnt: number; medfee_sumamt: string; std_amt: string; points: string; payment: string }>`
    select ${key} as code, ${name} as name, count(*)::int8 as case_cnt, sum(c.medfee_sumamt) as medfee_sumamt, sum(c.std_amt) as std_amt,
           sum(c.points) as points, round(sum(c.points) * ${run.point_value}::numeric, 2) as payment
    from pay_case c left join pay_stmt s on s.run_id = c.run_id and s.fixmedins_code = c.fixmedins_code
    where c.run_id = ${run_id} ${inst}
    group by 1 order by 1`.execute(db.k);
  return { point_value: run.point_value, by, rows: rows.rows.map((r) => ({ ...r, case_cnt: Number(r.case_cnt), medfee_sumamt: String(r.medfee_sumamt), std_amt: String(r.std_amt), points: String(r.points), payment: String(r.payment) })) };
}

/** Cases of one type (high / low / special / ungrouped …), optionally of one institution, dearest relative first. */
export async function outliers(db: Db, run_id: string, f: { case_type?: CaseType; fixmedins_code?: string; page_num?: number; page_size?: number } = {}) {
  const size = f.page_size ?? 20;
  const page = f.page_num ?? 1;
  let q = db.k.selectFrom('pay_case').where('run_id', '=', run_id);
  q = f.case_type ? q.where('case_type', '=', f.case_type) : q.where('case_type', '<>', 'normal');
  if (f.fixmedins_code) q = q.where('fixmedins_code', '=', f.fixmedins_code);
  const total = await q.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirstOrThrow();
  const rows = await q.selectAll().orderBy('case_type').orderBy('factor', 'desc').orderBy('case_id').limit(size).offset((page - 1) * size).execute();
  return { total: Number(total.n), page_num: page, page_size: size, rows };
}

export interface DrgCmi {
  run_id: string;
  admdvs: string;
  setl_year: number;
  case_cnt: number;
  grouped_cnt: number;
  /** Σ RW of the grouped cases (4 decimals), to combine regions exactly */
  sum_rw: string;
  /** Σ RW ÷ grouped cases, 4 decimals; null without grouped cases */
  cmi: string | null;
  point_value: string | null;
  crte_time: Date;
}

/**
 * The case-mix index (CMI) of the latest DRG run of each region of the scope for a year (the statement in force):
 * Σ RW of the run's grouped cases ÷ their number, in SQL numeric, rounded to 4 decimals. `prefixes` empty = all.
 */
export async function latestDrgCmi(db: Db, setl_year: number, prefixes: string[] = []): Promise<DrgCmi[]> {
  const area = prefixes.length ? sql`and (${sql.join(prefixes.map((p) => sql`r.admdvs like ${`${p}%`}`), sql` or `)})` : sql``;
  const rows = await sql<{ run_id: string; admdvs: string; setl_year: number; case_cnt: number; grouped_cnt: number; sum_rw: string; cmi: string | null; point_value: string | null; crte_time: Date }>`
    with latest as (
      select distinct on (r.admdvs) r.run_id, r.admdvs, r.setl_year, r.case_cnt, r.point_value::text as point_value, r.crte_time
      from pay_run r where r.pay_type = 'drg' and r.setl_year = ${setl_year} ${area}
      order by r.admdvs, r.crte_time desc, r.run_id desc)
    select l.*, count(w.rw)::int8 as grouped_cnt, coalesce(sum(w.rw), 0)::text as sum_rw, round(avg(w.rw), 4)::text as cmi
    from latest l
    left join pay_case c on c.run_id = l.run_id and c.case_type <> 'ungrouped'
    left join pay_weight w on w.run_id = c.run_id and w.grp_code = c.grp_code
    group by l.run_id, l.admdvs, l.setl_year, l.case_cnt, l.point_value, l.crte_time
    order by l.admdvs`.execute(db.k);
  return rows.rows.map((r) => ({ ...r, setl_year: Number(r.setl_year), case_cnt: Number(r.case_cnt), grouped_cnt: Number(r.grouped_cnt) }));
}

/** The CMI of several regions' runs together: Σ RW ÷ Σ grouped cases, 4 decimals (exact, from the sums); null without cases. */
export function combinedCmi(runs: readonly Pick<DrgCmi, 'sum_rw' | 'grouped_cnt'>[]): string | null {
  let sum = 0;
  let n = 0;
  for (const r of runs) {
    sum += toQ4(r.sum_rw) ?? 0;
    n += r.grouped_cnt;
  }
  return n ? fixed4(Math.round(sum / n)) : null;
}
