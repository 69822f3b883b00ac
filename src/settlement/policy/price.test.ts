import { describe, expect, test } from 'vitest';
import { classifyLine } from './classify.js';
import { EMPLOYEE_CTX, item } from './fixtures.js';
import { cnt10k, exactLineAmount, pricFen, pricMicro } from './price.js';

describe('unit prices with up to 6 decimals (N(16,6))', () => {
  test.each([
    ['0.95', '1200', 114_000],
    ['0.083333', '12', 100], // 0.999996 → 1.00
    ['1.234567', '7', 864], // 8.641969 → 8.64
    ['0.005', '1', 1], // half a fen rounds away from zero
    ['0.004999', '1', 0],
    ['18.5', '2.0000', 3700],
    ['12.34', '-1', -1234],
  ])('%s × %s = %i fen', (pric, cnt, fen) => {
    expect(exactLineAmount(pric, cnt)).toBe(fen);
  });

  test('the integer fast path gives exactly the BigInt result, at the rounding edges and near 2^53', () => {
    // the reference: pric × cnt in 1e-10 yuan, rounded half away from zero to the fen, in BigInt throughout
    const reference = (pric: string, cnt: string) => {
      const product = pricMicro(pric) * cnt10k(cnt);
      const abs = product < 0n ? -product : product;
      const fen = Number((abs + 50_000_000n) / 100_000_000n);
      return product < 0n ? -fen : fen;
    };
    const cases: [string, string][] = [
      ['0.000001', '-0.0001'], // rounds to a negative zero, as the BigInt path does
      ['0.499999', '0.0001'],
      ['0.5', '0.0001'],
      ['0.015', '-1'],
      ['999999999.999999', '9999.9999'],
      ['999999999.999999', '900719.9254'], // just past the exact range: the BigInt path takes over
      ['123456789.123456', '72.9'],
    ];
    let seed = 7;
    const next = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) % n;
    for (let i = 0; i < 5_000; i++) {
      const pric = `${next(10 ** (1 + next(9)))}.${String(next(1_000_000)).padStart(6, '0')}`;
      const cnt = `${next(5) ? '' : '-'}${next(10 ** (1 + next(6)))}.${String(next(10_000)).padStart(4, '0')}`;
      cases.push([pric, cnt]);
    }
    for (const [pric, cnt] of cases) {
      let want: number | string;
      try {
        want = reference(pric, cnt);
        if (!Number.isSafeInteger(want)) want = 'refused';
      } catch {
        want = 'refused';
      }
      let got: number | string;
      try {
        got = exactLineAmount(pric, cnt);
      } catch {
        got = 'refused';
      }
      expect(Object.is(got, want), `${pric} × ${cnt}: ${got} ≠ ${want}`).toBe(true);
    }
  });

  test('parsing refuses more places than the field has', () => {
    expect(() => pricMicro('0.1234567')).toThrow('单价格式错误：“0.1234567”，应为不超过6位小数的非负数');
    expect(() => pricMicro('-1')).toThrow('应为不超过6位小数的非负数');
    expect(() => cnt10k('1.00001')).toThrow('数量格式错误：“1.00001”，应为不超过4位小数的数');
    expect(pricFen('0.083333')).toBe(8);
  });

  test('a line carrying pric_exact is checked against it (the fen price alone would not match)', () => {
    const line = { feedetl_sn: '1', hilist_code: 'A', pric: pricFen('0.083333'), pric_exact: '0.083333', cnt: '12', det_item_fee_sumamt: 100, fee_date: '2025-03-10' };
    expect(classifyLine(line, item({ hilist_code: 'A' }), EMPLOYEE_CTX).inscp_scp_amt).toBe(100);
    const { pric_exact: _p, ...withoutExact } = line;
    expect(() => classifyLine(withoutExact, item({ hilist_code: 'A' }), EMPLOYEE_CTX)).toThrow('明细金额 1.00 元与单价 × 数量 0.96 元不符');
  });
});
