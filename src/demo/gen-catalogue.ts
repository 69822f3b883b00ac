/**
 * Generates the demo catalogue: western and patent drugs, decoction pieces, service items and consumables in
 * the national code shapes, with 甲/乙/丙 class, self-pay-first ratio, price caps by hospital level and
 * structured restrictions. Deterministic from the generator passed in. Returns plain rows; loading is
 * the catalogue module's job.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from './prng.js';
import { HERBS, HERB_PROCESSING, MANUFACTURERS, packagesFor, PATENT_DRUGS, STRENGTHS, WESTERN_DRUGS } from './vocab-drugs.js';
import { BASE_SERVICES, BODY_PARTS, CONSUMABLES, EXAMS, IMAGING_KINDS, LAB_ANALYTES, LAB_METHODS } from './vocab-services.js';
import { REFERENCE_DATA_DIR } from '../standards/reference-data.js';

export interface DemoRestriction {
  lmt_gend?: '1' | '2';
  lmt_age_min?: number;
  lmt_age_max?: number;
  /** Indication diagnosis patterns: a code prefix ('E11') or a range ('I20-I25'). */
  lmt_diag?: string[];
  lmt_min_hosp_lv?: '1' | '2' | '3';
  /** Care setting: 'inpatient' only, etc. */
  lmt_scene?: 'outpatient' | 'inpatient';
  /** Payable days (per admission / prescription). */
  lmt_max_days?: number;
  lmt_memo: string;
}

export interface DemoCatalogueItem {
  hilist_code: string;
  hilist_name: string;
  list_type: '101' | '102' | '103' | '201' | '301';
  med_chrgitm_type: string;
  chrgitm_lv: '01' | '02' | '03';
  /** Self-pay-first ratio in parts per 10,000 (乙类 typically 500–2000). */
  selfpay_bp: number;
  /** Price caps in fen by hospital level '1' | '2' | '3'. */
  pric_uplmt: Record<'1' | '2' | '3', number>;
  /** Reference price in fen (what institutions typically charge at level 3). */
  pric: number;
  dosform?: string;
  spec?: string;
  pacunt?: string;
  prodentp_name?: string;
  prcunt?: string;
  restriction?: DemoRestriction;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** Yuan range "a-b" → a random price in fen, rounded to whole jiao for realism. */
function priceIn(rng: Rng, range: string): number {
  const [a, b] = range.split('-').map(Number) as [number, number];
  const fen = rng.int(a * 100, b * 100);
  return fen - (fen % 10) || 10;
}

/** Caps by level: level 3 highest, lower levels 5–15 % below (national price tiers). */
function capsFrom(rng: Rng, pric: number): Record<'1' | '2' | '3', number> {
  const l3 = pric + pric * rng.int(0, 10) / 100;
  const l3f = l3 - (l3 % 10);
  const l2 = l3f - l3f * rng.int(5, 10) / 100;
  const l1 = l2 - l2 * rng.int(5, 10) / 100;
  const r = (x: number) => Math.max(10, x - (x % 10));
  return { '3': r(l3f), '2': r(l2), '1': r(l1) };
}

function classFor(rng: Rng, weights: [number, number, number]): { lv: '01' | '02' | '03'; bp: number } {
  const lv = rng.weighted([
    ['01', weights[0]],
    ['02', weights[1]],
    ['03', weights[2]],
  ] as const);
  if (lv === '02') return { lv, bp: rng.pick([500, 1000, 1000, 1500, 2000]) };
  if (lv === '03') return { lv, bp: 10_000 };
  return { lv, bp: 0 };
}

const FORM_CODES: Record<string, string> = {};
function formCode(form: string): string {
  if (!FORM_CODES[form]) FORM_CODES[form] = `A${pad(Object.keys(FORM_CODES).length + 1, 3)}`;
  return FORM_CODES[form]!;
}

function strengthFamily(form: string): readonly string[] {
  if (form.includes('注射')) return STRENGTHS['注射剂']!;
  if (form.includes('胶囊') || form.includes('胶丸')) return STRENGTHS['胶囊']!;
  if (form.includes('片')) return STRENGTHS['片']!;
  if (form.includes('颗粒') || form.includes('散') || form.includes('干混悬')) return STRENGTHS['颗粒']!;
  if (form.includes('溶液') || form.includes('糖浆') || form.includes('混悬') || form.includes('滴')) return STRENGTHS['溶液']!;
  if (form.includes('膏') || form.includes('凝胶') || form.includes('栓')) return STRENGTHS['外用']!;
  return STRENGTHS['其他']!;
}

/** Restrictions that real catalogues carry, attached to the drugs they typically apply to. */
function drugRestriction(name: string, atc: string, form: string): DemoRestriction | undefined {
  if (name.startsWith('小儿')) return { lmt_age_max: 14, lmt_memo: '限儿童（14岁及以下）' };
  if (['坦索罗辛', '非那雄胺'].includes(name)) return { lmt_gend: '1', lmt_memo: '限男性前列腺增生患者' };
  if (['来曲唑', '他莫昔芬'].includes(name)) return { lmt_gend: '2', lmt_diag: ['C50'], lmt_memo: '限女性乳腺癌患者' };
  if (['利拉鲁肽', '达格列净', '西格列汀'].includes(name)) return { lmt_diag: ['E11'], lmt_memo: '限2型糖尿病患者' };
  if (name === '人血白蛋白') return { lmt_diag: ['K70-K77', 'R18', 'E88.0', 'T20-T32'], lmt_scene: 'inpatient', lmt_memo: '限抢救、重症或因肝硬化、癌症引起胸腹水的患者，且白蛋白低于30g/L' };
  if (['美罗培南', '万古霉素', '利奈唑胺'].includes(name)) return { lmt_min_hosp_lv: '2', lmt_scene: 'inpatient', lmt_memo: '限二级及以上医疗机构重症感染住院患者' };
  if (['利妥昔单抗', '曲妥珠单抗'].includes(name)) return { lmt_diag: name === '曲妥珠单抗' ? ['C50', 'C16'] : ['C82-C85', 'C91.1'], lmt_min_hosp_lv: '3', lmt_memo: '限经病理确诊的相应肿瘤患者，三级医疗机构使用' };
  if (name === '依达拉奉') return { lmt_diag: ['I63'], lmt_scene: 'inpatient', lmt_max_days: 14, lmt_memo: '限急性脑梗死住院患者，支付不超过14天' };
  if (['复方甘草酸苷', '门冬氨酸鸟氨酸'].includes(name) && form === '注射剂') return { lmt_diag: ['K70-K77', 'B15-B19'], lmt_memo: '限肝功能衰竭或无法使用口服制剂的肝病患者' };
  if (atc.startsWith('L01') && form === '注射剂') return { lmt_min_hosp_lv: '2', lmt_diag: ['C00-C97', 'D00-D09'], lmt_memo: '限恶性肿瘤患者' };
  if (name === '甘精胰岛素' || name === '门冬胰岛素') return { lmt_diag: ['E10-E14'], lmt_memo: '限糖尿病患者' };
  return undefined;
}

function westernDrugs(rng: Rng): DemoCatalogueItem[] {
  const out: DemoCatalogueItem[] = [];
  const lines = WESTERN_DRUGS.trim().split('\n');
  lines.forEach((line, gi) => {
    const [name, atc, forms] = line.split('|') as [string, string, string];
    const genericCode = `${String.fromCharCode(65 + (gi % 26))}${pad(gi + 1, 3)}`;
    const cls = classFor(rng, [45, 45, 10]);
    for (const form of forms.split(',')) {
      const strengths = strengthFamily(form);
      const nStrength = rng.int(1, 3);
      const chosen = [...new Set(Array.from({ length: nStrength }, () => rng.pick(strengths)))];
      chosen.forEach((strength, si) => {
        const makers = rng.int(22, 44);
        const base = rng.int(200, form.includes('注射') ? 20_000 : 6_000);
        for (let m = 0; m < makers; m++) {
          const makerIdx = (gi * 7 + m) % MANUFACTURERS.length;
          const pack = rng.pick(packagesFor(form));
          const pric = Math.max(50, base + rng.int(-base / 3, base / 3));
          const p = pric - (pric % 10);
          out.push({
            hilist_code: `X${atc}${genericCode}${formCode(form)}${pad(si + 1, 2)}${pad((m % 99) + 1, 2)}${pad(makerIdx * 40 + m + 1, 5)}`,
            hilist_name: `${name}${form}`,
            list_type: '101',
            med_chrgitm_type: '09',
            chrgitm_lv: cls.lv,
            selfpay_bp: cls.bp,
            pric: p,
            pric_uplmt: capsFrom(rng, p),
            dosform: form,
            spec: strength,
            pacunt: pack,
            prodentp_name: MANUFACTURERS[makerIdx]!,
            restriction: drugRestriction(name, atc, form),
          });
        }
      });
    }
  });
  return out;
}

function patentDrugs(rng: Rng): DemoCatalogueItem[] {
  const out: DemoCatalogueItem[] = [];
  const entries = PATENT_DRUGS.trim().split(/\s+/);
  entries.forEach((entry, gi) => {
    const [name, cls5] = entry.split('|') as [string, string];
    const form = /注射液$/.test(name) ? '注射剂' : /(胶囊|丸|片|颗粒|糖浆|口服液|膏|滴丸|水|饮|液)$/.exec(name)?.[1] ?? '其他';
    const cls = classFor(rng, [35, 55, 10]);
    const makers = rng.int(10, 40);
    const base = rng.int(1_000, form === '注射剂' ? 15_000 : 6_000);
    for (let m = 0; m < makers; m++) {
      const makerIdx = (gi * 3 + m) % MANUFACTURERS.length;
      const pric = Math.max(100, base + rng.int(-base / 4, base / 4));
      const p = pric - (pric % 10);
      out.push({
        hilist_code: `Z${cls5}${String.fromCharCode(65 + (gi % 26))}${pad(gi + 1, 3)}${formCode(form)}${pad((m % 99) + 1, 4)}${pad(makerIdx * 50 + m + 1, 5)}`,
        hilist_name: name,
        list_type: '102',
        med_chrgitm_type: '11',
        chrgitm_lv: cls.lv,
        selfpay_bp: cls.bp,
        pric: p,
        pric_uplmt: capsFrom(rng, p),
        dosform: form,
        spec: rng.pick(['0.3g', '0.5g', '3g', '10ml', '5g', '0.26g']),
        pacunt: rng.pick(packagesFor(form)),
        prodentp_name: MANUFACTURERS[makerIdx]!,
        restriction: name.startsWith('小儿') ? { lmt_age_max: 14, lmt_memo: '限儿童' } : form === '注射剂' ? { lmt_min_hosp_lv: '2', lmt_scene: 'inpatient', lmt_memo: '限二级及以上医疗机构住院使用' } : undefined,
      });
    }
  });
  return out;
}

/** Single herbs that the national policy does not pay for when prescribed alone or at all (贵细药材). */
const HERBS_NOT_PAID = new Set(['冬虫夏草', '西红花', '灵芝', '铁皮石斛', '西洋参', '鹿角胶', '阿胶', '人参']);

function herbs(rng: Rng): DemoCatalogueItem[] {
  const out: DemoCatalogueItem[] = [];
  HERBS.split(/\s+/).forEach((herb, hi) => {
    const ways = [''].concat(HERB_PROCESSING.filter(() => rng.chance(0.25)).filter(Boolean));
    ways.forEach((way, wi) => {
      const grades = rng.int(1, 3);
      for (let g = 0; g < grades; g++) {
        const paid = !HERBS_NOT_PAID.has(herb);
        const pric = rng.int(2, HERBS_NOT_PAID.has(herb) ? 3000 : 120); // fen per gram
        out.push({
          hilist_code: `T${pad(hi + 1, 4)}${pad(wi, 2)}${pad(g + 1, 3)}`,
          hilist_name: `${way}${herb}${g === 0 ? '' : g === 1 ? '（统货）' : '（选货）'}`,
          list_type: '103',
          med_chrgitm_type: '10',
          chrgitm_lv: paid ? '01' : '03',
          selfpay_bp: paid ? 0 : 10_000,
          pric,
          pric_uplmt: capsFrom(rng, pric),
          spec: 'g',
          pacunt: 'g',
          restriction: paid && rng.chance(0.05) ? { lmt_memo: '单独使用时不予支付' } : undefined,
        });
      }
    });
  });
  return out;
}

function serviceItems(rng: Rng): DemoCatalogueItem[] {
  const out: DemoCatalogueItem[] = [];
  const SECTION: Record<string, string> = { '01': '11', '02': '11', '07': '12', '12': '11', '13': '11', '05': '31', '04': '25', '03': '21', '06': '33' };
  const seqBySection = new Map<string, number>();
  const push = (name: string, type: string, range: string, unit: string, restriction?: DemoRestriction) => {
    const section = SECTION[type] ?? '31';
    const seq = (seqBySection.get(section) ?? 0) + 1;
    seqBySection.set(section, seq);
    const cls = type === '13' ? { lv: '01' as const, bp: 0 } : classFor(rng, [70, 27, 3]);
    const pric = priceIn(rng, range);
    // 医疗服务项目: '00' + a 9-digit price-item code (section 2, group 2, serial 5) + a 4-digit extension
    out.push({
      hilist_code: `00${section}${pad(Math.floor(seq / 1000) + 1, 2)}${pad(seq, 5)}0000`,
      hilist_name: name,
      list_type: '201',
      med_chrgitm_type: type,
      chrgitm_lv: cls.lv,
      selfpay_bp: cls.bp,
      pric,
      pric_uplmt: capsFrom(rng, pric),
      prcunt: unit,
      restriction,
    });
  };
  for (const line of BASE_SERVICES.trim().split('\n')) {
    const [name, type, range, unit] = line.split('|') as [string, string, string, string];
    const r: DemoRestriction | undefined = name.includes('新生儿') ? { lmt_age_max: 0, lmt_memo: '限新生儿' } : name.includes('重症监护') ? { lmt_scene: 'inpatient', lmt_memo: '限住院' } : undefined;
    push(name, type, range, unit, r);
  }
  for (const analyte of LAB_ANALYTES.split(/\s+/)) {
    for (const method of LAB_METHODS.filter(() => rng.chance(0.4))) push(`${analyte}${method}`, '04', '5-80', '项');
    if (analyte === '前列腺特异性抗原') push(`${analyte}（总PSA）`, '04', '30-80', '项', { lmt_gend: '1', lmt_memo: '限男性' });
  }
  for (const kind of IMAGING_KINDS) for (const part of BODY_PARTS) push(`${kind}（${part}）`, '03', kind.includes('磁共振') ? '300-800' : kind.includes('CT') ? '150-500' : '30-200', '部位');
  for (const line of EXAMS.trim().split('\n')) {
    const [name, type, range, unit] = line.split('|') as [string, string, string, string];
    push(name, type, range, unit);
  }
  // Surgical charge items named after the real ICD-9-CM-3 procedures (those ending in 术).
  const procedures = JSON.parse(readFileSync(join(REFERENCE_DATA_DIR, 'procedures.json'), 'utf8')) as Record<string, string>;
  const surgical = Object.values(procedures).filter((n) => n.endsWith('术') && !n.includes('其他'));
  const picked = surgical.filter(() => rng.chance(0.5));
  for (const name of picked) {
    const major = /(置换|移植|切除|重建|搭桥|根治)/.test(name);
    const gender = /(子宫|卵巢|输卵管|阴道|剖宫产|乳房重建)/.test(name) ? '2' : /(前列腺|睾丸|阴茎|精索)/.test(name) ? '1' : undefined;
    push(name, '06', major ? '1500-8000' : '200-2000', '次', gender ? { lmt_gend: gender, lmt_memo: gender === '2' ? '限女性' : '限男性' } : undefined);
  }
  return out;
}

function consumables(rng: Rng): DemoCatalogueItem[] {
  const out: DemoCatalogueItem[] = [];
  CONSUMABLES.trim()
    .split('\n')
    .forEach((line, ci) => {
      const [name, specs, range] = line.split('|') as [string, string, string];
      const implant = /(支架|假体|接骨板|螺钉|髓内钉|融合器|晶状体|起搏器|补片)/.test(name);
      specs.split(',').forEach((spec, si) => {
        const makers = rng.int(32, 46);
        const base = priceIn(rng, range);
        for (let m = 0; m < makers; m++) {
          const makerIdx = (ci + m) % MANUFACTURERS.length;
          const p = Math.max(10, base + rng.int(-base / 5, base / 5));
          const pric = p - (p % 10);
          const cls = implant ? { lv: '02' as const, bp: rng.pick([1000, 2000, 3000]) } : classFor(rng, [60, 35, 5]);
          out.push({
            // 医用耗材: 'C' + category (2+2+2) + generic name (3) + material (2) + feature (2) + maker (5) + spec (1)
            hilist_code: `C${pad(Math.floor(ci / 10) + 1, 2)}${pad((ci % 10) + 1, 2)}${pad(si + 1, 2)}${pad(ci + 1, 3)}${pad(m % 13, 2)}${pad(si, 2)}${pad(makerIdx * 100 + m, 5)}${m % 10}`,
            hilist_name: `${name}（${spec}）`,
            list_type: '301',
            med_chrgitm_type: '08',
            chrgitm_lv: cls.lv,
            selfpay_bp: cls.bp,
            pric,
            pric_uplmt: capsFrom(rng, pric),
            spec,
            prodentp_name: MANUFACTURERS[makerIdx]!.replace('制药', '医疗器械').replace('药业', '医疗器械'),
            restriction: implant ? { lmt_scene: 'inpatient', lmt_memo: '限住院手术使用' } : undefined,
          });
        }
      });
    });
  return out;
}

export interface DemoCatalogue {
  drugs: DemoCatalogueItem[];
  herbs: DemoCatalogueItem[];
  services: DemoCatalogueItem[];
  consumables: DemoCatalogueItem[];
}

export function generateCatalogue(seed: number): DemoCatalogue {
  const root = new Rng(seed);
  const all = {
    drugs: [...westernDrugs(root.fork('western')), ...patentDrugs(root.fork('patent'))],
    herbs: herbs(root.fork('herbs')),
    services: serviceItems(root.fork('services')),
    consumables: consumables(root.fork('consumables')),
  };
  // Codes must be unique across the whole catalogue; a collision is a generator bug, not data to load.
  const seen = new Set<string>();
  for (const list of Object.values(all)) {
    for (const item of list) {
      if (seen.has(item.hilist_code)) throw new Error(`演示目录编码重复：${item.hilist_code}`);
      seen.add(item.hilist_code);
    }
  }
  return all;
}
