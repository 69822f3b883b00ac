/**
 * 中途结算 in the pure engine: a settlement that continues an admission (SettleInput.continuation) does not count the
 * admission again, pays only the deductible still missing, and walks per-settlement bands on from the earlier base —
 * so a stay settled in two parts pays what it would have paid settled once.
 */
import { describe, expect, test } from 'vitest';
import { emptyAccumulators } from './accumulators.js';
import { settle } from './engine.js';
import { examplePolicy, inscpLine, settleInput } from './fixtures.js';
import type { StayContinuation } from './deductible.js';

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

  test('a continued stay keeps the standard of its first settlement, whatever was counted since', () => {
    // the first part was the year's 1st admission (1,200.00 standard, 100.00 paid); another stay counted since
    // makes acc.admissions 2, which must not turn this stay into a "2nd admission" (600.00)
    const acc = { ...emptyAccumulators(), admissions: 2 };
    const s = settle(settleInput([inscpLine('1', 100_000)], { acc, continuation: { dedc_paid: 10_000, pool_base: 0, dedc_std: 120_000 } as StayContinuation }));
    expect(s.setlinfo.act_pay_dedc).toBe(100_000); // 1,100.00 still owed, capped at the 1,000.00 in scope
    expect(s.delta.admissions).toBe(0);
    expect(s.setldetail[0]!.setl_proc_info).toContain('本次住院起付线1200.00元（沿用本次住院首次结算的起付标准）');
  });

  test('a stay that was the 2nd admission keeps the lower standard after the earlier admission is reversed', () => {
    // the first part paid the 600.00 of a 2nd admission in part; reversing the year's other admission leaves
    // acc.admissions 1 — recomputing would charge the 1,200.00 of a 1st admission
    const acc = { ...emptyAccumulators(), admissions: 1 };
    const s = settle(settleInput([inscpLine('1', 100_000)], { acc, continuation: { dedc_paid: 10_000, pool_base: 0, dedc_std: 60_000 } as StayContinuation }));
    expect(s.setlinfo.act_pay_dedc).toBe(50_000);
  });
});
