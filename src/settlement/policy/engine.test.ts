import { describe, expect, test } from 'vitest';
import { isYibaoError } from '../../platform/errors.js';
import { applyDelta, emptyAccumulators, negateDelta } from './accumulators.js';
import { classifyLines } from './classify.js';
import { settle } from './engine.js';
import { EMPLOYEE_CTX, examplePolicy, feeLine, inscpLine, item, settleInput } from './fixtures.js';
import { reverseSettlement } from './reversal.js';
import { settlementToWire } from './wire.js';
import type { Accumulators, ClassifiedLine, Policy } from './types.js';

/** The five lines of settlement-policy.md §3 (12,300.00 in total). */
function workedExampleLines(): ClassifiedLine[] {
  const items = new Map([
    ['A', item({ hilist_code: 'A', chrgitm_lv: '01' })],
    ['B', item({ hilist_code: 'B', chrgitm_lv: '02', selfpay_bp: 1000 })],
    ['C', item({ hilist_code: 'C', chrgitm_lv: '03', selfpay_bp: 10_000 })],
    ['D', item({ hilist_code: 'D', chrgitm_lv: '02', selfpay_bp: 1000, list_type: '201' })],
    ['E', item({ hilist_code: 'E', chrgitm_lv: '02', selfpay_bp: 2000, list_type: '301', pric_uplmt_fen: 100_000 })],
  ]);
  return classifyLines(
    [feeLine('1', 'A', 200_000), feeLine('2', 'B', 500_000), feeLine('3', 'C', 80_000), feeLine('4', 'D', 300_000), feeLine('5', 'E', 150_000)],
    (l) => items.get(l.hilist_code),
    EMPLOYEE_CTX,
  );
}

const acc = (over: Partial<Accumulators>): Accumulators => ({ ...emptyAccumulators(), ...over });
const group = (dedc_used: number, pool_base: number, pool_paid: number) => ({ dedc_used, pool_base, pool_paid });

describe('the worked example of §3', () => {
  const input = settleInput(workedExampleLines(), { account: { acct_used_flag: '1', balc: 300_000 } });
  const s = settle(input);

  test('setlinfo has exactly the published figures', () => {
    expect(s.setlinfo).toEqual({
      medfee_sumamt: 1_230_000,
      fulamt_ownpay_amt: 80_000,
      overlmt_selfpay: 50_000,
      preselfpay_amt: 100_000,
      inscp_scp_amt: 1_000_000,
      act_pay_dedc: 120_000,
      hifp_pay: 748_000,
      pool_prop_selfpay: 8500,
      cvlserv_pay: 0,
      hifes_pay: 0,
      hifmi_pay: 0,
      hifob_pay: 0,
      maf_pay: 0,
      oth_pay: 0,
      fund_pay_sumamt: 748_000,
      psn_part_amt: 482_000,
      acct_pay: 300_000,
      acct_mulaid_pay: 0,
      psn_cash_pay: 182_000,
      hosp_part_amt: 0,
      balc: 0,
    });
    // the check line of §3: 7,480.00 + 3,000.00 + 1,820.00 = 12,300.00
    expect(s.setlinfo.hifp_pay + s.setlinfo.acct_pay + s.setlinfo.psn_cash_pay).toBe(s.setlinfo.medfee_sumamt);
  });

  test('setldetail has the pooled fund and the account, each with its computation in Chinese', () => {
    expect(s.setldetail).toEqual([
      {
        fund_pay_type: '310100',
        fund_pay_type_name: '城镇职工基本医疗保险统筹基金',
        inscp_scp_amt: 1_000_000,
        crt_payb_lmt_amt: 40_000_000,
        fund_payamt: 748_000,
        setl_proc_info:
          '政策范围内费用10000.00元；本年第1次住院起付线1200.00元，本次支付起付线1200.00元；进入统筹部分 10000.00元 − 1200.00元 = 8800.00元；' +
          '0.00元以上段 8800.00元 × 85% = 7480.00元；年度最高支付限额400000.00元，本年已支付0.00元，本次可支付400000.00元；城镇职工基本医疗保险统筹基金支付7480.00元',
      },
      {
        fund_pay_type: '310200',
        fund_pay_type_name: '城镇职工基本医疗保险个人账户基金',
        inscp_scp_amt: 352_000,
        crt_payb_lmt_amt: 352_000,
        fund_payamt: 300_000,
        setl_proc_info: '个人账户可支付范围：政策范围内个人负担3520.00元（全自费、超限价不由账户支付），不超过个人负担4820.00元，共3520.00元；本人账户余额3000.00元，支付3000.00元，余额0.00元',
      },
    ]);
  });

  test('the wire form carries yuan numbers', () => {
    const w = settlementToWire(s);
    expect(w.setlinfo).toMatchObject({ medfee_sumamt: 12300, inscp_scp_amt: 10000, act_pay_dedc: 1200, hifp_pay: 7480, fund_pay_sumamt: 7480, psn_part_amt: 4820, acct_pay: 3000, psn_cash_pay: 1820, balc: 0, pool_prop_selfpay: 0.85 });
    expect(w.setldetail.map((d) => [d.fund_pay_type, d.fund_payamt])).toEqual([
      ['310100', 7480],
      ['310200', 3000],
    ]);
  });

  test('accumulators count the admission and the pooled payment', () => {
    expect(s.delta).toEqual(acc({ admissions: 1, groups: { 住院: group(0, 880_000, 748_000) } }));
    expect(s.after).toEqual(s.delta);
  });

  test('settling the same input again (2206 then 2207) gives the same figures', () => {
    expect(settle(structuredClone(input))).toEqual(s);
  });

  test('its reversal is the exact negation and restores accumulators and balance', () => {
    const r = reverseSettlement(s);
    expect(r.setlinfo).toMatchObject({ medfee_sumamt: -1_230_000, hifp_pay: -748_000, acct_pay: -300_000, psn_cash_pay: -182_000, balc: 300_000, pool_prop_selfpay: 8500 });
    expect(r.setldetail.map((d) => d.fund_payamt)).toEqual([-748_000, -300_000]);
    expect(r.after).toEqual(acc({ groups: { 住院: group(0, 0, 0) } }));
    expect(settlementToWire(r).setlinfo.hifp_pay).toBe(-7480);
  });

  test('a later reversal applies to the accumulators and balance as they are by then', () => {
    const later = settle(settleInput([inscpLine('9', 100_000)], { acc: s.after }));
    const r = reverseSettlement(s, { acc: later.after, balc: 5_000 });
    expect(r.after).toEqual(applyDelta(later.after, negateDelta(s.delta)));
    expect(r.after.admissions).toBe(1);
    expect(r.setlinfo.balc).toBe(305_000);
  });
});

describe('deductible', () => {
  const inscp = (amount: number) => [inscpLine('1', amount)];

  test('per admission: the first admission of the year pays the full deductible, the second the lower one', () => {
    const first = settle(settleInput(inscp(1_000_000)));
    expect(first.setlinfo).toMatchObject({ act_pay_dedc: 120_000, hifp_pay: 748_000 });
    const second = settle(settleInput(inscp(1_000_000), { acc: first.after }));
    expect(second.setlinfo).toMatchObject({ act_pay_dedc: 60_000, hifp_pay: 799_000 });
    expect(second.setldetail[0]!.setl_proc_info).toContain('本年第2次住院起付线600.00元');
    expect(second.after.admissions).toBe(2);
  });

  test('per admission: costs under the deductible are all the person’s, and the pooled row still explains why', () => {
    const s = settle(settleInput(inscp(50_000)));
    expect(s.setlinfo).toMatchObject({ act_pay_dedc: 50_000, hifp_pay: 0, fund_pay_sumamt: 0, psn_cash_pay: 50_000 });
    expect(s.setldetail).toHaveLength(1);
    expect(s.setldetail[0]).toMatchObject({ fund_pay_type: '310100', fund_payamt: 0 });
  });

  test('per year: only the part not yet paid this year applies, and the next visit pays none', () => {
    const policy = examplePolicy({ med_type_fam: '11', acc_grp: '普通门诊', dedc: { scope: 'year', amt: 100_000, amt_next: null }, pool: { fund: '310100', basis: 'settlement', bands: [{ upto: null, bp: 5000 }], lmt: 300_000 }, large: null });
    const before = acc({ groups: { 普通门诊: group(30_000, 0, 0) } });
    const s = settle(settleInput(inscp(100_000), { policy, acc: before }));
    expect(s.setlinfo).toMatchObject({ act_pay_dedc: 70_000, hifp_pay: 15_000 });
    expect(s.setldetail[0]!.setl_proc_info).toContain('年度起付线1000.00元，本年已付300.00元，本次支付起付线700.00元');
    expect(s.delta).toEqual(acc({ groups: { 普通门诊: group(70_000, 30_000, 15_000) } }));
    const next = settle(settleInput(inscp(10_000), { policy, acc: s.after }));
    expect(next.setlinfo).toMatchObject({ act_pay_dedc: 0, hifp_pay: 5000 });
  });
});

describe('pooled fund bands and annual limit', () => {
  const bands = [
    { upto: 5_000_000, bp: 8500 },
    { upto: null, bp: 9000 },
  ];

  test('one settlement crossing a band pays each part at its own ratio', () => {
    const policy = examplePolicy({ pool: { fund: '310100', basis: 'settlement', bands, lmt: 40_000_000 } });
    const s = settle(settleInput([inscpLine('1', 6_120_000)], { policy }));
    // 50,000.00 × 85 % + 10,000.00 × 90 %
    expect(s.setlinfo).toMatchObject({ act_pay_dedc: 120_000, hifp_pay: 5_150_000, pool_prop_selfpay: 9000 });
    expect(s.setldetail[0]!.setl_proc_info).toContain('0.00–50000.00元段 50000.00元 × 85% = 42500.00元；50000.00元以上段 10000.00元 × 90% = 9000.00元');
  });

  test('with year basis, the bands continue from what was accumulated earlier in the year', () => {
    const policy = examplePolicy({ pool: { fund: '310100', basis: 'year', bands, lmt: 40_000_000 } });
    const before = acc({ admissions: 1, groups: { 住院: group(0, 4_000_000, 3_400_000) } });
    const s = settle(settleInput([inscpLine('1', 2_060_000)], { policy, acc: before }));
    // deductible 600.00 (2nd admission); 20,000.00 base: 10,000.00 × 85 % + 10,000.00 × 90 %
    expect(s.setlinfo).toMatchObject({ act_pay_dedc: 60_000, hifp_pay: 1_750_000 });
    expect(s.after.groups['住院']).toEqual(group(0, 6_000_000, 5_150_000));
  });

  test('the annual limit running out mid-settlement passes the rest to 职工大额 (330100)', () => {
    const before = acc({ admissions: 1, groups: { 住院: group(0, 0, 39_500_000) } });
    const s = settle(settleInput([inscpLine('1', 1_060_000)], { acc: before }));
    // base 10,000.00 at 85 % would be 8,500.00 but only 5,000.00 is left: the pooled fund pays 5,000.00 for the
    // first 5,882.36 of base; the remaining 4,117.64 goes to 大额 at 90 % = 3,705.88
    expect(s.setlinfo).toMatchObject({ act_pay_dedc: 60_000, hifp_pay: 500_000, hifob_pay: 370_588, hifmi_pay: 0, fund_pay_sumamt: 870_588 });
    expect(s.setldetail.map((d) => [d.fund_pay_type, d.inscp_scp_amt, d.crt_payb_lmt_amt, d.fund_payamt])).toEqual([
      ['310100', 1_060_000, 500_000, 500_000],
      ['330100', 411_764, 50_000_000, 370_588],
    ]);
    expect(s.setldetail[0]!.setl_proc_info).toContain('已达限额，超出限额的4117.64元本基金不予支付');
    expect(s.after.groups['住院']!.pool_paid).toBe(40_000_000);
    expect(s.after).toMatchObject({ large_base: 411_764, large_paid: 370_588 });

    const next = settle(settleInput([inscpLine('2', 1_060_000)], { acc: s.after }));
    expect(next.setlinfo).toMatchObject({ hifp_pay: 0, hifob_pay: 900_000 });
  });

  test('the large-amount layer stops at its own annual cap', () => {
    const before = acc({ admissions: 1, groups: { 住院: group(0, 0, 40_000_000) }, large_base: 60_000_000, large_paid: 49_900_000 });
    const s = settle(settleInput([inscpLine('1', 1_060_000)], { acc: before }));
    expect(s.setlinfo).toMatchObject({ hifp_pay: 0, hifob_pay: 100_000 });
    expect(s.after.large_paid).toBe(50_000_000);
  });
});

describe('居民大病保险 (390200) on the accumulated personal burden', () => {
  const resident: Policy = examplePolicy({
    insutype: '390',
    psn_type_grp: '*',
    dedc: { scope: 'admission', amt: 100_000, amt_next: 50_000 },
    pool: { fund: '390100', basis: 'settlement', bands: [{ upto: null, bp: 6000 }], lmt: 20_000_000 },
    large: { fund: '390200', basis: 'burden', threshold: 1_500_000, bands: [{ upto: 10_000_000, bp: 6000 }, { upto: null, bp: 7000 }], lmt: 40_000_000 },
    cvlserv: null,
  });
  const person = { psn_type: '1501', cvlserv_flag: '0', idet_types: [] };

  test('pays nothing below the threshold but counts the burden, then pays the part above it', () => {
    const s1 = settle(settleInput([inscpLine('1', 3_100_000)], { policy: resident, person }));
    expect(s1.setlinfo).toMatchObject({ hifp_pay: 1_800_000, hifmi_pay: 0 });
    expect(s1.setldetail.map((d) => d.fund_pay_type)).toEqual(['390100']);
    expect(s1.after.large_base).toBe(1_300_000);

    const s2 = settle(settleInput([inscpLine('2', 1_050_000)], { policy: resident, person, acc: s1.after }));
    // burden 4,500.00 of which 2,500.00 is above the 15,000.00 threshold: × 60 %
    expect(s2.setlinfo).toMatchObject({ act_pay_dedc: 50_000, hifp_pay: 600_000, hifmi_pay: 150_000, hifob_pay: 0 });
    expect(s2.setldetail[1]).toMatchObject({ fund_pay_type: '390200', fund_pay_type_name: '城乡居民大病医疗保险基金', inscp_scp_amt: 450_000, fund_payamt: 150_000 });
    expect(s2.setldetail[1]!.setl_proc_info).toContain('起付标准15000.00元，本次超过起付标准部分2500.00元');
  });
});

describe('公务员医疗补助 (320100) and 医疗救助 (610100)', () => {
  const lines = workedExampleLines();
  const civil = { psn_type: '1102', cvlserv_flag: '1', idet_types: [] as string[] };

  test('a civil servant gets the subsidy on the deductible and the co-insurance', () => {
    const s = settle(settleInput(lines, { person: civil }));
    // burden 2,520.00: deductible 1,200.00 × 50 % + 1,320.00 × 60 %
    expect(s.setlinfo).toMatchObject({ cvlserv_pay: 139_200, fund_pay_sumamt: 887_200, psn_part_amt: 342_800, psn_cash_pay: 342_800 });
    expect(s.setldetail[1]).toMatchObject({ fund_pay_type: '320100', inscp_scp_amt: 252_000, fund_payamt: 139_200 });
    expect(s.setldetail[1]!.setl_proc_info).toBe(
      '公务员：政策范围内个人负担2520.00元；起付线部分 1200.00元 × 50% = 600.00元；其余 1320.00元 × 60% = 792.00元；年度限额100000.00元，本年已支付0.00元，本次可支付100000.00元；公务员医疗补助基金支付1392.00元',
    );
    expect(s.delta.cvlserv_paid).toBe(139_200);
  });

  test('without the civil-servant flag there is no subsidy, and the cap is respected', () => {
    expect(settle(settleInput(lines)).setlinfo.cvlserv_pay).toBe(0);
    expect(settle(settleInput(lines, { person: civil, acc: acc({ cvlserv_paid: 9_950_000 }) })).setlinfo.cvlserv_pay).toBe(50_000);
  });

  test.each([
    [['2201'], 252_000],
    [['2202'], 176_400],
    [['2202', '2201'], 252_000],
    [['2204'], 0],
    [[], 0],
  ])('assistance for identities %j pays %i fen (best ratio held)', (idet_types, maf) => {
    const s = settle(settleInput(lines, { person: { psn_type: '1101', cvlserv_flag: '0', idet_types } }));
    expect(s.setlinfo.maf_pay).toBe(maf);
    expect(s.setldetail.some((d) => d.fund_pay_type === '610100')).toBe(maf > 0);
  });

  test('assistance comes after the civil-servant subsidy and stops at its annual cap', () => {
    const both = settle(settleInput(lines, { person: { ...civil, idet_types: ['2202'] } }));
    expect(both.setlinfo).toMatchObject({ cvlserv_pay: 139_200, maf_pay: 78_960 });
    const capped = settle(settleInput(lines, { person: { ...civil, idet_types: ['2201'] }, acc: acc({ maf_paid: 4_990_000 }) }));
    expect(capped.setlinfo.maf_pay).toBe(10_000);
    expect(capped.setldetail.find((d) => d.fund_pay_type === '610100')!.setl_proc_info).toContain('救助对象：特困供养人员（2201）');
  });
});

describe('personal account and family mutual aid', () => {
  const lines = workedExampleLines();
  const rich = { acct_used_flag: '1', balc: 1_000_000 };

  test('by default the account pays only the in-scope personal burden', () => {
    const s = settle(settleInput(lines, { account: rich }));
    expect(s.setlinfo).toMatchObject({ acct_pay: 352_000, psn_cash_pay: 130_000, balc: 648_000 });
  });

  test('with the local switch on it also pays 全自费 and 超限价', () => {
    const policy = examplePolicy({ acct: { ownpay: true, mulaid: true } });
    const s = settle(settleInput(lines, { policy, account: rich }));
    expect(s.setlinfo).toMatchObject({ acct_pay: 482_000, psn_cash_pay: 0, balc: 518_000 });
  });

  test('nothing is paid from the account unless the patient asks (acct_used_flag = 0)', () => {
    const s = settle(settleInput(lines, { account: { ...rich, acct_used_flag: '0' } }));
    expect(s.setlinfo).toMatchObject({ acct_pay: 0, psn_cash_pay: 482_000, balc: 1_000_000 });
    expect(s.setldetail.map((d) => d.fund_pay_type)).toEqual(['310100']);
  });

  test('family members’ accounts pay what the own account cannot, in order', () => {
    const account = { acct_used_flag: '1', balc: 100_000, family: [{ psn_no: 'F1', balc: 200_000 }, { psn_no: 'F2', balc: 500_000 }, { psn_no: 'F3', balc: 900_000 }] };
    const s = settle(settleInput(lines, { account }));
    expect(s.setlinfo).toMatchObject({ acct_pay: 100_000, acct_mulaid_pay: 252_000, psn_cash_pay: 130_000, balc: 0 });
    expect(s.mulaid).toEqual([
      { psn_no: 'F1', amt: 200_000, balc: 0 },
      { psn_no: 'F2', amt: 52_000, balc: 448_000 },
    ]);
    expect(s.setldetail[1]).toMatchObject({ fund_pay_type: '310200', fund_payamt: 352_000 });
    expect(s.setldetail[1]!.setl_proc_info).toContain('家庭共济：F2 的账户支付520.00元，余额4480.00元');
    const r = reverseSettlement(s);
    expect(r.mulaid).toEqual([
      { psn_no: 'F1', amt: -200_000, balc: 200_000 },
      { psn_no: 'F2', amt: -52_000, balc: 500_000 },
    ]);
  });

  test('a resident without an own account can be paid for by a bound employee', () => {
    const policy = examplePolicy({ insutype: '390', psn_type_grp: '*', pool: { fund: '390100', basis: 'settlement', bands: [{ upto: null, bp: 6000 }], lmt: 20_000_000 }, large: null, cvlserv: null });
    const s = settle(settleInput(lines, { policy, person: { psn_type: '1501', cvlserv_flag: '0', idet_types: [] }, account: { acct_used_flag: '1', balc: 0, family: [{ psn_no: 'P', balc: 50_000 }] } }));
    expect(s.setlinfo).toMatchObject({ acct_pay: 0, acct_mulaid_pay: 50_000 });
  });

  test('mutual aid is off where the policy says so', () => {
    const policy = examplePolicy({ acct: { ownpay: false, mulaid: false } });
    const s = settle(settleInput(lines, { policy, account: { acct_used_flag: '1', balc: 0, family: [{ psn_no: 'P', balc: 50_000 }] } }));
    expect(s.setlinfo.acct_mulaid_pay).toBe(0);
  });
});

describe('hospital part and refusals', () => {
  const lines = workedExampleLines();

  test('the hospital’s part comes out of the personal part', () => {
    const s = settle(settleInput(lines, { hosp_part_amt: 50_000, account: { acct_used_flag: '1', balc: 1_000_000 } }));
    expect(s.setlinfo).toMatchObject({ hosp_part_amt: 50_000, psn_part_amt: 432_000, acct_pay: 352_000, psn_cash_pay: 80_000 });
  });

  test('a hospital part larger than the personal part is refused', () => {
    expect(() => settle(settleInput(lines, { hosp_part_amt: 500_000 }))).toThrow(/医院负担金额超过/);
  });

  test('a policy whose bands do not end open is refused before use', () => {
    const policy = examplePolicy({ pool: { fund: '310100', basis: 'settlement', bands: [{ upto: 100, bp: 8500 }], lmt: 1 } });
    let err: unknown;
    try {
      settle(settleInput(lines, { policy }));
    } catch (e) {
      err = e;
    }
    expect(isYibaoError(err) && err.code).toBe('VALIDATION');
    expect((err as Error).message).toContain('pool_bands[1].upto_amt最后一段不应设上限');
  });

  test('negative accumulators are refused', () => {
    expect(() => settle(settleInput(lines, { acc: acc({ maf_paid: -1 }) }))).toThrow(/maf_paid/);
  });
});
