/**
 * Fund finance (基金收支) types and the tables of migration 0021, declared into the shared Tables. Money is integer fen
 * in code, numeric(16,2) (decimal strings) in the tables.
 */
import type { Generated } from 'kysely';

/** The four kinds of income a fund receives, with their Chinese names. */
export const INCOME_KINDS = {
  clct_inc: '征缴收入',
  fin_subs_inc: '财政补助收入',
  int_inc: '利息收入',
  oth_inc: '其他收入',
} as const;
export type IncomeKind = keyof typeof INCOME_KINDS;
export const INCOME_KIND_CODES = Object.keys(INCOME_KINDS) as IncomeKind[];

export interface FundIncomeTable {
  fund_inc_id: Generated<number>;
  admdvs: string;
  insutype: string;
  fund_pay_type: string;
  inc_year: number;
  inc_month: number;
  clct_inc: string;
  fin_subs_inc: string;
  int_inc: string;
  oth_inc: string;
  memo: string | null;
  opter_id: string;
  opter_name: string;
  crte_time: Generated<Date>;
}

export interface FundOpenBalcTable {
  admdvs: string;
  insutype: string;
  fund_pay_type: string;
  balc_year: number;
  open_balc: string;
  opter_id: string;
  opter_name: string;
  crte_time: Generated<Date>;
}

declare module '../platform/db.js' {
  interface Tables {
    fund_income: FundIncomeTable;
    fund_open_balc: FundOpenBalcTable;
  }
}
