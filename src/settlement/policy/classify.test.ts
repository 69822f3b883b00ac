import { describe, expect, test } from 'vitest';
import { isYibaoError } from '../../platform/errors.js';
import { classifyLine, classifyLines } from './classify.js';
import { EMPLOYEE_CTX, feeLine, item, restriction } from './fixtures.js';
import { medTypeFamily, psnTypeGroup } from './keys.js';
import { lineToWire } from './wire.js';
import type { ClassifiedLine } from './types.js';

const split = (l: ClassifiedLine) => [l.fulamt_ownpay_amt, l.overlmt_amt, l.preselfpay_amt, l.inscp_scp_amt];

describe('the worked example of §3, line by line', () => {
  const items = new Map([
    ['A', item({ hilist_code: 'A', chrgitm_lv: '01' })],
    ['B', item({ hilist_code: 'B', chrgitm_lv: '02', selfpay_bp: 1000 })],
    ['C', item({ hilist_code: 'C', chrgitm_lv: '03', selfpay_bp: 10_000 })],
    ['D', item({ hilist_code: 'D', chrgitm_lv: '02', selfpay_bp: 1000, list_type: '201', med_chrgitm_type: '05' })],
    ['E', item({ hilist_code: 'E', chrgitm_lv: '02', selfpay_bp: 2000, list_type: '301', med_chrgitm_type: '08', pric_uplmt_fen: 100_000 })],
  ]);
  const lines = classifyLines(
    [feeLine('1', 'A', 100_000, '2'), feeLine('2', 'B', 50_000, '10'), feeLine('3', 'C', 80_000), feeLine('4', 'D', 300_000), feeLine('5', 'E', 150_000)],
    (l) => items.get(l.hilist_code),
    EMPLOYEE_CTX,
  );

  test('each line splits as the table says', () => {
    expect(lines.map(split)).toEqual([
      [0, 0, 0, 200_000],
      [0, 0, 50_000, 450_000],
      [80_000, 0, 0, 0],
      [0, 0, 30_000, 270_000],
      [0, 50_000, 20_000, 80_000],
    ]);
  });

  test('each line reports class, ratio and cap with a Chinese reason', () => {
    expect(lines[4]).toMatchObject({ chrgitm_lv: '02', selfpay_prop: 2000, pric_uplmt_amt: 100_000, ownpay_kind: null });
    expect(lines[4]!.reason).toBe('乙类；超限价：限价 1000.00 元 × 1 = 1000.00 元，超出 500.00 元自费；先行自付 20%：200.00 元；符合政策范围 800.00 元');
    expect(lines[2]).toMatchObject({ chrgitm_lv: '03', selfpay_prop: 10_000, ownpay_kind: 'class_c', reason: '丙类项目，全自费' });
  });

  test('the 2204/2301 output row has national names, yuan numbers and 999999 for no cap', () => {
    expect(lineToWire(lines[4]!)).toMatchObject({ det_item_fee_sumamt: 1500, pric: 1500, pric_uplmt_amt: 1000, selfpay_prop: 0.2, fulamt_ownpay_amt: 0, overlmt_amt: 500, preselfpay_amt: 200, inscp_scp_amt: 800, chrgitm_lv: '02', med_chrgitm_type: '08' });
    expect(lineToWire(lines[0]!)).toMatchObject({ pric_uplmt_amt: 999999, selfpay_prop: 0, cnt: 2 });
  });
});

describe('whole line 全自费', () => {
  test('a code not in the catalogue', () => {
    const l = classifyLine(feeLine('1', 'NOPE', 12_345), undefined, EMPLOYEE_CTX);
    expect(split(l)).toEqual([12_345, 0, 0, 0]);
    expect(l).toMatchObject({ ownpay_kind: 'not_listed', chrgitm_lv: '03', selfpay_prop: 10_000, reason: '未纳入医保目录，全自费' });
  });

  test('an item version not in force on the fee date', () => {
    const l = classifyLine(feeLine('1', 'A', 1000, '1', '2025-03-10'), item({ hilist_code: 'A', begndate: '2025-04-01' }), EMPLOYEE_CTX);
    expect(l.ownpay_kind).toBe('not_in_force');
    expect(l.fulamt_ownpay_amt).toBe(1000);
  });

  const restricted = (r: Parameters<typeof restriction>[0]) => item({ hilist_code: 'R', chrgitm_lv: '02', selfpay_bp: 1000, restriction: restriction(r) });
  test.each([
    ['sex', { lmt_gend: '2' as const }, EMPLOYEE_CTX, 'gend', '限女性使用'],
    ['minimum age', { lmt_age_min: 60 }, EMPLOYEE_CTX, 'age', '限60岁及以上使用，患者49岁'],
    ['maximum age', { lmt_age_max: 17 }, EMPLOYEE_CTX, 'age', '限17岁及以下使用，患者49岁'],
    ['indication by prefix', { lmt_diag: ['E11', 'E10.1'] }, EMPLOYEE_CTX, 'diag', '限适应症：诊断须在 E11、E10.1 范围内'],
    ['indication by category range', { lmt_diag: ['C00-C97'] }, EMPLOYEE_CTX, 'diag', '限适应症：诊断须在 C00-C97 范围内'],
    ['minimum institution level', { lmt_min_hosp_lv: '3' as const }, { ...EMPLOYEE_CTX, hosp_lv: '2' }, 'hosp_lv', '限三级及以上医疗机构使用'],
    ['care setting', { lmt_scene: ['2' as const] }, { ...EMPLOYEE_CTX, med_type: '11' }, 'scene', '限住院使用'],
    ['insurance type', { lmt_insutype: ['390'] }, EMPLOYEE_CTX, 'insutype', '限险种 390 支付'],
  ])('restriction not met: %s', (_name, r, ctx, kind, message) => {
    const l = classifyLine(feeLine('1', 'R', 20_000), restricted(r), ctx);
    expect(split(l)).toEqual([20_000, 0, 0, 0]);
    expect(l.ownpay_kind).toBe('restricted');
    expect(l.breaches).toEqual([{ kind, message }]);
    expect(l.reason).toBe(`不符合限定支付范围（${message}），全自费`);
    expect(l.lmt_used_flag).toBe('1');
  });

  test('restrictions that are met leave the line payable', () => {
    const r = restricted({ lmt_gend: '1', lmt_age_min: 18, lmt_diag: ['I20-I25'], lmt_min_hosp_lv: '2', lmt_scene: ['2'], lmt_insutype: ['310'] });
    const l = classifyLine(feeLine('1', 'R', 20_000), r, EMPLOYEE_CTX);
    expect(split(l)).toEqual([0, 0, 2000, 18_000]);
  });

  test('several unmet restrictions are all named', () => {
    const l = classifyLine(feeLine('1', 'R', 20_000), restricted({ lmt_gend: '2', lmt_insutype: ['390'] }), EMPLOYEE_CTX);
    expect(l.reason).toBe('不符合限定支付范围（限女性使用；限险种 390 支付），全自费');
  });

  test('age is taken on each line’s fee date (a birthday during the stay)', () => {
    const child = restricted({ lmt_age_max: 17 });
    const ctx = { ...EMPLOYEE_CTX, brdy: '2007-03-12' };
    expect(classifyLine(feeLine('1', 'R', 100, '1', '2025-03-11'), child, ctx).ownpay_kind).toBeNull();
    expect(classifyLine(feeLine('2', 'R', 100, '1', '2025-03-12'), child, ctx).ownpay_kind).toBe('restricted');
  });
});

describe('price caps and ratios', () => {
  test('the cap is per unit and multiplies by a fractional quantity', () => {
    // 2.5 units at 150.00 = 375.00; cap 120.00 × 2.5 = 300.00; 75.00 over; 5 % of 300.00 = 15.00
    const l = classifyLine(feeLine('1', 'E', 15_000, '2.5'), item({ hilist_code: 'E', chrgitm_lv: '02', selfpay_bp: 500, pric_uplmt_fen: 12_000 }), EMPLOYEE_CTX);
    expect(split(l)).toEqual([0, 7500, 1500, 28_500]);
  });

  test('a price at or under the cap has no excess', () => {
    const l = classifyLine(feeLine('1', 'E', 12_000, '3'), item({ hilist_code: 'E', pric_uplmt_fen: 12_000 }), EMPLOYEE_CTX);
    expect(split(l)).toEqual([0, 0, 0, 36_000]);
  });

  test('先行自付 rounds half away from zero to the fen', () => {
    // 0.15 × 10 % = 0.015 → 0.02
    const l = classifyLine(feeLine('1', 'B', 15), item({ hilist_code: 'B', chrgitm_lv: '02', selfpay_bp: 1000 }), EMPLOYEE_CTX);
    expect(split(l)).toEqual([0, 0, 2, 13]);
  });
});

describe('bad lines are refused with a Chinese message', () => {
  test('an amount that is not price × quantity', () => {
    const bad = { ...feeLine('7', 'A', 1000, '2'), det_item_fee_sumamt: 2001 };
    let err: unknown;
    try {
      classifyLine(bad, item({ hilist_code: 'A' }), EMPLOYEE_CTX);
    } catch (e) {
      err = e;
    }
    expect(isYibaoError(err) && err.code).toBe('VALIDATION');
    expect((err as Error).message).toBe('费用明细 7：明细金额 20.01 元与单价 × 数量 20.00 元不符');
  });

  test('an unknown med_type cannot be mapped to a care setting', () => {
    expect(() => classifyLine(feeLine('1', 'A', 100), item({ hilist_code: 'A' }), { ...EMPLOYEE_CTX, med_type: '77' })).toThrow(/医疗类别 77/);
  });
});

describe('policy keys from national codes', () => {
  test.each([
    ['11', '11'],
    ['13', '11'],
    ['14', '14'],
    ['21', '21'],
    ['24', '21'],
    ['41', '41'],
    ['52', '21'],
    ['9902', '21'],
    ['9903', '11'],
    ['77', null],
  ])('med_type %s → family %s', (med_type, fam) => expect(medTypeFamily(med_type)).toBe(fam));

  test.each([
    ['1101', '11'],
    ['1102', '11'],
    ['1201', '12'],
    ['12', '12'],
    ['1403', '14'],
    ['1501', '15'],
    ['16', '15'],
    ['1300', null],
  ])('psn_type %s → group %s', (psn_type, grp) => expect(psnTypeGroup(psn_type)).toBe(grp));
});
