/**
 * 运行监测 aggregates, computed in SQL over the settlement, fund and audit tables (never rows to the browser):
 * today / month / year settlement counts and amounts, fund payments by fund type, by insurance type, by
 * institution level, the top institutions, the monthly trend of the last 12 months, average cost per visit and
 * per stay, and the audit side (3101/3102 evaluations, warnings, suspects). All within the user's scope (see
 * settlements.ts for what a settlement's area is). Only valid settlements count (a reversed settlement and its
 * reversal cancel out, so the figures are net). Amounts are yuan as numeric text with 2 decimals.
 *
 * DRG CMI is not here: no table holds DRG group results with weights yet (the grouper runs from the CLI); the
 * answer carries `drg: null` until one does.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../platform/db.js';
import type { Scope } from '../auth/scope.js';
import { institutionScopeSql, setlScopeSql } from './settlements.js';
import { beijingDayEnd, beijingDayStart } from '../../platform/time.js';

/** Yuan text with exactly two decimals (the same on PGlite and PostgreSQL). */
const yuan = (expr: RawBuilder<unknown>) => sql<string>`coalesce(${expr}, 0)::numeric(18,2)::text`;
const VALID = sql`s.refd_setl_flag = '0' and s.vali_flag = '1'`;

export interface DashboardPeriods {
  on: string;
  today: Date;
  month: Date;
  year: Date;
  end: Date;
  /** First day of the month eleven months before `on`'s month (trend start). */
  trend: Date;
}

export function periodsOf(on: string): DashboardPeriods {
  const y = Number(on.slice(0, 4));
  const m = Number(on.slice(5, 7));
  const trendY = m === 12 ? y : y - 1;
  const trendM = m === 12 ? 1 : m + 1;
  return {
    on,
    today: beijingDayStart(on),
    month: beijingDayStart(`${on.slice(0, 7)}-01`),
    year: beijingDayStart(`${on.slice(0, 4)}-01-01`),
    end: beijingDayEnd(on),
    trend: beijingDayStart(`${trendY}-${String(trendM).padStart(2, '0')}-01`),
  };
}

/** The twelve months of the trend ('yyyy-MM'), oldest first. */
export function trendMonths(on: string): string[] {
  const out: string[] = [];
  let y = Number(on.slice(0, 4));
  let m = Number(on.slice(5, 7));
  for (let i = 0; i < 12; i++) {
    out.unshift(`${y}-${String(m).padStart(2, '0')}`);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out;
}

export async function dashboard(db: Db, scope: Scope, on: string, opts: { top?: number } = {}) {
  const p = periodsOf(on);
  const inScope = setlScopeSql(scope, 's');
  const inYear = sql`s.setl_time >= ${p.year} and s.setl_time < ${p.end}`;
  const run = async <T>(q: RawBuilder<T>) => (await q.execute(db.k)).rows;

  const summary = (
    await run(sql<Record<string, string | number>>`
      select
        count(*) filter (where s.setl_time >= ${p.today})::int8 as today_cnt,
        ${yuan(sql`sum(s.medfee_sumamt) filter (where s.setl_time >= ${p.today})`)} as today_medfee,
        ${yuan(sql`sum(s.fund_pay_sumamt) filter (where s.setl_time >= ${p.today})`)} as today_fund,
        count(*) filter (where s.setl_time >= ${p.month})::int8 as month_cnt,
        ${yuan(sql`sum(s.medfee_sumamt) filter (where s.setl_time >= ${p.month})`)} as month_medfee,
        ${yuan(sql`sum(s.fund_pay_sumamt) filter (where s.setl_time >= ${p.month})`)} as month_fund,
        count(*)::int8 as year_cnt,
        ${yuan(sql`sum(s.medfee_sumamt)`)} as year_medfee,
        ${yuan(sql`sum(s.fund_pay_sumamt)`)} as year_fund,
        ${yuan(sql`sum(s.acct_pay + s.acct_mulaid_pay)`)} as year_acct,
        ${yuan(sql`sum(s.psn_cash_pay)`)} as year_cash
      from setl s
      where ${VALID} and ${inYear} and ${inScope}`)
  )[0]!;
  const period = (k: 'today' | 'month' | 'year') => ({ setl_cnt: Number(summary[`${k}_cnt`]), medfee_sumamt: String(summary[`${k}_medfee`]), fund_pay_sumamt: String(summary[`${k}_fund`]) });

  const [byFund, byInsutype, byHospLv, topInst, trend, avgCost, audit, suspects] = await Promise.all([
    run(sql<{ fund_pay_type: string; fund_pay_type_name: string; fund_payamt: string }>`
      select d.fund_pay_type, min(d.fund_pay_type_name) as fund_pay_type_name, ${yuan(sql`sum(d.fund_payamt)`)} as fund_payamt
      from setl_fund d join setl s on s.setl_id = d.setl_id
      where ${VALID} and ${inYear} and ${inScope}
      group by d.fund_pay_type order by sum(d.fund_payamt) desc, d.fund_pay_type`),
    run(sql<{ insutype: string; setl_cnt: number; medfee_sumamt: string; fund_pay_sumamt: string }>`
      select s.insutype, count(*)::int8 as setl_cnt, ${yuan(sql`sum(s.medfee_sumamt)`)} as medfee_sumamt, ${yuan(sql`sum(s.fund_pay_sumamt)`)} as fund_pay_sumamt
      from setl s where ${VALID} and ${inYear} and ${inScope}
      group by s.insutype order by s.insutype`),
    run(sql<{ fixmedins_type: string; hosp_lv: string; setl_cnt: number; medfee_sumamt: string; fund_pay_sumamt: string }>`
      select coalesce(i.fixmedins_type, '1') as fixmedins_type, coalesce(i.hosp_lv, '9') as hosp_lv, count(*)::int8 as setl_cnt,
             ${yuan(sql`sum(s.medfee_sumamt)`)} as medfee_sumamt, ${yuan(sql`sum(s.fund_pay_sumamt)`)} as fund_pay_sumamt
      from setl s
      left join lateral (select f.fixmedins_type, f.hosp_lv from fixmedins f where f.fixmedins_code = s.fixmedins_code order by f.begndate desc limit 1) i on true
      where ${VALID} and ${inYear} and ${inScope}
      group by 1, 2 order by 1, 2`),
    run(sql<{ fixmedins_code: string; fixmedins_name: string | null; hosp_lv: string | null; setl_cnt: number; medfee_sumamt: string; fund_pay_sumamt: string }>`
      select t.*, i.fixmedins_name, i.hosp_lv from (
        select s.fixmedins_code, count(*)::int8 as setl_cnt, ${yuan(sql`sum(s.medfee_sumamt)`)} as medfee_sumamt,
               ${yuan(sql`sum(s.fund_pay_sumamt)`)} as fund_pay_sumamt, sum(s.fund_pay_sumamt) as fund_sort
        from setl s where ${VALID} and ${inYear} and ${inScope}
        group by s.fixmedins_code order by sum(s.fund_pay_sumamt) desc, s.fixmedins_code limit ${opts.top ?? 10}
      ) t
      left join lateral (select f.fixmedins_name, f.hosp_lv from fixmedins f where f.fixmedins_code = t.fixmedins_code order by f.begndate desc limit 1) i on true
      order by t.fund_sort desc, t.fixmedins_code`),
    run(sql<{ ym: string; setl_cnt: number; medfee_sumamt: string; fund_pay_sumamt: string }>`
      select to_char(s.setl_time at time zone 'Asia/Shanghai', 'YYYY-MM') as ym, count(*)::int8 as setl_cnt,
             ${yuan(sql`sum(s.medfee_sumamt)`)} as medfee_sumamt, ${yuan(sql`sum(s.fund_pay_sumamt)`)} as fund_pay_sumamt
      from setl s where ${VALID} and s.setl_time >= ${p.trend} and s.setl_time < ${p.end} and ${inScope}
      group by 1 order by 1`),
    run(sql<{ ipt_otp_flag: string; setl_cnt: number; avg_medfee: string; avg_fund: string }>`
      select m.ipt_otp_flag, count(*)::int8 as setl_cnt,
             ${yuan(sql`round(sum(s.medfee_sumamt) / count(*), 2)`)} as avg_medfee,
             ${yuan(sql`round(sum(s.fund_pay_sumamt) / count(*), 2)`)} as avg_fund
      from setl s join mdtrt m on m.mdtrt_id = s.mdtrt_id
      where ${VALID} and ${inYear} and ${inScope}
      group by m.ipt_otp_flag order by m.ipt_otp_flag`),
    run(sql<{ eval_cnt: number; eval_hit_cnt: number; warn_cnt: number; warn_vola_amt: string }>`
      select
        (select count(*) from audit_eval e where e.reqt_time >= ${p.year} and e.reqt_time < ${p.end} and ${institutionScopeSql(scope, 'e')})::int8 as eval_cnt,
        (select count(*) from audit_eval e where e.reqt_time >= ${p.year} and e.reqt_time < ${p.end} and e.hit_cnt > 0 and ${institutionScopeSql(scope, 'e')})::int8 as eval_hit_cnt,
        (select count(*) from audit_warn_rslt w where w.reqt_time >= ${p.year} and w.reqt_time < ${p.end} and ${institutionScopeSql(scope, 'w')})::int8 as warn_cnt,
        ${yuan(sql`(select sum(w.vola_amt) from audit_warn_rslt w where w.reqt_time >= ${p.year} and w.reqt_time < ${p.end} and ${institutionScopeSql(scope, 'w')})`)} as warn_vola_amt`),
    run(sql<{ stas: string; suspect_cnt: number; vola_amt: string }>`
      select a.stas, count(*)::int8 as suspect_cnt, ${yuan(sql`sum(a.vola_amt)`)} as vola_amt
      from audit_suspect a
      where a.crte_time >= ${p.year} and a.crte_time < ${p.end} and ${suspectScopeSql(scope)}
      group by a.stas order by a.stas`),
  ]);

  const byMonth = new Map(trend.map((t) => [t.ym, t]));
  const a = audit[0]!;
  return {
    on,
    today: period('today'),
    month: period('month'),
    year: { ...period('year'), acct_pay: String(summary.year_acct), psn_cash_pay: String(summary.year_cash) },
    by_fund: byFund,
    by_insutype: byInsutype.map((r) => ({ ...r, setl_cnt: Number(r.setl_cnt) })),
    by_hosp_lv: byHospLv.map((r) => ({ ...r, setl_cnt: Number(r.setl_cnt) })),
    top_institutions: topInst.map(({ fixmedins_code, fixmedins_name, hosp_lv, setl_cnt, medfee_sumamt, fund_pay_sumamt }) => ({ fixmedins_code, fixmedins_name, hosp_lv, setl_cnt: Number(setl_cnt), medfee_sumamt, fund_pay_sumamt })),
    trend: trendMonths(on).map((ym) => {
      const t = byMonth.get(ym);
      return { ym, setl_cnt: Number(t?.setl_cnt ?? 0), medfee_sumamt: t?.medfee_sumamt ?? '0.00', fund_pay_sumamt: t?.fund_pay_sumamt ?? '0.00' };
    }),
    avg_cost: (['1', '2'] as const).map((flag) => {
      const r = avgCost.find((x) => x.ipt_otp_flag === flag);
      return { ipt_otp_flag: flag, setl_cnt: Number(r?.setl_cnt ?? 0), avg_medfee: r?.avg_medfee ?? '0.00', avg_fund: r?.avg_fund ?? '0.00' };
    }),
    audit: {
      eval_cnt: Number(a.eval_cnt),
      eval_hit_cnt: Number(a.eval_hit_cnt),
      warn_cnt: Number(a.warn_cnt),
      warn_vola_amt: a.warn_vola_amt,
      suspects: suspects.map((r) => ({ ...r, suspect_cnt: Number(r.suspect_cnt) })),
    },
    drg: null,
  };
}

/** audit_suspect carries its institution's area itself. */
function suspectScopeSql(scope: Scope): RawBuilder<boolean> {
  if (scope.fixmedins_code) return sql<boolean>`a.fixmedins_code = ${scope.fixmedins_code}`;
  if (!scope.prefixes.length) return sql<boolean>`true`;
  return sql<boolean>`(${sql.join(
    scope.prefixes.map((p) => sql`a.admdvs like ${`${p}%`}`),
    sql` or `,
  )})`;
}
