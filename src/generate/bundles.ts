/**
 * The curated clinical table of the synthetic region: common conditions of a Chinese prefecture, each with the
 * setting it is treated in, who gets it (age range, sex, relative frequency), its principal diagnosis from the
 * real 医保版 ICD-10 list, the procedures (real 医保版 ICD-9-CM-3 codes) and the drugs, services and consumables
 * that usually go with it, and the length of stay for inpatient care. Items are named as the demo catalogue
 * names them (generic drug names, service and consumable names); world.ts resolves them to catalogue codes.
 * The codes are checked against the bundled dictionaries (`bundleProblems`), so a typo is a failing test, not
 * silent nonsense. Documented in docs/synthetic-data.md.
 */
import { DIAGNOSES, PROCEDURES, readBundled } from '../standards/coded-list.js';

export type Setting = 'opt' | 'mts' | 'ipt';

/** One item of a bundle: a name the catalogue resolves, the quantity per use, and how often it appears. */
export interface BundleItem {
  /** Drug generic name (prefix of hilist_name), service name or consumable name prefix. */
  name: string;
  kind: 'drug' | 'service' | 'consumable' | 'surgery';
  /** Quantity per day (daily items) or per encounter. */
  cnt: number;
  /** Charged every day of the stay (beds, nursing, IV drugs) instead of once. */
  daily?: boolean;
  /** Probability that the item is on the encounter (default 1). */
  p?: number;
}

export interface Bundle {
  key: string;
  setting: Setting;
  diag: string;
  /** Secondary diagnoses that come with the condition (each with probability 0.5). */
  sec?: string[];
  ages: [number, number];
  gend?: '1' | '2';
  /** Relative frequency among bundles of the same setting that fit the person. */
  weight: number;
  /** Extra weight multiplier for persons aged 60 and over (chronic and degenerative disease). */
  oldBoost?: number;
  /** Procedures in order (the first is the main one). */
  oprn?: string[];
  items: BundleItem[];
  /** Inpatient length of stay: median days and spread (log-normal sigma), bounds. */
  los?: { median: number; sigma: number; min: number; max: number };
  /** Lowest institution level that treats it. */
  minLv?: '1' | '2' | '3';
}

const d = (name: string, cnt: number, p?: number): BundleItem => ({ name, kind: 'drug', cnt, ...(p !== undefined ? { p } : {}) });
const dd = (name: string, cnt: number, p?: number): BundleItem => ({ name, kind: 'drug', cnt, daily: true, ...(p !== undefined ? { p } : {}) });
const s = (name: string, cnt = 1, p?: number): BundleItem => ({ name, kind: 'service', cnt, ...(p !== undefined ? { p } : {}) });
const sd = (name: string, cnt = 1): BundleItem => ({ name, kind: 'service', cnt, daily: true });
const c = (name: string, cnt = 1, p?: number): BundleItem => ({ name, kind: 'consumable', cnt, ...(p !== undefined ? { p } : {}) });
const op = (name: string): BundleItem => ({ name, kind: 'surgery', cnt: 1 });

/** What every inpatient day carries: bed, nursing, ward round, and an infusion on most days. */
export const WARD_DAY: readonly BundleItem[] = [sd('普通病房床位费（三人间）'), sd('二级护理'), sd('住院诊察费'), sd('静脉输液（第一组）'), c('一次性使用输液器', 1)];
/** What every admission carries once: labs on admission. */
export const ADMISSION: readonly BundleItem[] = [s('血常规'), s('尿常规'), s('丙氨酸氨基转移酶'), s('肌酐'), s('葡萄糖'), s('常规心电图检查', 1, 0.8)];
/** What every outpatient visit carries: the consultation. */
export const VISIT: readonly BundleItem[] = [s('普通门诊诊察费')];
/** Surgical stays: anaesthesia consumables and sutures. */
export const SURGERY_EXTRA: readonly BundleItem[] = [c('一次性使用麻醉呼吸回路'), c('可吸收外科缝线', 2), c('医用无菌敷贴', 3), s('换药（中）', 2)];

/**
 * What higher levels add (the intensity gradient of Chinese hospitals: tertiary outpatients see senior
 * doctors and get more tests; tertiary inpatients more imaging and labs and twice-daily injections).
 */
export const LEVEL_EXTRAS: Record<'opt' | 'ipt', Record<'2' | '3', readonly BundleItem[]>> = {
  opt: {
    '2': [s('C反应蛋白', 1, 0.2), s('彩色多普勒超声检查（腹部）', 1, 0.1), s('数字化摄影（DR）（胸部）', 1, 0.1)],
    '3': [s('副主任医师门诊诊察费', 1, 0.5), s('C反应蛋白', 1, 0.35), s('彩色多普勒超声检查（腹部）', 1, 0.25), s('CT平扫（胸部）', 1, 0.2), s('丙氨酸氨基转移酶', 1, 0.3), s('肌酐', 1, 0.3)],
  },
  ipt: {
    '2': [s('彩色多普勒超声检查（腹部）', 1, 0.4), s('D-二聚体', 1, 0.3), s('C反应蛋白', 1, 0.4)],
    '3': [s('彩色多普勒超声检查（腹部）', 1, 0.6), s('D-二聚体', 1, 0.6), s('降钙素原', 1, 0.5), s('CT增强扫描（胸部）', 1, 0.3), s('磁共振平扫（腰椎）', 1, 0.1), s('会诊费', 1, 0.5), s('超声心动图', 1, 0.3)],
  },
};

export const BUNDLES: readonly Bundle[] = [
  // ---------- 门诊 ----------
  { key: 'uri', setting: 'opt', diag: 'J06.900', ages: [0, 95], weight: 30, items: [d('对乙酰氨基酚', 1, 0.5), d('连花清瘟胶囊', 1, 0.5), d('阿莫西林', 1, 0.4), s('血常规', 1, 0.5)] },
  { key: 'uri-child', setting: 'opt', diag: 'J06.900', ages: [1, 12], weight: 30, items: [d('小儿氨酚黄那敏', 1, 0.6), d('小儿豉翘清热颗粒', 1, 0.5), s('血常规', 1, 0.6)] },
  { key: 'bronchitis', setting: 'opt', diag: 'J20.900', ages: [0, 95], weight: 12, items: [d('氨溴索', 1), d('阿奇霉素', 1, 0.5), s('数字化摄影（DR）（胸部）', 1, 0.4), s('血常规', 1, 0.6)] },
  { key: 'pharyngitis', setting: 'opt', diag: 'J02.900', ages: [3, 80], weight: 8, items: [d('蒲地蓝消炎口服液', 2), d('阿莫西林', 1, 0.4)] },
  { key: 'gastroenteritis', setting: 'opt', diag: 'A09.900', ages: [0, 90], weight: 8, items: [d('蒙脱石', 1), s('粪便常规', 1, 0.7), d('葡萄糖氯化钠', 2, 0.2)] },
  { key: 'gastritis', setting: 'opt', diag: 'K29.500', ages: [20, 90], weight: 8, items: [d('奥美拉唑', 2), d('三九胃泰颗粒', 1, 0.5), s('电子胃镜检查', 1, 0.15)] },
  { key: 'gerd', setting: 'opt', diag: 'K21.000', ages: [25, 90], weight: 4, items: [d('雷贝拉唑', 2), d('多潘立酮', 1, 0.5)] },
  { key: 'hypertension', setting: 'opt', diag: 'I10.x00', ages: [35, 95], weight: 14, oldBoost: 3, items: [d('氨氯地平', 2), d('缬沙坦', 2, 0.4), s('常规心电图检查', 1, 0.3)] },
  { key: 'diabetes', setting: 'opt', diag: 'E11.900', ages: [35, 95], weight: 8, oldBoost: 2.5, items: [d('二甲双胍', 3), d('阿卡波糖', 2, 0.4), d('西格列汀', 1, 0.15), s('糖化血红蛋白', 1, 0.5), s('葡萄糖', 1, 0.7)] },
  { key: 'lowbackpain', setting: 'opt', diag: 'M54.500', ages: [25, 90], weight: 6, items: [d('双氯芬酸', 1), s('推拿治疗', 3, 0.3), d('伤湿止痛膏', 1, 0.4)] },
  { key: 'rhinitis', setting: 'opt', diag: 'J30.400', ages: [5, 70], weight: 5, items: [d('氯雷他定', 1), d('鼻炎康片', 1, 0.5)] },
  { key: 'dermatitis', setting: 'opt', diag: 'L30.900', ages: [0, 90], weight: 5, items: [d('氢化可的松', 1), d('氯雷他定', 1, 0.4)] },
  { key: 'uti', setting: 'opt', diag: 'N39.000', ages: [18, 90], gend: '2', weight: 5, items: [d('左氧氟沙星', 1), d('三金片', 1, 0.5), s('尿常规', 1)] },
  { key: 'pregnancy', setting: 'opt', diag: 'Z34.900', ages: [20, 42], gend: '2', weight: 6, items: [s('B超检查（子宫附件）', 1), s('血常规', 1), s('尿常规', 1, 0.6)] },
  { key: 'bph', setting: 'opt', diag: 'N40.x00', ages: [50, 95], gend: '1', weight: 4, oldBoost: 2, items: [d('坦索罗辛', 2), d('非那雄胺', 2, 0.4), s('B超检查（前列腺）', 1, 0.4)] },
  { key: 'asthma', setting: 'opt', diag: 'J45.900', ages: [5, 85], weight: 3, items: [d('布地奈德', 1), d('孟鲁司特', 1, 0.6)] },
  { key: 'depression', setting: 'opt', diag: 'F32.900', ages: [16, 85], weight: 2, items: [d('舍曲林', 2), s('心理咨询', 1, 0.4)] },
  { key: 'osteoporosis', setting: 'opt', diag: 'M81.900', ages: [55, 95], gend: '2', weight: 3, oldBoost: 2, items: [d('碳酸钙D3', 2), d('阿仑膦酸钠', 1, 0.4), s('骨密度测定', 1, 0.3)] },
  { key: 'headache', setting: 'opt', diag: 'R51.x00', ages: [12, 85], weight: 3, items: [d('布洛芬', 1), d('正天丸', 1, 0.4), s('CT平扫（头颅）', 1, 0.1)] },

  // ---------- 门慢特 (certified chronic and special diseases) ----------
  { key: 'mts-hypertension', setting: 'mts', diag: 'I10.x00', ages: [35, 95], weight: 40, oldBoost: 2, items: [d('氨氯地平', 3), d('缬沙坦', 3, 0.5), d('美托洛尔', 2, 0.3), s('常规心电图检查', 1, 0.2)] },
  { key: 'mts-diabetes', setting: 'mts', diag: 'E11.900', sec: ['I10.x00', 'E78.500'], ages: [35, 95], weight: 30, oldBoost: 1.5, items: [d('二甲双胍', 3), d('甘精胰岛素', 2, 0.3), d('阿卡波糖', 2, 0.4), c('胰岛素笔用针头', 2, 0.3), s('糖化血红蛋白', 1, 0.3)] },
  { key: 'mts-chd', setting: 'mts', diag: 'I25.103', sec: ['I10.x00'], ages: [45, 95], weight: 15, oldBoost: 2, items: [d('阿司匹林', 2), d('阿托伐他汀', 2), d('氯吡格雷', 2, 0.4), d('复方丹参滴丸', 2, 0.4)] },
  { key: 'mts-dialysis', setting: 'mts', diag: 'N18.500', ages: [20, 90], weight: 3, minLv: '2', oprn: ['39.9500'], items: [s('血液透析', 12), c('血液透析器', 12), c('血液透析管路', 12), d('重组人促红素', 8), d('蔗糖铁', 2, 0.5), d('肝素', 12)] },
  { key: 'mts-cancer', setting: 'mts', diag: 'C50.900', ages: [30, 90], gend: '2', weight: 4, minLv: '2', items: [d('来曲唑', 3), d('卡培他滨', 2, 0.3), s('B超检查（乳腺）', 1, 0.3)] },

  // ---------- 住院 ----------
  { key: 'pneumonia', setting: 'ipt', diag: 'J18.900', sec: ['J44.900', 'I10.x00'], ages: [0, 95], weight: 18, oldBoost: 1.5, los: { median: 7, sigma: 0.35, min: 3, max: 21 }, items: [dd('头孢曲松', 1), dd('氨溴索', 1), dd('氯化钠', 2), dd('左氧氟沙星', 1, 0.3), s('CT平扫（胸部）', 1), s('C反应蛋白', 1, 0.7), s('降钙素原', 1, 0.4)] },
  { key: 'pneumonia-child', setting: 'ipt', diag: 'J18.900', ages: [0, 6], weight: 25, los: { median: 6, sigma: 0.3, min: 3, max: 14 }, items: [dd('阿奇霉素', 1), dd('葡萄糖氯化钠', 1), dd('小儿布洛芬', 1, 0.5), s('数字化摄影（DR）（胸部）', 1), s('C反应蛋白', 1), sd('雾化吸入', 2)] },
  { key: 'stroke', setting: 'ipt', diag: 'I63.900', sec: ['I10.x00', 'E11.900', 'E78.500'], ages: [45, 95], weight: 12, oldBoost: 2.5, minLv: '2', los: { median: 11, sigma: 0.35, min: 5, max: 30 }, items: [dd('依达拉奉', 2), dd('胞磷胆碱', 1), d('阿司匹林', 14), d('阿托伐他汀', 14), s('磁共振平扫（头颅）', 1), s('彩色多普勒超声检查（颈部血管）', 1), s('运动疗法', 6, 0.6)] },
  { key: 'copd', setting: 'ipt', diag: 'J44.100', sec: ['I10.x00', 'I50.900'], ages: [50, 95], weight: 8, oldBoost: 3, los: { median: 9, sigma: 0.35, min: 4, max: 25 }, items: [dd('哌拉西林他唑巴坦', 2), dd('甲泼尼龙', 1), dd('布地奈德', 2), dd('氨茶碱', 1, 0.5), s('CT平扫（胸部）', 1), s('肺功能检查', 1, 0.5), sd('氧气吸入', 8)] },
  { key: 'heartfailure', setting: 'ipt', diag: 'I50.900', sec: ['I10.x00', 'I25.103'], ages: [55, 95], weight: 6, oldBoost: 3, minLv: '2', los: { median: 8, sigma: 0.35, min: 4, max: 21 }, items: [dd('呋塞米', 1), d('螺内酯', 7), d('地高辛', 7, 0.5), s('超声心动图', 1), sd('心电监护', 12)] },
  { key: 'ami-pci', setting: 'ipt', diag: 'I21.900', sec: ['I10.x00', 'E11.900'], ages: [40, 90], weight: 4, oldBoost: 1.5, minLv: '3', oprn: ['36.0700', '00.6600'], los: { median: 7, sigma: 0.3, min: 4, max: 18 }, items: [op('冠状动脉'), c('冠状动脉药物洗脱支架系统', 1), c('经皮冠状动脉球囊扩张导管', 1), c('造影导管', 2), c('指引导丝', 1), c('血管鞘组', 1), d('替格瑞洛', 14), d('阿司匹林', 14), dd('依诺肝素', 1), d('碘克沙醇', 2), sd('心电监护', 24), s('超声心动图', 1)] },
  { key: 'appendicitis', setting: 'ipt', diag: 'K35.800', ages: [8, 70], weight: 6, minLv: '2', oprn: ['47.0100'], los: { median: 5, sigma: 0.3, min: 3, max: 12 }, items: [op('阑尾切除'), dd('头孢呋辛', 2), dd('甲硝唑', 1), s('B超检查（腹部）', 1), s('CT平扫（腹部）', 1, 0.3), s('病理学检查（活检）', 1)] },
  { key: 'cholecystitis', setting: 'ipt', diag: 'K80.100', ages: [30, 85], weight: 6, minLv: '2', oprn: ['51.2300'], los: { median: 6, sigma: 0.3, min: 3, max: 14 }, items: [op('胆囊切除'), c('钛夹', 3), dd('头孢他啶', 2), s('B超检查（肝胆脾胰）', 1), s('病理学检查（活检）', 1), s('总胆红素', 1)] },
  { key: 'delivery', setting: 'ipt', diag: 'O80.000', ages: [20, 40], gend: '2', weight: 8, oprn: ['73.6x01'], los: { median: 3, sigma: 0.25, min: 2, max: 6 }, items: [op('会阴'), s('B超检查（子宫附件）', 1), dd('葡萄糖氯化钠', 1)] },
  { key: 'caesarean', setting: 'ipt', diag: 'O82.000', ages: [20, 44], gend: '2', weight: 7, minLv: '2', oprn: ['74.1x00'], los: { median: 5, sigma: 0.2, min: 3, max: 10 }, items: [op('剖宫产'), d('头孢唑林', 3), dd('葡萄糖氯化钠', 2), s('B超检查（子宫附件）', 1)] },
  { key: 'hipfracture', setting: 'ipt', diag: 'S72.000', sec: ['I10.x00', 'M81.900'], ages: [60, 95], weight: 4, oldBoost: 2, minLv: '2', oprn: ['81.5100'], los: { median: 13, sigma: 0.3, min: 7, max: 35 }, items: [op('髋关节置换'), c('人工髋关节假体股骨柄', 1), c('人工髋关节假体髋臼杯', 1), dd('依诺肝素', 1), d('头孢唑林', 3), s('X线摄影（髋关节）', 2), s('CT平扫（髋关节）', 1, 0.5), s('运动疗法', 5)] },
  { key: 'knee', setting: 'ipt', diag: 'M17.100', ages: [55, 90], weight: 3, oldBoost: 1.5, minLv: '2', oprn: ['81.5400'], los: { median: 12, sigma: 0.25, min: 7, max: 25 }, items: [op('膝关节置换'), c('人工膝关节假体', 1), dd('依诺肝素', 1), d('头孢唑林', 3), s('X线摄影（膝关节）', 2), s('运动疗法', 5)] },
  { key: 'cataract', setting: 'ipt', diag: 'H25.900', ages: [55, 95], weight: 6, oldBoost: 3, minLv: '2', oprn: ['13.4100', '13.7000'], los: { median: 2, sigma: 0.3, min: 1, max: 5 }, items: [op('白内障'), c('人工晶状体', 1), c('眼科黏弹剂', 1), d('左氧氟沙星', 2), s('眼底照相', 1)] },
  { key: 'lungcancer', setting: 'ipt', diag: 'C34.900', ages: [45, 85], weight: 2, oldBoost: 1.5, minLv: '3', oprn: ['32.4100'], los: { median: 12, sigma: 0.3, min: 7, max: 30 }, items: [op('肺叶切除'), c('腔镜直线切割吻合器', 2), c('胸腔闭式引流装置', 1), dd('头孢呋辛', 2), s('CT增强扫描（胸部）', 1), s('冰冻切片病理检查', 1), s('病理学检查（活检）', 1)] },
  { key: 'chemo', setting: 'ipt', diag: 'Z51.100', sec: ['C50.900', 'C34.900'], ages: [35, 85], weight: 5, minLv: '2', oprn: ['99.2500'], los: { median: 4, sigma: 0.25, min: 2, max: 8 }, items: [d('紫杉醇', 2, 0.5), d('顺铂', 2, 0.5), d('奥沙利铂', 2, 0.4), dd('昂丹司琼', 1), dd('地塞米松', 1), s('血常规', 2)] },
  { key: 'hernia', setting: 'ipt', diag: 'K40.900', ages: [30, 90], gend: '1', weight: 4, minLv: '2', oprn: ['17.1300'], los: { median: 4, sigma: 0.25, min: 2, max: 9 }, items: [op('疝修补'), c('疝修补补片', 1), d('头孢唑林', 2)] },
  { key: 'myoma', setting: 'ipt', diag: 'D25.900', ages: [28, 55], gend: '2', weight: 3, minLv: '2', oprn: ['68.2901'], los: { median: 6, sigma: 0.25, min: 3, max: 12 }, items: [op('子宫肌瘤'), d('头孢唑林', 3), s('B超检查（子宫附件）', 1), s('病理学检查（活检）', 1)] },
  { key: 'bph-turp', setting: 'ipt', diag: 'N40.x00', ages: [55, 95], gend: '1', weight: 3, oldBoost: 2, minLv: '2', oprn: ['60.2900'], los: { median: 7, sigma: 0.25, min: 4, max: 14 }, items: [op('前列腺'), c('一次性使用导尿包', 1), dd('坦索罗辛', 1), s('前列腺特异性抗原', 1)] },
  { key: 'diabetes-ipt', setting: 'ipt', diag: 'E11.900', sec: ['I10.x00', 'E78.500', 'N18.900'], ages: [35, 95], weight: 5, oldBoost: 2, los: { median: 9, sigma: 0.3, min: 4, max: 21 }, items: [dd('门冬胰岛素', 1), dd('甘精胰岛素', 1), d('二甲双胍', 14), s('糖化血红蛋白', 1), sd('血氧饱和度监测', 2), c('血糖试纸', 1)] },
  { key: 'gastro-child', setting: 'ipt', diag: 'A09.900', ages: [0, 10], weight: 8, los: { median: 4, sigma: 0.25, min: 2, max: 8 }, items: [dd('葡萄糖氯化钠', 1), d('蒙脱石', 6), s('粪便常规', 1), s('钾', 1)] },
  { key: 'chd-ipt', setting: 'ipt', diag: 'I25.103', sec: ['I10.x00', 'E78.500'], ages: [45, 95], weight: 6, oldBoost: 2, los: { median: 7, sigma: 0.3, min: 3, max: 18 }, items: [d('阿司匹林', 7), d('阿托伐他汀', 7), dd('单硝酸异山梨酯', 1), s('超声心动图', 1), s('动态心电图', 1, 0.6), dd('丹红注射液', 1, 0.5)] },
];

/** Comorbidities added as secondary diagnoses by age (besides a bundle's own), with their probability at 60+. */
export const COMORBIDITIES: readonly (readonly [string, number])[] = [
  ['I10.x00', 0.35],
  ['E11.900', 0.12],
  ['E78.500', 0.12],
  ['I25.103', 0.08],
  ['N18.900', 0.03],
];

/** Chronic conditions certified for 门慢特 and their bundle, by the prevalence among persons 60+ (halved under 60). */
export const CHRONIC: readonly (readonly [string, number])[] = [
  ['mts-hypertension', 0.12],
  ['mts-diabetes', 0.06],
  ['mts-chd', 0.03],
  ['mts-cancer', 0.006],
  ['mts-dialysis', 0.002],
];

/** Pharmacy purchases (med_type 41): the drugs and supplies people buy over the counter, by weight. */
export const PHARMACY_ITEMS: readonly (readonly [BundleItem, number])[] = [
  [d('阿莫西林', 2), 6],
  [d('布洛芬', 1), 6],
  [d('连花清瘟胶囊', 2), 6],
  [d('六味地黄丸', 2), 4],
  [d('氨氯地平', 2), 6],
  [d('二甲双胍', 2), 5],
  [d('阿托伐他汀', 1), 4],
  [d('复方丹参滴丸', 2), 4],
  [d('健胃消食片', 2), 3],
  [d('感冒清热颗粒', 2), 4],
  [d('蒙脱石', 1), 2],
  [d('氯雷他定', 1), 3],
  [c('血糖试纸', 1), 2],
  [d('云南白药胶囊', 1), 2],
];


let diagNames: Map<string, string> | undefined;
let oprnNames: Map<string, string> | undefined;

/** Names of the real 医保版 ICD-10 codes (the bundled dictionary). */
export function diagName(code: string): string {
  diagNames ??= new Map(readBundled(DIAGNOSES).map((e) => [e.code, e.name]));
  const n = diagNames.get(code);
  if (n === undefined) throw new Error(`生成器临床表中的诊断编码 ${code} 不在医保版 ICD-10 中`);
  return n;
}

/** Names of the real 医保版 ICD-9-CM-3 codes. */
export function oprnName(code: string): string {
  oprnNames ??= new Map(readBundled(PROCEDURES).map((e) => [e.code, e.name]));
  const n = oprnNames.get(code);
  if (n === undefined) throw new Error(`生成器临床表中的手术操作编码 ${code} 不在医保版 ICD-9-CM-3 中`);
  return n;
}

/** Every diagnosis and procedure code of the table that is not in the bundled dictionaries (empty = good). */
export function bundleProblems(): string[] {
  const out: string[] = [];
  const codes = new Set<string>();
  for (const b of BUNDLES) {
    codes.add(b.diag);
    for (const x of b.sec ?? []) codes.add(x);
  }
  for (const [x] of COMORBIDITIES) codes.add(x);
  for (const code of codes) {
    try {
      diagName(code);
    } catch (e) {
      out.push((e as Error).message);
    }
  }
  for (const b of BUNDLES) {
    for (const o of b.oprn ?? []) {
      try {
        oprnName(o);
      } catch (e) {
        out.push((e as Error).message);
      }
    }
  }
  return out;
}
