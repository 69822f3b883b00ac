/**
 * The facts the 事后 line rules read, built once per batch run in DuckDB (`lx`): every valid fee line of the
 * encounters registered in the run's window, with what the real-time engine's claim model (engine/claim.ts) derives
 * for it — service date, days supplied (周期天数), amounts in 分 (the fundable part: sumamt − 全自费), quantity ×10⁴ and
 * unit price in µ元, the catalogue version valid on the service date (name, list type, 丙类), its restriction
 * (限定支付范围), the audit item knowledge and drug knowledge valid then — and what it derives for the encounter
 * (inpatient?, scene, hospital level, the diagnoses in the engine's order, the person's sex and age). One join of the
 * knowledge per distinct (code, date) rather than per line keeps the build a few scans of the line table.
 *
 * Where the engine takes "the first valid row" of an unordered list, the order here is stated: the catalogue by
 * (insu_admdvs, begndate), knowledge keyed by code exact first, then the longest prefix, then begndate.
 */
import type { DuckDBConnection } from '../snapshot/duck.js';
import { lit } from '../snapshot/sql-text.js';

/** Mirrors engine/claim.ts INPATIENT_MED_TYPES and PHARMACY_MED_TYPES. */
const INPATIENT_MED_TYPES = ['52', '92', '9902', '9904', '9907', '9921', '9925'];
const PHARMACY_MED_TYPES = ['41', '93'];
/** claim.ts prepareEncounter: by 医疗类别 when there is one, else by the encounter's own flag. */
const INPATIENT = `case when coalesce(med_type, '') <> '' then starts_with(med_type, '2') or med_type in (${INPATIENT_MED_TYPES.map(lit).join(', ')})
                   else ipt_otp_flag = '2' end`;

/** A stored list (comma, full-width comma, semicolons or blanks) as VARCHAR[], as restrictions.ts splitList reads it. */
export const splitSql = (col: string): string => `list_filter(regexp_split_to_array(coalesce(${col}, ''), '[,，;；\\s]+'), lambda s: s <> '')`;

/** True when some code of `codes` falls under some pattern of `patterns` (util.ts hasDiag). */
export const anyDiag = (patterns: string, codes: string): string =>
  `(len(list_filter(${patterns}, lambda pt: len(list_filter(${codes}, lambda cd: diag_match(pt, cd))) > 0)) > 0)`;

/**
 * Knowledge rows of `table` keyed by `keyCol` (a code or 'prefix*') for every distinct line code they cover, ranked
 * as the engine's CodeIndex lists them: exact code first, then longer prefixes.
 */
const candidates = (table: string, keyCol: string, name: string) => `
  create or replace temp table ${name} as
  select c.hilist_code as code, k.*, (k.${keyCol} = c.hilist_code) as exact, length(k.${keyCol}) as klen
    from (select distinct hilist_code from lx_base) c join ${table} k
      on k.${keyCol} = c.hilist_code or (ends_with(k.${keyCol}, '*') and starts_with(c.hilist_code, left(k.${keyCol}, length(k.${keyCol}) - 1)))`;

/** Builds `lx` (and the per-code candidate tables kb_item_c, kb_drug_c, kb_pair_c, kb_herb_c) for the window. */
export async function buildLineFacts(conn: DuckDBConnection, o: { from: string; to: string; today: string }): Promise<void> {
  const win = `e.adm_date between ${lit(o.from)}::DATE and ${lit(o.to)}::DATE`;
  const steps = [
    `create or replace temp table ex as
     with e0 as (
       select e.*, p.gend, p.brdy,
              list_concat(case when e.main_diag is not null and e.main_diag <> '' then [e.main_diag] else []::VARCHAR[] end, e.diags) as dx0
         from enc e join psn p on p.psn_no = e.psn_no where ${win})
     select mdtrt_id, psn_no, gend, brdy, adm_date, dscg_date, med_type, insutype, ipt_otp_flag,
            nullif(dept_code, '') as dept_code, nullif(dept_name, '') as dept_name, nullif(atddr_no, '') as atddr_no,
            nullif(main_diag, '') as main_diag, list_filter(dx0, lambda x, i: list_position(dx0, x) = i) as dx,
            ${INPATIENT} as inpatient,
            case when ${INPATIENT} then '2' when med_type in (${PHARMACY_MED_TYPES.map(lit).join(', ')}) then '3' else '1' end as scene,
            nullif(trim(hosp_lv), '') as lv, coalesce(dscg_date, ${lit(o.today)}::DATE) as today_c
       from e0`,
    `create or replace temp table lx_base as
     select l.feedetl_id, l.feedetl_sn, l.mdtrt_id, l.psn_no, l.hilist_code, coalesce(l.rxno, l.feedetl_sn) as rxno, l.fee_date,
            case when l.prd_days >= 1 then l.fee_date + (ceil(l.prd_days)::INTEGER - 1) end as stop_date,
            (l.cnt * 10000)::BIGINT as q4, (l.pric * 1000000)::BIGINT as micro, l.sum_fen, greatest(0, l.sum_fen - fen(coalesce(l.fulamt_ownpay_amt, 0))) as fund_fen,
            nullif(l.bilg_dept_codg, '') as bilg_dept, nullif(l.bilg_dr_codg, '') as bilg_dr, nullif(trim(l.med_chrgitm_type), '') as line_chrg_type
       from line l join ex e on e.mdtrt_id = l.mdtrt_id`,
    `create or replace temp table cd as select distinct hilist_code, fee_date from lx_base`,
    candidates('audit_kb_item', 'hilist_code', 'kb_item_c'),
    candidates('audit_kb_drug', 'hilist_code', 'kb_drug_c'),
    candidates('audit_kb_pair', 'item_a', 'kb_pair_c'),
    candidates('audit_kb_herb', 'hilist_code', 'kb_herb_c'),
    // the versions valid on each (code, date): catalogue, restriction, item and drug knowledge
    `create or replace temp table cd_facts as
     with cat as (
       select cd.hilist_code, cd.fee_date, h.hilist_name, trim(h.list_type) as list_type, trim(h.med_chrgitm_type) as med_chrgitm_type, trim(h.chrgitm_lv) as chrgitm_lv
         from cd join hilist h on h.hilist_code = cd.hilist_code and valid_on(h.begndate, h.enddate, cd.fee_date)
       qualify row_number() over (partition by cd.hilist_code, cd.fee_date order by h.insu_admdvs, h.begndate) = 1),
     lmt as (
       select cd.hilist_code, cd.fee_date, m.*
         from cd join hilist_lmt m on m.hilist_code = cd.hilist_code and valid_on(m.begndate, m.enddate, cd.fee_date)
       qualify row_number() over (partition by cd.hilist_code, cd.fee_date order by m.insu_admdvs, m.begndate) = 1),
     kbi as (
       select cd.hilist_code, cd.fee_date, k.child_age_max, coalesce(nullif(trim(k.child_age_unit), ''), 'Y') as child_age_unit, k.age_exempt_diag,
              k.dept_codes, k.indication_diag, nullif(trim(k.daily_grp), '') as daily_grp, trim(k.not_paid) = '1' as not_paid
         from cd join kb_item_c k on k.code = cd.hilist_code and valid_on(k.begndate, k.enddate, cd.fee_date)
       qualify row_number() over (partition by cd.hilist_code, cd.fee_date order by k.exact desc, k.klen desc, k.begndate) = 1),
     drug as (
       select cd.hilist_code, cd.fee_date, (k.std_daily_qty * 10000)::BIGINT as std_q4, (k.max_daily_qty * 10000)::BIGINT as max_q4, k.max_days
         from cd join kb_drug_c k on k.code = cd.hilist_code and valid_on(k.begndate, k.enddate, cd.fee_date)
       qualify row_number() over (partition by cd.hilist_code, cd.fee_date order by k.exact desc, k.klen desc, k.begndate) = 1)
     select cd.hilist_code, cd.fee_date, cat.hilist_name, cat.hilist_code is not null as cat_found, coalesce(cat.list_type, '') as list_type,
            cat.med_chrgitm_type as cat_chrg_type, cat.chrgitm_lv,
            lmt.hilist_code is not null as has_lmt, nullif(trim(lmt.lmt_gend), '') as lmt_gend, lmt.lmt_age_min, lmt.lmt_age_max, ${splitSql('lmt.lmt_diag')} as lmt_diag,
            nullif(trim(lmt.lmt_min_hosp_lv), '') as lmt_min_hosp_lv, ${splitSql('lmt.lmt_scene')} as lmt_scene, ${splitSql('lmt.lmt_insutype')} as lmt_insutype,
            lmt.lmt_max_days, lmt.lmt_max_cnt, coalesce(lmt.lmt_memo, '') as lmt_memo,
            kbi.hilist_code is not null as has_kbi, kbi.child_age_max, coalesce(kbi.child_age_unit, 'Y') as child_age_unit, ${splitSql('kbi.age_exempt_diag')} as age_exempt_diag,
            ${splitSql('kbi.dept_codes')} as dept_codes, ${splitSql('kbi.indication_diag')} as indication_diag, kbi.daily_grp, coalesce(kbi.not_paid, false) as not_paid,
            drug.hilist_code is not null as has_drug, drug.std_q4, drug.max_q4, drug.max_days as drug_max_days
       from cd
       left join cat on cat.hilist_code = cd.hilist_code and cat.fee_date = cd.fee_date
       left join lmt on lmt.hilist_code = cd.hilist_code and lmt.fee_date = cd.fee_date
       left join kbi on kbi.hilist_code = cd.hilist_code and kbi.fee_date = cd.fee_date
       left join drug on drug.hilist_code = cd.hilist_code and drug.fee_date = cd.fee_date`,
    // the price cap of the encounter's level on the service date (µ元), as Knowledge.cap picks it
    `create or replace temp table cap_c as
     with k as (select distinct b.hilist_code, b.fee_date, e.lv from lx_base b join ex e on e.mdtrt_id = b.mdtrt_id where e.lv is not null)
     select k.hilist_code, k.fee_date, k.lv, fen(c.pric_uplmt_amt) * 10000 as cap_micro
       from k join hilist_pric_uplmt c on c.hilist_code = k.hilist_code and trim(c.hosp_lv) = k.lv and valid_on(c.begndate, c.enddate, k.fee_date)
     qualify row_number() over (partition by k.hilist_code, k.fee_date, k.lv order by c.insu_admdvs, c.begndate) = 1`,
    `create or replace temp table lx as
     select b.*, coalesce(f.hilist_name, b.hilist_code) as name, cp.cap_micro, f.cat_found, f.list_type, coalesce(f.cat_chrg_type, b.line_chrg_type, '') as chrg_type, f.chrgitm_lv,
            f.* exclude (hilist_code, fee_date, hilist_name, cat_found, list_type, cat_chrg_type, chrgitm_lv),
            e.gend, e.brdy, e.adm_date, e.dscg_date, e.med_type, e.insutype, e.dept_code, e.dept_name, e.atddr_no, e.main_diag, e.dx, e.inpatient,
            e.scene, e.lv, e.today_c,
            year(b.fee_date) - year(e.brdy) - case when strftime(b.fee_date, '%m-%d') < strftime(e.brdy, '%m-%d') then 1 else 0 end as age_y,
            b.fee_date - e.brdy as age_d
       from lx_base b join ex e on e.mdtrt_id = b.mdtrt_id join cd_facts f on f.hilist_code = b.hilist_code and f.fee_date = b.fee_date
       left join cap_c cp on cp.hilist_code = b.hilist_code and cp.fee_date = b.fee_date and cp.lv = e.lv
      order by b.mdtrt_id, b.feedetl_id`,
    `drop table lx_base`,
  ];
  for (const s of steps) await conn.run(s);
}

/** Drops what buildLineFacts made (the run's DuckDB file is removed anyway; this frees its space early). */
export async function dropLineFacts(conn: DuckDBConnection): Promise<void> {
  for (const t of ['lx', 'cd', 'cd_facts', 'cap_c', 'ex', 'kb_item_c', 'kb_drug_c', 'kb_pair_c', 'kb_herb_c']) await conn.run(`drop table if exists ${t}`);
}
