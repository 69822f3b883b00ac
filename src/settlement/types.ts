/**
 * Settlement table types (migration 0010, declared into the shared Tables) and the domain shapes the settlement
 * services take and return. Money is integer fen in code and numeric(16,2) text in rows; only platform/money
 * converts. Owns mdtrt, mdtrt_diag, feedetl, setl, setl_fund, setl_feedetl, setl_mulaid, setl_acc_year,
 * setl_acc_grp, setl_acc_move and fund_ledger; setl_audit_cfg (migration 0015: what a 事中 audit hit does at settlement).
 */
import type { Generated, Kysely, Transaction } from 'kysely';
import type { Db, Tables } from '../platform/db.js';
import type { Actor } from '../platform/oplog.js';
import type { FixmedinsTable } from '../standards/institutions/institutions.js';

export interface MdtrtTable {
  mdtrt_id: string;
  ipt_otp_flag: '1' | '2';
  psn_no: string;
  insutype: string;
  psn_type: string;
  med_type: string;
  ipt_otp_no: string;
  fixmedins_code: string;
  mdtrtarea_admvs: string;
  insuplc_admdvs: string;
  mdtrt_cert_type: string;
  mdtrt_cert_no: string | null;
  begntime: Date;
  endtime: Date | null;
  dept_code: string | null;
  dept_name: string | null;
  caty: string | null;
  atddr_no: string | null;
  dr_name: string | null;
  adm_bed: string | null;
  adm_diag_dscr: string | null;
  medrcdno: string | null;
  coner_name: string | null;
  tel: string | null;
  main_cond_dscr: string | null;
  dise_codg: string | null;
  dise_name: string | null;
  oprn_oprt_code: string | null;
  oprn_oprt_name: string | null;
  dise_type_code: string | null;
  matn_type: string | null;
  birctrl_type: string | null;
  birctrl_matn_date: string | null;
  geso_val: number | null;
  fetts: number | null;
  fetus_cnt: number | null;
  pret_flag: string | null;
  latechb_flag: string | null;
  fpsc_no: string | null;
  dscg_dept_codg: string | null;
  dscg_dept_name: string | null;
  dscg_bed: string | null;
  dscg_way: string | null;
  die_date: string | null;
  cop_flag: string | null;
  vali_flag: Generated<'0' | '1'>;
  mdtrt_stas: Generated<'1' | '2'>;
  setl_flag: Generated<'0' | '1'>;
  reg_msgid: string;
  dscg_msgid: string | null;
  crte_time: Generated<Date>;
  updt_time: Generated<Date>;
}

export interface MdtrtDiagTable {
  diag_id: Generated<number>;
  mdtrt_id: string;
  stage: 'opt' | 'adm' | 'dscg';
  diag_type: string;
  diag_srt_no: number;
  diag_code: string;
  diag_name: string;
  maindiag_flag: '0' | '1';
  diag_dept: string | null;
  dise_dor_no: string | null;
  dise_dor_name: string | null;
  diag_time: Date | null;
  adm_cond: string | null;
  vali_flag: Generated<'0' | '1'>;
  msgid: string;
  crte_time: Generated<Date>;
}

export interface FeedetlTable {
  feedetl_id: Generated<number>;
  mdtrt_id: string;
  feedetl_sn: string;
  psn_no: string;
  chrg_bchno: string | null;
  init_feedetl_sn: string | null;
  drord_no: string | null;
  rxno: string | null;
  rx_circ_flag: string | null;
  med_type: string | null;
  fee_ocur_time: Date;
  hilist_code: string;
  medins_list_codg: string;
  pric: string;
  cnt: string;
  det_item_fee_sumamt: string;
  sin_dos_dscr: string | null;
  used_frqu_dscr: string | null;
  prd_days: string | null;
  medc_way_dscr: string | null;
  bilg_dept_codg: string | null;
  bilg_dept_name: string | null;
  bilg_dr_codg: string | null;
  bilg_dr_name: string | null;
  acord_dept_codg: string | null;
  acord_dept_name: string | null;
  orders_dr_code: string | null;
  orders_dr_name: string | null;
  hosp_appr_flag: string | null;
  tcmdrug_used_way: string | null;
  etip_flag: string | null;
  etip_hosp_code: string | null;
  dscg_tkdrug_flag: string | null;
  matn_fee_flag: string | null;
  tcmherb_prov_code: string | null;
  mcs_prov_code: string | null;
  drug_trac_codg: string | null;
  fulamt_ownpay_amt: string;
  overlmt_amt: string;
  preselfpay_amt: string;
  inscp_scp_amt: string;
  chrgitm_lv: string;
  med_chrgitm_type: string | null;
  selfpay_prop: string;
  pric_uplmt_amt: string | null;
  lmt_used_flag: string;
  memo: string | null;
  vali_flag: Generated<'0' | '1'>;
  upload_msgid: string;
  cncl_msgid: string | null;
  cncl_time: Date | null;
  crte_time: Generated<Date>;
}

/** The money columns of a setl row (numeric text). */
export interface SetlAmountColumns {
  medfee_sumamt: string;
  fulamt_ownpay_amt: string;
  overlmt_selfpay: string;
  preselfpay_amt: string;
  inscp_scp_amt: string;
  act_pay_dedc: string;
  hifp_pay: string;
  cvlserv_pay: string;
  hifes_pay: string;
  hifmi_pay: string;
  hifob_pay: string;
  maf_pay: string;
  oth_pay: string;
  fund_pay_sumamt: string;
  psn_part_amt: string;
  acct_pay: string;
  acct_mulaid_pay: string;
  psn_cash_pay: string;
  hosp_part_amt: string;
  balc: string;
}

export interface SetlTable extends SetlAmountColumns {
  setl_id: string;
  mdtrt_id: string;
  psn_no: string;
  insutype: string;
  psn_type: string;
  cvlserv_flag: string;
  med_type: string;
  mdtrt_cert_type: string | null;
  psn_setlway: string | null;
  acct_used_flag: string;
  mid_setl_flag: string;
  invono: string | null;
  setl_time: Date;
  policy_id: string;
  pool_prop_selfpay: string;
  medins_setl_id: string;
  fixmedins_code: string;
  mdtrtarea_admvs: string;
  insuplc_admdvs: string;
  clr_optins: string;
  clr_way: string;
  clr_type: string;
  refd_setl_flag: '0' | '1';
  init_setl_id: string | null;
  vali_flag: Generated<'0' | '1'>;
  crte_time: Generated<Date>;
  /** Write order (migration 0020), assigned by the database: within a stay, the order of the 中途结算 chain. */
  setl_seq: Generated<number>;
  /** 起付标准 applied (migration 0020); a continued stay keeps its first settlement's. Null on older rows. */
  dedc_std: string | null;
}

export interface SetlFundTable {
  setl_id: string;
  seq: number;
  fund_pay_type: string;
  fund_pay_type_name: string;
  inscp_scp_amt: string;
  crt_payb_lmt_amt: string;
  fund_payamt: string;
  setl_proc_info: string;
}

export interface SetlFeedetlTable {
  setl_id: string;
  feedetl_id: number;
  mdtrt_id: string;
  feedetl_sn: string;
  det_item_fee_sumamt: string;
  fulamt_ownpay_amt: string;
  overlmt_amt: string;
  preselfpay_amt: string;
  inscp_scp_amt: string;
  chrgitm_lv: string;
  selfpay_prop: string;
}

export interface SetlMulaidTable {
  setl_id: string;
  psn_no: string;
  amt: string;
  balc: string;
}

export interface SetlAccYearTable {
  psn_no: string;
  insutype: string;
  year: number;
  admissions: number;
  large_base: string;
  large_paid: string;
  cvlserv_paid: string;
  maf_paid: string;
  updt_time: Generated<Date>;
}

export interface SetlAccGrpTable {
  psn_no: string;
  insutype: string;
  year: number;
  acc_grp: string;
  dedc_used: string;
  pool_base: string;
  pool_paid: string;
  updt_time: Generated<Date>;
}

export interface SetlAccMoveTable {
  setl_id: string;
  psn_no: string;
  insutype: string;
  year: number;
  acc_grp: string;
  admissions: number;
  dedc_used: string;
  pool_base: string;
  pool_paid: string;
  large_base: string;
  large_paid: string;
  cvlserv_paid: string;
  maf_paid: string;
}

export interface FundLedgerTable {
  fund_ledger_id: Generated<number>;
  setl_id: string;
  init_setl_id: string | null;
  fund_pay_type: string;
  amt: string;
  insu_admdvs: string;
  mdtrtarea_admvs: string;
  fixmedins_code: string;
  psn_no: string;
  insutype: string;
  clr_type: string;
  setl_time: Date;
  crte_time: Generated<Date>;
}

/** 结算事中审核处置配置 (migration 0015): per insured region and severity, warn (1) or refuse fund payment (2). */
export interface SetlAuditCfgTable {
  admdvs: string;
  sev_deg: '1' | '2' | '3';
  audit_act: '1' | '2';
  memo: string | null;
  begndate: string;
  enddate: string | null;
  opter_id: Generated<string>;
  crte_time: Generated<Date>;
}

declare module '../platform/db.js' {
  interface Tables {
    setl_audit_cfg: SetlAuditCfgTable;
    mdtrt: MdtrtTable;
    mdtrt_diag: MdtrtDiagTable;
    feedetl: FeedetlTable;
    setl: SetlTable;
    setl_fund: SetlFundTable;
    setl_feedetl: SetlFeedetlTable;
    setl_mulaid: SetlMulaidTable;
    setl_acc_year: SetlAccYearTable;
    setl_acc_grp: SetlAccGrpTable;
    setl_acc_move: SetlAccMoveTable;
    fund_ledger: FundLedgerTable;
  }
}

/** Every table this module owns, in an order that respects foreign keys when counting or clearing. */
export const SETTLEMENT_TABLES = [
  'mdtrt',
  'mdtrt_diag',
  'feedetl',
  'setl',
  'setl_fund',
  'setl_feedetl',
  'setl_mulaid',
  'setl_acc_year',
  'setl_acc_grp',
  'setl_acc_move',
  'fund_ledger',
] as const satisfies readonly (keyof Tables)[];

/** A query executor: the database's Kysely or an open transaction. */
export type Exec = Kysely<Tables> | Transaction<Tables>;

/**
 * Who is calling and from where: the gateway fills it from the envelope. Every write of a service names the
 * request's msgid (stored for 2601 冲正 and echoed as medins_setl_id).
 */
export interface Caller {
  db: Db;
  actor: Actor;
  /** The calling institution (designated on `today`, checked by the gateway). */
  institution: FixmedinsTable;
  msgid: string;
  /** When the request arrived. */
  at: Date;
  /** Beijing date of `at`. */
  today: string;
  /** 就医地医保区划: the envelope's mdtrtarea_admvs, or the node's area. */
  mdtrtarea_admvs: string;
  /** 参保地医保区划 as the envelope says (checked against the person's relation when given). */
  insuplc_admdvs?: string;
}

/** A diagnosis as uploaded with 2203 / 2401 / 2402 / 2403. */
export interface DiagInput {
  diag_type: string;
  diag_srt_no: number;
  diag_code: string;
  diag_name: string;
  maindiag_flag?: string;
  diag_dept?: string;
  dise_dor_no?: string;
  dise_dor_name?: string;
  /** 'yyyy-MM-dd HH:mm:ss' Beijing time. */
  diag_time?: string;
  adm_cond?: string;
}
