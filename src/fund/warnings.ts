/**
 * Fund-running warnings (基金运行预警) of a year's monthly figures, as the monitoring page lists them:
 *  - 可支付月数 below the alert line (6 months, red): the reserve can no longer absorb a bad quarter;
 *  - 基金支出同比增长 above a threshold (default 15 %, amber): spending grows faster than the fund was planned for.
 * The 6–9 month band is the 提示 (amber) band of the KPI card, not a warning of its own: 6–9 months is the usual
 * target reserve of a pooling region. Only months up to the latest one with any income or expenditure count: the
 * months still to come carry the balance forward without flows and would warn about nothing that happened.
 * Percentages are growth in tenths of a percent, computed from integer fen (half away from zero), never floats.
 */
import type { Fen } from '../platform/money.js';
import { growthTenths, tenthsText } from './tenths.js';

/** Months of reserve below which a month is a red warning, and below which the KPI card shows amber. */
export const RESERVE_RED_MONTHS = 6;
export const RESERVE_AMBER_MONTHS = 9;
/** Default 同比 growth of monthly expenditure (percent) above which a month is flagged. */
export const DEFAULT_GROWTH_THRESHOLD_PCT = 15;

export type WarningKind = 'reserve_low' | 'expenditure_growth';

export interface FundWarning {
  month: number;
  kind: WarningKind;
  level: 'red' | 'amber';
  /** months of reserve ('4.5') or growth percent ('23.4') */
  value: string;
  /** the line crossed, in the same unit ('6', '15') */
  threshold: string;
  message: string;
}

export interface WarningMonth {
  month: number;
  /** fen */
  income: Fen;
  expenditure: Fen;
  /** the same month of the year before, fen */
  expenditure_prev_year: Fen;
  /** one decimal string or null */
  months_of_reserve: string | null;
}

/** The latest month with any income or expenditure, or null when the year has none. */
export function throughMonth(months: readonly Pick<WarningMonth, 'month' | 'income' | 'expenditure'>[]): number | null {
  let last: number | null = null;
  for (const m of months) if (m.income !== 0 || m.expenditure !== 0) last = m.month;
  return last;
}

/** The warnings of a year, month by month (reserve first within a month), up to the latest month with flows. */
export function fundWarnings(year: number, months: readonly WarningMonth[], growthThresholdPct: number = DEFAULT_GROWTH_THRESHOLD_PCT): FundWarning[] {
  const through = throughMonth(months);
  if (through === null) return [];
  // threshold in tenths, so that 15 % compares with 150 exactly
  const limit = BigInt(Math.round(growthThresholdPct * 10));
  const limitText = tenthsText(limit).replace(/\.0$/, '');
  const out: FundWarning[] = [];
  for (const m of months) {
    if (m.month > through) break;
    if (m.months_of_reserve !== null && Number(m.months_of_reserve) < RESERVE_RED_MONTHS) {
      out.push({
        month: m.month,
        kind: 'reserve_low',
        level: 'red',
        value: m.months_of_reserve,
        threshold: String(RESERVE_RED_MONTHS),
        message: `${year} 年 ${m.month} 月累计结存可支付 ${m.months_of_reserve} 个月，低于 ${RESERVE_RED_MONTHS} 个月预警线`,
      });
    }
    const g = growthTenths(m.expenditure, m.expenditure_prev_year);
    if (g !== null && g > limit) {
      out.push({
        month: m.month,
        kind: 'expenditure_growth',
        level: 'amber',
        value: tenthsText(g),
        threshold: limitText,
        message: `${year} 年 ${m.month} 月基金支出同比增长 ${tenthsText(g)}%，超过 ${limitText}% 预警阈值`,
      });
    }
  }
  return out;
}
