/**
 * What the DRG/DIP pages share: the answers of /api/payment (shapes as on the wire, money as decimal yuan strings),
 * the page's key (region, payment type, year, run) kept in the URL, and the Chinese names of payment codes.
 */
import type { PayCaseTable, PayRunTable, PayStmtTable } from '../../src/payment/pay/types.js';
import { useApi } from './hooks';
import type { ListQuery } from './list';

export type PayType = 'drg' | 'dip';
export const PAY_NAMES: Record<PayType, string> = { drg: 'DRG', dip: 'DIP' };
export { CASE_TYPE_NAMES } from '../../src/payment/pay/types.js';
export const CASE_TYPE_COLOR: Record<string, string> = { normal: 'default', high: 'red', low: 'orange', special: 'purple', ungrouped: 'default' };

/** A run as listed (pay_run columns; the time as an ISO string). */
export type PayRun = Pick<PayRunTable, 'run_id' | 'job_id' | 'pay_type' | 'admdvs' | 'setl_year' | 'case_cnt' | 'budget' | 'pool' | 'points' | 'point_value' | 'psn_pay' | 'penalty' | 'weight_src' | 'opter_name'> & { crte_time: string };

export interface PayRunDetail extends PayRun {
  base_rate: string;
  param_begndate: string;
  overall_mean: string | null;
  warnings: string[];
  params: Record<string, unknown>;
  months: { setl_month: number; case_cnt: number; points: string; pool: string; point_value: string | null }[];
}

/** A year-end statement of one institution (pay_stmt) with its monthly pre-payments (pay_prepay). */
export type PayStatement = Omit<PayStmtTable, 'run_id'> & { months: { setl_month: number; points: string; amount_due: string; psn_pay: string; prepaid: string }[] };

export interface CmiAnswer {
  bands: string[];
  hospitals: { fixmedins_code: string; fixmedins_name: string | null; hosp_lv: string | null; case_cnt: number; grouped_cnt: number; cmi: string | null; rw_dist: number[] }[];
}

export interface CostRow {
  code: string;
  name: string | null;
  case_cnt: number;
  medfee_sumamt: string;
  std_amt: string;
  points: string;
  payment: string;
}

/** A paid case (pay_case). */
export type PayCaseRow = Omit<PayCaseTable, 'run_id' | 'grp_stas'>;

export interface ParamVersion {
  admdvs: string;
  pay_type: PayType;
  setl_year: number;
  begndate: string;
  enddate: string | null;
  budget: string;
  base_rate: string;
  params: Record<string, unknown>;
  opter_name: string;
  crte_time: string;
}

/** The run the page shows: ?run=…, else the newest run of ?admdvs / ?year (or of any region in scope). */
export function useRunKey(lq: ListQuery, pay_type: PayType) {
  const { admdvs, year, run } = lq.values;
  const runs = useApi<{ list: PayRun[] }>('/payment/runs', { pay_type, admdvs, setl_year: year });
  const list = runs.data?.list ?? [];
  const current = (run ? list.find((r) => r.run_id === run) : list[0]) ?? null;
  return {
    runs,
    run_id: run ?? current?.run_id ?? null,
    admdvs: admdvs ?? current?.admdvs ?? null,
    year: year ? Number(year) : (current?.setl_year ?? null),
  };
}

/** 清算差额: positive = 补付 to the institution, negative = 追回 from it. */
export function balanceKind(balance: string): { label: string; color: string } {
  const n = Number(balance);
  if (n > 0) return { label: '补付', color: 'green' };
  if (n < 0) return { label: '追回', color: 'red' };
  return { label: '持平', color: 'default' };
}
