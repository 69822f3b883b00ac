/**
 * The big-data fraud models of the catalogue (FWA-*, reference audit-rules.md §3.2 and §7.2 point 4) as DuckDB
 * SQL over the snapshot views of batch/views.ts, registered beside the rules of batch/rules-sql.ts and run by the
 * same runner (batch/run.ts), so their findings land in audit_suspect and go through the one review workflow.
 * They are screening models, not verdicts: each suspect's facts carry the statistic, the peer value and the
 * threshold that made it a hit, in Chinese, so a reviewer can judge it. Every threshold is a rule parameter.
 *
 * Two kinds of hit (the `level` of a model):
 *  - 'encounter': the hit names an encounter like the rules of rules-sql.ts (same columns; the runner keeps the
 *    hits whose encounter was registered in the run's window and takes the institution from it);
 *  - 'subject': the hit names an institution, a department or a doctor (peer outliers, Benford). The model limits
 *    itself to the run's window (ctx.from/to) and returns, besides the usual columns, fixmedins_code and
 *    inst_admdvs; psn_no is '' (no one person) and mdtrt_id null; dkey includes the window, so each window's
 *    screening is its own suspect and a rerun of the same window adds nothing.
 */
import { Type } from '@sinclair/typebox';
import { fenToYuan } from '../../platform/money.js';
import { Codes, Flag, Int, paramsOf } from '../rules/util.js';
import { lit } from '../snapshot/sql-text.js';
import type { BatchRule, Facts } from './rules-sql.js';

/** What a batch query may use besides its parameters: the run's window and the day that closes open stays. */
export interface BatchCtx {
  today: string;
  from: string;
  to: string;
}

export interface FwaRule<P = Record<string, unknown>> extends BatchRule<P> {
  level: 'encounter' | 'subject';
  sql(p: P, ctx: BatchCtx): string;
}

const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown, digits: number): string => (v === null || v === undefined || v === '' ? '' : Number(v).toFixed(digits));
const pct = (v: unknown): string => (v === null || v === undefined ? '' : `${(Number(v) * 100).toFixed(1)}%`);
const list = (xs: readonly string[]): string => xs.map(lit).join(', ') || "''";
const inWindow = (col: string, c: BatchCtx) => `${col} between ${lit(c.from)}::DATE and ${lit(c.to)}::DATE`;
/** A drug line: by its 医疗收费项目类别 or by the first letter of its national code (X 西药, Z 中成药, T 饮片). */
const isDrug = (p: { drug_types: string[]; drug_prefixes: string[] }, l = 'l') =>
  `(trim(${l}.med_chrgitm_type) in (${list(p.drug_types)}) or left(${l}.hilist_code, 1) in (${list(p.drug_prefixes)}))`;

// ---------- FWA-PEER-01 同类比较离群 ----------

const LEVEL_NAME: Record<string, string> = { medins: '机构', dept: '科室', doctor: '医师' };
const METRIC_NAME: Record<string, string> = { avg_fee: '次均费用', drug_ratio: '药品费用占比', visits_per_psn: '人次人头比' };

type PeerParams = { levels: string[]; metrics: string[]; min_enc: number; min_peers: number; pctl: number; z_min: number; drug_types: string[]; drug_prefixes: string[] };

/**
 * Per institution / department / doctor over the window: 次均费用, 药品费用占比 and 人次人头比, compared with
 * the peers of the same care setting (门诊/住院) and hospital level (institutions also by type, departments and
 * doctors also by department code). A subject is an outlier when its value is above the peers' P{pctl} and its
 * robust z-score ((x − median) / (1.4826 × MAD)) reaches z_min (when MAD is 0, any value above the median and
 * the percentile counts). Subjects with fewer than min_enc encounters and groups of fewer than min_peers are left
 * out: too small to compare.
 */
const FWA_PEER_01: FwaRule<PeerParams> = {
  rule_id: 'FWA-PEER-01',
  level: 'subject',
  params: paramsOf({
    levels: Codes(['medins', 'dept', 'doctor'], '比较层级：medins 机构、dept 科室、doctor 医师'),
    metrics: Codes(['avg_fee', 'drug_ratio', 'visits_per_psn'], '指标：avg_fee 次均费用、drug_ratio 药品费用占比、visits_per_psn 人次人头比'),
    min_enc: Int(30, 1, 1_000_000, '被比较对象在窗口内至少有此数量的就诊'),
    min_peers: Int(5, 3, 100_000, '同类组至少有此数量的比较对象'),
    pctl: Int(90, 50, 99, '超过同类的此百分位数'),
    z_min: Type.Number({ default: 3.5, minimum: 0, maximum: 100, description: '稳健Z分数不低于此值' }),
    drug_types: Codes(['09', '10', '11'], '药品的医疗收费项目类别'),
    drug_prefixes: Codes(['X', 'Z', 'T'], '药品的医保编码首字母'),
  }),
  sql: (p, c) => `
    with fee as (
      select l.mdtrt_id, sum(l.sum_fen) as fee_fen, coalesce(sum(l.sum_fen) filter (where ${isDrug(p)}), 0) as drug_fen
        from line l join enc e on e.mdtrt_id = l.mdtrt_id where ${inWindow('e.adm_date', c)} group by l.mdtrt_id),
    base as (
      select e.*, coalesce(f.fee_fen, 0) as fee_fen, coalesce(f.drug_fen, 0) as drug_fen
        from enc e left join fee f on f.mdtrt_id = e.mdtrt_id where ${inWindow('e.adm_date', c)}),
    subj as (
      select 'medins' as lvl, fixmedins_code, fixmedins_code as subject, any_value(medins_name) as subject_name,
             ipt_otp_flag || '|' || coalesce(hosp_lv, '') || '|' || coalesce(fixmedins_type, '') as peer, any_value(inst_admdvs) as inst_admdvs,
             count(*) as n_enc, count(distinct psn_no) as n_psn, sum(fee_fen) as fee_fen, sum(drug_fen) as drug_fen
        from base group by all
      union all
      select 'dept', fixmedins_code, fixmedins_code || '|' || dept_code, any_value(medins_name) || any_value(coalesce(dept_name, dept_code)),
             ipt_otp_flag || '|' || coalesce(hosp_lv, '') || '|' || dept_code, any_value(inst_admdvs),
             count(*), count(distinct psn_no), sum(fee_fen), sum(drug_fen)
        from base where coalesce(dept_code, '') <> '' group by fixmedins_code, dept_code, ipt_otp_flag, hosp_lv
      union all
      select 'doctor', b.fixmedins_code, b.fixmedins_code || '|' || b.atddr_no,
             any_value(b.medins_name) || any_value(coalesce(b.dept_name, b.dept_code, '')) || '医师' || coalesce(any_value(pr.prac_name), b.atddr_no),
             b.ipt_otp_flag || '|' || coalesce(b.hosp_lv, '') || '|' || coalesce(b.dept_code, ''), any_value(b.inst_admdvs),
             count(*), count(distinct b.psn_no), sum(b.fee_fen), sum(b.drug_fen)
        from base b left join (select prac_code, any_value(prac_name) as prac_name from practitioner group by prac_code) pr on pr.prac_code = b.atddr_no
       where coalesce(b.atddr_no, '') <> '' group by b.fixmedins_code, b.atddr_no, b.ipt_otp_flag, b.hosp_lv, b.dept_code),
    val as (
      select * from (
        select lvl, fixmedins_code, subject, subject_name, peer, inst_admdvs, n_enc, 'avg_fee' as metric, fee_fen / n_enc as x from subj
        union all select lvl, fixmedins_code, subject, subject_name, peer, inst_admdvs, n_enc, 'drug_ratio', case when fee_fen > 0 then drug_fen / fee_fen else 0 end from subj
        union all select lvl, fixmedins_code, subject, subject_name, peer, inst_admdvs, n_enc, 'visits_per_psn', n_enc / n_psn from subj)
       where lvl in (${list(p.levels)}) and metric in (${list(p.metrics)}) and n_enc >= ${p.min_enc}),
    med as (
      select *, count(*) over g as n_peers, median(x) over g as peer_med, quantile_cont(x, ${p.pctl / 100}) over g as peer_pctl
        from val window g as (partition by lvl, metric, peer)),
    mad as (select *, median(abs(x - peer_med)) over (partition by lvl, metric, peer) as peer_mad from med),
    z as (select *, case when peer_mad > 0 then (x - peer_med) / (1.4826 * peer_mad) end as z from mad where n_peers >= ${p.min_peers})
    select '' as psn_no, null::VARCHAR as mdtrt_id, []::VARCHAR[] as mdtrt_ids,
           lvl || '|' || subject || '|' || metric || '|' || ${lit(c.from)} || '|' || ${lit(c.to)} as dkey, null as sev,
           to_json({level: lvl, subject: subject, name: subject_name, metric: metric, value: x, peer_median: peer_med, peer_pctl: peer_pctl,
                    pctl: ${p.pctl}, z: z, z_min: ${p.z_min}, n_peers: n_peers, n_enc: n_enc, peer: peer, p_from: ${lit(c.from)}, p_to: ${lit(c.to)}})::VARCHAR as facts,
           []::BIGINT[] as off_ids, []::BIGINT[] as rel_ids, null::BIGINT as excess_fen, fixmedins_code, inst_admdvs
      from z
     where x > peer_pctl and x > peer_med and (z is null or z >= ${p.z_min})`,
  cont: (f) => {
    const fmt = (v: unknown) => (f.metric === 'avg_fee' ? `${fenToYuan(Math.round(Number(v)))}元` : f.metric === 'drug_ratio' ? pct(v) : num(v, 2));
    return (
      `${s(f.p_from)}至${s(f.p_to)}${LEVEL_NAME[s(f.level)] ?? ''}${s(f.name)}${METRIC_NAME[s(f.metric)] ?? s(f.metric)}为${fmt(f.value)}，` +
      `同类${s(f.n_peers)}个对象中位数${fmt(f.peer_median)}、P${s(f.pctl)}为${fmt(f.peer_pctl)}，` +
      (f.z === null || f.z === undefined ? '同类离散度为0' : `稳健Z分数${num(f.z, 2)}（阈值${s(f.z_min)}）`) +
      `，共${s(f.n_enc)}次就诊，同类比较离群`
    );
  },
};

// ---------- FWA-BEN-01 Benford 首位数字检验 ----------

type BenParams = { min_amount_fen: number; min_n: number; mad_max: number; peer_pctl: number };

/**
 * Per institution over the window: the first digits of its encounters' total fees against Benford's law
 * (P(d) = log10(1 + 1/d)); the mean absolute deviation over the nine digits above mad_max (Nigrini's
 * nonconformity bound for first digits is 0.015) is a hit. Fixed tariffs bend every institution's distribution (on
 * generated data nearly all exceed 0.015), so with 5 or more institutions tested the deviation must also be above
 * the peer_pctl percentile of theirs: the institution deviates more than its peers do. A weak signal for a reviewer
 * to weigh, 可疑 at most.
 */
const FWA_BEN_01: FwaRule<BenParams> = {
  rule_id: 'FWA-BEN-01',
  level: 'subject',
  params: paramsOf({
    min_amount_fen: Int(1_000, 1, 100_000_000, '只统计总费用不低于此值（分）的就诊'),
    min_n: Int(500, 50, 100_000_000, '机构在窗口内至少有此数量的就诊才检验'),
    mad_max: Type.Number({ default: 0.015, minimum: 0, maximum: 1, description: '首位数字分布与Benford分布的平均绝对偏差超过此值' }),
    peer_pctl: Int(90, 0, 99, '且超过同期受检机构偏差的此百分位数（0 不比较；受检机构少于5家时不比较）'),
  }),
  sql: (p, c) => `
    with amt as (
      select e.fixmedins_code, any_value(e.medins_name) as name, any_value(e.inst_admdvs) as inst_admdvs, sum(l.sum_fen) as fee_fen
        from enc e join line l on l.mdtrt_id = e.mdtrt_id where ${inWindow('e.adm_date', c)} group by e.mdtrt_id, e.fixmedins_code),
    dig as (select fixmedins_code, any_value(name) as name, any_value(inst_admdvs) as inst_admdvs, left(fee_fen::VARCHAR, 1)::INTEGER as d, count(*) as n
              from amt where fee_fen >= ${p.min_amount_fen} group by fixmedins_code, d),
    tot as (select fixmedins_code, sum(n) as n_all from dig group by fixmedins_code having sum(n) >= ${p.min_n}),
    grid as (select t.fixmedins_code, t.n_all, g.d, log10(1 + 1 / g.d) as expct from tot t cross join (select unnest(range(1, 10)) as d) g),
    dev as (
      select g.fixmedins_code, g.n_all, g.d, g.expct, coalesce(x.n, 0) / g.n_all as obs, abs(coalesce(x.n, 0) / g.n_all - g.expct) as ad
        from grid g left join dig x on x.fixmedins_code = g.fixmedins_code and x.d = g.d),
    mad as (select fixmedins_code, any_value(n_all) as n_all, avg(ad) as mad, arg_max(d, ad) as worst_d, arg_max(obs, ad) as worst_obs, arg_max(expct, ad) as worst_exp
              from dev group by fixmedins_code),
    peer as (select count(*) as n_inst, quantile_cont(mad, ${p.peer_pctl / 100}) as peer_mad from mad)
    select '' as psn_no, null::VARCHAR as mdtrt_id, []::VARCHAR[] as mdtrt_ids, 'medins|' || m.fixmedins_code || '|' || ${lit(c.from)} || '|' || ${lit(c.to)} as dkey, null as sev,
           to_json({name: n.name, n: m.n_all, mad: m.mad, mad_max: ${p.mad_max}, n_inst: peer.n_inst, peer_mad: peer.peer_mad, peer_pctl: ${p.peer_pctl}, digit: m.worst_d, observed: m.worst_obs, expected: m.worst_exp,
                    p_from: ${lit(c.from)}, p_to: ${lit(c.to)}})::VARCHAR as facts,
           []::BIGINT[] as off_ids, []::BIGINT[] as rel_ids, null::BIGINT as excess_fen, m.fixmedins_code, n.inst_admdvs
      from mad m join (select fixmedins_code, any_value(name) as name, any_value(inst_admdvs) as inst_admdvs from dig group by fixmedins_code) n on n.fixmedins_code = m.fixmedins_code
      cross join peer
     where m.mad > ${p.mad_max} and (${p.peer_pctl} = 0 or peer.n_inst < 5 or m.mad > peer.peer_mad)`,
  cont: (f) =>
    `${s(f.p_from)}至${s(f.p_to)}${s(f.name)}${s(f.n)}次就诊总费用的首位数字分布与Benford分布的平均绝对偏差为${num(f.mad, 4)}，超过阈值${s(f.mad_max)}` +
    (Number(f.n_inst) >= 5 && Number(f.peer_pctl) > 0 ? `，高于${s(f.n_inst)}家受检机构偏差的P${s(f.peer_pctl)}（${num(f.peer_mad, 4)}）；` : '；') +
    `偏差最大的首位数字${s(f.digit)}占${pct(f.observed)}（Benford期望${pct(f.expected)}），弱信号，须结合其他线索核查`,
};

// ---------- FWA-RING-01 结伴就医/团伙 ----------

type RingParams = { min_shared_days: number; max_gap_minutes: number; min_members: number; same_doctor: boolean; max_visits_per_site: number };

/**
 * Pairs of persons who registered at the same institution (and, with same_doctor, with the same doctor) on the
 * same day within max_gap_minutes of each other, on at least min_shared_days different days of the window, are
 * linked; each connected group of at least min_members persons is a ring (结伴就医). Persons with fewer visit days
 * at a site than min_shared_days cannot be linked there and are dropped first, so busy hospitals do not explode the
 * pair count. One suspect per ring, on its first member (by psn_no) and that member's last co-visit; the members,
 * institutions and shared days are in the facts.
 */
const FWA_RING_01: FwaRule<RingParams> = {
  rule_id: 'FWA-RING-01',
  level: 'encounter',
  params: paramsOf({
    min_shared_days: Int(3, 2, 366, '两人在同一机构同日相近时间就诊的不同天数达到此值即相连'),
    max_gap_minutes: Int(60, 0, 1440, '同日就诊登记时间相差不超过此分钟数'),
    min_members: Int(3, 2, 1000, '相连人群至少有此人数才视为团伙'),
    same_doctor: Flag(false, '还须为同一接诊医师'),
    max_visits_per_site: Int(400, 10, 100_000, '在一个机构就诊天数超过此值的人（如长期透析）不参与配对'),
  }),
  sql: (p, c) => `
    with recursive v as (
      select psn_no, mdtrt_id, fixmedins_code, adm_date, begntime, ${p.same_doctor ? "coalesce(atddr_no, '')" : "''"} as dr
        from enc where ${inWindow('adm_date', c)}),
    site as (select psn_no, fixmedins_code from v group by all
              having count(distinct adm_date) >= ${p.min_shared_days} and count(distinct adm_date) <= ${p.max_visits_per_site}),
    vv as (select v.* from v semi join site s on s.psn_no = v.psn_no and s.fixmedins_code = v.fixmedins_code),
    pair as (
      select a.psn_no as a, b.psn_no as b, a.fixmedins_code, a.adm_date, a.mdtrt_id as a_id, b.mdtrt_id as b_id
        from vv a join vv b on a.fixmedins_code = b.fixmedins_code and a.adm_date = b.adm_date and a.dr = b.dr and a.psn_no < b.psn_no
       where abs(epoch(b.begntime) - epoch(a.begntime)) <= ${p.max_gap_minutes * 60}),
    edge as (select a, b from pair group by a, b having count(distinct adm_date) >= ${p.min_shared_days}),
    und as (select a as x, b as y from edge union all select b, a from edge),
    -- every (node, start) pair of a connected group; UNION drops repeats, so the recursion ends
    r(node, root) as (select x, x from und union select u.y, r.root from r join und u on u.x = r.node),
    reach as (select node, min(root) as comp from r group by node),
    ring as (select comp, list(node order by node) as members, count(*) as n from reach group by comp having count(*) >= ${p.min_members}),
    cov as (
      select rg.comp, x.fixmedins_code, x.adm_date, x.a_id as id, x.a as psn from pair x join reach ra on ra.node = x.a join ring rg on rg.comp = ra.comp
        semi join edge ed on ed.a = x.a and ed.b = x.b
      union
      select rg.comp, x.fixmedins_code, x.adm_date, x.b_id, x.b from pair x join reach ra on ra.node = x.a join ring rg on rg.comp = ra.comp
        semi join edge ed on ed.a = x.a and ed.b = x.b),
    agg as (
      select c.comp, count(distinct c.adm_date) as days, count(distinct c.id) as visits, list(distinct c.fixmedins_code order by c.fixmedins_code) as sites,
             min(c.adm_date) as first_date, max(c.adm_date) as last_date, list(distinct c.id order by c.id) as ids,
             arg_max(c.id, (c.adm_date, c.id)) filter (where c.psn = c.comp) as anchor
        from cov c group by c.comp)
    select rg.comp as psn_no, a.anchor as mdtrt_id, a.ids[1:200] as mdtrt_ids, 'ring|' || md5(array_to_string(rg.members, ',')) as dkey, null as sev,
           to_json({members: rg.members, n: rg.n, sites: a.sites, days: a.days, visits: a.visits, first_date: a.first_date, last_date: a.last_date,
                    min_shared_days: ${p.min_shared_days}, max_gap_minutes: ${p.max_gap_minutes}, min_members: ${p.min_members}})::VARCHAR as facts,
           []::BIGINT[] as off_ids, []::BIGINT[] as rel_ids, null::BIGINT as excess_fen
      from ring rg join agg a on a.comp = rg.comp`,
  cont: (f) => {
    const members = (f.members as string[] | undefined) ?? [];
    const sites = (f.sites as string[] | undefined) ?? [];
    return (
      `${s(f.n)}名参保人（${members.slice(0, 5).join('、')}${members.length > 5 ? '等' : ''}）${s(f.first_date)}至${s(f.last_date)}在${sites.slice(0, 3).join('、')}${sites.length > 3 ? '等' : ''}` +
      `${sites.length}家机构同日相近时间（${s(f.max_gap_minutes)}分钟内）共同就诊，涉及${s(f.days)}天${s(f.visits)}人次，` +
      `两两共同就诊达${s(f.min_shared_days)}天以上，疑似结伴就医/团伙`
    );
  },
};

// ---------- FWA-TRC-01 药品倒卖/回流（职业开药人） ----------

type TrcParams = { min_buys: number; min_medins: number; require_resale: boolean; drug_types: string[]; drug_prefixes: string[] };

/**
 * Per person, drug (its ingredient when the knowledge base knows it, else its code) and calendar month: purchases
 * at many institutions (min_buys purchases at min_medins or more different institutions) mark a 职业开药人; when
 * trace codes of those purchases are later settled again for another person (the box came back into the chain)
 * the hit is 高度可疑, otherwise 可疑 (or none, with require_resale). The purchases are the offending lines.
 */
const FWA_TRC_01: FwaRule<TrcParams> = {
  rule_id: 'FWA-TRC-01',
  level: 'encounter',
  params: paramsOf({
    min_buys: Int(6, 2, 10_000, '同一药品同月购药次数达到此值'),
    min_medins: Int(3, 2, 1_000, '且分布在至少此数量的不同机构'),
    require_resale: Flag(false, '只在购得药品的追溯码又在他人结算中出现时判定'),
    drug_types: Codes(['09', '10', '11'], '药品的医疗收费项目类别'),
    drug_prefixes: Codes(['X', 'Z', 'T'], '药品的医保编码首字母'),
  }),
  sql: (p, c) => `
    with buy as (
      select l.psn_no, l.mdtrt_id, l.feedetl_id, l.hilist_code, l.fixmedins_code, l.fee_date, l.fee_ocur_time, l.drug_trac_codg,
             coalesce(k.ingr_code, l.hilist_code) as grp, strftime(l.fee_date, '%Y-%m') as ym
        from line l left join audit_kb_drug k on k.hilist_code = l.hilist_code and valid_on(k.begndate, k.enddate, l.fee_date)
       where l.cnt > 0 and l.init_feedetl_sn is null and ${isDrug(p)}),
    heavy as (
      select psn_no, grp, ym from buy where ${inWindow('fee_date', c)}
       group by all having count(*) >= ${p.min_buys} and count(distinct fixmedins_code) >= ${p.min_medins}),
    mine as (select b.* from buy b semi join heavy h on h.psn_no = b.psn_no and h.grp = b.grp and h.ym = b.ym),
    resold as (
      select m.feedetl_id, count(*) as n from mine m join buy o on o.drug_trac_codg = m.drug_trac_codg and o.psn_no <> m.psn_no and o.fee_ocur_time > m.fee_ocur_time
       where coalesce(m.drug_trac_codg, '') <> '' group by m.feedetl_id),
    g as (
      select m.psn_no, m.grp, m.ym, count(*) as buys, count(distinct m.fixmedins_code) as sites, sum(l.cnt) as qty,
             list(m.feedetl_id order by m.feedetl_id) as ids, list(distinct m.mdtrt_id order by m.mdtrt_id) as mdtrt_ids,
             arg_max(m.mdtrt_id, (m.fee_ocur_time, m.feedetl_id)) as last_id, count(r.feedetl_id) as resold, any_value(m.hilist_code) as code
        from mine m join line l on l.feedetl_id = m.feedetl_id left join resold r on r.feedetl_id = m.feedetl_id
       group by m.psn_no, m.grp, m.ym)
    select psn_no, last_id as mdtrt_id, mdtrt_ids, psn_no || '|' || grp || '|' || ym as dkey, case when resold > 0 then '2' else '3' end as sev,
           to_json({grp: grp, code: code, ym: ym, buys: buys, sites: sites, qty: qty, resold: resold,
                    min_buys: ${p.min_buys}, min_medins: ${p.min_medins}})::VARCHAR as facts,
           ids as off_ids, []::BIGINT[] as rel_ids, null::BIGINT as excess_fen
      from g where ${p.require_resale} = false or resold > 0`,
  cont: (f) =>
    `${s(f.ym)}在${s(f.sites)}家机构购买同一药品【${s(f.code)}】${s(f.buys)}次、共${num(f.qty, 0)}单位（阈值：${s(f.min_buys)}次且${s(f.min_medins)}家以上）` +
    (Number(f.resold) > 0 ? `，其中${s(f.resold)}盒的追溯码其后又在他人结算中出现，疑似药品倒卖/回流` : '，疑似职业开药人'),
};

// ---------- FWA-HOSP-01 虚假住院 ----------

type HospParams = {
  min_score: number;
  w_other_visit: number;
  max_other_visits: number;
  w_idchk_fail: number;
  w_idchk_none: number;
  daily_ratio_min: number;
  w_daily: number;
  group_min: number;
  w_group: number;
};

/**
 * A score per closed stay from signals in other sources, each with a weight (parameters):
 *  - the person settled visits at other institutions on days strictly inside the stay (w_other_visit each, at most
 *    max_other_visits counted) — the patient was elsewhere;
 *  - the identity check at admission failed and never passed (w_idchk_fail), or there was none while the institution
 *    does check (w_idchk_none);
 *  - daily items (床位、护理、诊查: knowledge base daily_grp) make at least daily_ratio_min of the stay's fees (w_daily);
 *  - group_min or more other persons admitted to the same institution the same day with the same diagnosis category
 *    (w_group) — 组团住院.
 * A stay scoring min_score or more is a hit; its fee lines are the amount at issue.
 */
const FWA_HOSP_01: FwaRule<HospParams> = {
  rule_id: 'FWA-HOSP-01',
  level: 'encounter',
  params: paramsOf({
    min_score: Int(3, 1, 100, '综合评分达到此值判定'),
    w_other_visit: Int(2, 0, 100, '住院期间在其他机构就诊，每次的分值'),
    max_other_visits: Int(3, 1, 100, '住院期间其他机构就诊最多计入次数'),
    w_idchk_fail: Int(2, 0, 100, '入院身份核验未通过的分值'),
    w_idchk_none: Int(1, 0, 100, '机构开展核验而本次住院无核验记录的分值'),
    daily_ratio_min: Type.Number({ default: 0.8, minimum: 0, maximum: 1, description: '按日计费项目（床位、护理、诊查）占住院费用比例达到此值' }),
    w_daily: Int(1, 0, 100, '按日计费项目占比过高的分值'),
    group_min: Int(3, 1, 1000, '同日同机构同诊断类目入院的其他人数达到此值'),
    w_group: Int(1, 0, 100, '组团入院的分值'),
  }),
  sql: (p, c) => `
    with st as (select * from enc where ipt_otp_flag = '2' and dscg_date is not null and ${inWindow('adm_date', c)}),
    other as (
      select s.mdtrt_id, count(*) as n, list(o.mdtrt_id order by o.begntime) as ids, list(distinct coalesce(o.medins_name, o.fixmedins_code)) as names
        from st s join enc o on o.psn_no = s.psn_no and o.mdtrt_id <> s.mdtrt_id and o.fixmedins_code <> s.fixmedins_code
         and o.adm_date > s.adm_date and o.adm_date < s.dscg_date
       group by s.mdtrt_id),
    chk as (
      select s.mdtrt_id, count(k.mdtrt_id) as n, count(*) filter (where k.chk_rslt = '1') as passed
        from st s left join mdtrt_idchk k on k.mdtrt_id = s.mdtrt_id group by s.mdtrt_id),
    checking as (select distinct fixmedins_code from mdtrt_idchk),
    fee as (
      select l.mdtrt_id, sum(l.sum_fen) as fee_fen,
             coalesce(sum(l.sum_fen) filter (where exists (select 1 from audit_kb_item k where k.hilist_code = l.hilist_code and coalesce(k.daily_grp, '') <> ''
                                                             and valid_on(k.begndate, k.enddate, l.fee_date))), 0) as daily_fen
        from line l semi join st on st.mdtrt_id = l.mdtrt_id group by l.mdtrt_id),
    grp as (
      select s.mdtrt_id, count(*) as n from st s join st o on o.fixmedins_code = s.fixmedins_code and o.adm_date = s.adm_date
         and o.psn_no <> s.psn_no and left(o.main_diag, 3) = left(s.main_diag, 3)
       group by s.mdtrt_id),
    sc as (
      select s.psn_no, s.mdtrt_id, s.adm_date, s.dscg_date, s.medins_name, s.main_diag,
             coalesce(ot.n, 0) as other_n, coalesce(ot.ids, []::VARCHAR[]) as other_ids, coalesce(ot.names, []::VARCHAR[]) as other_names,
             ck.n as chk_n, ck.passed as chk_passed, s.fixmedins_code in (select fixmedins_code from checking) as inst_checks,
             coalesce(f.fee_fen, 0) as fee_fen, case when coalesce(f.fee_fen, 0) > 0 then f.daily_fen / f.fee_fen else 0 end as daily_ratio,
             coalesce(g.n, 0) as group_n
        from st s left join other ot on ot.mdtrt_id = s.mdtrt_id left join chk ck on ck.mdtrt_id = s.mdtrt_id
        left join fee f on f.mdtrt_id = s.mdtrt_id left join grp g on g.mdtrt_id = s.mdtrt_id),
    pts as (
      select *, least(other_n, ${p.max_other_visits}) * ${p.w_other_visit} as p_other,
             case when chk_n > 0 and chk_passed = 0 then ${p.w_idchk_fail} when chk_n = 0 and inst_checks then ${p.w_idchk_none} else 0 end as p_chk,
             case when fee_fen > 0 and daily_ratio >= ${p.daily_ratio_min} then ${p.w_daily} else 0 end as p_daily,
             case when group_n >= ${p.group_min} then ${p.w_group} else 0 end as p_group
        from sc)
    select psn_no, mdtrt_id, list_concat([mdtrt_id], other_ids) as mdtrt_ids, mdtrt_id as dkey, null as sev,
           to_json({adm_date: adm_date, dscg_date: dscg_date, name: medins_name, main_diag: main_diag, score: p_other + p_chk + p_daily + p_group,
                    min_score: ${p.min_score}, other_n: other_n, other_names: other_names, p_other: p_other, chk_n: chk_n, chk_passed: chk_passed,
                    p_chk: p_chk, daily_ratio: daily_ratio, daily_ratio_min: ${p.daily_ratio_min}, p_daily: p_daily, group_n: group_n,
                    group_min: ${p.group_min}, p_group: p_group})::VARCHAR as facts,
           null::BIGINT[] as off_ids, []::BIGINT[] as rel_ids, null::BIGINT as excess_fen
      from pts where p_other + p_chk + p_daily + p_group >= ${p.min_score}`,
  cont: (f) => {
    const why: string[] = [];
    if (Number(f.p_other)) why.push(`住院期间在${((f.other_names as string[] | undefined) ?? []).slice(0, 3).join('、')}等其他机构就诊${s(f.other_n)}次（${s(f.p_other)}分）`);
    if (Number(f.p_chk)) why.push(Number(f.chk_n) ? `入院身份核验${s(f.chk_n)}次均未通过（${s(f.p_chk)}分）` : `机构开展身份核验而本次入院无核验记录（${s(f.p_chk)}分）`);
    if (Number(f.p_daily)) why.push(`床位、护理等按日计费项目占住院费用${pct(f.daily_ratio)}，达到${pct(f.daily_ratio_min)}（${s(f.p_daily)}分）`);
    if (Number(f.p_group)) why.push(`同日同机构另有${s(f.group_n)}人以同类诊断入院（${s(f.p_group)}分）`);
    return `${s(f.adm_date)}至${s(f.dscg_date)}在${s(f.name)}住院（主诊断${s(f.main_diag) || '未填'}）：${why.join('；')}；综合评分${s(f.score)}分，达到${s(f.min_score)}分，疑似虚假住院`;
  },
};

export const FWA_RULES: ReadonlyMap<string, FwaRule> = new Map(
  ([FWA_PEER_01, FWA_BEN_01, FWA_RING_01, FWA_TRC_01, FWA_HOSP_01] as unknown as FwaRule[]).map((r) => [r.rule_id, r]),
);

/** Whether a registered batch rule names institutions/doctors rather than encounters. */
export const isSubjectRule = (r: BatchRule): boolean => (r as Partial<FwaRule>).level === 'subject';

export type { Facts };
