/**
 * Rule-quality metrics (规则质量评价), one SQL aggregate per family, grouped by any of rule, institution and month
 * (Beijing), filtered by period, rule, institution and the reader's areas:
 *   activity    规则活跃度 — evaluations (audit_eval.rules_run), hit evaluations and warnings (audit_warn_rslt),
 *               activity = hit evaluations / evaluations, last hit
 *   review      响应精准性 — suspects (audit_suspect) and their outcome in the review workflow: reviewed = confirmed
 *               + excluded, precision = confirmed / reviewed, overturned on appeal, amounts suspected / confirmed /
 *               to recover / recovered
 *   compliance  事前提醒遵从率 — warnings shown, dispositions (3103), complied = warn_dspo_way 1 采纳修改,
 *               rate = complied / warnings
 *   latency     analysis duration (audit_eval.ana_dura, ms): p50 / p95 / p99 / max per group (+ trig_scen)
 * Ratios are null when their denominator is 0. Amounts are summed in SQL (numeric) and leave as yuan numbers.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../platform/db.js';
import { validationError } from '../../platform/errors.js';
import { yuanOut } from '../cases/read-helpers.js';
import { beijingDayEnd, beijingDayStart } from '../../platform/time.js';

export const METRIC_DIMS = ['rule_id', 'fixmedins_code', 'month'] as const;
export type MetricDim = (typeof METRIC_DIMS)[number];

export interface MetricFilter {
  /** Beijing dates, inclusive. */
  from?: string;
  to?: string;
  rule_id?: string;
  fixmedins_code?: string;
  /** Group by these, in this order (none = one total row). */
  by?: MetricDim[];
  /** The reader's area prefixes ('9901'); empty = every area. */
  prefixes?: readonly string[];
}

type Row = Record<string, unknown>;

const ratio = (num: number, den: number) => (den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null);
const int = (v: unknown) => Number(v ?? 0);
const yuan = (v: unknown) => yuanOut(v ?? '0')!;

function dims(f: MetricFilter, cols: Record<MetricDim, string>): { select: RawBuilder<unknown>; group: RawBuilder<unknown>; order: RawBuilder<unknown>; names: MetricDim[] } {
  const names = [...new Set(f.by ?? [])];
  for (const d of names) if (!METRIC_DIMS.includes(d)) throw validationError(`不支持的分组维度：${String(d)}（可选：rule_id、fixmedins_code、month）`, [{ field: 'by', message: '分组维度无效' }]);
  if (!names.length) return { select: sql``, group: sql``, order: sql``, names };
  const exprs = names.map((d) => sql.raw(cols[d]));
  return {
    select: sql`${sql.join(names.map((d, i) => sql`${exprs[i]} as ${sql.ref(d)}`))},`,
    group: sql`group by ${sql.join(exprs)}`,
    order: sql`order by ${sql.join(exprs)}`,
    names,
  };
}

const monthOf = (col: string) => `to_char((${col} at time zone 'UTC') + interval '8 hours', 'YYYY-MM')`;

/** Conditions on a time column, a rule column, an institution column and (for area scope) an admdvs expression. */
function where(f: MetricFilter, c: { time: string; rule?: string; inst: string; admdvs: string }): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (f.from) parts.push(sql`${sql.raw(c.time)} >= ${beijingDayStart(f.from)}`);
  if (f.to) parts.push(sql`${sql.raw(c.time)} < ${beijingDayEnd(f.to)}`);
  if (f.rule_id && c.rule) parts.push(sql`${sql.raw(c.rule)} = ${f.rule_id}`);
  if (f.fixmedins_code) parts.push(sql`${sql.raw(c.inst)} = ${f.fixmedins_code}`);
  if (f.prefixes?.length) parts.push(sql`(${sql.join(f.prefixes.map((p) => sql`${sql.raw(c.admdvs)} like ${`${p}%`}`), sql` or `)})`);
  return sql.join(parts, sql` and `);
}

/** The area of an institution code (eval and warning rows carry the code only); any version counts. */
const instArea = (col: string) => `coalesce((select max(f.admdvs) from fixmedins f where f.fixmedins_code = ${col}), '')`;

const pick = (r: Row, names: MetricDim[]) => Object.fromEntries(names.map((d) => [d, r[d]]));

/** 规则活跃度. */
export async function ruleActivity(db: Db, f: MetricFilter) {
  const d = dims(f, { rule_id: 'r.rule_id', fixmedins_code: 'r.fixmedins_code', month: monthOf('r.reqt_time') });
  const res = await sql<Row>`
    with r as (
      select e.eval_id, e.fixmedins_code, e.reqt_time, x.rule_id
      from audit_eval e cross join lateral unnest(string_to_array(e.rules_run, ',')) as x(rule_id)
      where ${where(f, { time: 'e.reqt_time', inst: 'e.fixmedins_code', admdvs: instArea('e.fixmedins_code') })} and x.rule_id <> ''
    ), h as (
      select w.eval_id, w.rule_id, count(*) as n, max(w.reqt_time) as last_hit from audit_warn_rslt w group by w.eval_id, w.rule_id
    )
    select ${d.select} count(*)::int8 as evaluations, count(h.eval_id)::int8 as hit_evals, coalesce(sum(h.n), 0)::int8 as warnings, max(h.last_hit) as last_hit
    from r left join h on h.eval_id = r.eval_id and h.rule_id = r.rule_id
    where ${f.rule_id ? sql`r.rule_id = ${f.rule_id}` : sql`true`}
    ${d.group} ${d.order}`.execute(db.k);
  return res.rows.map((r) => ({
    ...pick(r, d.names),
    evaluations: int(r.evaluations),
    hits: int(r.hit_evals),
    warnings: int(r.warnings),
    activity: ratio(int(r.hit_evals), int(r.evaluations)),
    last_hit: r.last_hit ? (r.last_hit as Date).toISOString() : null,
  }));
}

/** 响应精准性 and amounts, from suspects and the review workflow. */
export async function reviewOutcomes(db: Db, f: MetricFilter) {
  const d = dims(f, { rule_id: 's.rule_id', fixmedins_code: 's.fixmedins_code', month: monthOf('s.crte_time') });
  const res = await sql<Row>`
    with up as (
      select distinct h.case_id from audit_case_hist h where h.action = 'investigate' and h.to_stas = '90'
    ), rc as (
      select suspect_id, sum(amt) as amt, sum(case when rcv_stas = '1' then amt else 0 end) as done from audit_case_rcv group by suspect_id
    )
    select ${d.select}
      count(*)::int8 as suspects,
      count(*) filter (where s.stas = '1')::int8 as in_review,
      count(*) filter (where s.stas = '2')::int8 as confirmed,
      count(*) filter (where s.stas = '3')::int8 as excluded,
      count(up.case_id)::int8 as appeal_upheld,
      coalesce(sum(s.vola_amt), 0) as suspected_amt,
      coalesce(sum(cs.cnfm_amt) filter (where cs.rslt = '2'), 0) as confirmed_amt,
      coalesce(sum(rc.amt), 0) as rcv_amt,
      coalesce(sum(rc.done), 0) as recovered_amt
    from audit_suspect s
      left join audit_case_suspect cs on cs.suspect_id = s.suspect_id
      left join up on up.case_id = cs.case_id
      left join rc on rc.suspect_id = s.suspect_id
    where ${where(f, { time: 's.crte_time', rule: 's.rule_id', inst: 's.fixmedins_code', admdvs: 's.admdvs' })}
    ${d.group} ${d.order}`.execute(db.k);
  return res.rows.map((r) => {
    const reviewed = int(r.confirmed) + int(r.excluded);
    return {
      ...pick(r, d.names),
      suspects: int(r.suspects),
      in_review: int(r.in_review),
      reviewed,
      confirmed: int(r.confirmed),
      excluded: int(r.excluded),
      precision: ratio(int(r.confirmed), reviewed),
      appeal_upheld: int(r.appeal_upheld),
      /** 误判率: overturned on appeal / flagged. */
      misjudge_rate: ratio(int(r.appeal_upheld), int(r.suspects)),
      suspected_amt: yuan(r.suspected_amt),
      confirmed_amt: yuan(r.confirmed_amt),
      rcv_amt: yuan(r.rcv_amt),
      recovered_amt: yuan(r.recovered_amt),
    };
  });
}

/** 事前提醒遵从率. */
export async function warnCompliance(db: Db, f: MetricFilter) {
  const d = dims(f, { rule_id: 'w.rule_id', fixmedins_code: 'w.fixmedins_code', month: monthOf('w.reqt_time') });
  const res = await sql<Row>`
    select ${d.select}
      count(*)::int8 as warnings,
      count(w.warn_dspo_way)::int8 as disposed,
      count(*) filter (where w.warn_dspo_way = '1')::int8 as complied,
      count(*) filter (where w.warn_dspo_way = '2')::int8 as insisted,
      count(*) filter (where w.warn_dspo_way = '3')::int8 as acknowledged
    from audit_warn_rslt w
    where ${where(f, { time: 'w.reqt_time', rule: 'w.rule_id', inst: 'w.fixmedins_code', admdvs: instArea('w.fixmedins_code') })}
    ${d.group} ${d.order}`.execute(db.k);
  return res.rows.map((r) => ({
    ...pick(r, d.names),
    warnings: int(r.warnings),
    disposed: int(r.disposed),
    complied: int(r.complied),
    insisted: int(r.insisted),
    acknowledged: int(r.acknowledged),
    compliance_rate: ratio(int(r.complied), int(r.warnings)),
  }));
}

/** Analysis latency percentiles (ms) per group and trigger scene; by rule it is the latency of evaluations that ran the rule. */
export async function latency(db: Db, f: MetricFilter) {
  const d = dims(f, { rule_id: 'x.rule_id', fixmedins_code: 'e.fixmedins_code', month: monthOf('e.reqt_time') });
  const byRule = d.names.includes('rule_id') || !!f.rule_id;
  const res = await sql<Row>`
    select ${d.select} coalesce(e.trig_scen, '') as trig_scen, count(*)::int8 as evaluations,
      percentile_cont(0.5) within group (order by e.ana_dura) as p50,
      percentile_cont(0.95) within group (order by e.ana_dura) as p95,
      percentile_cont(0.99) within group (order by e.ana_dura) as p99,
      max(e.ana_dura) as max
    from audit_eval e ${byRule ? sql`cross join lateral unnest(string_to_array(e.rules_run, ',')) as x(rule_id)` : sql``}
    where ${where(f, { time: 'e.reqt_time', rule: byRule ? 'x.rule_id' : undefined, inst: 'e.fixmedins_code', admdvs: instArea('e.fixmedins_code') })}
    group by ${sql.join([...d.names.map((n) => sql.raw(n === 'rule_id' ? 'x.rule_id' : n === 'fixmedins_code' ? 'e.fixmedins_code' : monthOf('e.reqt_time'))), sql.raw(`coalesce(e.trig_scen, '')`)])}
    order by ${sql.join([...d.names.map((n) => sql.ref(n)), sql.ref('trig_scen')])}`.execute(db.k);
  const ms = (v: unknown) => Math.round(Number(v) * 1000) / 1000;
  return res.rows.map((r) => ({ ...pick(r, d.names), trig_scen: r.trig_scen, evaluations: int(r.evaluations), p50: ms(r.p50), p95: ms(r.p95), p99: ms(r.p99), max: ms(r.max) }));
}

export const METRIC_FAMILIES = { activity: ruleActivity, review: reviewOutcomes, compliance: warnCompliance, latency } as const;
export type MetricFamily = keyof typeof METRIC_FAMILIES;
