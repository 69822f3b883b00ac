/**
 * Point-value payment (点数法付费) types: a case to pay, the parameters of a region and year, a run's results — and
 * the tables of migration 0016, declared into the shared Tables. Money is integer fen in code; points are integers
 * in 1/10,000 point (Pt4); coefficients and ratios are integers in 1/10,000 (Bp4) — so all arithmetic is exact.
 */
import type { Generated } from 'kysely';
import type { DipCase } from '../dip/types.js';
import type { Fen } from '../../platform/money.js';

/** Points × 10,000: 123.4567 points = 1_234_567. */
export type Pt4 = number;
/** A decimal × 10,000: 1.05 = 10_500 (coefficients may exceed 1, unlike RatioBp). */
export type Bp4 = number;

export type PayType = 'drg' | 'dip';
export const PAY_TYPE_NAMES: Record<PayType, string> = { drg: 'DRG', dip: 'DIP' };

export type CaseType = 'normal' | 'high' | 'low' | 'special' | 'ungrouped';
export const CASE_TYPE_NAMES: Record<CaseType, string> = { normal: '正常病例', high: '高倍率病例', low: '低倍率病例', special: '特例单议', ungrouped: '未入组/歧义' };

/** One inpatient case to pay (or to learn weights from). */
export interface PayCase {
  id: string;
  fixmedins_code: string;
  /** hospital level 1/2/3/9, null when unknown (coefficient 1) */
  hosp_lv: string | null;
  dscg_date: string;
  cost: Fen;
  /** what the patient paid (个人负担: account + cash) */
  psn_pay: Fen;
  los: number | null;
  /** for the DRG grouper: the settlement list (4101 shape) or the simple case shape */
  drg: unknown;
  /** for the DIP grouper; null without a principal diagnosis */
  dip: DipCase | null;
}

/** Parameters of a region, payment type and year (pay_param), parsed to exact integers. */
export interface PayParams {
  budget: Fen;
  /** 元 per RW, in fen */
  base_rate: Fen;
  /** year → weight for the history the DRG weights are learned from; empty = the default (see params.ts) */
  year_weights: Record<string, number>;
  trim: { method: 'sd'; k: number } | { method: 'percentile'; low: number; high: number } | { method: 'none' };
  trim_min_cases: number;
  /** hospital level → coefficient (差异系数); a level not listed has 1 */
  level_coef: Record<string, Bp4>;
  /** points per RW (基准点数 = RW × scale) */
  scale: number;
  /** high outlier: cost > high_ratio × group mean */
  high_ratio: Bp4;
  /** low outlier: cost < low_ratio × group mean */
  low_ratio: Bp4;
  /** 特例单议 candidates: cost > special_ratio × group mean, or a stay of at least special_los days */
  special_ratio: Bp4;
  special_los: number;
  /** at most this share of an institution's cases is 特例单议 */
  special_cap: Bp4;
  /** 未入组/QY/空白病组: points = cost ÷ overall mean × scale × ratio, or a fixed RW */
  ungrouped: { method: 'cost'; ratio: Bp4 } | { method: 'rw'; rw: Bp4 };
  /** monthly pre-payment share of the month's fund amount */
  prepay_ratio: Bp4;
  /** true: the budget already includes the patients' payments; false: pool = budget + patients' payments */
  budget_includes_psn_pay: boolean;
  drg_version: string;
  /** DIP: the catalogue version; absent = the published one in force, else built from the history */
  dip_cat_ver: string | null;
}

// ---------- tables (migration 0016) ----------

export interface PayParamTable {
  admdvs: string;
  pay_type: PayType;
  setl_year: number;
  begndate: string;
  enddate: string | null;
  budget: string;
  base_rate: string;
  params: unknown;
  opter_id: string;
  opter_name: string;
  crte_time: Generated<Date>;
}

export interface PayRunTable {
  run_id: string;
  job_id: string | null;
  pay_type: PayType;
  admdvs: string;
  setl_year: number;
  source: string;
  param_begndate: string;
  budget: string;
  pool: string;
  base_rate: string;
  params: unknown;
  weight_src: string;
  overall_mean: string | null;
  case_cnt: number;
  points: string;
  point_value: string;
  psn_pay: string;
  penalty: string;
  warnings: unknown;
  opter_id: string;
  opter_name: string;
  crte_time: Generated<Date>;
}

export interface PayWeightTable {
  run_id: string;
  grp_code: string;
  grp_name: string | null;
  hist_cnt: number;
  kept_cnt: number;
  mean_cost: string;
  rw: string;
  std_amt: string;
}

export interface PayCaseTable {
  run_id: string;
  case_id: string;
  fixmedins_code: string;
  setl_month: number;
  grp_code: string;
  grp_name: string | null;
  grp_stas: string;
  case_type: CaseType;
  base_points: string;
  coef: string;
  factor: string;
  points: string;
  mean_cost: string | null;
  medfee_sumamt: string;
  psn_pay: string;
  std_amt: string;
  reason: string;
}

export interface PayMonthTable {
  run_id: string;
  setl_month: number;
  case_cnt: number;
  points: string;
  pool: string;
  point_value: string | null;
}

export interface PayStmtTable {
  run_id: string;
  fixmedins_code: string;
  fixmedins_name: string | null;
  hosp_lv: string | null;
  coef: string;
  case_cnt: number;
  grouped_cnt: number;
  high_cnt: number;
  low_cnt: number;
  special_cnt: number;
  ungrouped_cnt: number;
  cmi: string | null;
  points: string;
  medfee_sumamt: string;
  amount_due: string;
  psn_pay: string;
  penalty: string;
  fund_due: string;
  prepaid: string;
  balance: string;
}

export interface PayPrepayTable {
  run_id: string;
  fixmedins_code: string;
  setl_month: number;
  points: string;
  amount_due: string;
  psn_pay: string;
  prepaid: string;
}

declare module '../../platform/db.js' {
  interface Tables {
    pay_param: PayParamTable;
    pay_run: PayRunTable;
    pay_weight: PayWeightTable;
    pay_case: PayCaseTable;
    pay_month: PayMonthTable;
    pay_stmt: PayStmtTable;
    pay_prepay: PayPrepayTable;
  }
}
