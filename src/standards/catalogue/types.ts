/**
 * Catalogue types: table rows (declared into the shared Tables) and the domain shapes services return.
 * Owns tables hilist, hilist_pric_uplmt, hilist_selfpay, hilist_lmt (migration 0004).
 */
export interface HilistTable {
  hilist_code: string;
  insu_admdvs: string;
  hilist_name: string;
  list_type: string;
  med_chrgitm_type: string;
  chrgitm_lv: string;
  lmt_used_flag: string;
  dosform: string | null;
  spec: string | null;
  pacunt: string | null;
  prodentp_name: string | null;
  aprvno: string | null;
  prcunt: string | null;
  item_cont: string | null;
  exct_cont: string | null;
  pinyin: string;
  memo: string | null;
  begndate: string;
  enddate: string | null;
}

export interface HilistPricUplmtTable {
  hilist_code: string;
  insu_admdvs: string;
  hosp_lv: string;
  pric_uplmt_amt: string;
  begndate: string;
  enddate: string | null;
}

export interface HilistSelfpayTable {
  hilist_code: string;
  insu_admdvs: string;
  insutype: string;
  selfpay_prop: string;
  begndate: string;
  enddate: string | null;
}

export interface HilistLmtTable {
  hilist_code: string;
  insu_admdvs: string;
  lmt_gend: string | null;
  lmt_age_min: number | null;
  lmt_age_max: number | null;
  lmt_diag: string | null;
  lmt_min_hosp_lv: string | null;
  lmt_scene: string | null;
  lmt_insutype: string | null;
  lmt_max_days: number | null;
  lmt_max_cnt: string | null;
  lmt_memo: string;
  begndate: string;
  enddate: string | null;
}

declare module '../../platform/db.js' {
  interface Tables {
    hilist: HilistTable;
    hilist_pric_uplmt: HilistPricUplmtTable;
    hilist_selfpay: HilistSelfpayTable;
    hilist_lmt: HilistLmtTable;
  }
}

/** Care settings a restriction may allow. */
export const SCENES = { '1': '门诊', '2': '住院', '3': '药店' } as const;
export type Scene = keyof typeof SCENES;

/** Structured restriction (限定支付范围) of an item version. */
export interface Restriction {
  lmt_gend: '1' | '2' | null;
  lmt_age_min: number | null;
  lmt_age_max: number | null;
  /** Diagnosis patterns: a prefix ('E11', 'E88.0') or a range of categories ('I20-I25'). */
  lmt_diag: string[];
  lmt_min_hosp_lv: '1' | '2' | '3' | null;
  lmt_scene: Scene[];
  lmt_insutype: string[];
  lmt_max_days: number | null;
  lmt_max_cnt: string | null;
  lmt_memo: string;
}

/** One item as used by settlement and audit: the version in force, with its ratio, cap and restriction. */
export interface CatalogueItem {
  hilist_code: string;
  hilist_name: string;
  insu_admdvs: string;
  list_type: string;
  med_chrgitm_type: string;
  chrgitm_lv: string;
  /** Self-pay-first ratio, parts per 10,000. */
  selfpay_bp: number;
  /** Price cap in fen for the hospital level asked, or null when there is none. */
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
}

/** Input of one item for imports and the bulk loader; money in fen, ratio in bp. */
export interface CatalogueItemInput {
  row?: number;
  hilist_code: string;
  insu_admdvs: string;
  hilist_name: string;
  list_type: string;
  med_chrgitm_type: string;
  chrgitm_lv: string;
  selfpay_bp: number;
  /** Caps in fen by hospital level; absent levels have no cap. */
  pric_uplmt: Partial<Record<'1' | '2' | '3' | '9', number>>;
  dosform?: string | null;
  spec?: string | null;
  pacunt?: string | null;
  prodentp_name?: string | null;
  aprvno?: string | null;
  prcunt?: string | null;
  item_cont?: string | null;
  exct_cont?: string | null;
  restriction?: Restriction | null;
  begndate: string;
  enddate?: string | null;
  /**
   * Parts the row left empty that a new version carries forward from the version it closes (file imports set
   * this; programmatic loads leave it out, so what they pass is the whole version). Caps by hospital level;
   * the self-pay ratio only when chrgitm_lv is unchanged; the restriction as a whole.
   */
  inherit?: { caps?: ('1' | '2' | '3' | '9')[]; selfpay?: boolean; restriction?: boolean };
}
