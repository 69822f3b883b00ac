/**
 * 中途结算 in the pure engine: a settlement that continues an admission (SettleInput.continuation) does not count the
 * admission again, pays only the deductible still missing, and walks per-settlement bands on from the earlier base —
 * so a stay settled in two parts pays what it would have paid settled once.
 */
import { describe, expect, test } from 'vitest';
import { emptyAccumulators } from './accumulators.js';
import { settle } from './engine.js';
import { examplePolicy, inscpLine, settleInput } from './fixtures.js';

describe('continuation of an admission (中途结算)', () => {
  const banded = examplePolicy({ pool: { fund: '310100', basis: 'settlement', bands: [{ upto: 1_000_000, bp: 8000 }, { upto: null, bp: 9000 }], lmt: 40_000_000 } });

  test('two parts pay exactly what one settlement of the stay pays, the deductible once, the admission counted once', () => {
    const whole = settle(settleInput([inscpLine('1', 800_000), inscpLine('2', 700_000)], { policy: banded }));
    const first = settle(settleInput([inscpLine('1', 800_000)], { policy: banded }));
    const cont = { dedc_paid: first.setlinfo.act_pay_dedc, pool_base: first.setlinfo.inscp_scp_amt - first.setlinfo.act_pay_dedc };
    const second = settle(settleInput([inscpLine('2', 700_000)], { policy: banded, acc: first.after, continuation: cont }));
    expect(first.setlinfo.act_pay_dedc).toBe(120_000);
    expect(second.setlinfo.act_pay_dedc).toBe(0);
    expect(first.setlinfo.hifp_pay + second.setlinfo.hifp_pay).toBe(whole.setlinfo.hifp_pay);
    expect(first.delta.admissions + second.delta.admissions).toBe(1);
    expect(second.after).toEqual(whole.after);
    expect(second.setldetail[0]!.setl_proc_info).toContain('本次住院中途结算已付1200.00元');
    expect(second.setldetail[0]!.setl_proc_info).toContain('分段接续计算');
  });

  test('a first part smaller than the deductible leaves the rest of it to the next part', () => {
    const first = settle(settleInput([inscpLine('1', 50_000)]));
    expect(first.setlinfo.act_pay_dedc).toBe(50_000);
    expect(first.setlinfo.hifp_pay).toBe(0);
    const second = settle(settleInput([inscpLine('2', 100_000)], { acc: first.after, continuation: { dedc_paid: 50_000, pool_base: 0 } }));
    expect(second.setlinfo.act_pay_dedc).toBe(70_000);
    expect(second.setlinfo.hifp_pay).toBe(25_500); // 85 % of 300.00
  });

  test('a continued second admission of the year keeps the lower deductible of its own admission', () => {
    const acc = { ...emptyAccumulators(), admissions: 2 };
    const s = settle(settleInput([inscpLine('1', 100_000)], { acc, continuation: { dedc_paid: 10_000, pool_base: 0 } }));
    // the admission is the 2nd of the year (already counted): 600.00 standard, 100.00 paid before
    expect(s.setlinfo.act_pay_dedc).toBe(50_000);
    expect(s.delta.admissions).toBe(0);
  });
});
