/**
 * Builds a DIP catalogue (病种目录库) from historical cases, as drg-dip.md §2.2–2.4 describes:
 *
 *  1. Years: the latest `years` (default 3) years in the history, weighted 1:2:7 oldest → newest (or the weights
 *     given); cases of other years are left out.
 *  2. Core groups (核心病种): principal diagnosis subcategory (亚目, 'K80.1') × procedure combination (the sorted
 *     distinct codes of the combination types — by default 治疗性操作 and 相关手术 — joined by '+'; none = 保守治疗)
 *     with at least `threshold` cases (default 15).
 *  3. Comprehensive groups (综合病种) for every other case: diagnosis category ('K80') × the case's procedure type
 *     (保守治疗 / 诊断性操作 / 治疗性操作 / 相关手术) when that cell has at least `comprehensiveMin` cases, else the
 *     ICD-10 chapter range ('K00-K93') × procedure type.
 *  4. Per group and year, outliers are trimmed (default: beyond mean ± 3 SD, years with at least `trimMinCases`), then the
 *     mean cost is the year-weighted mean of the yearly means: m = Σ w_y·m_y ÷ Σ w_y over the years the group has.
 *     M is the same over all kept cases. RW = m ÷ M; score = RW × scale (default 100).
 *  5. Auxiliary catalogues per group (drg-dip.md §2.4): CCI severity (1 轻度, 2 中度 = CC, 3 重度 = MCC, 4 死亡; levels
 *     2–4 only for stays longer than cciMinLos days), tumour severity (M 转移, RC 放化疗) for neoplasm groups, and age
 *     bands; a level with at least auxMinCases cases gets factor = the level's mean ÷ the group's mean.
 *
 * The history is any iterable or async iterable of cases, so a catalogue can be built before real settlement history
 * exists (tests use a seeded synthetic history) and later from the stored settlement lists (history.ts).
 */
import { validationError } from '../../platform/errors.js';
import type { Fen } from '../../platform/money.js';
import { ICD10_CHAPTERS, inRanges } from '../qc/codes.js';
import { featuresOf, type CaseFeatures } from './features.js';
import { defaultKnowledge, type Knowledge } from './knowledge.js';
import { OPRN_TYPE_NAMES, type AgeBand, type CatalogueParams, type DipAux, type DipCatalogue, type DipGroup, type GroupType, type HistoryCase, type OprnType, type TrimMethod } from './types.js';

export const DEFAULT_AGE_BANDS: AgeBand[] = [
  { lv: '1', name: '婴儿（不满1岁）', min: 0, max: 0 },
  { lv: '2', name: '儿童（1–17岁）', min: 1, max: 17 },
  { lv: '3', name: '老年（65–79岁）', min: 65, max: 79 },
  { lv: '4', name: '高龄（80岁及以上）', min: 80, max: 200 },
];

/** Weights of the last three years, newest first (drg-dip.md §2.3: 1:2:7 oldest → newest). */
export const DEFAULT_YEAR_PATTERN = [7, 2, 1] as const;

export const DEFAULT_PARAMS: Omit<CatalogueParams, 'yearWeights'> = {
  threshold: 15,
  comprehensiveMin: 5,
  trim: { method: 'sd', k: 3 },
  trimMinCases: 10,
  scale: 100,
  comboTypes: ['2', '3'],
  procKeyLength: null,
  auxMinCases: 5,
  cciMinLos: 3,
  ageBands: DEFAULT_AGE_BANDS,
};

export interface BuildOptions extends Partial<Omit<CatalogueParams, 'yearWeights'>> {
  /** year → weight; default: the latest `years` years with DEFAULT_YEAR_PATTERN */
  yearWeights?: Record<string | number, number>;
  years?: number;
  knowledge?: Knowledge;
}

export interface BuildReport {
  read: number;
  used: number;
  /** cases left out, with the reason (the first 100) */
  skipped: { id: string | null; reason: string }[];
  skipped_cnt: number;
  /** cases trimmed as outliers */
  trimmed: number;
  core: number;
  comprehensive: number;
  year_weights: Record<string, number>;
}

interface Item {
  c: HistoryCase;
  f: CaseFeatures;
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** Year-weighted mean of yearly means (fen, rounded); the weights of years without cases do not count. */
export function weightedMean(items: readonly { year: number; cost: Fen }[], weights: Record<string, number>): Fen | null {
  // years in order of first appearance (the sum below adds them in that order); the last year's totals are kept at hand,
  // since a group's items mostly come year by year — this runs over every kept case of a million-case history
  const byYear = new Map<number, { sum: number; n: number }>();
  let lastYear = NaN;
  let y: { sum: number; n: number } | undefined;
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (it.year !== lastYear) {
      lastYear = it.year;
      y = byYear.get(lastYear);
      if (!y) byYear.set(lastYear, (y = { sum: 0, n: 0 }));
    }
    y!.sum += it.cost;
    y!.n += 1;
  }
  let num = 0;
  let den = 0;
  for (const [year, { sum, n }] of byYear) {
    const w = weights[String(year)] ?? 0;
    num += (w * sum) / n;
    den += w;
  }
  return den > 0 ? Math.round(num / den) : null;
}

/**
 * Keeps the cases inside the trimming bounds. With `year` on the items each year is trimmed on its own (costs drift
 * from year to year: a pooled SD would cut the dearest year); a year with fewer than minCases cases is kept whole.
 */
export function trimByYear<T extends { cost: Fen; year: number }>(items: readonly T[], trim: TrimMethod, minCases: number): T[] {
  const years = new Map<number, T[]>();
  for (const i of items) {
    // appended in place: copying the list per case made a group of n cases cost n² (minutes for a million cases)
    const list = years.get(i.year);
    if (list) list.push(i);
    else years.set(i.year, [i]);
  }
  return [...years.values()].flatMap((list) => trimOutliers(list, trim, minCases));
}

/** Keeps the cases inside the trimming bounds (mean ± k·SD, or between two percentiles). */
export function trimOutliers<T extends { cost: Fen }>(items: readonly T[], trim: TrimMethod, minCases: number): T[] {
  if (trim.method === 'none' || items.length < minCases) return [...items];
  const costs = items.map((i) => i.cost);
  if (trim.method === 'sd') {
    const mean = costs.reduce((s, x) => s + x, 0) / costs.length;
    const sd = Math.sqrt(costs.reduce((s, x) => s + (x - mean) ** 2, 0) / costs.length);
    if (sd === 0) return [...items];
    return items.filter((i) => Math.abs(i.cost - mean) <= trim.k * sd);
  }
  const sorted = [...costs].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  const lo = trim.low > 0 ? at(trim.low) : -Infinity;
  const hi = trim.high < 100 ? at(trim.high) : Infinity;
  return items.filter((i) => i.cost >= lo && i.cost <= hi);
}

function yearWeightsOf(years: number[], opts: BuildOptions): Record<string, number> {
  if (opts.yearWeights) {
    const out: Record<string, number> = {};
    for (const [y, w] of Object.entries(opts.yearWeights)) {
      if (!/^\d{4}$/.test(y) || !(w > 0)) throw validationError(`年度权重有误：${y} → ${w}（年度应为4位数字，权重应为正数）`);
      out[y] = w;
    }
    return out;
  }
  const n = opts.years ?? 3;
  const latest = [...new Set(years)].sort((a, b) => b - a).slice(0, n);
  return Object.fromEntries(latest.map((y, i) => [String(y), DEFAULT_YEAR_PATTERN[i] ?? 1]));
}

export function cciLevel(c: Pick<HistoryCase, 'pdx' | 'dx' | 'died' | 'los'>, k: Knowledge, minLos: number): { lv: string; name: string; why: string } {
  if (c.los !== null && c.los !== undefined && c.los <= minLos) return { lv: '1', name: '轻度', why: `住院 ${c.los} 天（不超过 ${minLos} 天按轻度）` };
  if (c.died) return { lv: '4', name: '死亡', why: '离院方式为死亡' };
  const sev = k.severity([c.pdx, ...(c.dx ?? [])]);
  if (sev === 'MCC') return { lv: '3', name: '重度（伴严重并发症或合并症）', why: '其他诊断中有严重并发症或合并症（MCC）' };
  if (sev === 'CC') return { lv: '2', name: '中度（伴并发症或合并症）', why: '其他诊断中有并发症或合并症（CC）' };
  return { lv: '1', name: '轻度', why: '其他诊断中无并发症或合并症' };
}

export const METASTASIS = ['C77-C79'] as const;
export const RADIO_CHEMO = ['92.2', '99.25', '99.28'] as const;

export function tumourLevel(c: Pick<HistoryCase, 'pdx' | 'dx' | 'procedures'>): { lv: string; name: string; why: string } | null {
  if (!inRanges(c.pdx, ['C00-D48'])) return null;
  const meta = (c.dx ?? []).find((d) => inRanges(d, METASTASIS));
  if (meta) return { lv: 'M', name: '肿瘤转移', why: `其他诊断 ${meta} 为继发性恶性肿瘤` };
  const rc = (c.procedures ?? []).find((p) => RADIO_CHEMO.some((x) => p.startsWith(x)));
  if (rc) return { lv: 'RC', name: '住院期间放化疗', why: `手术操作 ${rc} 为放疗或化疗` };
  return null;
}

export function ageBand(age: number | null | undefined, bands: readonly AgeBand[]): AgeBand | null {
  if (age === null || age === undefined) return null;
  return bands.find((b) => age >= b.min && age <= b.max) ?? null;
}

function chapterName(range: string): string {
  return ICD10_CHAPTERS.find((c) => c.range === range)?.name ?? range;
}

function validate(c: HistoryCase, i: number): string | null {
  if (typeof c.pdx !== 'string' || !c.pdx.trim()) return '缺少主要诊断';
  if (!Number.isSafeInteger(c.cost) || c.cost < 0) return `费用（分）应为非负整数，实际为 ${String(c.cost)}`;
  if (!Number.isInteger(c.year) || c.year < 1900 || c.year > 2999) return `年度应为4位整数，实际为 ${String(c.year)}`;
  void i;
  return null;
}

/** Builds a catalogue; the history is read once. Throws only for bad options; bad cases are skipped and reported. */
export async function buildDipCatalogue(history: Iterable<HistoryCase> | AsyncIterable<HistoryCase>, opts: BuildOptions = {}): Promise<{ catalogue: DipCatalogue; report: BuildReport }> {
  const k = opts.knowledge ?? defaultKnowledge();
  const base = { ...DEFAULT_PARAMS, ...Object.fromEntries(Object.entries(opts).filter(([key, v]) => v !== undefined && key in DEFAULT_PARAMS)) } as Omit<CatalogueParams, 'yearWeights'>;
  if (!(base.threshold >= 1) || !(base.comprehensiveMin >= 1) || !(base.scale > 0)) throw validationError('目录构建参数有误：入组阈值、综合病种最少例数应不小于 1，分值倍数应为正数');

  const skipped: BuildReport['skipped'] = [];
  let skippedCnt = 0;
  const skip = (c: HistoryCase | null, reason: string) => {
    skippedCnt++;
    if (skipped.length < 100) skipped.push({ id: c?.id ?? null, reason });
  };
  const all: Item[] = [];
  let read = 0;
  for await (const c of history as AsyncIterable<HistoryCase>) {
    read++;
    const bad = validate(c, read);
    if (bad) {
      skip(c, bad);
      continue;
    }
    const f = featuresOf(c, base, k);
    if (!f) {
      skip(c, `主要诊断 ${c.pdx} 不是疾病诊断编码`);
      continue;
    }
    all.push({ c, f });
  }
  const yearWeights = yearWeightsOf(all.map((x) => x.c.year), opts);
  const params: CatalogueParams = { ...base, yearWeights };
  const items = all.filter((x) => {
    if (yearWeights[String(x.c.year)] !== undefined) return true;
    skip(x.c, `${x.c.year} 年不在统计年度（${Object.keys(yearWeights).join('、')}）内`);
    return false;
  });

  // core groups: subcategory × combination with enough cases
  const coreCells = new Map<string, Item[]>();
  for (const x of items) {
    const key = `${x.f.pdx4}|${x.f.combo.join('+')}`;
    const list = coreCells.get(key);
    if (list) list.push(x);
    else coreCells.set(key, [x]);
  }
  const cells: { type: GroupType; diag_key: string; combo: string; oprn_type: OprnType; items: Item[] }[] = [];
  const rest: Item[] = [];
  for (const [key, list] of coreCells) {
    if (list.length >= params.threshold) {
      const [diag_key, combo] = key.split('|') as [string, string];
      let t: OprnType = '0';
      for (const p of list[0]!.f.combo) {
        const f = list[0]!.f;
        const pt = f.types[f.procs.indexOf(p)]!;
        if (pt > t) t = pt;
      }
      cells.push({ type: 'core', diag_key, combo, oprn_type: t, items: list });
    } else rest.push(...list);
  }
  // comprehensive groups: category × type, or the chapter range × type
  const byCat = new Map<string, Item[]>();
  for (const x of rest) {
    const key = `${x.f.cat3}|${x.f.caseType}`;
    const list = byCat.get(key);
    if (list) list.push(x);
    else byCat.set(key, [x]);
  }
  const byChapter = new Map<string, Item[]>();
  for (const [key, list] of byCat) {
    const [cat, type] = key.split('|') as [string, OprnType];
    if (list.length >= params.comprehensiveMin) {
      cells.push({ type: 'comprehensive', diag_key: cat, combo: '', oprn_type: type, items: list });
      continue;
    }
    for (const x of list) {
      if (!x.f.chapter) {
        skip(x.c, `主要诊断 ${x.c.pdx} 不属于任何 ICD-10 章`);
        continue;
      }
      const ck = `${x.f.chapter}|${type}`;
      const l2 = byChapter.get(ck);
      if (l2) l2.push(x);
      else byChapter.set(ck, [x]);
    }
  }
  for (const [key, list] of byChapter) {
    const [range, type] = key.split('|') as [string, OprnType];
    cells.push({ type: 'comprehensive', diag_key: range, combo: '', oprn_type: type, items: list });
  }

  // trimming, means, RW, score
  let trimmed = 0;
  const kept = cells.map((cell) => {
    // the fields listed, not spread: a spread per case was a sixth of the build for a million-case history
    const keep = trimByYear(cell.items.map((x) => ({ c: x.c, f: x.f, cost: x.c.cost, year: x.c.year })), params.trim, params.trimMinCases);
    trimmed += cell.items.length - keep.length;
    return { cell, keep };
  });
  const overall = weightedMean(kept.flatMap((g) => g.keep), yearWeights);
  if (overall === null || overall <= 0) throw validationError('历史病例的总体次均费用为 0，无法计算病种分值');

  const groups: DipGroup[] = [];
  const aux: DipAux[] = [];
  for (const { cell, keep } of kept) {
    const mean = weightedMean(keep, yearWeights) ?? 0;
    const losList = keep.map((x) => x.c.los).filter((x): x is number => typeof x === 'number');
    const rw = round(mean / overall, 6);
    const dip_code = cell.type === 'core' ? `${cell.diag_key}-${cell.combo || '00'}` : `ZH-${cell.diag_key}-${cell.oprn_type}`;
    groups.push({
      dip_code,
      dip_name: groupName(cell, k),
      grp_type: cell.type,
      diag_key: cell.diag_key,
      oprn_type: cell.oprn_type,
      oprn_combo: cell.combo,
      combo_parts: cell.combo ? cell.combo.split('+').length : 0,
      case_cnt: cell.items.length,
      mean_cost: mean,
      mean_los: losList.length ? round(losList.reduce((s, x) => s + x, 0) / losList.length, 2) : null,
      rw,
      score: round(rw * params.scale, 4),
    });
    if (mean > 0) aux.push(...auxOf(dip_code, keep, mean, params, k));
  }
  groups.sort((a, b) => (a.grp_type === b.grp_type ? (a.dip_code < b.dip_code ? -1 : 1) : a.grp_type === 'core' ? -1 : 1));
  const used = kept.reduce((s, g) => s + g.cell.items.length, 0);
  return {
    catalogue: { cat_ver: null, params, overall_mean: overall, case_cnt: used, groups, aux },
    report: { read, used, skipped, skipped_cnt: skippedCnt, trimmed, core: groups.filter((g) => g.grp_type === 'core').length, comprehensive: groups.filter((g) => g.grp_type === 'comprehensive').length, year_weights: yearWeights },
  };
}

function groupName(cell: { type: GroupType; diag_key: string; combo: string; oprn_type: OprnType; items: Item[] }, k: Knowledge): string {
  if (cell.type === 'comprehensive') {
    const what = cell.diag_key.includes('-') ? `${cell.diag_key} ${chapterName(cell.diag_key)}` : `${cell.diag_key} 类目`;
    return `${what}（综合病种·${OPRN_TYPE_NAMES[cell.oprn_type]}）`;
  }
  // the subcategory's own name, else the name of its most frequent code in the history
  const counts = new Map<string, number>();
  for (const x of cell.items) counts.set(x.f.pdx, (counts.get(x.f.pdx) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
  const dx = k.diagnosisName(`${cell.diag_key}00`) ?? k.diagnosisName(top) ?? cell.diag_key;
  const px = cell.combo ? cell.combo.split('+').map((p) => k.procedureName(p) ?? p).join('+') : '保守治疗';
  return `${dx}：${px}`;
}

function auxOf(dip_code: string, keep: (Item & { cost: Fen; year: number })[], mean: Fen, params: CatalogueParams, k: Knowledge): DipAux[] {
  const levels = new Map<string, { aux_type: DipAux['aux_type']; lv: string; name: string; items: (Item & { cost: Fen; year: number })[] }>();
  const put = (aux_type: DipAux['aux_type'], lv: string, name: string, x: Item & { cost: Fen; year: number }) => {
    const key = `${aux_type}|${lv}`;
    const e = levels.get(key) ?? { aux_type, lv, name, items: [] };
    e.items.push(x);
    levels.set(key, e);
  };
  for (const x of keep) {
    const cci = cciLevel(x.c, k, params.cciMinLos);
    put('cci', cci.lv, cci.name, x);
    const t = tumourLevel(x.c);
    if (t) put('tumour', t.lv, t.name, x);
    const band = ageBand(x.c.age, params.ageBands);
    if (band) put('age', band.lv, band.name, x);
  }
  const out: DipAux[] = [];
  for (const e of [...levels.values()].sort((a, b) => (a.aux_type + a.lv < b.aux_type + b.lv ? -1 : 1))) {
    if (e.items.length < params.auxMinCases) continue;
    const m = weightedMean(e.items, params.yearWeights);
    if (m === null || m <= 0) continue;
    out.push({ dip_code, aux_type: e.aux_type, aux_lv: e.lv, aux_name: e.name, factor: round(m / mean, 4), case_cnt: e.items.length, mean_cost: m });
  }
  return out;
}
