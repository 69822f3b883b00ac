/**
 * The rule changes the detection-quality evaluation asked for (docs/audit-quality.md), each with a hit and a
 * look-alike that must not hit: 限适应症/限就医方式 judged on lines already 全自费, 同一项目重复收费, 收费跨期 by the
 * encounter's dates, 药品与诊断不符 without any diagnosis, 超剂量 only over a stated period, 超量开药 from the
 * order's own days of supply. Engine core over the fixture knowledge, no database.
 */
import { describe, expect, test } from 'vitest';
import { prepareClaim } from '../engine/claim.js';
import { runRules } from '../engine/engine.js';
import { C, encounter, fixtureKnowledge, HOSP, HOSP_B, order, patient, request, TODAY } from '../testing.js';
import type { EncounterDto, JudgeResult, OrderDto, PatientDto } from '../types.js';
import { DEFAULT_RULES } from './catalogue.js';
import { RuleBase, ruleDefFromInput } from './store.js';

const kb = fixtureKnowledge();

/** Runs one rule, optionally with parameters other than the defaults. */
function run(rule_id: string, p: PatientDto, params: Record<string, unknown> = {}): JudgeResult[] {
  const input = DEFAULT_RULES.find((r) => r.rule_id === rule_id)!;
  const rules = new RuleBase([ruleDefFromInput({ ...input, params })]);
  const out = runRules(prepareClaim(request(p, { rule_ids: [rule_id], trig_scen: undefined }), kb, TODAY), { kb, rules });
  expect(out.response.rule_errs).toEqual([]);
  return out.response.result;
}

const one = (orders: OrderDto[], enc: Partial<EncounterDto> & { diags?: string[] } = {}) => patient({ fsi_encounter_dtos: [encounter({ orders, ...enc })] });
const stay = { med_type: '21', adm_date: '2025-06-10 08:00:00', dscg_date: '2025-06-13 10:00:00' };
const detailTypes = (r: JudgeResult) => r.judge_result_detail_dtos.map((d) => [d.rx_id, d.vola_item_type]);

describe('政策类 on lines settlement already made 全自费', () => {
  test('POL-SCP-01 hits an out-of-indication drug the patient paid in full (amount: what the fund paid, 0); fund_only restores the old reading', () => {
    const selfPaid = order(C.DAPA, { pric: 5, cnt: 28, ownpay_amt: 140 });
    const [r] = run('POL-SCP-01', one([selfPaid], { diags: ['I10.x00'] }));
    expect(r).toMatchObject({ rule_id: 'POL-SCP-01', vola_amt: 0 });
    expect(detailTypes(r!)).toEqual([[selfPaid.rx_id, '1']]);
    expect(run('POL-SCP-01', one([selfPaid], { diags: ['E11.900'] }))).toEqual([]);
    expect(run('POL-SCP-01', one([selfPaid], { diags: ['I10.x00'] }), { fund_only: true })).toEqual([]);
  });

  test('POL-MDT-01 hits an inpatient-only drug at an outpatient visit even when self-paid; not in a stay', () => {
    const selfPaid = order(C.INPT, { pric: 80, cnt: 1, ownpay_amt: 80 });
    expect(run('POL-MDT-01', one([selfPaid]))[0]!.vola_cont).toBe('【美罗培南注射剂】限住院使用，本次为门诊');
    expect(run('POL-MDT-01', one([selfPaid], stay))).toEqual([]);
    expect(run('POL-MDT-01', one([selfPaid]), { fund_only: true })).toEqual([]);
  });
});

describe('MGT-DUP-01 同一项目重复收费', () => {
  test('a once-a-day test on two lines of one day: the second line is the repeat, the first participates', () => {
    const a = order(C.CBC, { pric: 8 });
    const b = order(C.CBC, { pric: 8 });
    const [r, ...rest] = run('MGT-DUP-01', one([a, b]));
    expect(rest).toEqual([]);
    expect(r!.vola_cont).toBe('【血常规】每日限收费1次，2025-06-10收费2条，重复收费1条');
    expect(r!.vola_amt).toBe(8);
    expect(detailTypes(r!)).toEqual([[b.rx_id, '1'], [a.rx_id, '2']]);
  });

  test('a per-day charge (bed) twice on one day hits; one a day over a stay, a test on two days, or a refunded repeat do not', () => {
    expect(run('MGT-DUP-01', one([order(C.BED, { pric: 40 }), order(C.BED, { pric: 40 })], stay))).toHaveLength(1);
    const days = ['2025-06-10', '2025-06-11', '2025-06-12'].map((date) => order(C.BED, { date, pric: 40 }));
    expect(run('MGT-DUP-01', one(days, stay))).toEqual([]);
    expect(run('MGT-DUP-01', one([order(C.CBC), order(C.CBC, { date: '2025-06-11' })], stay))).toEqual([]);
    expect(run('MGT-DUP-01', one([order(C.CBC, { pric: 8 }), order(C.CBC, { pric: 8 }), order(C.CBC, { pric: 8, cnt: -1 })]))).toEqual([]);
  });

  test('an item without a once limit repeated the same day is not judged; same_item off keeps only the pairs', () => {
    expect(run('MGT-DUP-01', one([order(C.IM_INJ), order(C.IM_INJ)]))).toEqual([]);
    expect(run('MGT-DUP-01', one([order(C.CBC), order(C.CBC)]), { same_item: false })).toEqual([]);
  });
});

describe('MGT-LAG-02 收费跨期 (fee date outside the encounter)', () => {
  test('a line dated before admission hits; lines on the admission and discharge days do not', () => {
    const early = order(C.METF, { date: '2025-05-28', pric: 1, cnt: 6 });
    const [r, ...rest] = run('MGT-LAG-02', one([early, order(C.BED, { date: '2025-06-10' }), order(C.METF, { date: '2025-06-13' })], stay));
    expect(rest).toEqual([]);
    expect(r!.vola_cont).toBe('【二甲双胍片】的费用发生日期2025-05-28早于本次就诊期间（2025-06-10至2025-06-13），收费跨期');
    expect(r!.vola_amt).toBe(6);
    expect(detailTypes(r!)).toEqual([[early.rx_id, '1']]);
  });

  test('a line after discharge hits; a grace day lets the day before admission pass', () => {
    expect(run('MGT-LAG-02', one([order(C.METF, { date: '2025-06-15' })], stay))[0]!.vola_cont).toContain('晚于本次就诊期间');
    expect(run('MGT-LAG-02', one([order(C.METF, { date: '2025-06-09' })], stay), { grace_days: 1 })).toEqual([]);
  });
});

describe('医疗类', () => {
  test('MED-DX-01 does not judge an encounter without any diagnosis (a pharmacy purchase); a non-matching diagnosis still hits', () => {
    expect(run('MED-DX-01', one([order(C.METF)], { med_type: '41', diags: [] }))).toEqual([]);
    expect(run('MED-DX-01', one([order(C.METF)], { diags: ['I10.x00'] }))).toHaveLength(1);
    expect(run('MED-DX-01', one([order(C.METF)], { med_type: '41', diags: [] }), { no_diag_hits: true })).toHaveLength(1);
  });

  test('MED-DOSE-01 reads a stated one-off inpatient order as one day; a line without a period has no daily dose', () => {
    const temp = order(C.METF, { cnt: 14, pric: 1, long_drord_flag: '0' });
    expect(run('MED-DOSE-01', one([temp], stay))[0]!.vola_cont).toBe('【二甲双胍片】1天共14，日均14，超过每日最大用量6');
    expect(run('MED-DOSE-01', one([order(C.METF, { cnt: 14, pric: 1 })], stay))).toEqual([]);
  });

  test('MED-QTY-01 uses the order’s own days of supply when stated (no dose knowledge needed); within 7 days is fine', () => {
    const tenDays = order(C.DAPA, { cnt: 10, pric: 5, drord_stop_date: '2025-06-19 00:00:00' });
    const [r] = run('MED-QTY-01', one([tenDays], { diags: ['E11.900'] }));
    expect(r!.vola_cont).toBe('【达格列净片】处方用药10天（2025-06-10至2025-06-19），超过门诊7天限量');
    expect(r!.vola_amt).toBe(15); // 3 of 10 days of 50.00
    expect(run('MED-QTY-01', one([order(C.DAPA, { cnt: 7, drord_stop_date: '2025-06-16 00:00:00' })]))).toEqual([]);
    // a stated 20-day supply for a chronic disease (limit 30) is fine even though the quantity is 60 tablets
    expect(run('MED-QTY-01', one([order(C.METF, { cnt: 60, drord_stop_date: '2025-06-29 00:00:00' })], { med_type: '14' }))).toEqual([]);
  });
});

describe('MGT-ADM-01 and transfers', () => {
  const prev = (medins_id: string) =>
    encounter({ mdtrt_id: 'M0', medins_id, med_type: '21', adm_date: '2025-06-01 08:00:00', dscg_date: '2025-06-10 09:00:00', diags: ['K80.000'], orders: [order(C.BED, { date: '2025-06-01', curr_drord_flag: '0', cnt: 9 })] });
  const curr = encounter({ med_type: '21', adm_date: '2025-06-10 15:00:00', dscg_date: '2025-06-13 10:00:00', diags: ['K80.100'], orders: [order(C.BED, { cnt: 3 })] });

  test('admitted to another hospital on the day of discharge is a transfer, not 分解住院; at the same hospital it is', () => {
    expect(run('MGT-ADM-01', patient({ fsi_encounter_dtos: [curr, prev(HOSP_B)] }))).toEqual([]);
    expect(run('MGT-ADM-01', patient({ fsi_encounter_dtos: [curr, prev(HOSP)] }))).toHaveLength(1);
    expect(run('MGT-ADM-01', patient({ fsi_encounter_dtos: [curr, prev(HOSP_B)] }), { transfer_exempt: false })).toHaveLength(1);
  });
});
