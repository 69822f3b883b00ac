/**
 * Test fixture for the 事后 batch tests: writes small histories straight into the settlement tables (persons,
 * institutions, encounters with a main diagnosis, fee lines, settlements, identity checks) so each test states its
 * cases — a violation and its look-alike legitimate neighbour — in a few lines. Used by src/audit/batch tests only.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';

/** Institutions: code → [admdvs, fixmedins_type, hosp_lv]. H1, H2 in 甲市 (9901), H3 in 乙市 (9902); pharmacies P1 (甲市), P2 (乙市). */
export const INST: Record<string, [string, string, string]> = {
  H99010200001: ['990102', '1', '2'],
  H99010200002: ['990103', '1', '3'],
  H99020200003: ['990202', '1', '2'],
  P99010200001: ['990102', '2', '9'],
  P99020200002: ['990202', '2', '9'],
};
export const H1 = 'H99010200001';
export const H2 = 'H99010200002';
export const H3 = 'H99020200003';
export const P1 = 'P99010200001';
export const P2 = 'P99020200002';

/** The area of a fixture institution; other institutions (e.g. a test world's) are taken to be in 990100. */
const areaOf = (inst: string): string => INST[inst]?.[0] ?? '990100';

export interface EncOptions {
  diag?: string;
  med_type?: string;
  dept_code?: string;
  atddr_no?: string;
}

export interface FeeOptions {
  trac?: string;
  refunds?: string;
  med_chrgitm_type?: string;
  /** Unit price (default '1'). */
  pric?: string;
  /** 全自费 amount (default 0; the in-scope amount is the rest). */
  ownpay?: string;
  prd_days?: string;
  rxno?: string;
  bilg_dept_codg?: string;
  bilg_dr_codg?: string;
}

/** A writer of histories into `db`, numbering persons, encounters and fee lines in order of creation. */
export function historyWriter(db: Db) {
  const counts = { psn: 0, enc: 0, fee: 0 };
  /** feedetl_sn → feedetl_id */
  const ids: Record<string, number> = {};
  return {
    counts,
    ids,
    async institutions(): Promise<void> {
      for (const [code, [admdvs, type, lv]] of Object.entries(INST)) {
        await sql`insert into fixmedins (fixmedins_code, fixmedins_name, fixmedins_type, hosp_lv, admdvs, uscc, pinyin, begndate)
                  values (${code}, ${`机构${code}`}, ${type}, ${lv}, ${admdvs}, ${`91${code.slice(1, 17).padEnd(16, '0')}`}, 'JG', '2020-01-01')`.execute(db.k);
      }
    },
    async psn(death_date: string | null = null, gend = '1', brdy = '1970-01-01'): Promise<string> {
      const psn_no = `99010000000000${String(++counts.psn).padStart(6, '0')}`;
      await sql`insert into psn (psn_no, certno, psn_name, gend, brdy, naty, psn_type, death_date)
                values (${psn_no}, ${`C${psn_no}`}, ${`参保人${counts.psn}`}, ${gend}, ${brdy}, '01', '1101', ${death_date})`.execute(db.k);
      return psn_no;
    },
    /** An encounter (ipt 2 = stay from `beg` to `end`) with one main diagnosis. */
    async enc(psn_no: string, inst: string, ipt: '1' | '2', beg: string, end: string | null, o: EncOptions = {}): Promise<string> {
      const id = `M${String(++counts.enc).padStart(6, '0')}`;
      const diag = o.diag ?? 'K29.700';
      await sql`insert into mdtrt (mdtrt_id, ipt_otp_flag, psn_no, insutype, psn_type, med_type, ipt_otp_no, fixmedins_code, mdtrtarea_admvs, insuplc_admdvs,
                  mdtrt_cert_type, begntime, endtime, dise_codg, mdtrt_stas, reg_msgid, dept_code, dept_name, atddr_no)
                values (${id}, ${ipt}, ${psn_no}, '310', '1101', ${o.med_type ?? (ipt === '2' ? '21' : inst.startsWith('P') ? '41' : '11')}, ${id}, ${inst}, ${areaOf(inst)}, '990100',
                  '02', ${`${beg}+08`}::timestamptz, ${end ? `${end}+08` : null}::timestamptz, ${diag}, ${end ? '2' : '1'}, ${id},
                  ${o.dept_code ?? null}, ${o.dept_code ? `科室${o.dept_code}` : null}, ${o.atddr_no ?? null})`.execute(db.k);
      await sql`insert into mdtrt_diag (mdtrt_id, stage, diag_type, diag_srt_no, diag_code, diag_name, maindiag_flag, msgid)
                values (${id}, ${ipt === '2' ? 'dscg' : 'opt'}, '1', 1, ${diag}, ${`诊断${diag}`}, '1', ${id})`.execute(db.k);
      return id;
    },
    async fee(mdtrt_id: string, psn_no: string, code: string, at: string, cnt: string, amt: string, o: FeeOptions = {}): Promise<string> {
      const sn = `F${++counts.fee}`;
      const own = o.ownpay ?? '0';
      const r = await sql<{ feedetl_id: number }>`insert into feedetl (mdtrt_id, feedetl_sn, psn_no, init_feedetl_sn, fee_ocur_time, hilist_code, medins_list_codg, pric, cnt,
                  det_item_fee_sumamt, fulamt_ownpay_amt, overlmt_amt, preselfpay_amt, inscp_scp_amt, chrgitm_lv, selfpay_prop, lmt_used_flag, drug_trac_codg, upload_msgid,
                  med_chrgitm_type, prd_days, rxno, bilg_dept_codg, bilg_dr_codg)
                values (${mdtrt_id}, ${sn}, ${psn_no}, ${o.refunds ?? null}, ${`${at}+08`}::timestamptz, ${code}, ${code}, ${o.pric ?? '1'}, ${cnt}, ${amt}, ${own}, 0, 0,
                  ${amt}::numeric - ${own}::numeric, '01', 0, '0', ${o.trac ?? null}, ${sn}, ${o.med_chrgitm_type ?? null}, ${o.prd_days ?? null}, ${o.rxno ?? null},
                  ${o.bilg_dept_codg ?? null}, ${o.bilg_dr_codg ?? null}) returning feedetl_id`.execute(db.k);
      ids[sn] = r.rows[0]!.feedetl_id;
      return sn;
    },
    async setl(mdtrt_id: string, psn_no: string, inst: string, at: string, amt: string): Promise<void> {
      await sql`insert into setl (setl_id, mdtrt_id, psn_no, insutype, psn_type, cvlserv_flag, med_type, acct_used_flag, setl_time, policy_id, medfee_sumamt,
                  fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, inscp_scp_amt, act_pay_dedc, hifp_pay, pool_prop_selfpay, cvlserv_pay, hifes_pay, hifmi_pay,
                  hifob_pay, maf_pay, oth_pay, fund_pay_sumamt, psn_part_amt, acct_pay, acct_mulaid_pay, psn_cash_pay, hosp_part_amt, balc, medins_setl_id,
                  fixmedins_code, mdtrtarea_admvs, insuplc_admdvs, clr_optins, clr_way, clr_type)
                values (${`S${mdtrt_id}`}, ${mdtrt_id}, ${psn_no}, '310', '1101', '0', '11', '0', ${`${at}+08`}::timestamptz, 'POL1', ${amt}, 0, 0, 0, ${amt}, 0, ${amt}, 0, 0, 0, 0,
                  0, 0, 0, ${amt}, 0, 0, 0, 0, 0, 0, ${`S${mdtrt_id}`}, ${inst}, ${areaOf(inst)}, '990100', '990100', '1', '11')`.execute(db.k);
    },
    /** An identity check at the start of an encounter: pass '1' or fail '0'. */
    async idchk(mdtrt_id: string, psn_no: string, inst: string, at: string, rslt: '0' | '1'): Promise<void> {
      await sql`insert into mdtrt_idchk (mdtrt_id, psn_no, fixmedins_code, chk_time, mdtrt_cert_type, chk_way, chk_rslt)
                values (${mdtrt_id}, ${psn_no}, ${inst}, ${`${at}+08`}::timestamptz, '01', 'face', ${rslt})`.execute(db.k);
    },
  };
}

export type HistoryWriter = ReturnType<typeof historyWriter>;
