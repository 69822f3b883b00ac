/**
 * Fixtures for the audit tests and benchmark: a small catalogue whose items carry the restrictions the rules read,
 * the audit knowledge built on it, institutions, practitioners and a death registry, and builders that write
 * 3101-shaped requests (patient → encounters → orders) with consistent amounts. Used by src/audit tests and
 * bench/audit-realtime.ts only.
 */
import type { CatalogueItemInput, Restriction } from '../standards/catalogue/types.js';
import { fenToYuan } from '../platform/money.js';
import { buildKnowledge, type CapRow, type CatRow, type Knowledge, type KnowledgeRows, type KnowledgeSet, type LmtRow } from './kb/knowledge.js';
import { microTimesQ4, toMicro, toQ4 } from './num.js';
import type { AuditRequest, EncounterDto, OrderDto, PatientDto } from './types.js';

export const AREA = '990100';
export const HOSP = 'H99010200001';
export const HOSP3 = 'H99010200003';
export const HOSP_B = 'H99010200009';
export const BEGN = '2024-01-01';
export const TODAY = '2025-06-20';

const lmt = (r: Partial<Restriction>): Restriction => ({
  lmt_gend: null,
  lmt_age_min: null,
  lmt_age_max: null,
  lmt_diag: [],
  lmt_min_hosp_lv: null,
  lmt_scene: [],
  lmt_insutype: [],
  lmt_max_days: null,
  lmt_max_cnt: null,
  lmt_memo: '',
  ...r,
});

type Caps = CatalogueItemInput['pric_uplmt'];
const item = (hilist_code: string, hilist_name: string, list_type: string, med_chrgitm_type: string, o: { lv?: '01' | '02' | '03'; caps?: Caps; r?: Partial<Restriction> } = {}): CatalogueItemInput => ({
  hilist_code,
  hilist_name,
  list_type,
  med_chrgitm_type,
  chrgitm_lv: o.lv ?? '01',
  selfpay_bp: o.lv === '03' ? 10_000 : 0,
  pric_uplmt: o.caps ?? {},
  insu_admdvs: AREA,
  begndate: BEGN,
  restriction: o.r ? lmt(o.r) : null,
});

/** Item codes of the fixture catalogue, by what the tests use them for. */
export const C = {
  TAMS: 'XG04CAE002A002010100002', // 坦索罗辛 限男
  PED_ONLY: 'XR05XAA001A001010100001', // 儿童专用 (KB ≤ 12岁)
  PED_PAY: 'XR05XAA002A001010100001', // 限儿童支付 (目录 ≤ 14岁)
  ELDER: 'XN06DXA003A001010100001', // 限60岁及以上 (豁免诊断 G30)
  DAPA: 'XA10BKA004A001010100001', // 达格列净 限E11
  MATN: 'XG03DAA005A001010100001', // 限生育保险
  LV3: 'XL01XCA006A001010100001', // 限三级
  INPT: 'XJ01DHA007A001010100001', // 美罗培南 限住院
  DEPT: 'XC01EBA008A001010100001', // 限心内科 A03
  EDARA: 'XN07XXA009A001010100001', // 依达拉奉 限14天
  METF: 'XA10BAA010A001010100001', // 二甲双胍 日常用3片 最大6片
  METF2: 'XA10BAA010A001010100002', // 二甲双胍 另一厂家（同成分）
  CLASS_C: 'XD11AXA011A001010100001', // 丙类
  PSA: '002501000010000', // 前列腺特异性抗原 限男
  NEO: '001101000110000', // 新生儿暖箱 儿童专用 ≤ 28天
  IV_DRIP: '003105000020000', // 静脉输液（第一组） 包含 静脉注射
  IV_INJ: '003105000010000', // 静脉注射
  IM_INJ: '003105000030000', // 肌肉注射（与静脉注射互斥，可豁免）
  BED: '001101000010000', // 床位费 按日
  NURSE: '001201000010000', // 一级护理 按日
  WARD_EXAM: '001102000070000', // 住院诊察费 按日
  SURG1: '003306000010000', // 手术一 限价 2000
  SURG2: '003306000020000', // 手术二 限价 1000
  CBC: '002501000020000', // 血常规 二级限价 10 元，每日1次
  DIAL: '003105000040000', // 血液透析 (周期)
  OXYGEN: '003105000050000', // 氧气吸入 目录限每次就诊24
  PCI: '003306000030000', // 经皮冠状动脉介入
  STENT: 'C0102030040506070809', // 冠脉支架 须伴随 PCI
  GINSENG: 'T000100001', // 人参 单味不予支付
  GANCAO: 'T000200001', // 甘草
  GANSUI: 'T000300001', // 甘遂 (与甘草配伍禁忌)
  HUANGQI: 'T000400001', // 黄芪
  NOT_IN_CAT: 'XZ99ZZZ999Z999999999999',
} as const;

export const CATALOGUE: CatalogueItemInput[] = [
  item(C.TAMS, '坦索罗辛缓释胶囊', '101', '09', { r: { lmt_gend: '1', lmt_memo: '限男性' } }),
  item(C.PED_ONLY, '小儿氨酚黄那敏颗粒', '101', '09'),
  item(C.PED_PAY, '小儿止咳糖浆', '101', '09', { r: { lmt_age_max: 14, lmt_memo: '限儿童' } }),
  item(C.ELDER, '老年专用片', '101', '09', { r: { lmt_age_min: 60, lmt_memo: '限60岁及以上' } }),
  item(C.DAPA, '达格列净片', '101', '09', { lv: '02', r: { lmt_diag: ['E11'], lmt_memo: '限2型糖尿病' } }),
  item(C.MATN, '生育专用注射液', '101', '09', { r: { lmt_insutype: ['510'], lmt_memo: '限生育保险' } }),
  item(C.LV3, '三级医院专用注射液', '101', '09', { r: { lmt_min_hosp_lv: '3', lmt_memo: '限三级医疗机构' } }),
  item(C.INPT, '美罗培南注射剂', '101', '09', { r: { lmt_scene: ['2'], lmt_memo: '限住院' } }),
  item(C.DEPT, '心内专科片', '101', '09'),
  item(C.EDARA, '依达拉奉注射液', '101', '09', { r: { lmt_max_days: 14, lmt_memo: '支付不超过14天' } }),
  item(C.METF, '二甲双胍片', '101', '09', { caps: { '2': 100 } }),
  item(C.METF2, '二甲双胍片', '101', '09'),
  item(C.CLASS_C, '美容用乳膏', '101', '09', { lv: '03' }),
  item(C.PSA, '前列腺特异性抗原（总PSA）', '201', '04', { r: { lmt_gend: '1', lmt_memo: '限男性' } }),
  item(C.NEO, '新生儿暖箱床位费', '201', '01'),
  item(C.IV_DRIP, '静脉输液（第一组）', '201', '05', { caps: { '2': 1200 } }),
  item(C.IV_INJ, '静脉注射', '201', '05', { caps: { '2': 500 } }),
  item(C.IM_INJ, '肌肉注射', '201', '05'),
  item(C.BED, '普通病房床位费', '201', '01', { caps: { '2': 4000 } }),
  item(C.NURSE, '一级护理', '201', '07'),
  item(C.WARD_EXAM, '住院诊察费', '201', '02'),
  item(C.SURG1, '腹腔镜下胆囊切除术', '201', '06', { caps: { '2': 200_000, '3': 220_000 } }),
  item(C.SURG2, '腹腔镜下阑尾切除术', '201', '06', { caps: { '2': 100_000, '3': 110_000 } }),
  item(C.CBC, '血常规', '201', '04', { caps: { '2': 1000 } }),
  item(C.DIAL, '血液透析', '201', '05'),
  item(C.OXYGEN, '氧气吸入', '201', '05', { r: { lmt_max_cnt: '24', lmt_memo: '每次就诊限支付24小时' } }),
  item(C.PCI, '经皮冠状动脉介入治疗', '201', '06'),
  item(C.STENT, '冠状动脉支架', '301', '08', { lv: '02' }),
  item(C.GINSENG, '人参', '103', '10'),
  item(C.GANCAO, '甘草', '103', '10'),
  item(C.GANSUI, '甘遂', '103', '10'),
  item(C.HUANGQI, '黄芪', '103', '10'),
];

export const KB: KnowledgeSet = {
  item: [
    { hilist_code: C.PED_ONLY, child_age_max: 12, child_age_unit: 'Y', begndate: BEGN },
    { hilist_code: C.NEO, child_age_max: 28, child_age_unit: 'D', begndate: BEGN },
    { hilist_code: C.ELDER, age_exempt_diag: ['G30'], begndate: BEGN },
    { hilist_code: C.DEPT, dept_codes: ['A03'], begndate: BEGN },
    { hilist_code: C.METF, indication_diag: ['E10-E14', 'E88.8'], begndate: BEGN },
    { hilist_code: C.BED, daily_grp: '1', begndate: BEGN },
    { hilist_code: C.NURSE, daily_grp: '2', begndate: BEGN },
    { hilist_code: C.WARD_EXAM, daily_grp: '3', begndate: BEGN },
  ],
  pair: [
    { item_a: C.IV_DRIP, item_b: C.IV_INJ, pair_type: '1', scope: '2', begndate: BEGN },
    { item_a: C.IM_INJ, item_b: C.IV_INJ, pair_type: '2', scope: '2', bypass_flag: '1', hit_side: 'B', begndate: BEGN },
    { item_a: C.GANCAO, item_b: C.GANSUI, pair_type: '3', scope: '1', memo: '十八反', begndate: BEGN },
    { item_a: C.STENT, item_b: C.PCI, pair_type: '4', scope: '3', begndate: BEGN },
  ],
  freq: [
    { hilist_code: C.CBC, period: 'D', max_cnt: 1, mai: '2', begndate: BEGN },
    { hilist_code: C.IV_INJ, period: 'D', max_cnt: 2, mai: '1', begndate: BEGN },
    { hilist_code: C.DIAL, period: 'N', period_days: 7, max_cnt: 3, mai: '3', begndate: BEGN },
  ],
  drug: [{ hilist_code: 'XA10BAA010A001*', ingr_code: 'A10BA02', std_daily_qty: 3, max_daily_qty: 6, begndate: BEGN }],
  herb: [{ hilist_code: C.GINSENG, memo: '贵细药材', begndate: BEGN }],
  cycle: [
    { cycle_type: '3', code_type: '1', code: 'N18', begndate: BEGN },
    { cycle_type: '1', code_type: '1', code: 'Z51.1', begndate: BEGN },
    { cycle_type: '3', code_type: '3', code: C.DIAL, begndate: BEGN },
  ],
};

export const DOCTORS = { ok: 'D99010200001', suspended: 'D99010200002', unknown: 'D99010299999' };
export const DEAD = '990100000000000666';

/** Catalogue inputs (the catalogue module's bulk-load shape) as snapshot rows. */
export function catalogueRows(items: CatalogueItemInput[]): Pick<KnowledgeRows, 'hilist' | 'caps' | 'lmts'> {
  const hilist: CatRow[] = [];
  const caps: CapRow[] = [];
  const lmts: LmtRow[] = [];
  for (const it of items) {
    const period = { begndate: it.begndate, enddate: it.enddate ?? null };
    hilist.push({ hilist_code: it.hilist_code, insu_admdvs: it.insu_admdvs, hilist_name: it.hilist_name, list_type: it.list_type, med_chrgitm_type: it.med_chrgitm_type, chrgitm_lv: it.chrgitm_lv, ...period });
    for (const [lv, fen] of Object.entries(it.pric_uplmt)) if (fen !== undefined) caps.push({ hilist_code: it.hilist_code, insu_admdvs: it.insu_admdvs, hosp_lv: lv, fen, ...period });
    if (it.restriction) lmts.push({ hilist_code: it.hilist_code, insu_admdvs: it.insu_admdvs, r: it.restriction, ...period });
  }
  return { hilist, caps, lmts };
}

/** The fixture knowledge snapshot (no database). */
export function fixtureKnowledge(over: Partial<KnowledgeRows> = {}): Knowledge {
  return buildKnowledge({
    ...catalogueRows(CATALOGUE),
    kb: KB,
    institutions: [
      { fixmedins_code: HOSP, hosp_lv: '2', begndate: '2020-01-01', enddate: null },
      { fixmedins_code: HOSP3, hosp_lv: '3', begndate: '2020-01-01', enddate: null },
      { fixmedins_code: HOSP_B, hosp_lv: '2', begndate: '2020-01-01', enddate: null },
    ],
    practitioners: [
      { prac_code: DOCTORS.ok, prac_name: '王医生', begndate: '2020-01-01', enddate: null },
      { prac_code: DOCTORS.suspended, prac_name: '赵医生', begndate: '2020-01-01', enddate: null },
    ],
    qualifications: [
      { prac_code: DOCTORS.ok, qual_stas: '1', begndate: '2020-01-01', enddate: null },
      { prac_code: DOCTORS.suspended, qual_stas: '1', begndate: '2020-01-01', enddate: '2025-05-31' },
      { prac_code: DOCTORS.suspended, qual_stas: '2', begndate: '2025-06-01', enddate: null },
    ],
    deaths: [{ psn_no: DEAD, death_date: '2025-05-01' }],
    ...over,
  });
}

// ---------- request builders ----------

let rx = 0;
const NAMES = new Map(CATALOGUE.map((i) => [i.hilist_code, i.hilist_name]));

/** An order line; sumamt = pric × cnt unless given; current unless curr_drord_flag says otherwise. */
export function order(hilist_code: string, o: Partial<OrderDto> & { date?: string } = {}): OrderDto {
  rx++;
  const { date, ...rest } = o;
  const pric = rest.pric ?? 10;
  const cnt = rest.cnt ?? 1;
  return {
    rx_id: `RX${String(rx).padStart(6, '0')}`,
    rxno: 'CF001',
    hilist_code,
    hilist_name: NAMES.get(hilist_code) ?? hilist_code,
    cnt,
    pric,
    sumamt: fenToYuan(microTimesQ4(toMicro(pric)!, toQ4(cnt)!)),
    ownpay_amt: 0,
    drord_begn_date: `${date ?? '2025-06-10'} 09:00:00`,
    drord_dr_codg: DOCTORS.ok,
    drord_dr_name: '王医生',
    curr_drord_flag: '1',
    ...rest,
  };
}

/** An encounter; `diags` is a shorthand for fsi_diagnose_dtos (the first is the main one). */
export function encounter(o: Partial<EncounterDto> & { diags?: string[]; orders?: OrderDto[] } = {}): EncounterDto {
  const { diags, orders, ...rest } = o;
  return {
    mdtrt_id: 'M1',
    medins_id: HOSP,
    medins_name: '甲市第一人民医院',
    medins_admdvs: '990102',
    medins_lv: '2',
    adm_date: '2025-06-10 08:00:00',
    med_type: '11',
    insutype: '310',
    adm_dept_codg: 'A01',
    adm_dept_name: '内科',
    fsi_diagnose_dtos: (diags ?? ['J06.900']).map((c, i) => ({ dise_codg: c, dise_name: c, maindise_flag: i === 0 ? '1' : '0', dias_srt_no: i + 1 })),
    fsi_order_dtos: orders ?? [],
    ...rest,
  };
}

export function patient(o: Partial<PatientDto> = {}): PatientDto {
  return { patn_id: '990100000000000001', patn_name: '张三', gend: '1', brdy: '1980-05-06', poolarea: AREA, curr_mdtrt_id: 'M1', fsi_encounter_dtos: [encounter()], ...o };
}

/** A request with one patient; `trig_scen` defaults to 2 (门诊收费登记). */
export function request(p: PatientDto | PatientDto[], o: Partial<AuditRequest> = {}): AuditRequest {
  return { syscode: 'HIS', task_id: 'T0001', trig_scen: '2', patient_dtos: Array.isArray(p) ? p : [p], ...o };
}
