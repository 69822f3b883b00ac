/** Exact numbers and Date-free dates of the engine, and the code index with prefixes and versions. */
import { describe, expect, test } from 'vitest';
import { addDays, isIsoDate } from '../platform/time.js';
import { CodeIndex } from './kb/code-index.js';
import { dateOfDayNo, dayNo, daysBetween, isDate, microText, microTimesQ4, plusDays, prorate, q4Text, toFen, toMicro, toQ4 } from './num.js';

describe('numbers', () => {
  test.each([
    [12.3, 1230],
    ['12.30', 1230],
    [' 7 ', 700],
    ['-0.05', -5],
    [0, 0],
    ['12.345', null],
    ['1e3', null],
    ['', null],
    ['.5', null],
    [Number.NaN, null],
  ])('toFen(%j) = %j', (v, fen) => expect(toFen(v)).toBe(fen));

  test('quantities in ten-thousandths, prices in µ元', () => {
    expect(toQ4('1.5')).toBe(15_000);
    expect(toQ4(30)).toBe(300_000);
    expect(toQ4('0.00001')).toBeNull();
    expect(toMicro('0.035')).toBe(35_000);
    expect(toMicro(12.5)).toBe(12_500_000);
    expect(q4Text(15_000)).toBe('1.5');
    expect(q4Text(300_000)).toBe('30');
    expect(microText(35_000)).toBe('0.035');
    expect(microText(12_500_000)).toBe('12.50');
  });

  test('price × quantity and prorating round half away from zero to the fen', () => {
    expect(microTimesQ4(35_000, 100_000)).toBe(35); // 0.035 × 10
    expect(microTimesQ4(1_005_000, 5_000)).toBe(50); // 1.005 × 0.5 = 0.5025 → 0.50
    expect(microTimesQ4(-2_500_000, 10_000)).toBe(-250);
    expect(prorate(12_000, 2, 4)).toBe(6000);
    expect(prorate(100, 1, 3)).toBe(33);
    expect(prorate(100, 2, 3)).toBe(67);
  });
});

describe('dates', () => {
  test('day numbers agree with Date arithmetic across leap years and centuries', () => {
    for (const d of ['1900-02-28', '1970-01-01', '2000-02-29', '2024-02-29', '2024-12-31', '2100-03-01', '1969-12-31']) {
      expect(dayNo(d)).toBe(Date.parse(`${d}T00:00:00Z`) / 86_400_000);
      expect(dateOfDayNo(dayNo(d))).toBe(d);
      for (const n of [-400, -31, -1, 1, 59, 366]) expect(plusDays(d, n)).toBe(addDays(d, n));
    }
    expect(daysBetween('2025-06-01', '2025-06-14')).toBe(13);
  });

  test.each(['2025-02-29', '2024-02-29', '2025-13-01', '2025-04-31', '2025-4-1', '2025/04/01'])('isDate(%s) agrees with isIsoDate', (d) => {
    expect(isDate(d)).toBe(isIsoDate(d));
  });
});

describe('code index', () => {
  const ix = new CodeIndex<{ k: string; begndate: string; enddate: string | null }>();
  ix.add('XA10BAA010*', { k: 'generic', begndate: '2024-01-01', enddate: null });
  ix.add('XA10BAA010A001*', { k: 'form', begndate: '2024-01-01', enddate: '2024-12-31' });
  ix.add('XA10BAA010A001010100001', { k: 'exact', begndate: '2025-01-01', enddate: null });

  test('the exact code first, then the longest prefix, each valid on the date', () => {
    expect(ix.find('XA10BAA010A001010100001', '2025-06-01')!.k).toBe('exact');
    expect(ix.find('XA10BAA010A001010100001', '2024-06-01')!.k).toBe('form');
    expect(ix.find('XA10BAA010B002010100001', '2024-06-01')!.k).toBe('generic');
    expect(ix.findAll('XA10BAA010A001010100001', '2024-06-01').map((r) => r.k)).toEqual(['form', 'generic']);
    expect(ix.find('XB01', '2025-06-01')).toBeUndefined();
    expect(ix.mayHave('XB01')).toBe(false);
  });
});
