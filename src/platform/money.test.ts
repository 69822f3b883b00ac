import { describe, expect, test } from 'vitest';
import { applyRatio, bpToRatio, fenToYuan, fenToYuanNumber, priceTimesQuantity, ratioToBp, sumFen, yuanToFen } from './money.js';
import { YibaoError } from './errors.js';

describe('yuanToFen', () => {
  test.each([
    ['0', 0],
    ['0.1', 10],
    ['0.01', 1],
    ['1373.63', 137363],
    ['-5', -500],
    ['-0.05', -5],
    [' 12.5 ', 1250],
    ['90071992547409.91', 9007199254740991],
    [1373.63, 137363],
    [0.29, 29], // 0.29 * 100 = 28.999999999999996 in floats; the string path is exact
    [1.005 * 0 + 4.35, 435],
    ['-0', 0],
  ])('%s yuan is %i fen', (input, fen) => {
    expect(yuanToFen(input)).toBe(fen);
  });

  test.each(['1.005', '1e3', 'abc', '', '1,000.00', '0x10', '1.2.3', '90071992547409.92'])('refuses %j with a Chinese message', (bad) => {
    expect(() => yuanToFen(bad, 'pric')).toThrow(YibaoError);
    try {
      yuanToFen(bad, 'pric');
    } catch (e) {
      expect((e as YibaoError).message).toMatch(/pric/);
      expect((e as YibaoError).code).toBe('VALIDATION');
    }
  });

  test('refuses NaN and Infinity', () => {
    expect(() => yuanToFen(Number.NaN)).toThrow(/不是有效数字/);
    expect(() => yuanToFen(Number.POSITIVE_INFINITY)).toThrow(/不是有效数字/);
  });
});

describe('fenToYuan', () => {
  test.each([
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [137363, '1373.63'],
    [-5, '-0.05'],
    [-137363, '-1373.63'],
    [9007199254740991, '90071992547409.91'],
  ])('%i fen prints as %s', (fen, text) => {
    expect(fenToYuan(fen)).toBe(text);
  });
  test('round-trips every fen value in a range', () => {
    for (let f = -20_000; f <= 20_000; f += 7) expect(yuanToFen(fenToYuan(f))).toBe(f);
  });
  test('refuses fractional fen', () => {
    expect(() => fenToYuan(1.5)).toThrow(TypeError);
  });
  test('number form for JSON output', () => {
    expect(fenToYuanNumber(137363)).toBe(1373.63);
    expect(fenToYuanNumber(-500)).toBe(-5);
  });
});

describe('ratios', () => {
  test.each([
    ['0.85', 8500],
    ['85%', 8500],
    ['0.1', 1000],
    ['1', 10000],
    ['0.0001', 1],
    [0.9, 9000],
    ['12.5%', 1250],
  ])('%s is %i bp', (input, bp) => {
    expect(ratioToBp(input)).toBe(bp);
  });
  test.each(['1.5', '0.00001', '101%', 'x'])('refuses %s', (bad) => {
    expect(() => ratioToBp(bad)).toThrow(YibaoError);
  });
  test('prints as numeric(5,4)', () => {
    expect(bpToRatio(8500)).toBe('0.8500');
    expect(bpToRatio(10000)).toBe('1.0000');
    expect(bpToRatio(1)).toBe('0.0001');
  });
  test('applies a ratio rounding half away from zero', () => {
    // the worked example of settlement-policy.md: (10,000.00 − 1,200.00) × 85 % = 7,480.00
    expect(applyRatio(880000, 8500)).toBe(748000);
    expect(applyRatio(1, 5000)).toBe(1); // 0.5 fen → 1
    expect(applyRatio(1, 4999)).toBe(0);
    expect(applyRatio(-1, 5000)).toBe(-1);
    expect(applyRatio(333, 3333)).toBe(111); // 110.9889 → 111
    expect(applyRatio(9007199254740991, 10000)).toBe(9007199254740991);
  });
});

describe('price × quantity and sums', () => {
  test('multiplies exactly with fractional quantities', () => {
    expect(priceTimesQuantity(1999, '3')).toBe(5997);
    expect(priceTimesQuantity(1000, '0.3333')).toBe(333);
    expect(priceTimesQuantity(150, 2.5)).toBe(375);
    expect(priceTimesQuantity(1, '0.5')).toBe(1);
  });
  test('refuses bad quantities', () => {
    expect(() => priceTimesQuantity(100, '-1')).toThrow(/数量/);
    expect(() => priceTimesQuantity(100, '1.23456')).toThrow(/数量/);
  });
  test('sums and checks exactness', () => {
    expect(sumFen([200000, 500000, 80000, 300000, 150000])).toBe(1230000);
  });
});
