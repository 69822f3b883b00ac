/**
 * Building a DIP catalogue from history: the core-group threshold, the comprehensive fallback (category, then chapter
 * range), procedure types and which of them form combinations, year weights (1:2:7 by default, renormalised over the
 * years a group has, or given), outlier trimming (SD and percentile), RW and score, the auxiliary catalogues (CCI
 * severity from the DRG tables' CC/MCC, death, tumour, age), skipped cases, and determinism for a seed.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { buildDipCatalogue, trimOutliers, weightedMean } from './build.js';
import { defaultKnowledge } from './knowledge.js';
import { fixedCases, syntheticHistory, type Pattern } from './testing.js';
import type { DipCatalogue, HistoryCase } from './types.js';

const PATTERNS: Pattern[] = [
  { pdx: 'K80.101', procedures: ['51.2300'], perYear: 8, meanYuan: 12000 }, // lap chole
  { pdx: 'K80.101', procedures: ['51.2300', '87.4400'], perYear: 2, meanYuan: 12000 }, // + chest X-ray: same combination
  { pdx: 'K80.101', procedures: ['51.2300', '54.5100'], perYear: 6, meanYuan: 16000 }, // + adhesiolysis
  { pdx: 'K80.100', perYear: 6, meanYuan: 5000 }, // conservative
  { pdx: 'K80.101', procedures: ['51.2200'], perYear: 3, meanYuan: 14000 }, // open chole: 9 cases < 15
  { pdx: 'K35.800', procedures: ['47.0100'], perYear: 1, meanYuan: 9000 }, // 3 cases: chapter range
  { pdx: 'J18.900', perYear: 20, meanYuan: 6000 },
  { pdx: 'C34.900', procedures: ['99.2500'], perYear: 8, meanYuan: 20000 },
];

let cat: DipCatalogue;
let report: Awaited<ReturnType<typeof buildDipCatalogue>>['report'];
const g = (code: string) => cat.groups.find((x) => x.dip_code === code);

beforeAll(async () => {
  defaultKnowledge(); // load the DRG tables once (≈2 s)
  ({ catalogue: cat, report } = await buildDipCatalogue(syntheticHistory(20250101, PATTERNS)));
}, 300_000);

describe('groups', () => {
  test('core groups: subcategory × combination with at least 15 cases; diagnostic procedures stay out of the combination', () => {
    expect(cat.groups.filter((x) => x.grp_type === 'core').map((x) => x.dip_code)).toEqual(['C34.9-99.2500', 'J18.9-00', 'K80.1-00', 'K80.1-51.2300', 'K80.1-51.2300+54.5100']);
    expect(g('K80.1-51.2300')).toMatchObject({ diag_key: 'K80.1', oprn_combo: '51.2300', combo_parts: 1, oprn_type: '3', case_cnt: 30 });
    expect(g('K80.1-51.2300+54.5100')).toMatchObject({ combo_parts: 2, case_cnt: 18, oprn_type: '3', dip_name: '胆囊结石伴有其他胆囊炎：腹腔镜下胆囊切除术+腹腔镜下腹膜粘连松解术' });
    expect(g('K80.1-00')).toMatchObject({ oprn_type: '0', oprn_combo: '', case_cnt: 18, dip_name: '胆囊结石伴有其他胆囊炎：保守治疗' });
    expect(g('C34.9-99.2500')!.oprn_type).toBe('2'); // chemotherapy: 治疗性操作
  });

  test('the rest fall to comprehensive groups: category × type when it has 5 cases, else the chapter range', () => {
    expect(cat.groups.filter((x) => x.grp_type === 'comprehensive').map((x) => `${x.dip_code}:${x.case_cnt}`)).toEqual(['ZH-K00-K93-3:3', 'ZH-K80-3:9']);
    expect(g('ZH-K80-3')!.dip_name).toBe('K80 类目（综合病种·相关手术）');
    expect(g('ZH-K00-K93-3')!.dip_name).toBe('K00-K93 消化系统疾病（综合病种·相关手术）');
    expect(report).toMatchObject({ read: 162, used: 162, skipped_cnt: 0, core: 5, comprehensive: 2 });
  });

  test('a lower threshold makes the open cholecystectomies a core group', async () => {
    const { catalogue } = await buildDipCatalogue(syntheticHistory(20250101, PATTERNS), { threshold: 9 });
    expect(catalogue.groups.find((x) => x.dip_code === 'K80.1-51.2200')).toMatchObject({ grp_type: 'core', case_cnt: 9 });
    expect(catalogue.groups.some((x) => x.dip_code === 'ZH-K80-3')).toBe(false);
  });

  test('comboTypes decides which procedure types form combinations', async () => {
    const { catalogue } = await buildDipCatalogue(syntheticHistory(20250101, PATTERNS), { comboTypes: ['1', '2', '3'] });
    expect(catalogue.groups.find((x) => x.dip_code === 'K80.1-51.2300')!.case_cnt).toBe(24); // the 6 with a chest X-ray now differ
  });

  test('RW = group mean ÷ overall mean; score = RW × 100 (or the scale given)', async () => {
    const m = cat.overall_mean!;
    for (const x of cat.groups) {
      expect(x.rw).toBeCloseTo(x.mean_cost / m, 5);
      expect(x.score).toBeCloseTo(x.rw * 100, 3);
    }
    const k = await buildDipCatalogue(syntheticHistory(20250101, PATTERNS), { scale: 1000 });
    expect(k.catalogue.groups[0]!.score).toBeCloseTo(k.catalogue.groups[0]!.rw * 1000, 2);
    expect(g('K80.1-51.2300+54.5100')!.rw).toBeGreaterThan(g('K80.1-51.2300')!.rw);
    expect(g('K80.1-00')!.rw).toBeLessThan(1);
  });

  test('the same seed builds the same catalogue; another seed a different one', async () => {
    const again = await buildDipCatalogue(syntheticHistory(20250101, PATTERNS));
    expect(JSON.stringify(again.catalogue)).toBe(JSON.stringify(cat));
    const other = await buildDipCatalogue(syntheticHistory(7, PATTERNS));
    expect(other.catalogue.overall_mean).not.toBe(cat.overall_mean);
  });
});

describe('years and weights', () => {
  const cases = [...fixedCases('I10.x00', [], 2022, Array(20).fill(1000)), ...fixedCases('I10.x00', [], 2023, Array(5).fill(2000)), ...fixedCases('I10.x00', [], 2024, [3000])];

  test('yearly means weighted 1:2:7 oldest → newest, whatever the yearly counts', async () => {
    const { catalogue, report: r } = await buildDipCatalogue(cases);
    expect(r.year_weights).toEqual({ '2022': 1, '2023': 2, '2024': 7 });
    expect(catalogue.groups[0]).toMatchObject({ dip_code: 'I10.x-00', mean_cost: 260_000, case_cnt: 26 }); // (1·1000 + 2·2000 + 7·3000) ÷ 10
  });

  test('a group missing a year is renormalised over the years it has', () => {
    expect(weightedMean(cases.filter((c) => c.year !== 2022), { '2022': 1, '2023': 2, '2024': 7 })).toBe(277_778); // (2·2000 + 7·3000) ÷ 9
  });

  test('only the latest three years count by default; older cases are reported as left out', async () => {
    const { catalogue, report: r } = await buildDipCatalogue([...fixedCases('I10.x00', [], 2021, Array(3).fill(99_999)), ...cases]);
    expect(catalogue.groups[0]!.mean_cost).toBe(260_000);
    expect(r.skipped_cnt).toBe(3);
    expect(r.skipped[0]!.reason).toBe('2021 年不在统计年度（2022、2023、2024）内');
  });

  test('weights may be given', async () => {
    const { catalogue } = await buildDipCatalogue(cases, { yearWeights: { 2022: 1, 2023: 1, 2024: 1 } });
    expect(catalogue.groups[0]!.mean_cost).toBe(200_000);
    await expect(buildDipCatalogue(cases, { yearWeights: { 22: 1 } })).rejects.toThrow('年度权重有误');
  });
});

describe('outlier trimming', () => {
  const base = [...fixedCases('K80.101', ['51.2300'], 2024, Array.from({ length: 30 }, (_, i) => 9_900 + i * 10)), ...fixedCases('K80.101', ['51.2300'], 2024, [1_000_000])];

  test('mean ± 3 SD by default: the extreme case is left out of the mean but counted in the group', async () => {
    const { catalogue, report: r } = await buildDipCatalogue(base);
    expect(r.trimmed).toBe(1);
    expect(catalogue.groups[0]).toMatchObject({ case_cnt: 31, mean_cost: 1_004_500 }); // 10,045.00: the 30 kept
    const none = await buildDipCatalogue(base, { trim: { method: 'none' } });
    expect(none.catalogue.groups[0]!.mean_cost).toBeGreaterThan(4_000_000);
  });

  test('percentile trimming keeps the cases between the two percentiles', () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ cost: (i + 1) * 100 }));
    const kept = trimOutliers(items, { method: 'percentile', low: 5, high: 95 }, 10);
    expect(kept.length).toBe(91);
    expect(kept[0]!.cost).toBe(500);
    expect(kept.at(-1)!.cost).toBe(9_500);
    expect(trimOutliers(items.slice(0, 5), { method: 'percentile', low: 5, high: 95 }, 10)).toHaveLength(5); // too few to trim
  });
});

describe('auxiliary catalogues', () => {
  const y = 2024;
  const cases: HistoryCase[] = [
    ...fixedCases('K80.101', ['51.2300'], y, Array(20).fill(10_000)),
    ...fixedCases('K80.101', ['51.2300'], y, Array(10).fill(15_000), { dx: ['J18.900'] }), // CC
    ...fixedCases('K80.101', ['51.2300'], y, Array(10).fill(20_000), { dx: ['I50.900'] }), // MCC
    ...fixedCases('K80.101', ['51.2300'], y, Array(5).fill(30_000), { died: true }),
    ...fixedCases('K80.101', ['51.2300'], y, Array(5).fill(10_000), { dx: ['I50.900'], los: 2 }), // short stay: 轻度
  ];

  test('CCI: 1 轻度, 2 中度 (CC), 3 重度 (MCC), 4 死亡; factor = level mean ÷ group mean; short stays are 轻度', async () => {
    const { catalogue } = await buildDipCatalogue(cases, { trim: { method: 'none' } });
    const grp = catalogue.groups[0]!;
    expect(grp.mean_cost).toBe(1_500_000); // (25·10000 + 10·15000 + 10·20000 + 5·30000) ÷ 50
    const cci = catalogue.aux.filter((a) => a.aux_type === 'cci').map((a) => [a.aux_lv, a.aux_name, a.factor, a.case_cnt]);
    expect(cci).toEqual([
      ['1', '轻度', 0.6667, 25],
      ['2', '中度（伴并发症或合并症）', 1, 10],
      ['3', '重度（伴严重并发症或合并症）', 1.3333, 10],
      ['4', '死亡', 2, 5],
    ]);
  });

  test('a level with fewer than auxMinCases cases has no factor', async () => {
    const { catalogue } = await buildDipCatalogue(cases, { auxMinCases: 6, trim: { method: 'none' } });
    expect(catalogue.aux.filter((a) => a.aux_type === 'cci').map((a) => a.aux_lv)).toEqual(['1', '2', '3']);
  });

  test('tumour severity (metastasis, radio-/chemotherapy) for neoplasm groups, and age bands', async () => {
    const hist = [
      ...fixedCases('C34.900', ['99.2500'], y, Array(10).fill(20_000), { age: 50 }),
      ...fixedCases('C34.900', ['99.2500'], y, Array(10).fill(30_000), { dx: ['C78.000'], age: 70 }),
      ...fixedCases('C34.900', ['99.2500'], y, Array(10).fill(25_000), { age: 85 }),
    ];
    const { catalogue } = await buildDipCatalogue(hist, { trim: { method: 'none' } });
    const tum = catalogue.aux.filter((a) => a.aux_type === 'tumour').map((a) => [a.aux_lv, a.factor]);
    expect(tum).toEqual([
      ['M', 1.2],
      ['RC', 0.9],
    ]);
    const age = catalogue.aux.filter((a) => a.aux_type === 'age').map((a) => [a.aux_lv, a.aux_name, a.factor]);
    expect(age).toEqual([
      ['3', '老年（65–79岁）', 1.2],
      ['4', '高龄（80岁及以上）', 1],
    ]);
  });
});

describe('bad history', () => {
  test('unreadable cases are left out and reported; an async iterable works as an array does', async () => {
    async function* gen(): AsyncGenerator<HistoryCase> {
      yield* fixedCases('I10.x00', [], 2024, [1000, 1200]);
      yield { id: 'bad1', pdx: '', cost: 100, year: 2024 };
      yield { id: 'bad2', pdx: 'I10.x00', cost: -5, year: 2024 };
      yield { id: 'bad3', pdx: 'M80000/3', cost: 100, year: 2024 };
      yield { id: 'bad4', pdx: 'I10.x00', cost: 100, year: 24 };
    }
    const { catalogue, report: r } = await buildDipCatalogue(gen(), { threshold: 1 });
    expect(catalogue.groups).toHaveLength(1);
    expect(r.skipped).toEqual([
      { id: 'bad1', reason: '缺少主要诊断' },
      { id: 'bad2', reason: '费用（分）应为非负整数，实际为 -5' },
      { id: 'bad3', reason: '主要诊断 M80000/3 不是疾病诊断编码' },
      { id: 'bad4', reason: '年度应为4位整数，实际为 24' },
    ]);
  });
});
