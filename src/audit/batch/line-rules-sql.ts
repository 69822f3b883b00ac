/**
 * The line rules of the rule base (政策类 限性别/年龄/适应症/险种/等级/就医方式/科室、目录外, 管理类 收费跨期/超标准收费/
 * 医师资格/住院天数超计费, 医疗类 药品与诊断不符/超量/超剂量/耗材搭配 …) as DuckDB SQL over the line facts of
 * batch/line-facts.ts, for the 事后 batch: the same rule ids, the same parameter schemas (the real-time
 * implementations'), and the same hits, lines, amounts and text as the real-time logic in src/audit/rules gives
 * for each encounter of the window judged at 事中 — which batch/line-rules.test.ts checks against the engine.
 *
 * A rule's query returns its hit items, one row per fee line involved:
 *   hit (the hit's key within the rule), mdtrt_id, psn_no, facts (JSON text, the same for every item of a hit),
 *   sev (null = the rule's severity), feedetl_id, t ('1' 违规项, '2' 涉及项), excess_fen (the part beyond the limit,
 *   null = the whole line), ord (the items' order in the engine's result).
 * `lineHitQuery` groups them into the runner's hit rows with the amount by the rule's formula, line by line as the
 * engine computes it, and the evidence lines with their amounts. The text comes from the facts (`cont`), word for
 * word the engine's, so the dedup key (encounter | offending lines | text) is the engine path's too: a window run
 * once through the engine and again through SQL writes no suspect twice.
 */
import type { TSchema } from '@sinclair/typebox';
import { fenToYuan } from '../../platform/money.js';
import { RULE_IMPLS } from '../rules/index.js';
import type { RuleDef } from '../rules/types.js';
import { LV_NAME, SCENE_NAME, SEX } from '../rules/util.js';
import { daysBetween, microText, plusDays, q4Text } from '../num.js';
import { lit } from '../snapshot/sql-text.js';
import { anyDiag } from './line-facts.js';
import { evidenceJson, type SuspectRow } from './suspects.js';

type Facts = Record<string, unknown>;

export interface LineCtx {
  from: string;
  to: string;
  today: string;
}

export interface LineRule<P = Record<string, unknown>> {
  rule_id: string;
  /** The real-time implementation's parameter schema. */
  params: TSchema;
  items(p: P, ctx: LineCtx): string;
  cont(f: Facts): string;
  /** Why these parameters need the engine (null: SQL can run them). */
  engineOnly?(p: P): string | null;
}

const implSchema = (rule_id: string): TSchema => {
  const impl = RULE_IMPLS.get(rule_id);
  if (!impl) throw new Error(`规则 ${rule_id} 没有实时实现`);
  return impl.params;
};

const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const lab = (f: Facts): string => `【${s(f.name)}】`;
const yuan = (fen: unknown): string => `${fenToYuan(Number(fen))}元`;
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const codes = (xs: readonly string[]): string => (xs.length ? `[${xs.map(lit).join(', ')}]` : '[]::VARCHAR[]');

const IS_DRUG = `starts_with(list_type, '1')`;
/** The line is left alone when the patient paid it all and the rule judges fund-paid lines only (policy.ts skipPaidByPatient). */
const paid = (fundOnly: boolean) => `not (${fundOnly} and fund_fen = 0)`;
/** One offending line per hit: the common shape of the per-line rules. */
const single = (where: string, facts: string, excess = 'null') => `
    select feedetl_id::VARCHAR as hit, mdtrt_id, psn_no, to_json({name: name, ${facts}})::VARCHAR as facts, null::VARCHAR as sev,
           feedetl_id, '1' as t, (${excess})::BIGINT as excess_fen, 0::BIGINT as ord
      from lx where ${where}`;
const MAIN_DX = `case when main_diag is null then []::VARCHAR[] else [main_diag] end`;

interface FundOnly {
  fund_only: boolean;
}

/** 限性别 (POL-GEN-01 drugs, POL-GEN-02 services and materials). */
function genderRule(rule_id: string, kind: 'drug' | 'service'): LineRule<FundOnly> {
  return {
    rule_id,
    params: implSchema(rule_id),
    items: (p) =>
      single(
        `gend in ('1', '2') and ${kind === 'drug' ? IS_DRUG : `list_type in ('201', '301')`} and lmt_gend is not null and lmt_gend <> gend and ${paid(p.fund_only)}`,
        `g: lmt_gend, gend: gend`,
      ),
    cont: (f) => `${kind === 'drug' ? '药品' : '诊疗项目'}${lab(f)}限${SEX[s(f.g)]}性使用，患者性别为${SEX[s(f.gend)]}`,
  };
}

/** 儿童专用 (POL-AGE-01 drugs, POL-AGE-03 everything else) by the item knowledge's age in years or days. */
function childOnlyRule(rule_id: string, kind: 'drug' | 'service'): LineRule<FundOnly> {
  const age = `case when child_age_unit = 'D' then age_d else age_y end`;
  return {
    rule_id,
    params: implSchema(rule_id),
    items: (p) =>
      single(
        `has_kbi and child_age_max is not null and ${kind === 'drug' ? IS_DRUG : `not ${IS_DRUG}`} and ${paid(p.fund_only)} and ${age} > child_age_max`,
        `max: child_age_max, unit: child_age_unit, age: ${age}`,
      ),
    cont: (f) => {
      const unit = f.unit === 'D' ? '天' : '岁';
      return `${kind === 'drug' ? '药品' : '医疗服务项目'}${lab(f)}为儿童专用（限${s(f.max)}${unit}及以下），患者${s(f.age)}${unit}`;
    },
  };
}

/** Catalogue age bands up to 17 with no lower bound are 限儿童 (policy.ts CHILD_BAND_MAX_AGE). */
const CHILD_BAND = `(${IS_DRUG} and has_lmt and lmt_age_max is not null and lmt_age_max <= 17 and coalesce(lmt_age_min, 0) = 0)`;

const POL_AGE_02: LineRule<FundOnly> = {
  rule_id: 'POL-AGE-02',
  params: implSchema('POL-AGE-02'),
  items: (p) => single(`${CHILD_BAND} and ${paid(p.fund_only)} and age_y > lmt_age_max`, `max: lmt_age_max, age: age_y, fund_fen: fund_fen`),
  cont: (f) => `药品${lab(f)}限儿童（${s(f.max)}岁及以下）使用方可由医保支付，患者${s(f.age)}岁，医保支付范围内金额${yuan(f.fund_fen)}`,
};

const POL_AGE_04: LineRule<FundOnly & { use_exempt_diag: boolean }> = {
  rule_id: 'POL-AGE-04',
  params: implSchema('POL-AGE-04'),
  items: (p) =>
    single(
      `has_lmt and (lmt_age_min is not null or lmt_age_max is not null) and not ${CHILD_BAND} and ${paid(p.fund_only)}
       and ((lmt_age_min is not null and age_y < lmt_age_min) or (lmt_age_max is not null and age_y > lmt_age_max))
       and not (${p.use_exempt_diag} and len(age_exempt_diag) > 0 and ${anyDiag('age_exempt_diag', 'dx')})`,
      `min: lmt_age_min, max: lmt_age_max, age: age_y`,
    ),
  cont: (f) => {
    const band = f.min !== null && f.max !== null ? `${s(f.min)}至${s(f.max)}岁` : f.min !== null ? `${s(f.min)}岁及以上` : `${s(f.max)}岁及以下`;
    return `${lab(f)}限${band}患者使用，患者${s(f.age)}岁`;
  },
};

const POL_SCP_01: LineRule<FundOnly & { main_diag_only: boolean }> = {
  rule_id: 'POL-SCP-01',
  params: implSchema('POL-SCP-01'),
  items: (p) =>
    single(
      `has_lmt and len(lmt_diag) > 0 and ${paid(p.fund_only)} and not ${anyDiag('lmt_diag', p.main_diag_only ? MAIN_DX : 'dx')}`,
      `diag: lmt_diag, memo: lmt_memo, dx: dx`,
    ),
  cont: (f) =>
    `${lab(f)}限定支付范围${f.memo ? `（${s(f.memo)}）` : ''}：诊断须在 ${list(f.diag).join('、')} 范围内，本次诊断为${list(f.dx).length ? list(f.dx).join('、') : '空'}`,
};

/** policy.ts INSUTYPE_NAME (not exported there). */
const INSUTYPE_NAME: Record<string, string> = { '310': '职工基本医疗保险', '390': '城乡居民基本医疗保险', '410': '长期照护保险', '510': '生育保险' };
const insuName = (c: string) => INSUTYPE_NAME[c] ?? `险种${c}`;

// 生育状态 (matn_stas) is not in the snapshot, nor in the requests the engine path builds: no 生育 exemption on either path
const POL_INS_01: LineRule<FundOnly> = {
  rule_id: 'POL-INS-01',
  params: implSchema('POL-INS-01'),
  items: (p) =>
    single(`coalesce(insutype, '') <> '' and has_lmt and len(lmt_insutype) > 0 and not list_contains(lmt_insutype, insutype) and ${paid(p.fund_only)}`, `list: lmt_insutype, insutype: insutype`),
  cont: (f) => `${lab(f)}限${list(f.list).map(insuName).join('、')}支付，本次为${insuName(s(f.insutype))}`,
};

const POL_LV_01: LineRule<FundOnly & { unrated_as_lowest: boolean }> = {
  rule_id: 'POL-LV-01',
  params: implSchema('POL-LV-01'),
  items: (p) =>
    single(
      `lv is not null and not (lv = '9' and not ${p.unrated_as_lowest}) and lmt_min_hosp_lv is not null and (lv = '9' or lv < lmt_min_hosp_lv) and ${paid(p.fund_only)}`,
      `min: lmt_min_hosp_lv, lv: lv`,
    ),
  cont: (f) => `${lab(f)}限${LV_NAME[s(f.min)]}及以上医疗机构使用，本机构为${LV_NAME[s(f.lv)] ?? s(f.lv)}`,
};

const POL_MDT_01: LineRule<FundOnly> = {
  rule_id: 'POL-MDT-01',
  params: implSchema('POL-MDT-01'),
  items: (p) => single(`len(lmt_scene) > 0 and not list_contains(lmt_scene, scene) and ${paid(p.fund_only)}`, `scenes: lmt_scene, scene: scene`),
  cont: (f) => `${lab(f)}限${list(f.scenes).map((x) => SCENE_NAME[x] ?? x).join('、')}使用，本次为${SCENE_NAME[s(f.scene)]}`,
};

const POL_DEPT_01: LineRule<FundOnly & { use_encounter_dept: boolean }> = {
  rule_id: 'POL-DEPT-01',
  params: implSchema('POL-DEPT-01'),
  items: (p) => {
    const dept = `coalesce(bilg_dept, case when ${p.use_encounter_dept} then dept_code end)`;
    return single(
      `len(dept_codes) > 0 and ${paid(p.fund_only)} and ${dept} is not null and len(list_filter(dept_codes, lambda d: starts_with(${dept}, d))) = 0`,
      // the department's name is the encounter's, when the department is
      `depts: dept_codes, dept: ${dept}, dname: case when bilg_dept is null then dept_name end`,
    );
  },
  cont: (f) => `${lab(f)}限 ${list(f.depts).join('、')} 科室开具，开单科室为${f.dname ? `${s(f.dname)}（${s(f.dept)}）` : s(f.dept)}`,
};

const POL_OUT_01: LineRule<{ class_c_not_paid: boolean; unknown_code_hits: boolean }> = {
  rule_id: 'POL-OUT-01',
  params: implSchema('POL-OUT-01'),
  items: (p) => {
    const why = `case when not cat_found then case when ${p.unknown_code_hits} then 'unknown' end when not_paid then 'not_paid'
                      when ${p.class_c_not_paid} and chrgitm_lv = '03' then 'class_c' end`;
    return single(`fund_fen > 0 and ${why} is not null`, `why: ${why}, code: hilist_code, fund_fen: fund_fen`);
  },
  cont: (f) => {
    const why = f.why === 'unknown' ? `编码 ${s(f.code)} 不在医保目录内` : f.why === 'not_paid' ? '为医保不予支付项目' : '为丙类（自费）项目';
    return `${lab(f)}${why}，不属于医保基金支付范围，但按医保结算了${yuan(f.fund_fen)}`;
  },
};

/** 单味不予支付: a prescription of one herb (any number of lines of it) listed in audit_kb_herb. */
const POL_TCM_01: LineRule<FundOnly> = {
  rule_id: 'POL-TCM-01',
  params: implSchema('POL-TCM-01'),
  items: (p) => `
    with h as (
      select *, coalesce(nullif(rxno, ''), 'FEE' || feedetl_id::VARCHAR) as rxkey from lx where list_type = '103'),
    g as (
      select mdtrt_id, rxkey, arg_min(hilist_code, feedetl_id) as code, arg_min(fee_date, feedetl_id) as first_date, arg_min(name, feedetl_id) as first_name,
             bool_and(fund_fen = 0) as all_paid
        from h group by mdtrt_id, rxkey having count(distinct hilist_code) = 1),
    ok as (
      select g.* from g where not (${p.fund_only} and all_paid)
         and exists (select 1 from kb_herb_c k where k.code = g.code and valid_on(k.begndate, k.enddate, g.first_date)))
    select h.mdtrt_id || '|' || h.rxkey as hit, h.mdtrt_id, h.psn_no, to_json({name: ok.first_name, rxno: ok.rxkey})::VARCHAR as facts, null::VARCHAR as sev,
           h.feedetl_id, '1' as t, null::BIGINT as excess_fen, h.feedetl_id as ord
      from h join ok on ok.mdtrt_id = h.mdtrt_id and ok.rxkey = h.rxkey`,
  cont: (f) => `处方${s(f.rxno)}仅开具单味中药饮片${lab(f)}，单味使用不予支付`,
};

/** 超限定支付疗程: days from the first use of the item in the encounter beyond the catalogue's limit. */
const POL_CRS_01: LineRule<{ whole_history: boolean }> = {
  rule_id: 'POL-CRS-01',
  params: implSchema('POL-CRS-01'),
  engineOnly: (p) => (p.whole_history ? '首次使用日期按全部历史计算（whole_history）须读历史就诊，由实时引擎逐次就诊运行' : null),
  items: () => `
    with c as (
      select *, min(fee_date) over (partition by mdtrt_id, hilist_code) as first_date,
             case when stop_date > fee_date then stop_date else fee_date end as end_date
        from lx),
    d as (select *, first_date + (lmt_max_days - 1) as last_allowed from c where lmt_max_days is not null),
    e as (select *, case when fee_date > last_allowed then fee_date else last_allowed + 1 end as from_date from d where end_date > last_allowed)
    select feedetl_id::VARCHAR as hit, mdtrt_id, psn_no,
           to_json({name: name, max: lmt_max_days, first: first_date, end_d: end_date, beyond: end_date - from_date + 1})::VARCHAR as facts, null::VARCHAR as sev,
           feedetl_id, '1' as t, prorate(sum_fen, end_date - from_date + 1, end_date - fee_date + 1) as excess_fen, 0::BIGINT as ord
      from e`,
  cont: (f) => `${lab(f)}限支付${s(f.max)}天，自${s(f.first)}首次使用至${s(f.end_d)}已${daysBetween(s(f.first), s(f.end_d)) + 1}天，超出${s(f.beyond)}天`,
};

const MGT_LAG_02: LineRule<{ grace_days: number }> = {
  rule_id: 'MGT-LAG-02',
  params: implSchema('MGT-LAG-02'),
  items: (p) =>
    single(
      `adm_date is not null and (fee_date < adm_date - ${p.grace_days}::INTEGER or (dscg_date is not null and fee_date > dscg_date + ${p.grace_days}::INTEGER))`,
      `date: fee_date, early: fee_date < adm_date - ${p.grace_days}::INTEGER, adm: adm_date, dscg: dscg_date`,
    ),
  cont: (f) => `${lab(f)}的费用发生日期${s(f.date)}${f.early ? '早于' : '晚于'}本次就诊期间（${f.dscg ? `${s(f.adm)}至${s(f.dscg)}` : `${s(f.adm)}起`}），收费跨期`,
};

/** µ元 × q4 in fen, rounded half away from zero (decimal.ts microTimesQ4). */
const microTimesQ4 = (micro: string, q4: string) => `(sign((${micro})::HUGEINT * (${q4})) * ((2 * abs((${micro})::HUGEINT * (${q4})) + 100000000) // 200000000))::BIGINT`;

const MGT_PRC_01: LineRule<{ tolerance_fen: number; use_order_level_prices: boolean }> = {
  rule_id: 'MGT-PRC-01',
  params: implSchema('MGT-PRC-01'),
  // 医嘱所报各级医院价格 (use_order_level_prices) are not in the fee lines: only the catalogue's caps apply, as on the engine path
  items: (p) => `
    with c as (select * from lx where lv is not null)
    select feedetl_id::VARCHAR as hit, mdtrt_id, psn_no,
           to_json({name: name, micro: micro, cap: cap_micro, lv: lv, excess: ${microTimesQ4('micro - cap_micro', 'q4')}})::VARCHAR as facts, null::VARCHAR as sev,
           feedetl_id, '1' as t, ${microTimesQ4('micro - cap_micro', 'q4')} as excess_fen, 0::BIGINT as ord
      from c where cap_micro is not null and micro > cap_micro + ${p.tolerance_fen}::BIGINT * 10000`,
  cont: (f) => `${lab(f)}单价${microText(Number(f.micro))}元，超过${LV_NAME[s(f.lv)] ?? s(f.lv)}医疗机构限价${microText(Number(f.cap))}元，超标准收费${yuan(f.excess)}`,
};

/**
 * 手术折价: on a day with two or more surgery lines, the one with the highest standard price (the level's cap; the
 * order's catalogue price is not in fee lines) is at full price and each other must be at discount_bp of its own.
 * 手术操作信息 (fsi_operation_dtos) are not in the snapshot either: with require_oprn_dtos nothing hits, as on the
 * engine path.
 */
const MGT_SURG_01: LineRule<{ discount_bp: number; tolerance_fen: number; surgery_chrg_types: string[]; require_oprn_dtos: boolean }> = {
  rule_id: 'MGT-SURG-01',
  params: implSchema('MGT-SURG-01'),
  items: (p) => `
    with sl as (
      select *, count(*) over (partition by mdtrt_id, fee_date) as n_day, cap_micro as std
        from lx where not ${p.require_oprn_dtos} and chrg_type in (${p.surgery_chrg_types.map(lit).join(', ') || "''"})),
    rk as (
      select *, row_number() over (partition by mdtrt_id, fee_date order by std desc, feedetl_id) as rn, count(*) over (partition by mdtrt_id, fee_date) as n_std
        from sl where n_day >= 2 and std is not null),
    pr as (
      select o.*, m.feedetl_id as main_id, m.name as main_name, o.std * ${p.discount_bp} // 10000 as expected
        from rk o join rk m on m.mdtrt_id = o.mdtrt_id and m.fee_date = o.fee_date and m.rn = 1
       where o.rn > 1 and o.n_std >= 2),
    hit as (select *, ${microTimesQ4('micro - expected', 'q4')} as excess from pr where micro > expected + ${p.tolerance_fen}::BIGINT * 10000),
    facts as (
      select *, to_json({name: name, main_name: main_name, bp: ${p.discount_bp}, expected: expected, micro: micro, excess: excess})::VARCHAR as f from hit)
    select feedetl_id::VARCHAR as hit, mdtrt_id, psn_no, f as facts, null::VARCHAR as sev, feedetl_id, '1' as t, excess as excess_fen, 0::BIGINT as ord from facts
    union all
    select feedetl_id::VARCHAR, mdtrt_id, psn_no, f, null::VARCHAR, main_id, '2', null::BIGINT, 1::BIGINT from facts`,
  cont: (f) =>
    `同一次手术中【${s(f.main_name)}】按全价收费，${lab(f)}应按标准价的${Number(f.bp) / 100}%收费（${microText(Number(f.expected))}元），实收单价${microText(Number(f.micro))}元，多收${yuan(f.excess)}`,
};

const DAILY_GRP: Record<string, string> = { '1': '床位费', '2': '护理费', '3': '诊查费' };

/**
 * 住院天数超计费: the per-day charge group's quantity beyond the stay, spread over its lines latest first (rules
 * allocate): line j takes min(left_j, q_j) where left walks down from the excess and never below zero — computed
 * as the reflected walk left_j = D_j − min(0, min_{k≤j} D_k), D_j = excess − Σ_{k<j} q_k, so refund lines behave as
 * in the engine's loop.
 */
const MGT_LOS_01: LineRule<{ extra_days: number; groups: string[] }> = {
  rule_id: 'MGT-LOS-01',
  params: implSchema('MGT-LOS-01'),
  items: (p) => `
    with st as (
      select mdtrt_id, adm_date, dscg_date,
             coalesce(dscg_date, greatest(greatest(adm_date, max(fee_date)), any_value(today_c))) as end_date
        from lx where inpatient group by mdtrt_id, adm_date, dscg_date),
    los as (select *, greatest(1, end_date - adm_date) as los from st),
    w as (
      select x.*, s.los, s.end_date, sum(x.q4) over (partition by x.mdtrt_id, x.daily_grp) as total,
             (s.los + ${p.extra_days}) * 10000 as allowed
        from lx x join los s on s.mdtrt_id = x.mdtrt_id where x.daily_grp in (${p.groups.map(lit).join(', ') || "''"})),
    o as (select * from w where total > allowed),
    r as (
      select *, total - allowed - coalesce(sum(q4) over (partition by mdtrt_id, daily_grp order by fee_date desc, feedetl_id desc
                                                          rows between unbounded preceding and 1 preceding), 0) as dj
        from o),
    a as (
      select *, dj - least(0, min(dj) over (partition by mdtrt_id, daily_grp order by fee_date desc, feedetl_id desc rows unbounded preceding)) as left_j,
             row_number() over (partition by mdtrt_id, daily_grp order by fee_date desc, feedetl_id desc) as ord
        from r),
    t as (select *, least(left_j, q4) as take from a)
    select mdtrt_id || '|' || daily_grp as hit, mdtrt_id, psn_no,
           to_json({los: los, adm: adm_date, end_d: end_date, grp: daily_grp, total: total, over: total - allowed})::VARCHAR as facts, null::VARCHAR as sev,
           feedetl_id, case when take > 0 then '1' else '2' end as t, case when take > 0 then prorate(sum_fen, take, q4) end as excess_fen, ord
      from t`,
  cont: (f) =>
    `住院${s(f.los)}天（${s(f.adm)}至${s(f.end_d)}），${DAILY_GRP[s(f.grp)]}计费${q4Text(Number(f.total))}天，超出${q4Text(Number(f.over))}天`,
};

/**
 * 挂床住院: runs of at least min_idle_days days of a stay (admission to the day before discharge, or to the last fee)
 * on which only per-day charges (床位/护理/诊查) were billed; a fee line marks its service day (days before
 * admission count as the first). A long-term order's span (long_drord_flag) is not in fee lines, as on the engine path.
 */
const MGT_ADM_02: LineRule<{ min_idle_days: number }> = {
  rule_id: 'MGT-ADM-02',
  params: implSchema('MGT-ADM-02'),
  items: (p) => `
    with st as (
      select mdtrt_id, any_value(psn_no) as psn_no, adm_date,
             case when any_value(dscg_date) is not null then greatest(adm_date, any_value(dscg_date) - 1) else greatest(adm_date, max(fee_date)) end as last_day
        from lx where inpatient and adm_date is not null group by mdtrt_id, adm_date),
    sd as (select *, (last_day - adm_date + 1)::BIGINT as n from st where last_day - adm_date + 1 >= ${p.min_idle_days}),
    li as (select x.*, greatest(0, x.fee_date - x.adm_date) as a from lx x join sd on sd.mdtrt_id = x.mdtrt_id),
    treated as (select distinct mdtrt_id, a from li where daily_grp is null),
    days as (select sd.mdtrt_id, sd.adm_date, unnest(range(sd.n)) as d from sd),
    idle as (
      select days.*, d - row_number() over (partition by days.mdtrt_id order by d) as isl
        from days left join treated t on t.mdtrt_id = days.mdtrt_id and t.a = days.d where t.a is null),
    runs as (
      select mdtrt_id, any_value(adm_date) as adm_date, min(d) as d0, max(d) as d1 from idle group by mdtrt_id, isl having count(*) >= ${p.min_idle_days})
    select r.mdtrt_id || '|' || r.d0::VARCHAR as hit, li.mdtrt_id, li.psn_no,
           to_json({from_d: r.adm_date + r.d0::INTEGER, to_d: r.adm_date + r.d1::INTEGER, n: r.d1 - r.d0 + 1})::VARCHAR as facts, null::VARCHAR as sev,
           li.feedetl_id, '1' as t, null::BIGINT as excess_fen, li.feedetl_id as ord
      from runs r join li on li.mdtrt_id = r.mdtrt_id and li.daily_grp is not null and li.a between r.d0 and r.d1`,
  cont: (f) => `住院期间${s(f.from_d)}至${s(f.to_d)}连续${s(f.n)}天仅有床位费、护理费等费用，无诊疗记录，疑似挂床住院`,
};

/**
 * 超频次: each current line's frequency limits valid on its date (the catalogue's 限支付数量 as a per-visit limit when
 * the knowledge has none, keyed by the line's date as the engine keys it). Per-line limits (mai 1) hit the line;
 * the others count the person's lines of the code in the window — the day, the visit, the N days to the line's
 * date or its year, the history being the earlier encounters of the 366 days before, as the engine path sends — once
 * per limit and window (the first current line's), the excess spread latest first (as MGT-LOS-01).
 */
const MGT_FRQ_01: LineRule<{ appealable_sev: string }> = {
  rule_id: 'MGT-FRQ-01',
  params: implSchema('MGT-FRQ-01'),
  items: (p, ctx) => `
    with fr as (
      select c.code, c.hilist_code as pat, trim(c.period) as period, case trim(c.period) when 'N' then coalesce(c.period_days, 1) when 'D' then 1 else 0 end as period_days,
             (c.max_cnt * 10000)::BIGINT as max_q4, coalesce(nullif(trim(c.mai), ''), '2') as mai, trim(coalesce(c.los_scale, '0')) = '1' as los_scale,
             c.begndate, c.enddate, c.exact, c.klen
        from (select k.*, c0.code, (k.hilist_code = c0.code) as exact, length(k.hilist_code) as klen
                from (select distinct hilist_code as code from lx) c0 join audit_kb_freq k
                  on k.hilist_code = c0.code or (ends_with(k.hilist_code, '*') and starts_with(c0.code, left(k.hilist_code, length(k.hilist_code) - 1)))) c),
    lim0 as (
      select x.feedetl_id, f.pat, f.period, f.period_days, f.max_q4, f.mai, f.los_scale, f.begndate,
             row_number() over (partition by x.feedetl_id order by f.exact desc, f.klen desc, f.begndate) as li
        from lx x join fr f on f.code = x.hilist_code and valid_on(f.begndate, f.enddate, x.fee_date)),
    lim as (
      select * from lim0
      union all
      select x.feedetl_id, x.hilist_code, 'V', 0, (x.lmt_max_cnt * 10000)::BIGINT, '2', false, x.fee_date, 1000000
        from lx x where x.lmt_max_cnt is not null and x.lmt_max_cnt > 0
         and not exists (select 1 from lim0 where lim0.feedetl_id = x.feedetl_id and lim0.period = 'V')),
    los as (
      select mdtrt_id, greatest(1, coalesce(any_value(dscg_date), greatest(greatest(adm_date, max(fee_date)), any_value(today_c))) - adm_date) as los
        from lx group by mdtrt_id, adm_date),
    cl as (
      select l.*, x.feedetl_id as lid, x.mdtrt_id, x.psn_no, x.fee_date, x.q4, x.sum_fen, x.name, x.inpatient, x.adm_date, s.los,
             case l.period when 'D' then 'D' || x.fee_date::VARCHAR when 'V' then 'V' || x.mdtrt_id when 'N' then 'N' || x.fee_date::VARCHAR
                           else 'Y' || year(x.fee_date)::VARCHAR end as wkey
        from lim l join lx x on x.feedetl_id = l.feedetl_id join los s on s.mdtrt_id = x.mdtrt_id),
    per_line as (
      select lid::VARCHAR || '|' || li::VARCHAR as hit, mdtrt_id, psn_no,
             to_json({kind: 'line', name: name, max: max_q4, q4: q4})::VARCHAR as facts, case when mai = '3' then ${lit(p.appealable_sev)} end as sev,
             lid as feedetl_id, '1' as t, prorate(sum_fen, q4 - max_q4, q4) as excess_fen, 0::BIGINT as ord
        from cl where mai = '1' and q4 > max_q4),
    -- one window per limit and window key in the encounter: the first current line's
    wins as (
      select * from cl where mai <> '1'
      qualify row_number() over (partition by mdtrt_id, pat, period, begndate, wkey order by lid) = 1),
    -- the person's lines the engine path sends: this encounter's and those of the earlier encounters of the 366 days before
    hist as (
      select c.mdtrt_id as cur, h.mdtrt_id, row_number() over (partition by c.mdtrt_id order by h.begntime, h.mdtrt_id) as hpos
        from enc c join enc h on h.psn_no = c.psn_no and (h.begntime < c.begntime or (h.begntime = c.begntime and h.mdtrt_id < c.mdtrt_id))
       where c.mdtrt_id in (select mdtrt_id from wins) and h.adm_date >= c.adm_date - 366 and h.adm_date >= ${lit(ctx.from)}::DATE - 366),
    pool as (
      select w.mdtrt_id as cur, w.pat, w.period, w.begndate, w.wkey, o.feedetl_id, o.mdtrt_id, o.fee_date, (o.cnt * 10000)::BIGINT as q4, o.sum_fen,
             o.mdtrt_id = w.mdtrt_id as curr, coalesce(hs.hpos, 0) as hpos
        from wins w join line o on o.psn_no = w.psn_no and code_match(w.pat, o.hilist_code)
        left join hist hs on hs.cur = w.mdtrt_id and hs.mdtrt_id = o.mdtrt_id
       where (o.mdtrt_id = w.mdtrt_id or (hs.mdtrt_id is not null and o.fee_date >= ${lit(ctx.from)}::DATE - 366))
         and case w.period when 'D' then o.fee_date = w.fee_date when 'V' then o.mdtrt_id = w.mdtrt_id
                           when 'N' then o.fee_date between w.fee_date - (w.period_days - 1) and w.fee_date else year(o.fee_date) = year(w.fee_date) end),
    tot as (
      select w.*, coalesce(pt.total, 0) as total,
             case when w.period = 'V' and w.los_scale and w.inpatient then w.max_q4 * w.los else w.max_q4 end as lim_q4
        from wins w left join (select cur, pat, period, begndate, wkey, sum(q4) as total from pool group by all) pt
          on pt.cur = w.mdtrt_id and pt.pat = w.pat and pt.period = w.period and pt.begndate = w.begndate and pt.wkey = w.wkey),
    over as (select * from tot where total > lim_q4),
    cur_items as (
      select o.*, pl.feedetl_id as fid, pl.q4 as fq4, pl.sum_fen as fsum, pl.fee_date as fdate,
             o.total - o.lim_q4 - coalesce(sum(pl.q4) over w1, 0) as dj
        from over o join pool pl on pl.cur = o.mdtrt_id and pl.pat = o.pat and pl.period = o.period and pl.begndate = o.begndate and pl.wkey = o.wkey and pl.curr
      window w1 as (partition by o.mdtrt_id, o.pat, o.period, o.begndate, o.wkey order by pl.fee_date desc, pl.feedetl_id desc rows between unbounded preceding and 1 preceding)),
    alloc as (
      select *, dj - least(0, min(dj) over (partition by mdtrt_id, pat, period, begndate, wkey order by fdate desc, fid desc rows unbounded preceding)) as left_j,
             row_number() over (partition by mdtrt_id, pat, period, begndate, wkey order by fdate desc, fid desc) as ord
        from cur_items),
    hits as (
      select mdtrt_id || '|' || pat || '|' || period || '|' || begndate::VARCHAR || '|' || wkey as hit, *,
             to_json({kind: 'win', name: name, period: period, n: period_days, date: fee_date, los_scale: los_scale and inpatient and period = 'V',
                      max: max_q4, lim: lim_q4, los: los, total: total})::VARCHAR as facts,
             case when mai = '3' then ${lit(p.appealable_sev)} end as sev
        from over)
    select * from per_line
    union all
    select h.hit, h.mdtrt_id, h.psn_no, h.facts, h.sev, a.fid, case when least(a.left_j, a.fq4) > 0 then '1' else '2' end,
           case when least(a.left_j, a.fq4) > 0 then prorate(a.fsum, least(a.left_j, a.fq4), a.fq4) end, a.ord
      from hits h join alloc a on a.mdtrt_id = h.mdtrt_id and a.pat = h.pat and a.period = h.period and a.begndate = h.begndate and a.wkey = h.wkey
    union all
    select h.hit, h.mdtrt_id, h.psn_no, h.facts, h.sev, pl.feedetl_id, '2', null::BIGINT, 1000000 + pl.hpos * 1000000000 + pl.feedetl_id
      from hits h join pool pl on pl.cur = h.mdtrt_id and pl.pat = h.pat and pl.period = h.period and pl.begndate = h.begndate and pl.wkey = h.wkey and not pl.curr`,
  cont: (f) => {
    const name = lab(f);
    if (f.kind === 'line') {
      const max = Number(f.max);
      const q4 = Number(f.q4);
      return `${name}每条明细限${q4Text(max)}，本条数量${q4Text(q4)}，超出${q4Text(q4 - max)}`;
    }
    const period = s(f.period);
    const date = s(f.date);
    const start = period === 'N' ? plusDays(date, -(Number(f.n) - 1)) : date;
    const label = period === 'D' ? '每日' : period === 'V' ? (f.los_scale ? '每住院日' : '每次就诊') : period === 'N' ? `每${s(f.n)}日` : '每自然年';
    const wname = period === 'D' ? `${date}当日` : period === 'V' ? '本次就诊' : period === 'N' ? `${start}至${date}` : `${date.slice(0, 4)}年`;
    const lim = Number(f.lim);
    const total = Number(f.total);
    return `${name}${label}限${q4Text(f.los_scale ? Number(f.max) : lim)}${f.los_scale ? `（住院${s(f.los)}天共${q4Text(lim)}）` : ''}，${wname}累计${q4Text(total)}，超出${q4Text(total - lim)}`;
  },
};

/** The earlier encounters the engine path sends as history with each current encounter (engine-rules.ts): 366 days. */
const HISTORY = (ctx: LineCtx, cur: string) => `
    select c.mdtrt_id as cur, h.mdtrt_id, row_number() over (partition by c.mdtrt_id order by h.begntime, h.mdtrt_id) as hpos
      from enc c join enc h on h.psn_no = c.psn_no and (h.begntime < c.begntime or (h.begntime = c.begntime and h.mdtrt_id < c.mdtrt_id))
     where c.mdtrt_id in (${cur}) and h.adm_date >= c.adm_date - 366 and h.adm_date >= ${lit(ctx.from)}::DATE - 366`;

const DUP_SCOPE: Record<string, string> = { '1': '同一处方', '2': '同一日', '3': '同一次就诊' };

/**
 * 重复收费: (a) an item charged once per day/visit by the knowledge (per-day group, or a frequency limit of exactly 1
 * per day or visit) on two or more charged lines of the encounter — the first participates, the later ones offend;
 * (b) 包含/互斥 pairs among the encounter's lines and the same-day lines of its history, each pair of lines (or each
 * offending line under an item B) once, the first in the engine's order (line A's position, the pair's rank, line
 * B's position). Modifiers (mdfr_codg) are not in fee lines, so no pair is bypassed, as on the engine path.
 */
const MGT_DUP_01: LineRule<{ bypass_codes: string[]; same_item: boolean }> = {
  rule_id: 'MGT-DUP-01',
  params: implSchema('MGT-DUP-01'),
  items: (p, ctx) => `
    with fq as (
      select x.feedetl_id,
             bool_or(trim(k.period) = 'V' and not (trim(coalesce(k.los_scale, '0')) = '1' and x.inpatient)) as v_once,
             bool_or(trim(k.period) in ('D', 'V')) as d_once
        from lx x join audit_kb_freq k on (k.hilist_code = x.hilist_code or (ends_with(k.hilist_code, '*') and starts_with(x.hilist_code, left(k.hilist_code, length(k.hilist_code) - 1))))
         and valid_on(k.begndate, k.enddate, x.fee_date) and coalesce(nullif(trim(k.mai), ''), '2') <> '1' and (k.max_cnt * 10000)::BIGINT = 10000
       group by x.feedetl_id),
    once as (
      select x.*, case when coalesce(fq.v_once, false) then 'V' when x.daily_grp is not null or coalesce(fq.d_once, false) then 'D' end as once
        from lx x left join fq on fq.feedetl_id = x.feedetl_id where ${p.same_item}),
    grp as (
      select *, case when once = 'D' then hilist_code || '|D|' || fee_date::VARCHAR else hilist_code || '|V' end as gkey from once where once is not null),
    g as (
      select mdtrt_id, gkey, any_value(once) as once, sum(q4) as total, count(*) filter (where q4 > 0) as n_charged,
             arg_min(feedetl_id, feedetl_id) filter (where q4 > 0) as first_id
        from grp group by mdtrt_id, gkey having count(*) filter (where q4 > 0) >= 2 and sum(q4) > 10000),
    same as (
      select g.mdtrt_id || '|S|' || g.gkey as hit, x.mdtrt_id, x.psn_no,
             to_json({kind: 'same', name: f.name, once: g.once, date: f.fee_date, n: g.n_charged})::VARCHAR as facts,
             x.feedetl_id, case when x.feedetl_id = g.first_id then '2' else '1' end as t,
             case when x.feedetl_id = g.first_id then 1000000000000 else x.feedetl_id end as ord
        from g join grp x on x.mdtrt_id = g.mdtrt_id and x.gkey = g.gkey and x.q4 > 0 join lx f on f.feedetl_id = g.first_id),
    hist as (${HISTORY(ctx, 'select distinct mdtrt_id from lx')}),
    pool as (
      select mdtrt_id as cur, feedetl_id, mdtrt_id, psn_no, hilist_code, name, rxno, fee_date, true as curr, 0::BIGINT as hpos from lx
      union all
      select h.cur, o.feedetl_id, o.mdtrt_id, o.psn_no, o.hilist_code,
             coalesce((select c.hilist_name from hilist c where c.hilist_code = o.hilist_code and valid_on(c.begndate, c.enddate, o.fee_date)
                        order by c.insu_admdvs, c.begndate limit 1), o.hilist_code),
             coalesce(o.rxno, o.feedetl_sn), o.fee_date, false, h.hpos
        from hist h join line o on o.mdtrt_id = h.mdtrt_id
       where o.fee_date >= ${lit(ctx.from)}::DATE - 366 and exists (select 1 from lx where lx.mdtrt_id = h.cur and lx.fee_date = o.fee_date)),
    pc as (
      select c.code, k.*, (k.item_a = c.code) as exact, length(k.item_a) as klen
        from (select distinct hilist_code as code from pool) c join audit_kb_pair k
          on (k.item_a = c.code or (ends_with(k.item_a, '*') and starts_with(c.code, left(k.item_a, length(k.item_a) - 1)))) and k.pair_type in ('1', '2')),
    pr as (
      select a.*, k.item_b, trim(k.pair_type) as pair_type, trim(k.scope) as scope, trim(k.hit_side) as hit_side, k.memo,
             row_number() over (partition by a.cur, a.feedetl_id order by k.exact desc, k.klen desc, k.item_b, k.pair_type, k.begndate) as prk
        from pool a join pc k on k.code = a.hilist_code and valid_on(k.begndate, k.enddate, a.fee_date)),
    m as (
      select a.cur, a.psn_no, a.feedetl_id as a_id, a.name as a_name, a.hpos as a_hpos, a.prk, a.item_b, a.pair_type, a.scope, a.memo, a.hit_side = '2' as both_hit,
             b.feedetl_id as b_id, b.name as b_name, b.hpos as b_hpos,
             case when a.hit_side = '2' then least(a.feedetl_id, b.feedetl_id)::VARCHAR || '|' || greatest(a.feedetl_id, b.feedetl_id)::VARCHAR
                  else a.item_b || '|' || b.feedetl_id::VARCHAR end as k
        from pr a join pool b on b.cur = a.cur and b.feedetl_id <> a.feedetl_id and code_match(a.item_b, b.hilist_code)
       where (a.curr or b.curr)
         and case a.scope when '1' then a.mdtrt_id = b.mdtrt_id and a.rxno <> '' and a.rxno = b.rxno when '2' then a.fee_date = b.fee_date else a.mdtrt_id = b.mdtrt_id end
      qualify row_number() over (partition by a.cur, k order by a.hpos, a.feedetl_id, prk, b.hpos, b.feedetl_id) = 1),
    pairs as (
      select cur || '|P|' || k as hit, cur as mdtrt_id, psn_no,
             to_json({kind: 'pair', a_name: a_name, b_name: b_name, type: pair_type, scope: scope, memo: memo})::VARCHAR as facts, a_id, b_id, both_hit
        from m)
    select hit, mdtrt_id, psn_no, facts, null::VARCHAR as sev, feedetl_id, t, null::BIGINT as excess_fen, ord from same
    union all
    select hit, mdtrt_id, psn_no, facts, null, b_id, '1', null, 0 from pairs
    union all
    select hit, mdtrt_id, psn_no, facts, null, a_id, case when both_hit then '1' else '2' end, null, 1 from pairs`,
  cont: (f) => {
    if (f.kind === 'same') {
      const n = Number(f.n);
      return `【${s(f.name)}】${f.once === 'D' ? `每日限收费1次，${s(f.date)}` : '每次就诊限收费1次，本次就诊'}收费${n}条，重复收费${n - 1}条`;
    }
    const a = `【${s(f.a_name)}】`;
    const b = `【${s(f.b_name)}】`;
    const cont = f.type === '1' ? `${a}已包含${b}，${DUP_SCOPE[s(f.scope)]}内${b}不得另行收费` : `${a}与${b}${DUP_SCOPE[s(f.scope)]}内不得同时收费`;
    return f.memo ? `${cont}（${s(f.memo)}）` : cont;
  },
};

const QUAL_TEXT: Record<string, string> = { unreg: '未登记为医保医师（药师）', '2': '医保支付资格暂停中', '3': '医保支付资格已终止' };

/** 医保医师资格: the lines each practitioner without payment qualification ordered in the encounter, one hit per (doctor, reason). */
const MGT_DOC_01: LineRule<{ fund_only: boolean; require_registered: boolean }> = {
  rule_id: 'MGT-DOC-01',
  params: implSchema('MGT-DOC-01'),
  items: (p) => `
    with l as (select *, coalesce(bilg_dr, atddr_no) as dr from lx where ${paid(p.fund_only)} and coalesce(bilg_dr, atddr_no) is not null),
    reg as (select distinct l.feedetl_id from l join practitioner r on r.prac_code = l.dr and valid_on(r.begndate, r.enddate, l.fee_date)),
    ql as (select l.feedetl_id, arg_min(trim(q.qual_stas), q.begndate) as qual
             from l join practitioner_qualification q on q.prac_code = l.dr and valid_on(q.begndate, q.enddate, l.fee_date) group by l.feedetl_id),
    w as (
      select l.*, case when reg.feedetl_id is null then case when ${p.require_registered} then 'unreg' end
                       when ql.qual in ('2', '3') then ql.qual when ql.qual is null and ${p.require_registered} then 'unreg' end as why
        from l left join reg on reg.feedetl_id = l.feedetl_id left join ql on ql.feedetl_id = l.feedetl_id),
    g as (
      select mdtrt_id, dr, why, arg_min(fee_date, feedetl_id) as first_date, list(name order by feedetl_id)[1:5] as labs, count(*) as n
        from w where why is not null group by mdtrt_id, dr, why),
    pn as (select prac_code, arg_min(prac_name, begndate) as prac_name from practitioner where prac_code in (select dr from g) group by prac_code)
    select w.mdtrt_id || '|' || w.dr || '|' || w.why as hit, w.mdtrt_id, w.psn_no,
           to_json({dr: g.dr, why: g.why, date: g.first_date, pname: pn.prac_name, labs: g.labs, n: g.n})::VARCHAR as facts, null::VARCHAR as sev,
           w.feedetl_id, '1' as t, null::BIGINT as excess_fen, w.feedetl_id as ord
      from w join g on g.mdtrt_id = w.mdtrt_id and g.dr = w.dr and g.why = w.why left join pn on pn.prac_code = g.dr`,
  cont: (f) => {
    const name = f.pname ? `${s(f.pname)}（${s(f.dr)}）` : s(f.dr);
    const n = Number(f.n);
    return `开单医师${name}于${s(f.date)}${QUAL_TEXT[s(f.why)]}，其开具的${list(f.labs).map((x) => `【${x}】`).join('')}${n > 5 ? `等${n}项` : ''}医保基金不予支付`;
  },
};

const MED_DX_01: LineRule<{ main_diag_only: boolean; no_diag_hits: boolean }> = {
  rule_id: 'MED-DX-01',
  params: implSchema('MED-DX-01'),
  items: (p) =>
    single(`(len(dx) > 0 or ${p.no_diag_hits}) and len(indication_diag) > 0 and not ${anyDiag('indication_diag', p.main_diag_only ? MAIN_DX : 'dx')}`, `ind: indication_diag, dx: dx`),
  cont: (f) => `${lab(f)}的适应症为 ${list(f.ind).join('、')}，本次诊断${list(f.dx).length ? `（${list(f.dx).join('、')}）` : ''}均不相符`,
};

interface QtyParams {
  otp_days: number;
  emg_days: number;
  chronic_days: number;
  emg_med_types: string[];
  chronic_med_types: string[];
}

/** Days a line covers when 周期天数 says so (medical.ts supplyDays). */
const SUPPLY = `case when stop_date >= fee_date then stop_date - fee_date + 1 end`;

const MED_QTY_01: LineRule<QtyParams> = {
  rule_id: 'MED-QTY-01',
  params: implSchema('MED-QTY-01'),
  items: (p) => {
    const chronic = `list_contains(${codes(p.chronic_med_types)}, med_type)`;
    const emg = `list_contains(${codes(p.emg_med_types)}, med_type)`;
    return `
    with q as (
      select *, coalesce(drug_max_days, case when ${chronic} then ${p.chronic_days} when ${emg} then ${p.emg_days} else ${p.otp_days} end) as lim,
             case when has_drug and drug_max_days is not null then '该药品' when ${chronic} then '慢特病' when ${emg} then '急诊' else '门诊' end as kind,
             ${SUPPLY} as days
        from lx where not inpatient and ${IS_DRUG})
    select feedetl_id::VARCHAR as hit, mdtrt_id, psn_no,
           to_json({name: name, days: days, date: fee_date, stop: stop_date, kind: kind, lim: lim, q4: q4, std: std_q4})::VARCHAR as facts, null::VARCHAR as sev,
           feedetl_id, '1' as t,
           case when days is not null then prorate(sum_fen, days - lim, days) else prorate(sum_fen, q4 - lim * std_q4, q4) end as excess_fen, 0::BIGINT as ord
      from q
     where (days is not null and days > lim) or (days is null and coalesce(std_q4, 0) <> 0 and q4 > lim * std_q4)`;
  },
  cont: (f) =>
    f.days !== null
      ? `${lab(f)}处方用药${s(f.days)}天（${s(f.date)}至${s(f.stop)}），超过${s(f.kind)}${s(f.lim)}天限量`
      : `${lab(f)}开具${q4Text(Number(f.q4))}，按常用日用量${q4Text(Number(f.std))}计可用${Math.ceil(Number(f.q4) / Number(f.std))}天，超过${s(f.kind)}${s(f.lim)}天限量`,
};

// a temporary inpatient order as one day (inpatient_temp_as_one_day) needs long_drord_flag, which fee lines do not
// carry: as on the engine path, only lines with 周期天数 have a daily dose
const MED_DOSE_01: LineRule<{ inpatient_temp_as_one_day: boolean }> = {
  rule_id: 'MED-DOSE-01',
  params: implSchema('MED-DOSE-01'),
  items: () => `
    with q as (select *, ${SUPPLY} as days from lx where ${IS_DRUG} and coalesce(max_q4, 0) <> 0)
    select feedetl_id::VARCHAR as hit, mdtrt_id, psn_no, to_json({name: name, days: days, q4: q4, max_q4: max_q4})::VARCHAR as facts, null::VARCHAR as sev,
           feedetl_id, '1' as t, prorate(sum_fen, q4 - max_q4 * days, q4) as excess_fen, 0::BIGINT as ord
      from q where days is not null and q4 > max_q4 * days`,
  cont: (f) => {
    const q4 = Number(f.q4);
    return `${lab(f)}${s(f.days)}天共${q4Text(q4)}，日均${q4Text(Math.round(q4 / Number(f.days)))}，超过每日最大用量${q4Text(Number(f.max_q4))}`;
  },
};

/** 材料-项目搭配: a material whose knowledge pairs (type 4) name items none of which the encounter has. */
const MED_MAT_01: LineRule<Record<string, never>> = {
  rule_id: 'MED-MAT-01',
  params: implSchema('MED-MAT-01'),
  items: () => `
    with req as (
      select x.feedetl_id, x.mdtrt_id, x.psn_no, x.name, x.fee_date, p.item_b,
             row_number() over (partition by x.feedetl_id order by p.exact desc, p.klen desc, p.item_b, p.begndate) as rn
        from lx x join kb_pair_c p on p.code = x.hilist_code and valid_on(p.begndate, p.enddate, x.fee_date)
       where x.list_type = '301' and p.pair_type = '4'),
    met as (select distinct r.feedetl_id from req r join lx o on o.mdtrt_id = r.mdtrt_id and o.feedetl_id <> r.feedetl_id and code_match(r.item_b, o.hilist_code)),
    named as (
      select r.*, case when ends_with(r.item_b, '*') then '编码' || r.item_b
                       else '【' || coalesce((select h.hilist_name from hilist h where h.hilist_code = r.item_b and valid_on(h.begndate, h.enddate, r.fee_date)
                                               order by h.insu_admdvs, h.begndate limit 1), r.item_b) || '】' end as nm
        from req r where r.feedetl_id not in (select feedetl_id from met))
    select feedetl_id::VARCHAR as hit, any_value(mdtrt_id) as mdtrt_id, any_value(psn_no) as psn_no,
           to_json({name: any_value(name), names: list(nm order by rn) filter (where rn <= 3), n: count(*)})::VARCHAR as facts, null::VARCHAR as sev,
           feedetl_id, '1' as t, null::BIGINT as excess_fen, 0::BIGINT as ord
      from named group by feedetl_id`,
  cont: (f) => `医用耗材${lab(f)}须与${list(f.names).join('')}${Number(f.n) > 3 ? '等' : ''}诊疗项目同时使用，本次就诊未见相应项目`,
};

export const LINE_RULES: ReadonlyMap<string, LineRule> = new Map(
  (
    [
      genderRule('POL-GEN-01', 'drug'),
      genderRule('POL-GEN-02', 'service'),
      childOnlyRule('POL-AGE-01', 'drug'),
      POL_AGE_02,
      childOnlyRule('POL-AGE-03', 'service'),
      POL_AGE_04,
      POL_SCP_01,
      POL_INS_01,
      POL_LV_01,
      POL_MDT_01,
      POL_DEPT_01,
      POL_OUT_01,
      POL_TCM_01,
      POL_CRS_01,
      MGT_LAG_02,
      MGT_DUP_01,
      MGT_SURG_01,
      MGT_PRC_01,
      MGT_FRQ_01,
      MGT_LOS_01,
      MGT_ADM_02,
      MGT_DOC_01,
      MED_DX_01,
      MED_QTY_01,
      MED_DOSE_01,
      MED_MAT_01,
    ] as unknown as LineRule[]
  ).map((r) => [r.rule_id, r]),
);

/** The engine's amount of one offending line by formula (engine.ts amountOf), in SQL over sum_fen, fund_fen and excess_fen. */
function lineAmount(formula: RuleDef['vola_amt_formula']): string {
  switch (formula) {
    case '0':
      return '0::BIGINT';
    case '1':
      return 'sum_fen';
    case '2':
      return 'coalesce(excess_fen, sum_fen)';
    default:
      return 'least(fund_fen, coalesce(excess_fen, sum_fen))';
  }
}

/** The rule definition's applicability to an encounter (engine.ts applies): scenes, institution levels and types, insurance types. */
function appliesSql(rule: RuleDef): string {
  const parts = ['true'];
  if (rule.scenes.length) parts.push(`x.scene in (${rule.scenes.map(lit).join(', ')})`); // 异地 (scene 5) is not known 事后, as on the engine path
  if (rule.medins_lv.length) parts.push(`x.lv in (${rule.medins_lv.map(lit).join(', ')})`);
  // the engine path sends no medins_type: a rule limited to institution types applies to no encounter there either
  if (rule.medins_type.length) parts.push('false');
  if (rule.insutypes.length) parts.push(`x.insutype in (${rule.insutypes.map(lit).join(', ')})`);
  return parts.join(' and ');
}

/**
 * The hit rows of a line rule in the runner's shape (batch/run.ts HitRow): one per hit, the encounter's institution
 * and settlement, `dkey` the engine's key without its text part (the runner appends the text), `amt1` the amount by
 * the rule's formula and `lines` the evidence lines in the engine's order with each offending line's amount.
 */
export function lineHitQuery(impl: LineRule, params: Record<string, unknown>, rule: RuleDef, ctx: LineCtx): string {
  return `
    with it as (${impl.items(params, ctx)}),
    x as (
      select it.hit, it.mdtrt_id, it.psn_no, it.facts, it.sev, it.t, it.excess_fen, it.ord, l.feedetl_id, l.feedetl_sn, l.mdtrt_id as line_mdtrt, l.hilist_code, l.fee_date,
             l.det_item_fee_sumamt, l.inscp_scp_amt, l.sum_fen, greatest(0, l.sum_fen - fen(coalesce(l.fulamt_ownpay_amt, 0))) as fund_fen
        from it join line l on l.feedetl_id = it.feedetl_id
      qualify row_number() over (partition by it.hit, it.feedetl_id order by it.ord) = 1),
    y as (select *, case when t = '1' then ${lineAmount(rule.vola_amt_formula)} end as amt from x),
    g as (
      select hit, any_value(mdtrt_id) as mdtrt_id, any_value(psn_no) as psn_no, any_value(facts) as facts, any_value(sev) as sev,
             list(feedetl_id::VARCHAR order by feedetl_id::VARCHAR) filter (where t = '1') as off, coalesce(sum(amt), 0) as amt,
             list_prepend(any_value(mdtrt_id), list(line_mdtrt order by ord, feedetl_id)) as ids,
             replace(to_json(list({feedetl_id: feedetl_id::VARCHAR, feedetl_sn: feedetl_sn, mdtrt_id: line_mdtrt, hilist_code: hilist_code, fee_date: fee_date::VARCHAR,
                                   vola_item_type: t, sumamt: det_item_fee_sumamt::VARCHAR, inscp_scp_amt: inscp_scp_amt::VARCHAR, vola_amt_fen: amt::VARCHAR}
                                  order by ord, feedetl_id))::VARCHAR, ',"vola_amt_fen":null', '') as lines
        from y group by hit)
    select g.psn_no, g.mdtrt_id, array_to_string(list_filter(g.ids, lambda v, i: list_position(g.ids, v) = i), ',') as mdtrt_ids, g.mdtrt_id || '|' || coalesce(nullif(array_to_string(g.off, ','), ''), g.mdtrt_id) as dkey,
           g.sev, g.facts, null::VARCHAR as excess_fen, e.fixmedins_code, e.inst_admdvs, e.setl_id, g.lines, g.amt::VARCHAR as amt1, null::VARCHAR as amt3
      from g join enc e on e.mdtrt_id = g.mdtrt_id join ex x on x.mdtrt_id = g.mdtrt_id
     where e.adm_date between ${lit(ctx.from)}::DATE and ${lit(ctx.to)}::DATE and ${appliesSql(rule)}`;
}

/** A hit row of lineHitQuery as DuckDB returns it (every column text). */
export interface LineHitRow {
  psn_no: string;
  mdtrt_id: string;
  mdtrt_ids: string;
  dkey: string;
  sev: string | null;
  facts: string;
  fixmedins_code: string;
  inst_admdvs: string;
  setl_id: string | null;
  lines: string;
  amt1: string | null;
}

/**
 * A line rule's hit as a suspect: the amount was computed line by line in SQL, and the dedup key ends with the
 * text's first 60 characters, as the engine path's does (engine-rules.ts), so either path's suspect is the other's.
 */
export function lineRowOf(rule: RuleDef, impl: LineRule, h: LineHitRow, paramsJson: string): SuspectRow {
  const cont = impl.cont(JSON.parse(h.facts) as Facts);
  return {
    psn_no: h.psn_no,
    mdtrt_id: h.mdtrt_id,
    mdtrt_ids: h.mdtrt_ids,
    dkey: `${h.dkey}|${cont.slice(0, 60)}`,
    sev: h.sev,
    cont,
    amt: Number(h.amt1 ?? 0),
    fixmedins_code: h.fixmedins_code,
    admdvs: h.inst_admdvs,
    setl_id: h.setl_id,
    evidence: evidenceJson(h.facts, h.lines, paramsJson, rule.rule_ver),
  };
}
