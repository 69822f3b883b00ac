/** Shapes of the staff API's answers as the console reads them (national field names, as on the wire). */
import type { Permission, RoleCode } from '../../src/server/auth/roles.js';
import type { JobView } from '../../src/platform/jobs.js';
import type { SetlFundTable } from '../../src/settlement/types.js';

export type { Permission, RoleCode };

export interface StaffUser {
  user_id: string;
  user_name: string;
  role: RoleCode;
  role_name: string;
  admdvs: string;
  fixmedins_code: string | null;
  status: 'active' | 'disabled';
  pwd_changed_at: string;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export interface Scope {
  prefixes: string[];
  fixmedins_code: string | null;
  node_wide: boolean;
}

export interface Me {
  user: StaffUser;
  permissions: Permission[];
  scope: Scope;
}

export interface RoleInfo {
  code: RoleCode;
  name: string;
  summary: string;
  permissions: Permission[];
}

export interface Area {
  admdvs: string;
  admdvs_name: string;
  admdvs_lv: '1' | '2' | '3';
  prnt_admdvs: string | null;
  poolarea_flag: '0' | '1';
  begndate: string;
  enddate: string | null;
  in_scope: boolean;
}

export interface DictItem {
  value: string;
  label: string;
  parent_value: string | null;
  sort: number;
  begndate: string;
  enddate: string | null;
}

export interface DictType {
  dict_type: string;
  label: string;
  item_cnt: number;
}

export interface CatalogueRow {
  hilist_code: string;
  insu_admdvs: string;
  hilist_name: string;
  list_type: string;
  med_chrgitm_type: string;
  chrgitm_lv: string;
  lmt_used_flag: '0' | '1';
  dosform: string | null;
  spec: string | null;
  pacunt: string | null;
  prodentp_name: string | null;
  aprvno: string | null;
  prcunt: string | null;
  pinyin: string | null;
  memo: string | null;
  begndate: string;
  enddate: string | null;
}

export interface Restriction {
  lmt_gend: string | null;
  lmt_age_min: number | null;
  lmt_age_max: number | null;
  lmt_diag: string[];
  lmt_min_hosp_lv: string | null;
  lmt_scene: string[];
  lmt_insutype: string[];
  lmt_max_days: number | null;
  lmt_max_cnt: number | null;
  lmt_memo: string | null;
}

export interface CatalogueDetail {
  on: string;
  item: {
    hilist_code: string;
    hilist_name: string;
    insu_admdvs: string;
    list_type: string;
    med_chrgitm_type: string;
    chrgitm_lv: string;
    selfpay_bp: number;
    pric_uplmt_fen: number | null;
    restriction: Restriction | null;
    dosform: string | null;
    spec: string | null;
    pacunt: string | null;
    prodentp_name: string | null;
    prcunt: string | null;
    memo: string | null;
    begndate: string;
    enddate: string | null;
  };
  caps: { hosp_lv: string; pric_uplmt_amt: string; begndate: string; enddate: string | null }[];
  selfpay: { insutype: string; selfpay_prop: string; begndate: string; enddate: string | null }[];
}

export interface Institution {
  fixmedins_code: string;
  fixmedins_name: string;
  fixmedins_type: '1' | '2';
  hosp_lv: string;
  admdvs: string;
  uscc: string;
  medins_natu: '1' | '2';
  addr: string | null;
  pinyin: string | null;
  begndate: string;
  enddate: string | null;
}

export interface Agreement {
  fixmedins_code: string;
  agmt_no: string;
  agmt_stas: '1' | '2' | '3';
  memo: string | null;
  begndate: string;
  enddate: string | null;
}

export interface InstitutionDetail {
  on: string;
  institution: Institution;
  agreement: Agreement | null;
  agreements: Agreement[];
}

export interface PractitionerRow {
  prac_code: string;
  prac_name: string;
  prac_type: '1' | '2' | '3' | '4';
  gend: string | null;
  fixmedins_code: string;
  dept_name: string | null;
  profttl: string | null;
  begndate: string;
  enddate: string | null;
}

export interface Qualification {
  prac_code: string;
  qual_stas: '1' | '2' | '3';
  score_deducted: number | null;
  reason: string | null;
  begndate: string;
  enddate: string | null;
}

export interface PractitionerDetail {
  on: string;
  practitioner: PractitionerRow & { certno: string | null; pinyin: string | null };
  institution: { fixmedins_code: string; fixmedins_name: string; admdvs: string } | null;
  qualification: Qualification | null;
  qualifications: Qualification[];
}

export interface PersonRow {
  psn_no: string;
  psn_name: string;
  certno: string;
  gend: string;
  brdy: string;
  psn_type: string;
  cvlserv_flag: '0' | '1';
  death_date: string | null;
  insuplc_admdvs: string;
}

/** The 1101 (人员信息获取) view. */
export interface PersonView {
  baseinfo: { psn_no: string; psn_cert_type: string; certno: string; psn_name: string; gend: string; naty: string; brdy: string; age: number; exp_content: string | null };
  insuinfo: {
    balc: number;
    insutype: string;
    psn_type: string;
    psn_insu_stas: string;
    psn_insu_date: string;
    paus_insu_date: string | null;
    cvlserv_flag: '0' | '1';
    insuplc_admdvs: string;
    emp_name: string | null;
  }[];
  idetinfo: { psn_idet_type: string; psn_type_lv: string | null; memo: string | null; begntime: string; endtime: string | null }[];
}

export interface OplogRow {
  log_id: number;
  opt_time: string;
  opter_id: string;
  opter_name: string;
  admdvs: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  before_data: Record<string, unknown> | null;
  after_data: Record<string, unknown> | null;
  memo: string | null;
}

/** 2207 门诊结算 / 2208 门诊结算撤销 / 2304 住院结算 / 2305 住院结算撤销 (derived from the row's flags). */
export type SetlInfno = '2207' | '2208' | '2304' | '2305';

/** Amounts are yuan as decimal strings (numeric(16,2) as stored). */
export interface SettlementRow {
  setl_id: string;
  mdtrt_id: string;
  psn_no: string;
  psn_name: string;
  certno: string;
  insutype: string;
  med_type: string;
  ipt_otp_flag: '1' | '2';
  fixmedins_code: string;
  fixmedins_name: string | null;
  insuplc_admdvs: string;
  mdtrtarea_admvs: string;
  setl_time: string;
  medfee_sumamt: string;
  fund_pay_sumamt: string;
  acct_pay: string;
  psn_cash_pay: string;
  refd_setl_flag: '0' | '1';
  init_setl_id: string | null;
  vali_flag: '0' | '1';
  infno: SetlInfno;
}

/** A setldetail row (fund, amounts, setl_proc_info) as stored. */
export type SetlFund = SetlFundTable;

export interface SetlFeeLine {
  feedetl_id: number;
  feedetl_sn: string;
  hilist_code: string;
  hilist_name: string | null;
  medins_list_codg: string;
  fee_ocur_time: string;
  pric: string;
  cnt: string;
  med_chrgitm_type: string | null;
  bilg_dept_name: string | null;
  bilg_dr_name: string | null;
  det_item_fee_sumamt: string;
  fulamt_ownpay_amt: string;
  overlmt_amt: string;
  preselfpay_amt: string;
  inscp_scp_amt: string;
  chrgitm_lv: string;
  selfpay_prop: string;
}

export interface SettlementDetail {
  setlinfo: Record<string, string | null> & { setl_id: string; mdtrt_id: string; psn_no: string; infno: SetlInfno; setl_time: string; refd_setl_flag: '0' | '1'; vali_flag: '0' | '1' };
  setldetail: SetlFund[];
  mulaid: { setl_id: string; psn_no: string; amt: string; balc: string }[];
  feedetail: SetlFeeLine[];
  mdtrt: (Record<string, string | number | null> & { mdtrt_id: string; ipt_otp_flag: '1' | '2'; begntime: string; endtime: string | null }) | null;
  diagnoses: { diag_code: string; diag_name: string; maindiag_flag: '0' | '1'; stage: string; diag_type: string }[];
  person: { psn_no: string; psn_name: string; certno: string; gend: string | null; brdy: string | null } | null;
  history: { setl_id: string; setl_time: string; refd_setl_flag: '0' | '1'; init_setl_id: string | null; vali_flag: '0' | '1'; medfee_sumamt: string; fund_pay_sumamt: string; psn_part_amt: string; medins_setl_id: string; infno: SetlInfno }[];
}

export interface PeriodFigures {
  setl_cnt: number;
  medfee_sumamt: string;
  fund_pay_sumamt: string;
}

export interface Dashboard {
  on: string;
  today: PeriodFigures;
  month: PeriodFigures;
  year: PeriodFigures & { acct_pay: string; psn_cash_pay: string };
  by_fund: { fund_pay_type: string; fund_pay_type_name: string; fund_payamt: string }[];
  by_insutype: (PeriodFigures & { insutype: string })[];
  by_hosp_lv: (PeriodFigures & { fixmedins_type: string; hosp_lv: string })[];
  top_institutions: (PeriodFigures & { fixmedins_code: string; fixmedins_name: string | null; hosp_lv: string | null })[];
  trend: (PeriodFigures & { ym: string })[];
  avg_cost: { ipt_otp_flag: '1' | '2'; setl_cnt: number; avg_medfee: string; avg_fund: string }[];
  audit: { eval_cnt: number; eval_hit_cnt: number; warn_cnt: number; warn_vola_amt: string; suspects: { stas: string; suspect_cnt: number; vola_amt: string }[] };
  drg: { cmi: number } | null;
}

/** A long job as /api/jobs shows it (platform/jobs.ts jobView). */
export type Job = JobView;
