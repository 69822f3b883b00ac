/**
 * The 事后 batch logic of the rule base as DuckDB SQL, keyed by rule_id (the same ids as the rule rows and the
 * real-time implementations). Each entry has its parameter schema (for rules with a real-time implementation the
 * very same schema, so one parameter row drives both engines), the SQL that finds hits over the snapshot views of
 * batch/views.ts, and the Chinese text of a hit built from its facts.
 *
 * Every query returns the same columns, which the runner (batch/run.ts) turns into suspects:
 *   psn_no, mdtrt_id (the encounter the suspect is about; it must fall in the run's window), mdtrt_ids VARCHAR[],
 *   dkey (the facts that make the hit unique: with the rule_id it is audit_suspect.dedup_key), sev (null = the rule's
 *   severity), facts (JSON text), off_ids BIGINT[] (offending fee lines; null = every line of mdtrt_id),
 *   rel_ids BIGINT[] (participating lines), excess_fen BIGINT (the part beyond the limit, for formula 2; null = whole).
 * Parameters are validated integers, booleans and code lists; code lists are quoted with `lit`.
 */
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { fenToYuan } from '../../platform/money.js';
import { RULE_IMPLS } from '../rules/index.js';
import { Codes, Flag, Int, paramsOf } from '../rules/util.js';
import { lit } from '../snapshot/sql-text.js';

export type Facts = Record<string, unknown>;

export interface BatchRule<P = Record<string, unknown>> {
  rule_id: string;
  /** Parameter schema with defaults (the real-time implementation's when the rule has one). */
  params: TSchema;
  /** The hit query; `today` closes stays still open. */
  sql(p: P, ctx: { today: string }): string;
  cont(f: Facts): string;
}

const CHK_WAY: Record<string, string> = { face: '人脸识别', qrcode: '医保电子凭证', card: '社会保障卡' };

/** Hours between registrations at institutions of two different cities that no patient can travel. */
export const TRAVEL_MAX_HOURS = 3;

const implSchema = (rule_id: string): TSchema => {
  const impl = RULE_IMPLS.get(rule_id);
  if (!impl) throw new Error(`规则 ${rule_id} 没有实时实现`);
  return impl.params;
};
const NO_LINES = `null::BIGINT[] as off_ids, []::BIGINT[] as rel_ids, null::BIGINT as excess_fen`;
const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const orDiag = (codes: readonly string[], col: string) => (codes.length ? `(${codes.map((c) => `diag_match(${lit(c)}, ${col})`).join(' or ')})` : 'false');

const MGT_ADM_01: BatchRule<{ max_gap_days: number; match: 'category' | 'any'; escalate_same_medins: boolean; transfer_exempt: boolean }> = {
  rule_id: 'MGT-ADM-01',
  params: implSchema('MGT-ADM-01'),
  sql: (p) => `
    with st as (select * from enc where ipt_otp_flag = '2'),
    cyc as (
      select x.mdtrt_id from (select mdtrt_id, adm_date, unnest(diags) as d from st) x
        join audit_kb_cycle c on c.code_type = '1' and diag_match(c.code, x.d) and valid_on(c.begndate, c.enddate, x.adm_date)
      union
      select st.mdtrt_id from st join audit_kb_cycle c on c.code_type = '2' and starts_with(st.oprn_oprt_code, c.code) and valid_on(c.begndate, c.enddate, st.adm_date)
      union
      select l.mdtrt_id from line l join audit_kb_cycle c on c.code_type = '3' and code_match(c.code, l.hilist_code) and valid_on(c.begndate, c.enddate, l.fee_date)
       where l.ipt_otp_flag = '2'),
    pr as (
      select e.psn_no, e.mdtrt_id, e.adm_date, e.main_diag, e.fixmedins_code, e.medins_name,
             p.mdtrt_id as prev_id, p.dscg_date as prev_dscg, p.main_diag as prev_diag, p.fixmedins_code as prev_medins, p.medins_name as prev_name
        from st e join st p on p.psn_no = e.psn_no and p.mdtrt_id <> e.mdtrt_id and p.dscg_date is not null and p.dscg_date <= e.adm_date
      qualify row_number() over (partition by e.mdtrt_id order by p.dscg_date desc, p.mdtrt_id desc) = 1)
    select psn_no, mdtrt_id, [mdtrt_id, prev_id] as mdtrt_ids, mdtrt_id || '|' || prev_id as dkey,
           case when ${p.escalate_same_medins} and fixmedins_code = prev_medins then '2' end as sev,
           to_json({prev_mdtrt_id: prev_id, prev_dscg: prev_dscg, prev_diag: prev_diag, prev_name: prev_name, adm_date: adm_date,
                    main_diag: main_diag, name: medins_name, gap: adm_date - prev_dscg, same_medins: fixmedins_code = prev_medins})::VARCHAR as facts,
           ${NO_LINES}
      from pr
     where adm_date - prev_dscg <= ${p.max_gap_days}
       and (${p.match === 'any'} or left(main_diag, 3) = left(prev_diag, 3))
       -- 转院: admitted elsewhere on the day of discharge, or discharged by order to another institution (离院方式 2/3)
       and not (${p.transfer_exempt} and fixmedins_code <> prev_medins
                and (adm_date = prev_dscg or exists (select 1 from mdtrt m where m.mdtrt_id = prev_id and m.dscg_way in ('2', '3'))))
       and mdtrt_id not in (select mdtrt_id from cyc) and prev_id not in (select mdtrt_id from cyc)`,
  cont: (f) =>
    `${s(f.prev_dscg)}自${s(f.prev_name)}出院（主诊断${s(f.prev_diag) || '未填'}）后${s(f.gap)}天${f.same_medins ? '在同一机构' : `在${s(f.name)}`}再次入院（主诊断${s(f.main_diag) || '未填'}），疑似分解住院`,
};

const MGT_ADM_03: BatchRule<{ same_medins_hits: boolean }> = {
  rule_id: 'MGT-ADM-03',
  params: implSchema('MGT-ADM-03'),
  sql: (p, { today }) => `
    with st as (select *, coalesce(dscg_date, ${lit(today)}::DATE) as end_date from enc where ipt_otp_flag = '2')
    select b.psn_no, b.mdtrt_id, [b.mdtrt_id, a.mdtrt_id] as mdtrt_ids, a.mdtrt_id || '|' || b.mdtrt_id as dkey, null as sev,
           to_json({adm_date: b.adm_date, end_date: b.end_date, name: b.medins_name, other_mdtrt_id: a.mdtrt_id, other_name: a.medins_name,
                    other_adm: a.adm_date, other_dscg: a.dscg_date})::VARCHAR as facts,
           ${NO_LINES}
      from st a join st b on a.psn_no = b.psn_no
       and (a.adm_date < b.adm_date or (a.adm_date = b.adm_date and a.mdtrt_id < b.mdtrt_id))
       and (${p.same_medins_hits} or a.fixmedins_code <> b.fixmedins_code)
       and ((a.adm_date < b.end_date and b.adm_date < a.end_date) or a.adm_date = b.adm_date)`,
  cont: (f) => `${s(f.adm_date)}至${s(f.end_date)}在${s(f.name)}住院期间，同时在${s(f.other_name)}住院（${s(f.other_adm)}至${s(f.other_dscg) || '今'}）`,
};

const MGT_ID_01: BatchRule<{ grace_days: number; idchk_failed: boolean }> = {
  rule_id: 'MGT-ID-01',
  params: implSchema('MGT-ID-01'),
  sql: (p) => `
    with dead as (
      select e.psn_no, e.mdtrt_id, e.adm_date, p.death_date, p.death_date + ${p.grace_days}::INTEGER as lim
        from enc e join psn p on p.psn_no = e.psn_no where p.death_date is not null),
    after as (
      select d.psn_no, d.mdtrt_id, d.adm_date, d.death_date, d.lim,
             list(l.feedetl_id order by l.feedetl_id) filter (where l.fee_date > d.lim) as late_ids, min(l.fee_date) filter (where l.fee_date > d.lim) as first_late
        from dead d left join line l on l.mdtrt_id = d.mdtrt_id
       group by all)
    select psn_no, mdtrt_id, [mdtrt_id] as mdtrt_ids, 'death|' || mdtrt_id as dkey, null as sev,
           to_json({kind: 'death', death_date: death_date, first_date: case when adm_date > lim then adm_date else first_late end,
                    late_lines: coalesce(len(late_ids), 0)})::VARCHAR as facts,
           case when adm_date > lim then null else late_ids end as off_ids, []::BIGINT[] as rel_ids, null::BIGINT as excess_fen
      from after where adm_date > lim or len(late_ids) > 0
    union all
    select b.psn_no, b.mdtrt_id, [b.mdtrt_id, a.mdtrt_id], 'travel|' || a.mdtrt_id || '|' || b.mdtrt_id, '2',
           to_json({kind: 'travel', time: strftime(b.begntime, '%Y-%m-%d %H:%M'), name: b.medins_name, admdvs: b.inst_admdvs,
                    other_mdtrt_id: a.mdtrt_id, other_time: strftime(a.begntime, '%Y-%m-%d %H:%M'), other_name: a.medins_name,
                    other_admdvs: a.inst_admdvs, hours: ${TRAVEL_MAX_HOURS}})::VARCHAR,
           ${NO_LINES}
      from enc a join enc b on a.psn_no = b.psn_no and a.adm_date = b.adm_date
       and (a.begntime < b.begntime or (a.begntime = b.begntime and a.mdtrt_id < b.mdtrt_id))
       and left(a.inst_admdvs, 4) <> left(b.inst_admdvs, 4)
       and b.begntime - a.begntime <= interval ${TRAVEL_MAX_HOURS} hour
    union all
    -- identity: the encounter's last check (人脸/凭证/卡) failed and it was registered and settled anyway
    select e.psn_no, e.mdtrt_id, [e.mdtrt_id], 'idchk|' || e.mdtrt_id, '2',
           to_json({kind: 'idchk', time: strftime(k.chk_time, '%Y-%m-%d %H:%M'), chk_way: k.chk_way, name: e.medins_name})::VARCHAR,
           ${NO_LINES}
      from enc e join (select * from mdtrt_idchk qualify row_number() over (partition by mdtrt_id order by chk_time desc, idchk_id desc) = 1) k
        on k.mdtrt_id = e.mdtrt_id
     where ${p.idchk_failed} and k.chk_rslt = '0'`,
  cont: (f) =>
    f.kind === 'death'
      ? `参保人已于${s(f.death_date)}死亡，${s(f.first_date)}仍发生就医${Number(f.late_lines) ? `并收费${s(f.late_lines)}项` : ''}，疑似冒名就医`
      : f.kind === 'idchk'
      ? `${s(f.time)}在${s(f.name)}就医时身份核验（${CHK_WAY[s(f.chk_way)] ?? s(f.chk_way)}）未通过，仍以参保人身份登记结算，疑似冒名就医`
      : `${s(f.other_time)}在${s(f.other_name)}（${s(f.other_admdvs)}）就医，${s(f.time)}又在另一城市的${s(f.name)}（${s(f.admdvs)}）就医，${s(f.hours)}小时内不可能往返两地，疑似冒名就医`,
};

/** Sales lines carrying a 药品追溯码, net of refunds (a refunded sale and its refund line are both left out). */
const TRACED_SALES = `
    select l.* from line l
     where coalesce(l.drug_trac_codg, '') <> '' and l.cnt > 0 and l.init_feedetl_sn is null
       and not exists (select 1 from line r where r.mdtrt_id = l.mdtrt_id and r.init_feedetl_sn = l.feedetl_sn)`;

const MGT_TRC_01: BatchRule<{ same_medins_split: boolean; pack_cnt: number }> = {
  rule_id: 'MGT-TRC-01',
  params: paramsOf({
    same_medins_split: Flag(true, '同一机构内同一追溯码多次销售、累计数量不超过一个包装时视为拆零，不判定'),
    pack_cnt: Int(1, 1, 100_000, '一个追溯码（最小销售包装）折合的收费数量'),
  }),
  // a trace code names one package: sold again elsewhere it is a resale; at the same institution the repeats are
  // 拆零 only while together they do not exceed the package (a second whole box under one code is a duplicate)
  sql: (p) => `
    with sale as (${TRACED_SALES}),
    run as (
      select *, sum(cnt) over (partition by drug_trac_codg, fixmedins_code order by fee_ocur_time, feedetl_id rows unbounded preceding) as cum_cnt from sale),
    rep as (
      select s.psn_no, s.mdtrt_id, s.feedetl_id, s.drug_trac_codg, s.hilist_code, s.fee_date, s.fixmedins_code, s.cum_cnt,
             p.feedetl_id as prev_id, p.mdtrt_id as prev_mdtrt, p.fee_date as prev_date, p.fixmedins_code as prev_inst, p.psn_no as prev_psn
        from run s join sale p on p.drug_trac_codg = s.drug_trac_codg
         and (p.fee_ocur_time < s.fee_ocur_time or (p.fee_ocur_time = s.fee_ocur_time and p.feedetl_id < s.feedetl_id))
         and (not ${p.same_medins_split} or p.fixmedins_code <> s.fixmedins_code or s.cum_cnt > ${p.pack_cnt})
      qualify row_number() over (partition by s.feedetl_id order by p.fee_ocur_time desc, p.feedetl_id desc) = 1)
    select psn_no, mdtrt_id, [mdtrt_id, prev_mdtrt] as mdtrt_ids, drug_trac_codg || '|' || feedetl_id as dkey, null as sev,
           to_json({drug_trac_codg: drug_trac_codg, hilist_code: hilist_code, fee_date: fee_date, medins: fixmedins_code,
                    prev_date: prev_date, prev_medins: prev_inst, same_psn: prev_psn = psn_no, same_medins: prev_inst = fixmedins_code,
                    cum_cnt: cum_cnt, pack_cnt: ${p.pack_cnt}})::VARCHAR as facts,
           [feedetl_id] as off_ids, [prev_id] as rel_ids, null::BIGINT as excess_fen
      from rep`,
  cont: (f) =>
    f.same_medins
      ? `药品追溯码${s(f.drug_trac_codg)}已于${s(f.prev_date)}在${s(f.prev_medins)}结算${f.same_psn ? '' : '（另一参保人）'}，${s(f.fee_date)}在同一机构再次结算，累计数量${s(f.cum_cnt)}超过一个包装（${s(f.pack_cnt)}），不属拆零，疑似重复结算`
      : `药品追溯码${s(f.drug_trac_codg)}已于${s(f.prev_date)}在${s(f.prev_medins)}结算${f.same_psn ? '' : '（另一参保人）'}，${s(f.fee_date)}又在${s(f.medins)}结算，且前次未退货，疑似药品回流或串换`,
};

interface TraceProductParams {
  prefix_len: number;
  min_sales: number;
  min_share_pct: number;
}
const traceProductParams = {
  prefix_len: Int(7, 4, 20, '追溯码前若干位为药品标识码（码上放心：前7位）'),
  min_sales: Int(3, 1, 1_000_000, '药品标识码对应产品至少有多少次销售才可认定'),
  min_share_pct: Int(80, 51, 100, '药品标识码下某一收费编码的销售占比达到此值时认定为该码对应的产品（%）'),
};

/**
 * Lines whose trace code's product identifier (药品标识码, the code's first digits) belongs to another product. With
 * no 追溯码 ↔ 医保编码 registry in the knowledge base, the product of an identifier is learnt from the data: the
 * billing code that carries it in at least min_share_pct % of at least min_sales sales. The facts give the billed
 * code and price and the identified product with its median price.
 */
const traceMismatch = (p: TraceProductParams, where: string) => `
    with sale as (${TRACED_SALES}),
    tagged as (select *, left(drug_trac_codg, ${p.prefix_len}) as pid from sale),
    per as (select pid, hilist_code, count(*) as n, median(pric) as med_pric from tagged group by pid, hilist_code),
    reg as (
      select pid, arg_max(hilist_code, n) as prod_code, max(n) as prod_n, sum(n) as total, arg_max(med_pric, n) as prod_pric
        from per group by pid
      having max(n) >= ${p.min_sales} and max(n) * 100 >= ${p.min_share_pct} * sum(n))
    select t.psn_no, t.mdtrt_id, [t.mdtrt_id] as mdtrt_ids, t.feedetl_id::VARCHAR as dkey, null as sev,
           to_json({drug_trac_codg: t.drug_trac_codg, pid: t.pid, hilist_code: t.hilist_code, pric: t.pric, fee_date: t.fee_date,
                    prod_code: r.prod_code, prod_pric: r.prod_pric, prod_n: r.prod_n, total: r.total})::VARCHAR as facts,
           [t.feedetl_id] as off_ids, []::BIGINT[] as rel_ids,
           ${where === 'pricier' ? 'greatest(0, t.sum_fen - fen(r.prod_pric * t.cnt))::BIGINT' : 'null::BIGINT'} as excess_fen
      from tagged t join reg r on r.pid = t.pid
     where t.hilist_code <> r.prod_code ${where === 'pricier' ? 'and t.pric > r.prod_pric' : ''}`;

const MGT_TRC_02: BatchRule<TraceProductParams> = {
  rule_id: 'MGT-TRC-02',
  params: paramsOf(traceProductParams),
  sql: (p) => traceMismatch(p, 'any'),
  cont: (f) =>
    `${s(f.fee_date)}收费【${s(f.hilist_code)}】，上传的药品追溯码${s(f.drug_trac_codg)}的药品标识码${s(f.pid)}对应产品为【${s(f.prod_code)}】（${s(f.prod_n)}/${s(f.total)}次销售），追溯码与收费药品不符`,
};

const MGT_SWP_01: BatchRule<TraceProductParams> = {
  rule_id: 'MGT-SWP-01',
  params: paramsOf(traceProductParams),
  sql: (p) => traceMismatch(p, 'pricier'),
  cont: (f) =>
    `${s(f.fee_date)}按【${s(f.hilist_code)}】单价${s(f.pric)}元收费，追溯码${s(f.drug_trac_codg)}识别的实际产品为【${s(f.prod_code)}】（常见单价${s(f.prod_pric)}元），疑似串换药品`,
};

const MGT_ADM_04: BatchRule<{ diags: string[]; max_los_days: number; max_medfee_fen: number }> = {
  rule_id: 'MGT-ADM-04',
  params: paramsOf({
    diags: Codes(['J00', 'J06', 'J20', 'K29', 'K30', 'I10', 'E11.9', 'A09', 'R51', 'M54'], '门诊可治疗病种的主诊断编码前缀或类目范围（如 I20-I25）'),
    max_los_days: Int(3, 1, 30, '住院天数不超过此值'),
    max_medfee_fen: Int(200_000, 0, 100_000_000, '医疗总费用不超过此值（分）'),
  }),
  sql: (p) => `
    with fee as (select mdtrt_id, sum(sum_fen) as fee_fen from line group by mdtrt_id),
    st as (select e.*, greatest(1, e.dscg_date - e.adm_date) as los, coalesce(f.fee_fen, 0) as fee_fen
             from enc e left join fee f on f.mdtrt_id = e.mdtrt_id where e.ipt_otp_flag = '2' and e.dscg_date is not null)
    select psn_no, mdtrt_id, [mdtrt_id] as mdtrt_ids, mdtrt_id as dkey, null as sev,
           to_json({main_diag: main_diag, los: los, fee_fen: fee_fen, adm_date: adm_date, dscg_date: dscg_date, max_los: ${p.max_los_days}})::VARCHAR as facts,
           ${NO_LINES}
      from st where los <= ${p.max_los_days} and fee_fen <= ${p.max_medfee_fen} and ${orDiag(p.diags, 'main_diag')}`,
  cont: (f) =>
    `主诊断${s(f.main_diag)}属门诊可治疗病种，${s(f.adm_date)}入院、${s(f.dscg_date)}出院，住院${s(f.los)}天，医疗费用${fenToYuan(Number(f.fee_fen))}元，疑似低标准入院`,
};

const MGT_LAG_01: BatchRule<{ max_days: number }> = {
  rule_id: 'MGT-LAG-01',
  params: paramsOf({ max_days: Int(180, 1, 3650, '费用发生日期与结算日期相隔天数上限') }),
  sql: (p) => `
    select e.psn_no, e.mdtrt_id, [e.mdtrt_id] as mdtrt_ids, e.mdtrt_id as dkey, null as sev,
           to_json({setl_date: e.setl_time::DATE, first_fee: min(l.fee_date), lines: count(*), max_days: ${p.max_days}})::VARCHAR as facts,
           list(l.feedetl_id order by l.feedetl_id) as off_ids, []::BIGINT[] as rel_ids, null::BIGINT as excess_fen
      from enc e join line l on l.mdtrt_id = e.mdtrt_id
     where e.setl_time is not null and e.setl_time::DATE - l.fee_date > ${p.max_days}
     group by e.psn_no, e.mdtrt_id, e.setl_time`,
  cont: (f) => `${s(f.setl_date)}结算的费用中有${s(f.lines)}项发生于${s(f.max_days)}天之前（最早${s(f.first_fee)}），收费跨期`,
};

const MED_VIS_01: BatchRule<{ day_min: number; month_min: number; year_min: number; exclude_med_types: string[] }> = {
  rule_id: 'MED-VIS-01',
  params: paramsOf({
    day_min: Int(4, 2, 100, '单日门急诊次数达到此值'),
    month_min: Int(20, 2, 1000, '单月门急诊次数达到此值'),
    year_min: Int(100, 2, 10_000, '全年门急诊次数达到此值'),
    exclude_med_types: Codes(['41'], '不计入的医疗类别（如定点药店购药）'),
  }),
  sql: (p) => `
    with v as (select psn_no, mdtrt_id, begntime, adm_date, strftime(adm_date, '%Y-%m-%d') as kd, strftime(adm_date, '%Y-%m') as km, strftime(adm_date, '%Y') as ky from enc
                where ipt_otp_flag = '1' and med_type not in (${p.exclude_med_types.map(lit).join(', ') || "''"})),
    -- counts first (cheap); visit lists only for the periods over a threshold
    over as (
      select psn_no, 'D' as per, kd as k, ${p.day_min} as lim from v group by psn_no, kd having count(*) >= ${p.day_min}
      union all
      select psn_no, 'M', km, ${p.month_min} from v group by psn_no, km having count(*) >= ${p.month_min}
      union all
      select psn_no, 'Y', ky, ${p.year_min} from v group by psn_no, ky having count(*) >= ${p.year_min}),
    g as (
      select o.psn_no, o.per, o.k, o.lim, count(*) as n, arg_max(v.mdtrt_id, (v.begntime, v.mdtrt_id)) as last_id,
             list(v.mdtrt_id order by v.begntime, v.mdtrt_id) as ids
        from over o join v on v.psn_no = o.psn_no and o.k = case o.per when 'D' then v.kd when 'M' then v.km else v.ky end
       group by o.psn_no, o.per, o.k, o.lim)
    select psn_no, last_id as mdtrt_id, ids as mdtrt_ids, per || '|' || psn_no || '|' || k as dkey, null as sev,
           to_json({per: per, k: k, n: n, lim: lim})::VARCHAR as facts, ${NO_LINES}
      from g`,
  cont: (f) => `${s(f.k)}${f.per === 'D' ? '当日' : f.per === 'M' ? '当月' : '全年'}门急诊就诊${s(f.n)}次，达到异常频次${s(f.lim)}次`,
};

const MED_QTY_02: BatchRule<{ max_overlap_days: number; lookback_days: number; include_inpatient: boolean }> = {
  rule_id: 'MED-QTY-02',
  params: implSchema('MED-QTY-02'),
  sql: (p) => `
    with d as (
      select l.*, coalesce(k.ingr_code, l.hilist_code) as grp, (l.cnt * 10000)::BIGINT as q4, (k.std_daily_qty * 10000)::BIGINT as std_q4
        from line l join audit_kb_drug k on code_match(k.hilist_code, l.hilist_code) and valid_on(k.begndate, k.enddate, l.fee_date)
       where k.std_daily_qty > 0 and l.cnt > 0
      qualify row_number() over (partition by l.feedetl_id order by length(k.hilist_code) desc, k.begndate desc) = 1),
    s as (select *, ((q4 + std_q4 - 1) // std_q4)::INTEGER as supply from d),
    pr as (
      select c.psn_no, c.mdtrt_id, c.feedetl_id, c.hilist_code, c.fee_date, c.sum_fen, c.supply,
             o.feedetl_id as o_id, o.mdtrt_id as o_mdtrt, o.fee_date as o_date, o.supply as o_supply, o.hilist_code as o_code,
             (o.fee_date + o.supply - 1) - c.fee_date + 1 as overlap
        from s c join s o on o.psn_no = c.psn_no and o.grp = c.grp and o.mdtrt_id <> c.mdtrt_id and o.fee_date <= c.fee_date
         and c.fee_date - o.fee_date <= ${p.lookback_days} and (${p.include_inpatient} or o.ipt_otp_flag = '1')
       where (o.fee_date + o.supply - 1) - c.fee_date + 1 > ${p.max_overlap_days}
      qualify row_number() over (partition by c.feedetl_id order by overlap desc, o.fee_date, o.feedetl_id) = 1)
    select psn_no, mdtrt_id, [mdtrt_id, o_mdtrt] as mdtrt_ids, feedetl_id::VARCHAR as dkey, null as sev,
           to_json({hilist_code: hilist_code, fee_date: fee_date, o_code: o_code, o_date: o_date, o_supply: o_supply,
                    o_end: o_date + o_supply - 1, overlap: overlap})::VARCHAR as facts,
           [feedetl_id] as off_ids, [o_id] as rel_ids,
           prorate(sum_fen, least(overlap, greatest(1, supply)), greatest(1, supply)) as excess_fen
      from pr`,
  cont: (f) =>
    `${s(f.o_date)}已开具【${s(f.o_code)}】（可用${s(f.o_supply)}天，至${s(f.o_end)}），${s(f.fee_date)}又开具同成分药品【${s(f.hilist_code)}】，用药时间重叠${s(f.overlap)}天`,
};

export const BATCH_RULES: ReadonlyMap<string, BatchRule> = new Map(
  ([MGT_ADM_01, MGT_ADM_03, MGT_ID_01, MGT_TRC_01, MGT_TRC_02, MGT_SWP_01, MGT_ADM_04, MGT_LAG_01, MED_VIS_01, MED_QTY_02] as unknown as BatchRule[]).map((r) => [r.rule_id, r]),
);

/** A rule row's parameters with the schema's defaults, or the Chinese problems. */
export function batchParams(rule: Pick<BatchRule, 'params'>, raw: unknown): { params: Record<string, unknown>; problem: string | null } {
  const value = Value.Default(rule.params, structuredClone(raw ?? {})) as Record<string, unknown>;
  if (Value.Check(rule.params, value)) return { params: value, problem: null };
  const errs = [...Value.Errors(rule.params, value)].slice(0, 3).map((e) => `${e.path || '/'} ${e.message}`);
  return { params: value, problem: `规则参数有误：${errs.join('；')}` };
}

