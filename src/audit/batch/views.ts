/**
 * The batch engine's DuckDB session over a snapshot: one view per snapshot table (read_parquet over the Hive
 * partitions, or an empty typed table when the snapshot has no rows of it), the code-matching macros the rules
 * share (the same semantics as kb/code-index codeMatches and catalogue diagMatches), and the two derived tables
 * every rule reads, built once per run and sorted by person (so per-person reads skip row groups): `enc` (valid
 * encounters with their dates, main diagnosis, institution attributes on the admission date and valid settlement)
 * and `line` (valid fee lines with their encounter's person, institution and date). The session should be a
 * disk-backed DuckDB database so these tables spill instead of filling memory.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lit, type DuckDBConnection } from '../snapshot/duck.js';
import { readManifest, type SnapshotManifest } from '../snapshot/snapshot.js';
import { SNAPSHOT_TABLES } from '../snapshot/tables.js';

const MACROS = [
  // kb/code-index codeMatches: a pattern ending in '*' is a prefix
  `create or replace macro code_match(p, c) as case when ends_with(p, '*') then starts_with(c, left(p, length(p) - 1)) else p = c end`,
  // catalogue diagMatches: 'I20-I25' is a range of categories, anything else a prefix
  `create or replace macro diag_match(p, c) as case when strpos(p, '-') > 1 then left(c, 3) between split_part(p, '-', 1) and split_part(p, '-', 2) else starts_with(c, p) end`,
  `create or replace macro valid_on(b, e, d) as b <= d and (e is null or e >= d)`,
  `create or replace macro fen(x) as (x * 100)::BIGINT`,
  // num.ts prorate: fen × part ÷ whole, rounded half away from zero
  `create or replace macro prorate(f, part, whole) as case when whole = 0 then 0::BIGINT else (sign(f * part) * ((2 * abs(f * part) + whole) // (2 * whole)))::BIGINT end`,
];

const DERIVED = [
  `create or replace table enc as
   with dx as (
     select mdtrt_id, diag_code, maindiag_flag, diag_srt_no,
            dense_rank() over (partition by mdtrt_id order by case stage when 'dscg' then 0 when 'opt' then 1 else 2 end) as stage_rank
       from mdtrt_diag where vali_flag = '1'),
   main as (
     select mdtrt_id, arg_min(diag_code, (case when maindiag_flag = '1' then 0 else 1 end, diag_srt_no)) as main_diag,
            list(diag_code order by diag_srt_no) as diags
       from dx where stage_rank = 1 group by mdtrt_id)
   select m.mdtrt_id, m.ipt_otp_flag, m.psn_no, m.insutype, m.med_type, m.fixmedins_code, m.mdtrtarea_admvs, m.begntime, m.endtime,
          m.begntime::DATE as adm_date, m.endtime::DATE as dscg_date, m.oprn_oprt_code, m.dept_code, m.dept_name, m.atddr_no,
          coalesce(main.main_diag, m.dise_codg) as main_diag, coalesce(main.diags, []::VARCHAR[]) as diags,
          coalesce(i.fixmedins_name, m.fixmedins_code) as medins_name, i.hosp_lv, i.fixmedins_type, coalesce(i.admdvs, m.mdtrtarea_admvs) as inst_admdvs,
          s.setl_id, s.setl_time
     from mdtrt m
     left join main on main.mdtrt_id = m.mdtrt_id
     left join fixmedins i on i.fixmedins_code = m.fixmedins_code and valid_on(i.begndate, i.enddate, m.begntime::DATE)
     left join setl s on s.mdtrt_id = m.mdtrt_id and s.refd_setl_flag = '0' and s.vali_flag = '1'
    where m.vali_flag = '1'
    order by m.psn_no, m.begntime`,
  `create or replace table line as
   select f.feedetl_id, f.feedetl_sn, f.mdtrt_id, e.psn_no, e.fixmedins_code, e.ipt_otp_flag, f.hilist_code, f.rxno, f.init_feedetl_sn,
          f.fee_ocur_time::DATE as fee_date, f.fee_ocur_time, f.cnt, f.pric, f.det_item_fee_sumamt, f.inscp_scp_amt,
          fen(f.det_item_fee_sumamt) as sum_fen, fen(f.inscp_scp_amt) as inscp_fen, f.drug_trac_codg, f.med_chrgitm_type,
          f.fulamt_ownpay_amt, f.bilg_dept_codg, f.bilg_dr_codg, f.prd_days
     from feedetl f join enc e on e.mdtrt_id = f.mdtrt_id
    where f.vali_flag = '1'
    order by e.psn_no, f.mdtrt_id, f.feedetl_id`,
];

/** Views over every table of the snapshot in `dir`, the macros and the derived views. */
export async function attachSnapshot(conn: DuckDBConnection, dir: string): Promise<SnapshotManifest> {
  const root = resolve(dir);
  const manifest = readManifest(root);
  for (const spec of SNAPSHOT_TABLES) {
    const t = manifest.tables[spec.name];
    const path = join(root, spec.name);
    if (t && t.rows > 0 && existsSync(path)) {
      const glob = spec.bound ? join(path, '**', '*.parquet') : join(path, '*.parquet');
      await conn.run(`create or replace view ${spec.name} as select * from read_parquet(${lit(glob)}, hive_partitioning = ${spec.bound}, hive_types_autocast = false)`);
    } else {
      await conn.run(`create or replace table ${spec.name} (${spec.cols.map(([c, ty]) => `${c} ${ty}`).join(', ')})`);
    }
  }
  for (const m of MACROS) await conn.run(m);
  for (const v of DERIVED) await conn.run(v);
  return manifest;
}
