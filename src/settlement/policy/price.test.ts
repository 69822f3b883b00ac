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
