/**
 * Grouping a case into a DIP catalogue: the choice rules (procedure type, core before basic, most combination parts,
 * most procedures covered, mean cost closest to the case's cost), '/' alternatives, conservative treatment, the
 * comprehensive fallback (category, chapter range, lower type), 空白病组, the auxiliary factors — each decision
 * explained in Chinese — and, on a catalogue built from a synthetic history, every core case grouped into its own group.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { buildDipCatalogue, DEFAULT_PARAMS } from './build.js';
import { DipGrouper } from './group.js';
import { defaultKnowledge } from './knowledge.js';
import { featuresOf } from './features.js';
import { syntheticHistory } from './testing.js';
import { dipCaseOf } from './history.js';
import { adultList, setField } from '../setl-list/testing.js';
import type { DipCatalogue, DipGroup } from './types.js';

const grp = (o: Partial<DipGroup> & Pick<DipGroup, 'dip_code' | 'diag_key' | 'oprn_type'>): DipGroup => ({
  dip_name: o.dip_code,
  grp_type: 'core',
  oprn_combo: '',
  combo_parts: o.oprn_combo ? o.oprn_combo.split('+').length : 0,
  case_cnt: 20,
  mean_cost: 1_000_000,
  mean_los: 7,
  rw: (o.score ?? 100) / 100,
  score: 100,
  ...o,
});

const CATALOGUE: DipCatalogue = {
  cat_ver: 'T1',
  params: { ...DEFAULT_PARAMS, yearWeights: { '2024': 1 } },
  overall_mean: 1_000_000,
  case_cnt: 0,
  groups: [
    grp({ dip_code: 'K80.1-51.2300', diag_key: 'K80.1', oprn_type: '3', oprn_combo: '51.2300', mean_cost: 1_200_000, score: 120 }),
    grp({ dip_code: 'K80.1-51.2300+54.5100', diag_key: 'K80.1', oprn_type: '3', oprn_combo: '51.2300+54.5100', mean_cost: 1_600_000, score: 160 }),
    grp({ dip_code: 'K80.1-51.2200/51.2300', diag_key: 'K80.1', oprn_type: '3', oprn_combo: '51.2200/51.2300', mean_cost: 1_300_000, score: 130 }),
    grp({ dip_code: 'K80.1-51.1000', diag_key: 'K80.1', oprn_type: '1', oprn_combo: '51.1000', mean_cost: 900_000, score: 90 }),
    grp({ dip_code: 'K80.1-00', diag_key: 'K80.1', oprn_type: '0', mean_cost: 500_000, score: 50 }),
    grp({ dip_code: 'JC-K80.1-51.2300', grp_type: 'basic', diag_key: 'K80.1', oprn_type: '3', oprn_combo: '51.2300', mean_cost: 1_100_000, score: 110 }),
    grp({ dip_code: 'ZH-K80-3', grp_type: 'comprehensive', diag_key: 'K80', oprn_type: '3', mean_cost: 1_400_000, score: 140 }),
    grp({ dip_code: 'ZH-K80-0', grp_type: 'comprehensive', diag_key: 'K80', oprn_type: '0', mean_cost: 600_000, score: 60 }),
    grp({ dip_code: 'ZH-K00-K93-2', grp_type: 'comprehensive', diag_key: 'K00-K93', oprn_type: '2', mean_cost: 800_000, score: 80 }),
  ],
  aux: [
    { dip_code: 'K80.1-51.2300', aux_type: 'cci', aux_lv: '1', aux_name: '轻度', factor: 0.8, case_cnt: 10, mean_cost: null },
    { dip_code: 'K80.1-51.2300', aux_type: 'cci', aux_lv: '3', aux_name: '重度（伴严重并发症或合并症）', factor: 1.3, case_cnt: 10, mean_cost: null },
    { dip_code: 'K80.1-51.2300', aux_type: 'cci', aux_lv: '4', aux_name: '死亡', factor: 2, case_cnt: 10, mean_cost: null },
    { dip_code: 'K80.1-51.2300', aux_type: 'age', aux_lv: '4', aux_name: '高龄（80岁及以上）', factor: 1.2, case_cnt: 10, mean_cost: null },
  ],
};

let g: DipGrouper;
/** The line that says which group was chosen and why. */
const choice = (explain: string[]) => explain.find((l) => l.startsWith('符合的病种') || l.startsWith('选定'));
beforeAll(() => {
  g = new DipGrouper(CATALOGUE, defaultKnowledge());
}, 300_000);

describe('core groups: which one', () => {
  test('the combination with the most parts wins among equals, and the explanation says so', () => {
    const r = g.group({ id: 'c1', pdx: 'K80.101', procedures: ['51.2300', '54.5100', '87.4400'] });
    expect(r).toMatchObject({ id: 'c1', status: 'core', dip_code: 'K80.1-51.2300+54.5100', score: 160, mean_cost: 16000 });
    expect(r.explain[0]).toBe('主要诊断 K80.101 → 亚目 K80.1；手术操作：51.2300（相关手术）、54.5100（相关手术）、87.4400（诊断性操作）；参与组合的：51.2300+54.5100');
    expect(r.explain).toContain('  K80.1-51.1000（K80.1-51.1000）：不符合——缺少 51.1000');
    expect(r.explain).toContain('  K80.1-00（K80.1-00）：不符合——保守治疗病种（本病例有手术操作 51.2300、54.5100）');
    expect(choice(r.explain)).toBe('符合的病种 4 个，选定 K80.1-51.2300+54.5100：组合项数最多（2 项，次者 1 项）');
  });

  test('equal parts and coverage: the mean cost closest to the case cost; a "/" alternative matches either code', () => {
    const near12 = g.group({ pdx: 'K80.101', procedures: ['51.2300'], cost: 1_240_000 });
    expect(near12.dip_code).toBe('K80.1-51.2300');
    expect(choice(near12.explain)).toBe('符合的病种 3 个，选定 K80.1-51.2300：次均费用 12000.00 元 最接近本病例费用 12400.00 元（相差 400.00 元，次者相差 600.00 元）');
    expect(g.group({ pdx: 'K80.101', procedures: ['51.2300'], cost: 1_290_000 }).dip_code).toBe('K80.1-51.2200/51.2300');
    expect(g.group({ pdx: 'K80.101', procedures: ['51.2200'] }).dip_code).toBe('K80.1-51.2200/51.2300');
  });

  test('without a cost the tie is broken by code, the same every time', () => {
    const r = g.group({ pdx: 'K80.101', procedures: ['51.2300'] });
    expect(r.dip_code).toBe('K80.1-51.2200/51.2300');
    expect(choice(r.explain)).toBe('符合的病种 3 个，选定 K80.1-51.2200/51.2300：条件相同，按病种编码顺序');
  });

  test('core before basic for the same procedure', () => {
    const only = new DipGrouper({ ...CATALOGUE, groups: CATALOGUE.groups.filter((x) => x.dip_code === 'K80.1-51.2300' || x.grp_type === 'basic') });
    const r = only.group({ pdx: 'K80.101', procedures: ['51.2300'] });
    expect(r.dip_code).toBe('K80.1-51.2300');
    expect(choice(r.explain)).toBe('符合的病种 2 个，选定 K80.1-51.2300：核心病种优先于基层病种');
  });

  test('no procedure: the conservative group; a diagnostic procedure outranks it by type', () => {
    const cons = g.group({ pdx: 'K80.100' });
    expect(cons.dip_code).toBe('K80.1-00');
    expect(choice(cons.explain)).toBe('选定 K80.1-00：唯一符合的病种');
    const ercp = g.group({ pdx: 'K80.101', procedures: ['51.1000'] });
    expect(ercp.dip_code).toBe('K80.1-51.1000');
    expect(choice(ercp.explain)).toBe('符合的病种 2 个，选定 K80.1-51.1000：手术操作类型更高（诊断性操作 优先于 保守治疗）');
  });
});

describe('comprehensive groups and 空白病组', () => {
  test('no core group of the subcategory: category × the case type', () => {
    const r = g.group({ pdx: 'K80.201', procedures: ['51.2300'] });
    expect(r).toMatchObject({ status: 'comprehensive', dip_code: 'ZH-K80-3', score: 140 });
    expect(r.explain).toContain('目录中没有亚目 K80.2 的核心/基层病种');
    expect(r.explain.at(-1)).toBe('按类目 K80 × 相关手术入综合病种 ZH-K80-3（ZH-K80-3）');
  });

  test('no core group matches: comprehensive too', () => {
    const r = g.group({ pdx: 'K80.101', procedures: ['47.0100'] });
    expect(r.dip_code).toBe('ZH-K80-3');
    expect(r.explain).toContain('没有符合的核心/基层病种');
  });

  test('the category lacks the type: the chapter range with it', () => {
    const r = g.group({ pdx: 'K80.201', procedures: ['96.0400'] });
    expect(r.dip_code).toBe('ZH-K00-K93-2');
    expect(r.explain.at(-1)).toBe('按章节 K00-K93 × 治疗性操作入综合病种 ZH-K00-K93-2（ZH-K00-K93-2）');
  });

  test('neither has the type: the nearest lower type, said so', () => {
    const r = g.group({ pdx: 'K81.000', procedures: ['51.2300'] });
    expect(r.dip_code).toBe('ZH-K00-K93-2');
    expect(r.explain.at(-1)).toBe('按章节 K00-K93 × 相关手术入综合病种 ZH-K00-K93-2（ZH-K00-K93-2）（目录中没有相关手术的综合病种，取较低类型治疗性操作）');
  });

  test('nothing for the diagnosis at all: 空白病组 KBBZ; an unreadable diagnosis: invalid', () => {
    const r = g.group({ pdx: 'J18.900' });
    expect(r).toMatchObject({ status: 'unmatched', dip_code: 'KBBZ', dip_name: '空白病组', score: null, case_score: null });
    expect(r.explain.at(-1)).toBe('没有适用的综合病种，入空白病组 KBBZ');
    const bad = g.group({ pdx: 'xyz' });
    expect(bad).toMatchObject({ status: 'invalid', dip_code: null });
    expect(bad.explain).toEqual(['主要诊断“xyz”不是疾病诊断编码，无法分组']);
  });
});

describe('auxiliary catalogues', () => {
  test('CCI level from the MCC of the DRG tables and the age band: score × factors', () => {
    const r = g.group({ pdx: 'K80.101', procedures: ['51.2300'], dx: ['I50.900'], age: 85, los: 8, cost: 1_200_000 });
    expect(r.dip_code).toBe('K80.1-51.2300');
    expect(r.aux).toEqual([
      { aux_type: 'cci', aux_lv: '3', aux_name: '重度（伴严重并发症或合并症）', factor: 1.3 },
      { aux_type: 'age', aux_lv: '4', aux_name: '高龄（80岁及以上）', factor: 1.2 },
    ]);
    expect(r.aux_factor).toBe(1.56);
    expect(r.case_score).toBe(187.2);
    expect(r.explain).toContain('疾病严重程度：重度（伴严重并发症或合并症）（其他诊断中有严重并发症或合并症（MCC）），系数 1.3');
    expect(r.explain.at(-1)).toBe('病例分值 = 120 × 1.3 × 1.2 = 187.2');
  });

  test('death is level 4; a short stay is 轻度; a level without a factor is said so', () => {
    expect(g.group({ pdx: 'K80.101', procedures: ['51.2300'], died: true, los: 6, cost: 1_200_000 }).aux).toEqual([{ aux_type: 'cci', aux_lv: '4', aux_name: '死亡', factor: 2 }]);
    expect(g.group({ pdx: 'K80.101', procedures: ['51.2300'], dx: ['I50.900'], los: 2, cost: 1_200_000 }).aux[0]!.aux_lv).toBe('1');
    const cc = g.group({ pdx: 'K80.101', procedures: ['51.2300'], dx: ['J18.900'], los: 6, cost: 1_200_000 });
    expect(cc.aux).toEqual([]);
    expect(cc.aux_factor).toBe(1);
    expect(cc.case_score).toBe(120);
    expect(cc.explain).toContain('疾病严重程度：2 级（其他诊断中有并发症或合并症（CC）），本病种无该级系数');
  });
});

describe('a settlement list as a case', () => {
  test('dipCaseOf reads the principal diagnosis, the others, the procedures main first and the cost from 4101', () => {
    const l = adultList();
    l.oprninfo!.unshift({ oprn_oprt_type: '2', oprn_oprt_code: '89.0200', oprn_oprt_name: '问诊和评估', oprn_oprt_date: '2025-12-01' });
    setField(l, 'setlinfo.dscg_way', '5');
    expect(dipCaseOf(l)).toEqual({ id: 'S0001', pdx: 'K35.800', dx: ['I10.x00'], procedures: ['47.0100', '89.0200'], cost: 1_000_000, died: true, age: 45, los: 7 });
    expect(dipCaseOf(setField(adultList(), 'diseinfo.0.maindiag_flag', '0'))).toBeNull();
  });
});

describe('a built catalogue groups its own history consistently', () => {
  test('every case of a core group is grouped into that group', async () => {
    const history = syntheticHistory(99, [
      { pdx: 'K80.101', procedures: ['51.2300'], perYear: 6, meanYuan: 12000 },
      { pdx: 'K80.101', procedures: ['51.2300', '54.5100'], perYear: 6, meanYuan: 16000 },
      { pdx: 'K80.101', procedures: ['51.2300', '87.4400'], perYear: 2, meanYuan: 12500 },
      { pdx: 'K80.100', perYear: 6, meanYuan: 5000 },
      { pdx: 'K35.800', procedures: ['47.0100'], perYear: 6, meanYuan: 9000 },
      { pdx: 'K35.800', procedures: ['47.0901'], perYear: 1, meanYuan: 9500 },
    ]);
    const { catalogue } = await buildDipCatalogue(history);
    const grouper = new DipGrouper(catalogue);
    const core = new Set(catalogue.groups.filter((x) => x.grp_type === 'core').map((x) => x.dip_code));
    expect([...core].sort()).toEqual(['K35.8-47.0100', 'K80.1-00', 'K80.1-51.2300', 'K80.1-51.2300+54.5100']);
    for (const c of history) {
      const f = featuresOf(c, catalogue.params, defaultKnowledge())!;
      const own = `${f.pdx4}-${f.combo.join('+') || '00'}`;
      const r = grouper.group(c);
      if (core.has(own)) expect(r.dip_code, c.id).toBe(own);
      else expect(r.dip_code, c.id).toBe('ZH-K00-K93-3'); // the 3 open appendectomies: too few for K35 × 相关手术
    }
  });
});

describe('grouping without the explanation', () => {
  test('explain: false chooses the same group, scores and factors for every kind of case, and leaves explain empty', async () => {
    const history = syntheticHistory(7, [
      { pdx: 'K80.101', procedures: ['51.2300'], perYear: 6, meanYuan: 12000 },
      { pdx: 'K80.100', perYear: 6, meanYuan: 5000 },
      { pdx: 'K35.800', procedures: ['47.0100'], perYear: 2, meanYuan: 9000 },
      { pdx: 'J18.900', perYear: 6, meanYuan: 4000 },
      { pdx: 'C34.900', procedures: ['32.4100'], perYear: 6, meanYuan: 60000 },
    ]);
    const cases = [
      ...history.slice(0, 40),
      { pdx: 'K81.000', procedures: ['51.2300'], cost: 1_000_000 }, // no core group: comprehensive by category or chapter
      { pdx: 'K63.100', procedures: [], cost: 300_000 },
      { pdx: 'Z99.900', procedures: [], cost: 100_000 }, // no group at all: 空白病组
      { pdx: 'not-a-code', procedures: [], cost: 100_000 }, // invalid
      { pdx: 'C34.900', dx: ['C78.000'], procedures: ['32.4100'], cost: 7_000_000, age: 70, died: true },
    ];
    for (const { catalogue } of [await buildDipCatalogue(history), { catalogue: CATALOGUE }]) {
      const g = new DipGrouper(catalogue);
      const statuses = new Set<string>();
      for (const c of cases) {
        const full = g.group(c);
        const quick = g.group(c, { explain: false });
        statuses.add(full.status);
        expect(full.explain.length, c.pdx).toBeGreaterThan(0);
        expect(quick).toEqual({ ...full, explain: [] });
      }
      expect(statuses.size).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('featuresOf', () => {
  test('the principal diagnosis before any +, trimmed and with its first letter upper case; types follow the procedures', () => {
    const k = defaultKnowledge();
    const p = { comboTypes: DEFAULT_PARAMS.comboTypes, procKeyLength: DEFAULT_PARAMS.procKeyLength };
    const plain = featuresOf({ pdx: 'A50.400x004', procedures: ['51.2300', ' ', '51.2300', '87.4400'] }, p, k)!;
    for (const pdx of [' a50.400x004 ', 'A50.400x004+G63.0*', 'a50.400x004+G63.0*']) {
      expect(featuresOf({ pdx, procedures: ['51.2300', '87.4400'] }, p, k), pdx).toEqual(plain);
    }
    expect(plain.pdx).toBe('A50.400x004');
    expect(plain.procs).toEqual(['51.2300', '87.4400']);
    expect(plain.types).toEqual(plain.procs.map((x) => k.procType(x)));
    expect(plain.caseType).toBe([...plain.types].sort().at(-1));
    expect(featuresOf({ pdx: '1A50.4', procedures: [] }, p, k)).toBeNull();
  });
});
