/**
 * Hand-computed examples of the payment arithmetic (no database): exact points, outliers, the 特例单议 cap, weights
 * from history, point values and the year-end balance to the fen. Figures from drg-dip.md §7.4 where it has them.
 */
import { describe, expect, it } from 'vitest';
import { yuanToFen } from '../../platform/money.js';
import { apportion, pointValueText, text4 } from './arith.js';
import { settleYear, type PaidCase } from './budget.js';
import { parseParams } from './params.js';
import { scoreCase, selectSpecial, stdAmount } from './score.js';
import { cmiOf, drgWeights, yearWeightsFor } from './weights.js';

const fen = (y: string) => yuanToFen(y);
const dip = parseParams('dip', '1000000.00', '0', { trim: { method: 'none' }, special_cap: '0.5' });

describe('case points (drg-dip.md §7.4, DIP deviation cases: score 100, mean 10,000, coefficient 1)', () => {
  const base = 100 * 10_000;
  const mean = fen('10000');
  it.each([
    ['12000', 'normal', '100'],
    ['25000', 'high', '150'],
    ['4000', 'low', '40'],
  ])('cost %s → %s, %s points', (cost, type, points) => {
    const s = scoreCase({ cost: fen(cost), los: 5, base, mean, coef: 10_000 }, dip, null);
    expect([s.case_type, text4(s.points)]).toEqual([type, points]);
  });

  it('a high case with hospital coefficient 1.05 gets (3 − 2 + 1.05) × 100 = 205 (Jining variant), not the coefficient twice', () => {
    const s = scoreCase({ cost: fen('30000'), los: 5, base, mean, coef: 10_500 }, dip, null);
    expect([s.case_type, text4(s.factor), text4(s.points)]).toEqual(['high', '2.05', '205']);
  });

  it('a normal case gets base × coefficient; ungrouped cases are paid by cost × ratio or at a fixed RW', () => {
    expect(text4(scoreCase({ cost: fen('9000'), los: 5, base, mean, coef: 9_500 }, dip, null).points)).toBe('95');
    // DIP default ratio 0.7 (空白病组): 3,000 ÷ 7,500 × 100 × 0.7 = 28
    const u = scoreCase({ cost: fen('3000'), los: 5, base: null, mean: null, coef: 10_000, why: '空白病组' }, dip, fen('7500'));
    expect([u.case_type, text4(u.base), text4(u.points)]).toEqual(['ungrouped', '40', '28']);
    const rw = parseParams('drg', '1', '13060', { ungrouped: { method: 'rw', rw: '0.2' } });
    const f = scoreCase({ cost: fen('3000'), los: 5, base: null, mean: null, coef: 10_000 }, rw, null);
    expect([text4(f.points), f.std_amt]).toEqual(['20', fen('2612')]); // Wuxi 未入组 RW 0.2 × 13,060 = 2,612
  });
});

describe('payment standard = RW × base rate × coefficient (Wuxi 2022, drg-dip.md §7.4)', () => {
  const wuxi = (rate: string) => parseParams('drg', '1', rate, {});
  it.each([
    ['1.3895', '13060', '18146.87'],
    ['1.3895', '9947', '13821.36'],
    ['1.3895', '7782', '10813.09'],
    ['0.5693', '7782', '4430.29'],
    ['1.0284', '13060', '13430.90'],
  ])('RW %s at %s → %s (rounded half up to the fen)', (rw, rate, amt) => {
    const base = Math.round(Number(rw) * 10_000) * 100;
    expect(stdAmount(base, 10_000, wuxi(rate))).toBe(fen(amt));
  });
});

describe('特例单议 with a cap', () => {
  it('takes the dearest candidates of each institution up to ⌊cap × its cases⌋; the others stay high outliers', () => {
    const p = parseParams('drg', '1', '0', { special_cap: '0.05' });
    const base = 1_000_000;
    const mean = fen('10000');
    const mk = (id: string, cost: string, inst = 'H1') => ({ id, fixmedins_code: inst, los: 5, scored: scoreCase({ cost: fen(cost), los: 5, base, mean, coef: 10_000 }, p, null) });
    const cases = [mk('a', '60000'), mk('b', '70000'), mk('c', '80000'), ...Array.from({ length: 37 }, (_, i) => mk(`n${i}`, '10000')), mk('x', '90000', 'H2')];
    selectSpecial(cases, p);
    const type = (id: string) => cases.find((c) => c.id === id)!.scored;
    expect(['c', 'b', 'a'].map((id) => type(id).case_type)).toEqual(['special', 'special', 'high']); // 40 cases × 5% = 2
    expect(text4(type('c').points)).toBe('800'); // paid by cost: 8 × 100
    expect(text4(type('a').points)).toBe('400'); // high: (6 − 3 + 1) × 100
    expect(type('a').reason).toContain('名额 2 例已满');
    expect(type('x').case_type).toBe('high'); // H2 has 1 case: ⌊0.05⌋ = 0 places
  });
});

describe('DRG weights from history', () => {
  const p = { trim: { method: 'none' as const }, trim_min_cases: 0 };
  const h = (grp: string, year: number, ...yuan: string[]) => yuan.map((y) => ({ grp, name: null, cost: fen(y), year }));
  it('RW = DRG mean ÷ overall mean, the means year-weighted (years without cases do not count)', () => {
    const hist = [...h('X', 2024, '1600'), ...h('X', 2025, '1000', '2000', '3000'), ...h('Y', 2025, '4000', '6000')];
    const { weights, overall_mean } = drgWeights(hist, { '2024': 1, '2025': 3 }, p);
    // X: (1 × 1600 + 3 × 2000) ÷ 4 = 1900; overall: (1 × 1600 + 3 × 3200) ÷ 4 = 2800; Y: 5000
    expect(overall_mean).toBe(fen('2800'));
    expect([weights.get('X')!.mean_cost, text4(weights.get('X')!.rw)]).toEqual([fen('1900'), '0.6786']);
    expect([weights.get('Y')!.mean_cost, text4(weights.get('Y')!.rw)]).toEqual([fen('5000'), '1.7857']);
    expect(text4(cmiOf([6786, 17857, 17857])!)).toBe('1.4167');
  });
  it('trims beyond k SD within a year (k = 1: 10,000 among four 1,000s is cut)', () => {
    const { weights } = drgWeights(h('X', 2025, '1000', '1000', '1000', '1000', '10000'), { '2025': 1 }, { trim: { method: 'sd', k: 1 }, trim_min_cases: 5 });
    expect([weights.get('X')!.kept_cnt, weights.get('X')!.mean_cost]).toEqual([4, fen('1000')]);
  });
  it('the default history is the three years before, weighted 1:2:7', () => {
    expect(yearWeightsFor(2026, { year_weights: {} })).toEqual({ '2025': 7, '2024': 2, '2023': 1 });
  });
});

describe('point value and year-end clearing', () => {
  it('pool 10,000,000, 80,000 points: value 125; a hospital with 8,000 points and 200,000 paid by patients is due 800,000 (drg-dip.md §7.4)', () => {
    const cases: PaidCase[] = [
      { fixmedins_code: 'H1', month: 1, psn_pay: fen('200000'), cost: 0, points: 8_000 * 10_000, case_type: 'normal', rw: null },
      { fixmedins_code: 'H2', month: 1, psn_pay: 0, cost: 0, points: 72_000 * 10_000, case_type: 'normal', rw: null },
    ];
    const s = settleYear(cases, { budget: fen('10000000'), budget_includes_psn_pay: true, prepay_ratio: 10_000 }, new Map());
    expect(s.point_value).toBe('125.000000');
    expect(s.stmts[0]).toMatchObject({ amount_due: fen('1000000'), fund_due: fen('800000') });
  });

  it('monthly pre-payments, penalties and the balance, exact to the fen; the statements add up to the budget', () => {
    const c = (code: string, month: number, points: number, psn: string): PaidCase => ({ fixmedins_code: code, month, psn_pay: fen(psn), cost: 0, points: points * 10_000, case_type: 'normal', rw: null });
    const cases = [c('A', 1, 100, '1000'), c('B', 1, 300, '3000'), c('A', 2, 200, '500')];
    const s = settleYear(cases, { budget: fen('1200000'), budget_includes_psn_pay: false, prepay_ratio: 9_000 }, new Map([['A', fen('1000.50')]]));
    // January: pool 100,000 + 4,000 = 104,000 over 400 points → 260/点; A due 26,000, B 78,000; 90 % of (due − patients')
    expect(s.months[0]).toMatchObject({ pool: fen('104000'), point_value: '260.000000' });
    expect(s.prepays).toEqual([
      { fixmedins_code: 'A', setl_month: 1, points: 1_000_000, amount_due: fen('26000'), psn_pay: fen('1000'), prepaid: fen('22500') },
      { fixmedins_code: 'B', setl_month: 1, points: 3_000_000, amount_due: fen('78000'), psn_pay: fen('3000'), prepaid: fen('67500') },
      { fixmedins_code: 'A', setl_month: 2, points: 2_000_000, amount_due: fen('100500'), psn_pay: fen('500'), prepaid: fen('90000') },
    ]);
    // year: pool 1,200,000 + 4,500 = 1,204,500 over 600 points → 2,007.5/点
    expect(s.point_value).toBe('2007.500000');
    const [a, b] = s.stmts;
    expect(a).toMatchObject({ amount_due: fen('602250'), psn_pay: fen('1500'), penalty: fen('1000.50'), fund_due: fen('599749.50'), prepaid: fen('112500'), balance: fen('487249.50') });
    expect(b).toMatchObject({ amount_due: fen('602250'), psn_pay: fen('3000'), penalty: 0, fund_due: fen('599250'), prepaid: fen('67500'), balance: fen('531750') });
    expect(a!.fund_due + b!.fund_due).toBe(fen('1200000') - fen('1000.50'));
  });

  it('apportioning never loses or invents a fen, and each part is within 1 fen of its exact share', () => {
    expect(apportion(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(apportion(5, [0, 0])).toEqual([0, 0]);
    let seed = 7;
    const rnd = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    for (let k = 0; k < 50; k++) {
      const ws = Array.from({ length: 1 + Math.floor(rnd() * 20) }, () => Math.floor(rnd() * 1e9));
      const total = Math.floor(rnd() * 1e12);
      const parts = apportion(total, ws);
      expect(parts.reduce((s, x) => s + x, 0)).toBe(total);
      const sum = ws.reduce((s, w) => s + w, 0);
      parts.forEach((x, i) => expect(Math.abs(x - (total * ws[i]!) / sum)).toBeLessThan(1.0001));
    }
    expect(pointValueText(fen('10000'), 3 * 10_000)).toBe('3333.333333');
  });
});

describe('parameters', () => {
  it('refuse unknown keys, bad numbers and inconsistent thresholds in Chinese, naming the field', () => {
    expect(() => parseParams('drg', '1', '0', { budgte: 1 })).toThrow('未知的参数：budgte');
    expect(() => parseParams('drg', '1', '0', { high_ratio: 'abc' })).toThrow('参数 high_ratio 应为不超过4位小数的非负数');
    expect(() => parseParams('drg', '1', '0', { low_ratio: '3' })).toThrow('低倍率界值 low_ratio 应小于高倍率界值 high_ratio');
    expect(() => parseParams('drg', '0', '0', {})).toThrow('年度预算 budget 应大于 0');
    expect(() => parseParams('drg', '1.001', '0', {})).toThrow('budget格式错误');
    expect(parseParams('dip', '1', '0', {}).high_ratio).toBe(20_000);
  });
});
