/**
 * A demo knowledge set for the demo region, built from the demo catalogue's own codes (found by item name, so it
 * follows whatever seed generated the catalogue): per-day charge groups and the newborn item, children-only drugs,
 * clinical indications and oncology departments, inclusion/exclusion pairs among common services, 十八反 herb pairs,
 * implant-to-surgery dependencies, frequency limits (MUE-like, line and date-of-service), daily doses of chronic
 * drugs, single-herb exclusions and planned-cycle exemptions. Not wired into first start; load it with
 * `importKnowledge(db, actor, demoKnowledgeSet(generateCatalogue(seed)))`.
 */
import type { DemoCatalogue, DemoCatalogueItem, DemoRestriction } from '../../demo/gen-catalogue.js';
import { DEMO_BEGNDATE, DEMO_CATALOGUE_ADMDVS } from '../../demo/region.js';
import type { Restriction } from '../../standards/catalogue/types.js';
import type { CapRow, CatRow, KbCycleInput, KbDrugInput, KbFreqInput, KbItemInput, KbPairInput, KnowledgeRows, KnowledgeSet, LmtRow } from './knowledge.js';

/** Chronic oral drugs: usual and maximum daily number of tablets/capsules, and clinical indications. */
const CHRONIC: Record<string, { std: number; max: number; ind?: string[] }> = {
  二甲双胍: { std: 3, max: 5, ind: ['E10-E14', 'E28.2', 'R73'] },
  格列美脲: { std: 1, max: 4, ind: ['E11'] },
  阿卡波糖: { std: 3, max: 6, ind: ['E10-E14', 'R73'] },
  阿托伐他汀: { std: 1, max: 4, ind: ['E78', 'I20-I25', 'I63', 'I65-I66', 'I70'] },
  瑞舒伐他汀: { std: 1, max: 2, ind: ['E78', 'I20-I25', 'I63', 'I70'] },
  氨氯地平: { std: 1, max: 2, ind: ['I10-I15', 'I20-I25'] },
  缬沙坦: { std: 1, max: 2, ind: ['I10-I15', 'I50'] },
  美托洛尔: { std: 2, max: 8, ind: ['I10-I15', 'I20-I25', 'I47-I50'] },
  阿司匹林: { std: 1, max: 3 },
  氯吡格雷: { std: 1, max: 3, ind: ['I20-I25', 'I63', 'I70', 'Z95'] },
  奥美拉唑: { std: 2, max: 4, ind: ['K20-K31', 'K92'] },
  左甲状腺素钠: { std: 1, max: 4, ind: ['E00-E07', 'C73', 'E89.0'] },
  别嘌醇: { std: 2, max: 6, ind: ['M10', 'E79', 'N20'] },
};

/** 十八反 pairs among the demo herbs: 乌头类（附子）反 半夏、瓜蒌、贝母、白及. */
const HERB_PAIRS: [string, string][] = [
  ['附子', '半夏'],
  ['附子', '瓜蒌'],
  ['附子', '川贝母'],
  ['附子', '浙贝母'],
  ['附子', '白及'],
];

/**
 * Decoction pieces the national drug list does not pay for when prescribed alone (单味使用不予支付): the list of
 * the national catalogue's 中药饮片 part (2009 edition, kept by later editions as 单独使用时不予支付), plus the
 * precious herbs not paid at all. Matched against the catalogue by herb name, whatever the processing or grade.
 */
export const SINGLE_NOT_PAID: readonly string[] = [
  '阿胶', '八角茴香', '白果', '白芷', '百合', '鳖甲', '鳖甲胶', '薄荷', '莱菔子', '陈皮', '赤小豆', '川贝母', '代代花', '刀豆', '丁香', '榧子',
  '佛手', '茯苓', '蝮蛇', '甘草', '高良姜', '葛根', '枸杞子', '龟甲', '龟甲胶', '广藿香', '荷叶', '黑芝麻', '红参', '胡椒', '花椒', '黄芥子',
  '黄芪', '火麻仁', '核桃仁', '胡桃仁', '生姜', '干姜', '金钱白花蛇', '金银花', '橘红', '菊花', '菊苣', '决明子', '昆布', '莲子', '芦荟',
  '鹿角胶', '绿豆', '罗汉果', '龙眼肉', '马齿苋', '麦芽', '玫瑰花', '木瓜', '胖大海', '蒲公英', '蕲蛇', '芡实', '青果', '人参', '肉豆蔻',
  '肉桂', '桑椹', '桑叶', '沙棘', '砂仁', '山药', '山楂', '山茱萸', '生晒参', '石斛', '酸枣仁', '天麻', '乌梅', '乌梢蛇', '西洋参',
  '鲜白茅根', '鲜芦根', '香薷', '香橼', '小茴香', '薤白', '苦杏仁', '益智仁', '薏苡仁', '余甘子', '鱼腥草', '郁李仁', '大枣', '栀子', '紫苏叶',
  // not paid alone or in a formula (贵细药材)
  '冬虫夏草', '西红花', '铁皮石斛', '灵芝',
];

/**
 * Services charged at most once per day or per visit, from the catalogue's own pricing: a unit of 日 is a per-day
 * charge; a consultation (诊察费), 一般诊疗费 or 挂号费 priced per 次 is one per visit (会诊费 excepted: several
 * consultants may see one patient); an item named 第一组 is the day's first group (later groups have their own
 * item). Laboratory tests (04) and examinations/imaging (03) are once per day but appealable (a repeat may be
 * clinically justified); imaging priced per 部位 of a paired part (关节 …) twice, one per side. What MGT-DUP-01
 * (同一项目重复收费) and MGT-FRQ-01 read as "once".
 */
function onceLimits(services: readonly DemoCatalogueItem[]): { code: string; period: 'D' | 'V'; max: number; mai: '2' | '3'; memo: string }[] {
  const out: { code: string; period: 'D' | 'V'; max: number; mai: '2' | '3'; memo: string }[] = [];
  for (const s of services) {
    const t = s.med_chrgitm_type;
    const push = (period: 'D' | 'V', max: number, mai: '2' | '3', memo: string) => out.push({ code: s.hilist_code, period, max, mai, memo });
    if (s.prcunt === '日') push('D', 1, '2', '按日计价，每日限1次');
    else if (s.prcunt === '次' && ((t === '02' && !s.hilist_name.startsWith('会诊')) || t === '12' || t === '13')) push('V', 1, '2', '每次就诊限1次');
    else if (s.hilist_name.includes('第一组')) push('D', 1, '2', '每日第一组限1次');
    // priced per 部位: the item names the part, so its quantity is the sides of a paired part (双侧) at most
    else if (t === '03' && s.prcunt === '部位') push('D', PAIRED_PART.test(s.hilist_name) ? 2 : 1, '3', '同日同部位重复检查须说明理由');
    else if (t === '03' || t === '04') push('D', 1, '3', '同日重复检查/检验须说明理由');
  }
  return out;
}

/** Body parts that come in pairs: an examination priced per 部位 may be charged for both sides. */
const PAIRED_PART = /关节|乳腺|眼眶|内耳|四肢/;

const genericOf = (it: DemoCatalogueItem) => (it.dosform && it.hilist_name.endsWith(it.dosform) ? it.hilist_name.slice(0, -it.dosform.length) : it.hilist_name);

export function demoKnowledgeSet(cat: DemoCatalogue, begndate: string = DEMO_BEGNDATE): KnowledgeSet {
  const item: KbItemInput[] = [];
  const pair: KbPairInput[] = [];
  const freq: KbFreqInput[] = [];
  const drug: KbDrugInput[] = [];
  const cycle: KbCycleInput[] = [];
  const d = { begndate };
  const services = (test: (it: DemoCatalogueItem) => boolean) => cat.services.filter(test);
  const service = (name: string) => cat.services.find((s) => s.hilist_name === name);
  const codes = (list: DemoCatalogueItem[]) => list.map((s) => s.hilist_code);

  // per-day charges (床位 / 护理 / 诊查) and the newborn-only item
  for (const s of services((s) => s.med_chrgitm_type === '01' && s.hilist_name.includes('床位费'))) {
    item.push(s.hilist_name.includes('新生儿') ? { hilist_code: s.hilist_code, daily_grp: '1', child_age_max: 28, child_age_unit: 'D', memo: '新生儿专用', ...d } : { hilist_code: s.hilist_code, daily_grp: '1', ...d });
  }
  for (const s of services((s) => s.med_chrgitm_type === '07' && s.hilist_name.endsWith('护理'))) item.push({ hilist_code: s.hilist_code, daily_grp: '2', ...d });
  const wardExam = service('住院诊察费');
  if (wardExam) item.push({ hilist_code: wardExam.hilist_code, daily_grp: '3', ...d });
  // once per day / per visit (beds, nursing, 住院诊察费 and the other per-day prices; consultations; labs and imaging)
  for (const o of onceLimits(cat.services)) freq.push({ hilist_code: o.code, period: o.period, max_cnt: o.max, mai: o.mai, memo: o.memo, ...d });

  // drugs: children-only generics, chronic dosing and indications, oncology injections by department
  const prefixes = new Set<string>();
  const once = (key: string) => (prefixes.has(key) ? false : (prefixes.add(key), true));
  for (const it of cat.drugs) {
    const g = genericOf(it);
    const generic = `${it.hilist_code.slice(0, 10)}*`;
    if (g.startsWith('小儿') && once(`child|${generic}`)) item.push({ hilist_code: generic, child_age_max: 14, child_age_unit: 'Y', memo: '儿童专用', ...d });
    const c = CHRONIC[g];
    if (c && it.list_type === '101' && /片|胶囊/.test(it.dosform ?? '')) {
      const form = `${it.hilist_code.slice(0, 14)}*`;
      if (once(`drug|${form}`)) drug.push({ hilist_code: form, ingr_code: it.hilist_code.slice(1, 10), std_daily_qty: c.std, max_daily_qty: c.max, ...d });
      if (c.ind && once(`ind|${generic}`)) item.push({ hilist_code: generic, indication_diag: c.ind, ...d });
    }
    if (it.list_type === '101' && it.hilist_code.slice(1, 4) === 'L01' && it.dosform === '注射剂' && once(`dept|${it.hilist_code.slice(0, 14)}`)) {
      item.push({ hilist_code: `${it.hilist_code.slice(0, 14)}*`, dept_codes: ['A19', 'A03'], memo: '限肿瘤科、内科开具', ...d });
    }
  }

  // service pairs (重复收费): inclusion, exclusion, bypassable exclusion
  const drip = service('静脉输液（第一组）');
  const iv = service('静脉注射');
  const im = service('肌肉注射');
  if (drip && iv) pair.push({ item_a: drip.hilist_code, item_b: iv.hilist_code, pair_type: '1', scope: '2', memo: '静脉输液已含穿刺操作', ...d });
  if (im && iv) pair.push({ item_a: iv.hilist_code, item_b: im.hilist_code, pair_type: '2', scope: '2', bypass_flag: '1', memo: '不同部位注射可凭修饰符豁免', ...d });
  const general = service('一般诊疗费');
  for (const e of services((s) => s.med_chrgitm_type === '02' && s.hilist_name.endsWith('门诊诊察费'))) {
    if (general) pair.push({ item_a: general.hilist_code, item_b: e.hilist_code, pair_type: '2', scope: '3', memo: '一般诊疗费与诊察费不得同时收取', ...d });
  }
  const beds = services((s) => s.hilist_name.startsWith('普通病房床位费'));
  for (const a of beds) for (const b of beds) if (a.hilist_code < b.hilist_code) pair.push({ item_a: a.hilist_code, item_b: b.hilist_code, pair_type: '2', scope: '2', hit_side: '2', memo: '同日只能收取一种床位费', ...d });
  const nursing = services((s) => s.med_chrgitm_type === '07' && s.hilist_name.endsWith('护理'));
  for (const a of nursing) for (const b of nursing) if (a.hilist_code < b.hilist_code) pair.push({ item_a: a.hilist_code, item_b: b.hilist_code, pair_type: '2', scope: '2', hit_side: '2', memo: '同日只能收取一种护理级别', ...d });
  for (const plain of services((s) => s.hilist_name.startsWith('CT平扫（'))) {
    const enhanced = service(plain.hilist_name.replace('CT平扫', 'CT增强扫描'));
    if (enhanced) pair.push({ item_a: enhanced.hilist_code, item_b: plain.hilist_code, pair_type: '2', scope: '2', bypass_flag: '1', memo: '同部位平扫与增强', ...d });
  }

  // herbs: 十八反 and single-herb exclusions (by herb, every processing and grade: code prefix T + 4 digits)
  const herbPrefix = (name: string) => {
    const h = cat.herbs.find((x) => x.hilist_name === name);
    return h ? `${h.hilist_code.slice(0, 5)}*` : undefined;
  };
  for (const [a, b] of HERB_PAIRS) {
    const pa = herbPrefix(a);
    const pb = herbPrefix(b);
    if (pa && pb) pair.push({ item_a: pa, item_b: pb, pair_type: '3', scope: '1', memo: `十八反：${a}反${b}`, ...d });
  }
  const herb = [
    ...SINGLE_NOT_PAID.map(herbPrefix).filter((x): x is string => !!x).map((hilist_code) => ({ hilist_code, memo: '单独使用时不予支付', ...d })),
    ...cat.herbs.filter((h) => h.restriction?.lmt_memo === '单独使用时不予支付').map((h) => ({ hilist_code: h.hilist_code, memo: '单独使用时不予支付', ...d })),
  ];

  // consumables that belong to a procedure (依存)
  const implants: [RegExp, RegExp][] = [
    [/^冠状动脉药物洗脱支架/, /冠状动脉.*支架/],
    [/^人工髋关节假体/, /髋关节置换/],
    [/^人工膝关节假体/, /膝关节置换/],
  ];
  for (const [mat, proc] of implants) {
    const procs = services((s) => s.med_chrgitm_type === '06' && proc.test(s.hilist_name));
    if (!procs.length) continue;
    for (const m of cat.consumables.filter((c) => mat.test(c.hilist_name))) {
      for (const p of procs) pair.push({ item_a: m.hilist_code, item_b: p.hilist_code, pair_type: '4', scope: '3', ...d });
    }
  }

  // frequency limits
  for (const c of codes(services((s) => s.hilist_name.startsWith('糖化血红蛋白')))) freq.push({ hilist_code: c, period: 'N', period_days: 90, max_cnt: 1, mai: '3', memo: '一般每3个月复查一次', ...d });
  if (iv) freq.push({ hilist_code: iv.hilist_code, period: 'D', max_cnt: 6, mai: '1', ...d });
  const monitor = service('心电监护');
  if (monitor) freq.push({ hilist_code: monitor.hilist_code, period: 'D', max_cnt: 24, mai: '2', ...d });
  const dialysis = services((s) => s.hilist_name === '血液透析' || s.hilist_name === '血液透析滤过' || s.hilist_name === '腹膜透析');
  for (const s of dialysis.filter((x) => x.hilist_name.startsWith('血液透析'))) freq.push({ hilist_code: s.hilist_code, period: 'N', period_days: 7, max_cnt: 3, mai: '3', ...d });

  // planned cycles (分解住院 exemptions)
  cycle.push(
    { cycle_type: '1', code_type: '1', code: 'Z51.1', memo: '化疗', ...d },
    { cycle_type: '2', code_type: '1', code: 'Z51.0', memo: '放疗', ...d },
    { cycle_type: '3', code_type: '1', code: 'Z49', memo: '透析', ...d },
    { cycle_type: '3', code_type: '1', code: 'N18.5', memo: '慢性肾脏病5期', ...d },
    { cycle_type: '1', code_type: '2', code: '99.25', memo: '化疗药物注射', ...d },
    { cycle_type: '2', code_type: '2', code: '92.2', memo: '放射治疗', ...d },
    { cycle_type: '3', code_type: '2', code: '39.95', memo: '血液透析', ...d },
    { cycle_type: '3', code_type: '2', code: '54.98', memo: '腹膜透析', ...d },
    ...dialysis.map((s) => ({ cycle_type: '3' as const, code_type: '3' as const, code: s.hilist_code, memo: s.hilist_name, ...d })),
  );
  return { item, pair, freq, drug, herb, cycle };
}

const restrictionOf = (r: DemoRestriction): Restriction => ({
  lmt_gend: r.lmt_gend ?? null,
  lmt_age_min: r.lmt_age_min ?? null,
  lmt_age_max: r.lmt_age_max ?? null,
  lmt_diag: r.lmt_diag ?? [],
  lmt_min_hosp_lv: r.lmt_min_hosp_lv ?? null,
  lmt_scene: r.lmt_scene === 'outpatient' ? ['1', '3'] : r.lmt_scene === 'inpatient' ? ['2'] : [],
  lmt_insutype: [],
  lmt_max_days: r.lmt_max_days ?? null,
  lmt_max_cnt: null,
  lmt_memo: r.lmt_memo,
});

/** The demo catalogue as knowledge-snapshot rows (as the demo loader would store it), without a database. */
export function demoCatalogueRows(cat: DemoCatalogue, begndate: string = DEMO_BEGNDATE, insu_admdvs: string = DEMO_CATALOGUE_ADMDVS): Pick<KnowledgeRows, 'hilist' | 'caps' | 'lmts'> {
  const hilist: CatRow[] = [];
  const caps: CapRow[] = [];
  const lmts: LmtRow[] = [];
  const p = { begndate, enddate: null, insu_admdvs };
  for (const it of [...cat.drugs, ...cat.herbs, ...cat.services, ...cat.consumables]) {
    hilist.push({ hilist_code: it.hilist_code, hilist_name: it.hilist_name, list_type: it.list_type, med_chrgitm_type: it.med_chrgitm_type, chrgitm_lv: it.chrgitm_lv, ...p });
    for (const [lv, fen] of Object.entries(it.pric_uplmt)) caps.push({ hilist_code: it.hilist_code, hosp_lv: lv, fen, ...p });
    if (it.restriction) lmts.push({ hilist_code: it.hilist_code, r: restrictionOf(it.restriction), ...p });
  }
  return { hilist, caps, lmts };
}
