/**
 * Every real-time rule, one at a time: a case that hits (with what it names and the amount it computes) and a
 * look-alike legitimate case that must not. Runs the engine core over the fixture knowledge (no database).
 */
import { describe, expect, test } from 'vitest';
import { prepareClaim } from '../engine/claim.js';
import { runRules } from '../engine/engine.js';
import { C, DEAD, DOCTORS, encounter, fixtureKnowledge, HOSP3, HOSP_B, order, patient, request, TODAY } from '../testing.js';
import type { AuditRequest, EncounterDto, JudgeResult, OrderDto, PatientDto } from '../types.js';
import { RULE_IMPLS } from './index.js';
import { defaultRuleBase } from './store.js';

const kb = fixtureKnowledge();
const rules = defaultRuleBase();

/** Runs one rule (by rule_ids, no stage filter) and returns its results. */
function run(rule_id: string, p: PatientDto | AuditRequest): JudgeResult[] {
  const req = 'patient_dtos' in p ? { ...p, rule_ids: [rule_id], trig_scen: undefined } : request(p, { rule_ids: [rule_id], trig_scen: undefined });
  const out = runRules(prepareClaim(req, kb, TODAY), { kb, rules });
  expect(out.response.rule_errs).toEqual([]);
  expect(out.response.warn_msg).toBeNull();
  return out.response.result;
}

/** One patient with one current encounter holding these orders. */
const one = (orders: OrderDto[], enc: Partial<EncounterDto> & { diags?: string[] } = {}, p: Partial<PatientDto> = {}) => patient({ fsi_encounter_dtos: [encounter({ orders, ...enc })], ...p });
const inpatient = { med_type: '21', adm_date: '2025-06-10 08:00:00', dscg_date: '2025-06-13 10:00:00' };
const detailTypes = (r: JudgeResult) => r.judge_result_detail_dtos.map((d) => [d.rx_id, d.vola_item_type]);

describe('政策类', () => {
  test('POL-GEN-01 hits a male-only drug for a woman; not for a man', () => {
    const o = order(C.TAMS, { pric: 21, cnt: 2 });
    const [r, ...rest] = run('POL-GEN-01', one([o], {}, { gend: '2' }));
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ rule_id: 'POL-GEN-01', rule_name: '限性别用药（药品区分性别使用）', vola_amt: 42, vola_amt_stas: '1', sev_deg: '1', vola_bhvr_type: '1', mdtrt_id: 'M1', task_id: 'T0001' });
    expect(r!.vola_cont).toBe('药品【坦索罗辛缓释胶囊】限男性使用，患者性别为女');
    expect(detailTypes(r!)).toEqual([[o.rx_id, '1']]);
    expect(run('POL-GEN-01', one([order(C.TAMS)], {}, { gend: '1' }))).toEqual([]);
  });

  test('POL-GEN-02 hits a male-only service for a woman; not for a man, nor an unknown gender', () => {
    expect(run('POL-GEN-02', one([order(C.PSA)], {}, { gend: '2' }))[0]!.vola_cont).toContain('诊疗项目【前列腺特异性抗原（总PSA）】限男性使用');
    expect(run('POL-GEN-02', one([order(C.PSA)], {}, { gend: '1' }))).toEqual([]);
    expect(run('POL-GEN-02', one([order(C.PSA)], {}, { gend: '9' }))).toEqual([]);
  });

  test('POL-AGE-01 hits a children-only drug at 13; not at 12', () => {
    const [r] = run('POL-AGE-01', one([order(C.PED_ONLY)], {}, { brdy: '2012-01-01' }));
    expect(r!.vola_cont).toBe('药品【小儿氨酚黄那敏颗粒】为儿童专用（限12岁及以下），患者13岁');
    expect(run('POL-AGE-01', one([order(C.PED_ONLY)], {}, { brdy: '2013-01-01' }))).toEqual([]);
  });

  test('POL-AGE-02 hits the fund part of a child-paid drug for an adult; not when the adult pays it all', () => {
    const [r] = run('POL-AGE-02', one([order(C.PED_PAY, { pric: 30, cnt: 1, ownpay_amt: 5 })]));
    expect(r).toMatchObject({ vola_amt: 25 });
    expect(r!.vola_cont).toContain('限儿童（14岁及以下）使用方可由医保支付，患者45岁');
    expect(run('POL-AGE-02', one([order(C.PED_PAY, { pric: 30, cnt: 1, ownpay_amt: 30 })]))).toEqual([]);
  });

  test('POL-AGE-03 hits a newborn-only service at 29 days; not at 28', () => {
    expect(run('POL-AGE-03', one([order(C.NEO)], {}, { brdy: '2025-05-12' }))[0]!.vola_cont).toBe('医疗服务项目【新生儿暖箱床位费】为儿童专用（限28天及以下），患者29天');
    expect(run('POL-AGE-03', one([order(C.NEO)], {}, { brdy: '2025-05-13' }))).toEqual([]);
  });

  test('POL-AGE-04 hits a 60+ drug at 45; not when an exempting diagnosis is present', () => {
    expect(run('POL-AGE-04', one([order(C.ELDER)]))[0]!.vola_cont).toBe('【老年专用片】限60岁及以上患者使用，患者45岁');
    expect(run('POL-AGE-04', one([order(C.ELDER)], { diags: ['J06.900', 'G30.100'] }))).toEqual([]);
  });

  test('POL-SCP-01 hits an indication-restricted drug without the diagnosis; a secondary diagnosis is enough', () => {
    const [r] = run('POL-SCP-01', one([order(C.DAPA, { pric: 5, cnt: 28 })], { diags: ['I10.x00'] }));
    expect(r).toMatchObject({ sev_deg: '3', vola_amt: 140 });
    expect(r!.vola_cont).toBe('【达格列净片】限定支付范围（限2型糖尿病）：诊断须在 E11 范围内，本次诊断为I10.x00');
    expect(run('POL-SCP-01', one([order(C.DAPA)], { diags: ['I10.x00', 'E11.900'] }))).toEqual([]);
  });

  test('POL-INS-01 hits a maternity-only drug paid by basic insurance; not in maternity status', () => {
    expect(run('POL-INS-01', one([order(C.MATN)], { matn_stas: '0' }))[0]!.vola_cont).toBe('【生育专用注射液】限生育保险支付，本次为职工基本医疗保险');
    expect(run('POL-INS-01', one([order(C.MATN)], { matn_stas: '1' }))).toEqual([]);
  });

  test('POL-LV-01 hits a level-3 drug at a level-2 hospital; not at a level-3 one', () => {
    expect(run('POL-LV-01', one([order(C.LV3)]))[0]!.vola_cont).toBe('【三级医院专用注射液】限三级及以上医疗机构使用，本机构为二级');
    expect(run('POL-LV-01', one([order(C.LV3)], { medins_id: HOSP3, medins_lv: '' }))).toEqual([]);
  });

  test('POL-MDT-01 hits an inpatient-only drug at an outpatient visit; not in a stay', () => {
    expect(run('POL-MDT-01', one([order(C.INPT)]))[0]!.vola_cont).toBe('【美罗培南注射剂】限住院使用，本次为门诊');
    expect(run('POL-MDT-01', one([order(C.INPT)], inpatient))).toEqual([]);
  });

  test('POL-DEPT-01 hits a department-restricted drug from another department; a sub-department matches', () => {
    expect(run('POL-DEPT-01', one([order(C.DEPT, { drord_dept_codg: 'A01', drord_dept_name: '内科' })]))[0]!.vola_cont).toBe('【心内专科片】限 A03 科室开具，开单科室为内科（A01）');
    expect(run('POL-DEPT-01', one([order(C.DEPT, { drord_dept_codg: 'A0301' })]))).toEqual([]);
  });

  test('POL-OUT-01 hits a 丙类 drug and a code outside the catalogue settled by the fund; not when paid by the patient', () => {
    const a = order(C.CLASS_C, { pric: 50, ownpay_amt: 0 });
    const b = order(C.NOT_IN_CAT, { hilist_name: '自制敷料', pric: 8 });
    const res = run('POL-OUT-01', one([a, b]));
    expect(res.map((r) => r.vola_cont)).toEqual([
      '【美容用乳膏】为丙类（自费）项目，不属于医保基金支付范围，但按医保结算了50.00元',
      `【自制敷料】编码 ${C.NOT_IN_CAT} 不在医保目录内，不属于医保基金支付范围，但按医保结算了8.00元`,
    ]);
    expect(run('POL-OUT-01', one([order(C.CLASS_C, { pric: 50, ownpay_amt: 50 })]))).toEqual([]);
  });

  test('POL-TCM-01 hits a prescription of one listed herb alone; not the same herb with another', () => {
    const g = order(C.GINSENG, { rxno: 'ZY01', pric: 0.035, cnt: 10 });
    const [r] = run('POL-TCM-01', one([g, order(C.HUANGQI, { rxno: 'ZY02' })]));
    expect(r!.vola_cont).toBe('处方ZY01仅开具单味中药饮片【人参】，单味使用不予支付');
    expect(r!.vola_amt).toBe(0.35);
    expect(run('POL-TCM-01', one([order(C.GINSENG, { rxno: 'ZY01' }), order(C.HUANGQI, { rxno: 'ZY01' })]))).toEqual([]);
  });

  test('POL-CRS-01 hits the days beyond the payable course (prorated); not within it', () => {
    const first = order(C.EDARA, { date: '2025-06-01', curr_drord_flag: '0', pric: 30, cnt: 1 });
    const beyond = order(C.EDARA, { date: '2025-06-13', drord_stop_date: '2025-06-16 09:00:00', long_drord_flag: '1', pric: 30, cnt: 4 });
    const [r] = run('POL-CRS-01', one([first, beyond], { med_type: '21', adm_date: '2025-06-01 08:00:00' }));
    expect(r!.vola_cont).toBe('【依达拉奉注射液】限支付14天，自2025-06-01首次使用至2025-06-16已16天，超出2天');
    expect(r!.vola_amt).toBe(60); // 2 of 4 days of 120.00
    const within = order(C.EDARA, { date: '2025-06-14', pric: 30 });
    expect(run('POL-CRS-01', one([order(C.EDARA, { date: '2025-06-01', curr_drord_flag: '0' }), within], { med_type: '21', adm_date: '2025-06-01 08:00:00' }))).toEqual([]);
  });
});

describe('管理类', () => {
  test('MGT-DUP-01 hits a component charged with the item that includes it the same day; not on another day', () => {
    const a = order(C.IV_DRIP, { pric: 12 });
    const b = order(C.IV_INJ, { pric: 5 });
    const [r] = run('MGT-DUP-01', one([a, b]));
    expect(r!.vola_cont).toBe('【静脉输液（第一组）】已包含【静脉注射】，同一日内【静脉注射】不得另行收费');
    expect(r!.vola_amt).toBe(5);
    expect(detailTypes(r!)).toEqual([[b.rx_id, '1'], [a.rx_id, '2']]);
    expect(run('MGT-DUP-01', one([order(C.IV_DRIP), order(C.IV_INJ, { date: '2025-06-11' })]))).toEqual([]);
  });

  test('MGT-DUP-01 counts a history line of the same day; a bypassable pair is bypassed by a modifier, a non-bypassable one is not', () => {
    const hist = order(C.IV_DRIP, { curr_drord_flag: '0' });
    expect(run('MGT-DUP-01', one([hist, order(C.IV_INJ)]))).toHaveLength(1);
    expect(run('MGT-DUP-01', one([order(C.IM_INJ), order(C.IV_INJ)]))[0]!.vola_cont).toBe('【肌肉注射】与【静脉注射】同一日内不得同时收费');
    expect(run('MGT-DUP-01', one([order(C.IM_INJ), order(C.IV_INJ, { mdfr_codg: '59' })]))).toEqual([]);
    expect(run('MGT-DUP-01', one([order(C.IV_DRIP), order(C.IV_INJ, { mdfr_codg: '59' })]))).toHaveLength(1);
  });

  test('MGT-SURG-01 hits a second surgery charged at full price; not when discounted to 50%', () => {
    const s1 = order(C.SURG1, { pric: 2000 });
    const s2 = order(C.SURG2, { pric: 1000 });
    const [r] = run('MGT-SURG-01', one([s1, s2], inpatient));
    expect(r!.vola_cont).toBe('同一次手术中【腹腔镜下胆囊切除术】按全价收费，【腹腔镜下阑尾切除术】应按标准价的50%收费（500.00元），实收单价1000.00元，多收500.00元');
    expect(r!.vola_amt).toBe(500);
    expect(detailTypes(r!)).toEqual([[s2.rx_id, '1'], [s1.rx_id, '2']]);
    expect(run('MGT-SURG-01', one([order(C.SURG1, { pric: 2000 }), order(C.SURG2, { pric: 500 })], inpatient))).toEqual([]);
  });

  test('MGT-PRC-01 hits a price above the cap for the level, amount (price − cap) × quantity; not at the cap', () => {
    const [r] = run('MGT-PRC-01', one([order(C.CBC, { pric: 12.5, cnt: 2 })]));
    expect(r!.vola_cont).toBe('【血常规】单价12.50元，超过二级医疗机构限价10.00元，超标准收费5.00元');
    expect(r!.vola_amt).toBe(5);
    expect(run('MGT-PRC-01', one([order(C.CBC, { pric: 10, cnt: 2 })]))).toEqual([]);
  });

  test('MGT-FRQ-01 per date of service: a second test the same day (history counted); not on two days', () => {
    const h = order(C.CBC, { curr_drord_flag: '0' });
    const c = order(C.CBC);
    const [r] = run('MGT-FRQ-01', one([h, c]));
    expect(r!.vola_cont).toBe('【血常规】每日限1，2025-06-10当日累计2，超出1');
    expect(r!.vola_amt).toBe(10);
    expect(detailTypes(r!)).toEqual([[c.rx_id, '1'], [h.rx_id, '2']]);
    expect(run('MGT-FRQ-01', one([order(C.CBC, { curr_drord_flag: '0', date: '2025-06-09' }), order(C.CBC)]))).toEqual([]);
  });

  test('MGT-FRQ-01 per line (mai 1) checks each line alone; appealable limits (mai 3) are 可疑', () => {
    expect(run('MGT-FRQ-01', one([order(C.IV_INJ, { cnt: 2 }), order(C.IV_INJ, { cnt: 2 })]))).toEqual([]);
    expect(run('MGT-FRQ-01', one([order(C.IV_INJ, { cnt: 3, pric: 5 })]))[0]).toMatchObject({ vola_cont: '【静脉注射】每条明细限2，本条数量3，超出1', vola_amt: 5 });
    const dial = ['2025-06-04', '2025-06-06', '2025-06-08'].map((date) => order(C.DIAL, { date, curr_drord_flag: '0', pric: 400 }));
    const [r] = run('MGT-FRQ-01', one([...dial, order(C.DIAL, { pric: 400 })], { diags: ['N18.500'] }));
    expect(r).toMatchObject({ sev_deg: '3', vola_amt: 400 });
    expect(r!.vola_cont).toBe('【血液透析】每7日限3，2025-06-04至2025-06-10累计4，超出1');
  });

  test('MGT-FRQ-01 also applies the catalogue’s payable quantity per visit (限支付数量)', () => {
    const [r] = run('MGT-FRQ-01', one([order(C.OXYGEN, { cnt: 20, pric: 3, curr_drord_flag: '0' }), order(C.OXYGEN, { cnt: 10, pric: 3, date: '2025-06-11' })], inpatient));
    expect(r).toMatchObject({ vola_cont: '【氧气吸入】每次就诊限24，本次就诊累计30，超出6', vola_amt: 18 });
    expect(run('MGT-FRQ-01', one([order(C.OXYGEN, { cnt: 24 })], inpatient))).toEqual([]);
  });

  test('MGT-LOS-01 hits bed days beyond the length of stay; not at it', () => {
    const [r] = run('MGT-LOS-01', one([order(C.BED, { cnt: 4, pric: 40 })], inpatient));
    expect(r!.vola_cont).toBe('住院3天（2025-06-10至2025-06-13），床位费计费4天，超出1天');
    expect(r!.vola_amt).toBe(40);
    expect(run('MGT-LOS-01', one([order(C.BED, { cnt: 3, pric: 40 })], inpatient))).toEqual([]);
  });

  const prevStay = (o: Partial<EncounterDto> & { diags?: string[] }) =>
    encounter({ mdtrt_id: 'M0', med_type: '21', adm_date: '2025-05-25 08:00:00', dscg_date: '2025-06-01 10:00:00', orders: [order(C.BED, { date: '2025-05-25', curr_drord_flag: '0', cnt: 7 })], ...o });

  test('MGT-ADM-01 hits a readmission 9 days later with the same diagnosis category (same hospital: 高度可疑); not a planned chemotherapy cycle', () => {
    const curr = encounter({ med_type: '21', diags: ['K80.100'], orders: [] });
    const [r] = run('MGT-ADM-01', request(patient({ fsi_encounter_dtos: [curr, prevStay({ diags: ['K80.000'] })] }), { trig_scen: '3' }));
    expect(r).toMatchObject({ sev_deg: '2', vola_amt: 0, vola_amt_stas: '2' });
    expect(r!.vola_cont).toBe('2025-06-01自甲市第一人民医院出院（主诊断K80.000）后9天在同一机构再次入院（主诊断K80.100），疑似分解住院');
    expect(detailTypes(r!)).toEqual([[null, '1'], [null, '2']]);
    const chemo = encounter({ med_type: '21', diags: ['Z51.100', 'C18.900'] });
    expect(run('MGT-ADM-01', patient({ fsi_encounter_dtos: [chemo, prevStay({ diags: ['Z51.100', 'C18.900'] })] }))).toEqual([]);
    const later = encounter({ med_type: '21', adm_date: '2025-06-20 08:00:00', diags: ['K80.100'] });
    expect(run('MGT-ADM-01', patient({ fsi_encounter_dtos: [later, prevStay({ diags: ['K80.000'] })] }))).toEqual([]);
  });

  test('MGT-ADM-02 hits five days with only bed fees; not when a long order covers the stay', () => {
    const beds = Array.from({ length: 9 }, (_, i) => order(C.BED, { date: `2025-06-0${i + 1}`, pric: 40 }));
    const drug = (date: string) => order(C.METF, { date, cnt: 3 });
    const stay = { med_type: '21', adm_date: '2025-06-01 08:00:00', dscg_date: '2025-06-10 09:00:00' };
    const [r] = run('MGT-ADM-02', one([...beds, drug('2025-06-01'), drug('2025-06-02'), drug('2025-06-08')], stay));
    expect(r!.vola_cont).toBe('住院期间2025-06-03至2025-06-07连续5天仅有床位费、护理费等费用，无诊疗记录，疑似挂床住院');
    expect(r!.vola_amt).toBe(200);
    const long = order(C.METF, { date: '2025-06-01', drord_stop_date: '2025-06-09 09:00:00', long_drord_flag: '1', cnt: 27 });
    expect(run('MGT-ADM-02', one([...beds, long], stay))).toEqual([]);
  });

  test('MGT-ADM-03 hits overlapping stays at two hospitals; a same-day transfer is not an overlap', () => {
    const curr = encounter({ med_type: '21', orders: [order(C.BED, { pric: 40 })] });
    const other = (dscg: string) => encounter({ mdtrt_id: 'MB', medins_id: HOSP_B, medins_name: '甲市第二医院', med_type: '21', adm_date: '2025-06-05 08:00:00', dscg_date: dscg, orders: [] });
    const [r] = run('MGT-ADM-03', patient({ fsi_encounter_dtos: [curr, other('2025-06-12 10:00:00')] }));
    expect(r!.vola_cont).toBe('2025-06-10至2025-06-20在甲市第一人民医院住院期间，同时在甲市第二医院住院（2025-06-05至2025-06-12）');
    expect(r!.judge_result_detail_dtos.map((d) => [d.mdtrt_id, d.vola_item_type])).toEqual([['M1', '1'], ['M1', '1'], ['MB', '2']]);
    expect(run('MGT-ADM-03', patient({ fsi_encounter_dtos: [curr, other('2025-06-10 09:00:00')] }))).toEqual([]);
  });

  test('MGT-DOC-01 hits orders of a suspended or unregistered doctor; not an order before the suspension', () => {
    const res = run('MGT-DOC-01', one([order(C.METF, { drord_dr_codg: DOCTORS.suspended, drord_dr_name: '赵医生' }), order(C.CBC, { drord_dr_codg: DOCTORS.unknown, drord_dr_name: '钱医生' })]));
    expect(res.map((r) => r.vola_cont)).toEqual([
      `开单医师赵医生（${DOCTORS.suspended}）于2025-06-10医保支付资格暂停中，其开具的【二甲双胍片】医保基金不予支付`,
      `开单医师钱医生（${DOCTORS.unknown}）于2025-06-10未登记为医保医师（药师），其开具的【血常规】医保基金不予支付`,
    ]);
    expect(run('MGT-DOC-01', one([order(C.METF, { date: '2025-05-20', drord_dr_codg: DOCTORS.suspended })]))).toEqual([]);
  });

  test('MGT-ID-01 hits care after the registered death; not on the day of death', () => {
    const [r] = run('MGT-ID-01', one([order(C.CBC)], {}, { patn_id: DEAD }));
    expect(r!.vola_cont).toBe('参保人已于2025-05-01死亡，2025-06-10仍发生就医并收费【血常规】，疑似冒名就医');
    expect(run('MGT-ID-01', one([order(C.CBC, { date: '2025-05-01' })], { adm_date: '2025-05-01 08:00:00' }, { patn_id: DEAD }))).toEqual([]);
  });
});

describe('医疗类', () => {
  test('MED-DX-01 hits a drug none of whose indications is diagnosed; a range covers E11', () => {
    expect(run('MED-DX-01', one([order(C.METF)], { diags: ['I10.x00'] }))[0]!.vola_cont).toBe('【二甲双胍片】的适应症为 E10-E14、E88.8，本次诊断（I10.x00）均不相符');
    expect(run('MED-DX-01', one([order(C.METF)], { diags: ['E11.900'] }))).toEqual([]);
  });

  test('MED-QTY-01 hits 10 days of an outpatient drug (limit 7, excess prorated); not 7 days, nor 20 days for a chronic disease', () => {
    const [r] = run('MED-QTY-01', one([order(C.METF, { cnt: 30, pric: 1, spec_unt: '片' })]));
    expect(r!.vola_cont).toBe('【二甲双胍片】开具30片，按常用日用量3计可用10天，超过门诊7天限量');
    expect(r!.vola_amt).toBe(9);
    expect(run('MED-QTY-01', one([order(C.METF, { cnt: 21 })]))).toEqual([]);
    expect(run('MED-QTY-01', one([order(C.METF, { cnt: 60 })], { med_type: '14' }))).toEqual([]);
  });

  test('MED-QTY-02 hits a new supply while another maker’s same drug is not used up; not once it is', () => {
    const prev = (cnt: number) => encounter({ mdtrt_id: 'M0', adm_date: '2025-06-01 08:00:00', orders: [order(C.METF2, { date: '2025-06-01', cnt, curr_drord_flag: '0' })] });
    const curr = order(C.METF, { cnt: 21, pric: 1 });
    const [r] = run('MED-QTY-02', patient({ fsi_encounter_dtos: [encounter({ orders: [curr] }), prev(42)] }));
    expect(r!.vola_cont).toBe('2025-06-01已开具【二甲双胍片】42（可用14天，至2025-06-14），2025-06-10又开具【二甲双胍片】，用药时间重叠5天');
    expect(r!.vola_amt).toBe(15); // 5 of 7 days of 21.00
    expect(run('MED-QTY-02', patient({ fsi_encounter_dtos: [encounter({ orders: [order(C.METF, { cnt: 21 })] }), prev(27)] }))).toEqual([]);
  });

  test('MED-DOSE-01 hits 7 tablets a day (max 6); not 4 a day', () => {
    const [r] = run('MED-DOSE-01', one([order(C.METF, { cnt: 28, pric: 1, drord_stop_date: '2025-06-13 09:00:00' })]));
    expect(r!.vola_cont).toBe('【二甲双胍片】4天共28，日均7，超过每日最大用量6');
    expect(r!.vola_amt).toBe(4);
    expect(run('MED-DOSE-01', one([order(C.METF, { cnt: 28, drord_stop_date: '2025-06-16 09:00:00' })]))).toEqual([]);
  });

  test('MED-INT-01 hits 甘草 with 甘遂 in one prescription; not in two prescriptions', () => {
    const a = order(C.GANCAO, { rxno: 'ZY1' });
    const b = order(C.GANSUI, { rxno: 'ZY1' });
    const [r] = run('MED-INT-01', one([a, b]));
    expect(r!.vola_cont).toBe('同一处方中存在配伍禁忌的药品【甘草】【甘遂】（十八反）');
    expect(detailTypes(r!)).toEqual([[b.rx_id, '1'], [a.rx_id, '2']]);
    expect(run('MED-INT-01', one([order(C.GANCAO, { rxno: 'ZY1' }), order(C.GANSUI, { rxno: 'ZY2' })]))).toEqual([]);
  });

  test('MED-MAT-01 hits a stent without the procedure it belongs to; not with it', () => {
    expect(run('MED-MAT-01', one([order(C.STENT, { pric: 5000 })], inpatient))[0]!.vola_cont).toBe('医用耗材【冠状动脉支架】须与【经皮冠状动脉介入治疗】诊疗项目同时使用，本次就诊未见相应项目');
    expect(run('MED-MAT-01', one([order(C.STENT), order(C.PCI)], inpatient))).toEqual([]);
  });
});

test('every implemented rule has a hit test above', () => {
  expect([...RULE_IMPLS.keys()].sort()).toHaveLength(31);
});
