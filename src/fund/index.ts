/**
 * Fund finance (基金收支): income entries and opening balances per pool area × insutype × fund (income.ts), and the
 * monthly income vs expenditure, balance and months of reserve of an area scope, expenditure read from the fund
 * ledger written at settlement (overview.ts). Tables: migration 0021.
 *
 *   await recordIncome(db, actor, { admdvs: '990100', insutype: '310', fund_pay_type: '310100', year: 2026, month: 3, clct_inc: '1200000.00' });
 *   const o = await fundOverview(db, { year: 2026, prefixes: ['9901'] });   // o.months[2].months_of_reserve, o.warnings
 * Warnings (可支付月数 < 6, 支出同比增长 above a threshold) and the exact growth percentages: warnings.ts, tenths.ts.
 */
export { recordIncome, setOpeningBalance } from './income.js';
export type { FundKey, IncomeEntry, IncomeInput, OpeningInput } from './income.js';
export { fundOverview, monthsOfReserve } from './overview.js';
export type { FundBalance, FundOverview, MonthFigures, OverviewQuery } from './overview.js';
export { growthPct, growthTenths, tenthsText } from './tenths.js';
export { DEFAULT_GROWTH_THRESHOLD_PCT, fundWarnings, RESERVE_AMBER_MONTHS, RESERVE_RED_MONTHS, throughMonth } from './warnings.js';
export type { FundWarning, WarningKind, WarningMonth } from './warnings.js';
export { INCOME_KINDS, INCOME_KIND_CODES } from './types.js';
export type { IncomeKind } from './types.js';
