/** Shapes of the staff API's answers as the console reads them (national field names, as on the wire). */
import type { Permission, RoleCode } from '../../src/server/auth/roles.js';

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
