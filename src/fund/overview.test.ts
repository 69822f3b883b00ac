/** Months of reserve: one decimal, half up, exact in integers; null without expenditure; negative when overdrawn. */
import { describe, expect, it } from 'vitest';
import { monthsOfReserve } from './overview.js';

describe('monthsOfReserve', () => {
  it('is balance ÷ mean monthly expenditure to one decimal, rounded half away from zero', () => {
    expect(monthsOfReserve(900_00, 1200_00, 12)).toBe('9.0'); // 900 ÷ (1200 ÷ 12)
    expect(monthsOfReserve(125_00, 100_00, 1)).toBe('1.3'); // 1.25 → 1.3
    expect(monthsOfReserve(124_99, 100_00, 1)).toBe('1.2');
    expect(monthsOfReserve(1, 3_000_000_00, 12)).toBe('0.0');
    expect(monthsOfReserve(-50_00, 100_00, 1)).toBe('-0.5');
  });
  it('is null without expenditure in the window', () => {
    expect(monthsOfReserve(100_00, 0, 12)).toBeNull();
    expect(monthsOfReserve(100_00, 100_00, 0)).toBeNull();
  });
});
