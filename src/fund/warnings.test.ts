/** Fund warnings and the exact one-decimal growth figures behind them. */
import { describe, expect, it } from 'vitest';
import { growthPct, tenthsText } from './tenths.js';
import { DEFAULT_GROWTH_THRESHOLD_PCT, fundWarnings, throughMonth, type WarningMonth } from './warnings.js';

/** A year of quiet months (income and spending 100 元, 12 months of reserve) to change one by one. */
function year(): WarningMonth[] {
  return Array.from({ length: 12 }, (_, i) => ({ month: i + 1, income: 100_00, expenditure: 100_00, expenditure_prev_year: 100_00, months_of_reserve: '12.0' }));
}

describe('growthPct', () => {
  it('is (cur − prev) ÷ prev in percent, one decimal, half away from zero, exact in integers', () => {
    expect(growthPct(115_00, 100_00)).toBe('15.0');
    expect(growthPct(1, 3)).toBe('-66.7');
    expect(growthPct(2, 3)).toBe('-33.3');
    expect(growthPct(10_005, 10_000)).toBe('0.1'); // 0.05 % → 0.1
    expect(growthPct(9_995, 10_000)).toBe('-0.1');
    expect(growthPct(10_004, 10_000)).toBe('0.0');
    expect(growthPct(0, 100_00)).toBe('-100.0');
    expect(growthPct(3_000_000_000_00, 1)).toBe('29999999999900.0'); // (3e11 − 1) × 1000 is beyond 2^53: exact in bigint
  });
  it('is null when there is nothing to compare with', () => {
    expect(growthPct(100_00, 0)).toBeNull();
    expect(growthPct(100_00, -5_00)).toBeNull();
  });
  it('writes tenths with one decimal', () => {
    expect([tenthsText(0n), tenthsText(5n), tenthsText(-5n), tenthsText(1234n)]).toEqual(['0.0', '0.5', '-0.5', '123.4']);
  });
});

describe('fundWarnings', () => {
  it('warns red below 6 months of reserve, not at 6.0 nor without a reserve figure', () => {
    const ms = year();
    ms[2]!.months_of_reserve = '5.9';
    ms[3]!.months_of_reserve = '6.0';
    ms[4]!.months_of_reserve = '-1.5';
    ms[5]!.months_of_reserve = null;
    const w = fundWarnings(2026, ms);
    expect(w.map((x) => [x.month, x.kind, x.level, x.value, x.threshold])).toEqual([
      [3, 'reserve_low', 'red', '5.9', '6'],
      [5, 'reserve_low', 'red', '-1.5', '6'],
    ]);
    expect(w[0]!.message).toBe('2026 年 3 月累计结存可支付 5.9 个月，低于 6 个月预警线');
  });

  it('warns amber when expenditure grows 同比 above the threshold (strictly), default 15 %', () => {
    expect(DEFAULT_GROWTH_THRESHOLD_PCT).toBe(15);
    const ms = year();
    ms[0]!.expenditure = 115_00; // exactly 15.0 %: not above
    ms[1]!.expenditure = 115_01; // 15.01 % → 15.0 after rounding: not above either
    ms[2]!.expenditure = 115_05; // 15.05 % → 15.1
    ms[3]!.expenditure_prev_year = 0; // no month a year earlier: nothing to compare
    ms[3]!.expenditure = 500_00;
    ms[4]!.expenditure = 50_00; // falling spending is not a warning
    const w = fundWarnings(2026, ms);
    expect(w.map((x) => [x.month, x.kind, x.level, x.value])).toEqual([[3, 'expenditure_growth', 'amber', '15.1']]);
    expect(w[0]!.message).toBe('2026 年 3 月基金支出同比增长 15.1%，超过 15% 预警阈值');
    expect(fundWarnings(2026, ms, 10).map((x) => x.month)).toEqual([1, 2, 3]);
    expect(fundWarnings(2026, ms, 10)[0]!.threshold).toBe('10');
  });

  it('lists a month with both problems reserve first, and stops at the latest month with flows', () => {
    const ms = year();
    ms[6]!.months_of_reserve = '4.0';
    ms[6]!.expenditure = 200_00;
    for (const m of ms.slice(7)) Object.assign(m, { income: 0, expenditure: 0, months_of_reserve: '1.0' }); // months to come
    expect(throughMonth(ms)).toBe(7);
    expect(fundWarnings(2026, ms).map((x) => [x.month, x.kind])).toEqual([
      [7, 'reserve_low'],
      [7, 'expenditure_growth'],
    ]);
  });

  it('has nothing to say about a year without flows', () => {
    const ms = year().map((m) => ({ ...m, income: 0, expenditure: 0, months_of_reserve: '0.5' }));
    expect(throughMonth(ms)).toBeNull();
    expect(fundWarnings(2026, ms)).toEqual([]);
  });
});
