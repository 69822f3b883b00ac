/**
 * Tables of the settlement lists (migration 0012), declared into the shared Tables.
 */
import type { Generated } from 'kysely';

/** 0 已撤回 1 已提交 2 已锁定（经办机构锁定，机构不能再改） */
export type SetlListStas = '0' | '1' | '2';

export const STAS_NAMES: Record<SetlListStas, string> = { '0': '已撤回', '1': '已提交', '2': '已锁定' };

export interface SetlListTable {
  setl_id: string;
  fixmedins_code: string;
  mdtrt_id: string;
  psn_no: string | null;
  cur_ver: number;
  setl_list_id: string;
  stas_type: SetlListStas;
  stas_time: Generated<Date>;
  crte_time: Generated<Date>;
  updt_time: Generated<Date>;
}

export interface SetlListVerTable {
  setl_list_id: string;
  setl_id: string;
  ver_no: number;
  infno: string;
  msgid: string | null;
  fixmedins_code: string;
  mdtrt_id: string;
  psn_name: string | null;
  certno: string | null;
  gend: string | null;
  brdy: string | null;
  age: string | null;
  nwb_age: number | null;
  hi_type: string | null;
  insuplc: string | null;
  ipt_med_type: string | null;
  adm_time: Date | null;
  dscg_time: Date | null;
  dscg_date: string | null;
  act_ipt_days: number | null;
  dscg_way: string | null;
  hi_paymtd: string | null;
  main_diag_code: string | null;
  main_oprn_code: string | null;
  medfee_sumamt: string;
  psn_selfpay: string | null;
  psn_ownpay: string | null;
  acct_pay: string | null;
  psn_cashpay: string | null;
  fund_pay_sumamt: string;
  content: unknown;
  qc_rslt: '0' | '1';
  qc_report: unknown;
  opter: string | null;
  opter_name: string | null;
  upld_time: Generated<Date>;
}

export interface SetlListDiagTable {
  setl_list_id: string;
  seq: number;
  diag_type: string;
  diag_code: string;
  diag_name: string | null;
  adm_cond_type: string | null;
  maindiag_flag: string;
}

export interface SetlListOprnTable {
  setl_list_id: string;
  seq: number;
  oprn_oprt_type: string | null;
  oprn_oprt_code: string;
  oprn_oprt_name: string | null;
  oprn_oprt_date: string | null;
  anst_way: string | null;
  oper_dr_code: string | null;
  anst_dr_code: string | null;
  main_flag: string;
}

export interface SetlListItemTable {
  setl_list_id: string;
  seq: number;
  med_chrgitm: string;
  amt: string;
  claa_sumfee: string | null;
  clab_amt: string | null;
  fulamt_ownpay_amt: string | null;
  oth_amt: string | null;
}

export interface SetlListPayTable {
  setl_list_id: string;
  seq: number;
  fund_pay_type: string;
  fund_payamt: string;
}

export interface SetlListIcuTable {
  setl_list_id: string;
  seq: number;
  scs_cutd_ward_type: string | null;
  scs_cutd_inpool_time: Date | null;
  scs_cutd_exit_time: Date | null;
  scs_cutd_sum_dura: string | null;
}

export interface SetlListStasTable {
  stas_id: Generated<number>;
  setl_id: string;
  from_stas: string | null;
  to_stas: string;
  ver_no: number;
  msgid: string | null;
  opter: string | null;
  opter_name: string | null;
  memo: string | null;
  chg_time: Generated<Date>;
}

export interface SetlListQcTable {
  qc_id: Generated<number>;
  setl_id: string | null;
  fixmedins_code: string;
  infno: string;
  msgid: string | null;
  accepted: boolean;
  setl_list_id: string | null;
  err_cnt: number;
  warn_cnt: number;
  report: unknown;
  qc_time: Generated<Date>;
}

declare module '../../platform/db.js' {
  interface Tables {
    setl_list: SetlListTable;
    setl_list_ver: SetlListVerTable;
    setl_list_diag: SetlListDiagTable;
    setl_list_oprn: SetlListOprnTable;
    setl_list_item: SetlListItemTable;
    setl_list_pay: SetlListPayTable;
    setl_list_icu: SetlListIcuTable;
    setl_list_stas: SetlListStasTable;
    setl_list_qc: SetlListQcTable;
  }
}
