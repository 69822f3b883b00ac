/**
 * The DIP grouper: one case → one group of a catalogue, with the reasons in Chinese (drg-dip.md §2.2):
 *
 *  1. Core (and basic) groups of the principal diagnosis's subcategory whose procedure combination the case satisfies
 *     ('+' parts all present, '/' any alternative; the empty combination = no procedure of the combination types).
 *  2. Among them: the higher procedure type first (相关手术 > 治疗性操作 > 诊断性操作 > 保守治疗), core before basic, then
 *     the combination with the most parts, then the most of the case's procedures covered, then the mean cost closest
 *     to the case's cost, then the code (so the choice is always the same).
 *  3. No core group: the comprehensive group of the diagnosis category (3, 2, 1 characters) or chapter range with the
 *     case's procedure type; without one of that type, the nearest lower type; without any: 空白病组 (unmatched).
 *  4. Auxiliary catalogues of the chosen group: the case's CCI level, tumour level and age band, each with its factor;
 *     the case score = group score × the product of the factors found.
 */
import { ageBand, cciLevel, tumourLevel } from './build.js';
import { featuresOf, matchCombo, type CaseFeatures, type ComboMatch } from './features.js';
import { defaultKnowledge, type Knowledge } from './knowledge.js';
import { AUX_TYPE_NAMES, GROUP_TYPE_NAMES, OPRN_TYPE_NAMES, type DipAux, type DipCase, type DipCatalogue, type DipGroup, type GroupType, type OprnType } from './types.js';
import { fenToYuan } from '../../platform/money.js';

export type DipStatus = 'core' | 'basic' | 'comprehensive' | 'unmatched' | 'invalid';

export interface DipResult {
  id: string | null;
  status: DipStatus;
  dip_code: string | null;
  dip_name: string | null;
  grp_type: GroupType | null;
  score: number | null;
  rw: number | null;
  mean_cost: number | null;
  aux: { aux_type: DipAux['aux_type']; aux_lv: string; aux_name: string; factor: number }[];
  /** product of the auxiliary factors found (1 without any) */
  aux_factor: number;
  /** score × aux_factor, rounded to 4 decimals */
  case_score: number | null;
  /** why, in Chinese, in order */
  explain: string[];
}

/** 空白病组: no group of the catalogue fits (Jining's KBBZ). */
export const UNMATCHED_CODE = 'KBBZ';

const yuan = (fen: number) => `${fenToYuan(fen)} 元`;
const typeRank: Record<GroupType, number> = { core: 2, basic: 1, comprehensive: 0 };

export class DipGrouper {
  readonly catalogue: DipCatalogue;
  private readonly k: Knowledge;
  private readonly bySub = new Map<string, DipGroup[]>();
  /** comprehensive groups by diagnosis key (category or chapter range), in catalogue order */
  private readonly compByKey = new Map<string, DipGroup[]>();
  /** the chapter-range keys of comprehensive groups, in order of first appearance, with their category bounds */
  private readonly rangeKeys: { key: string; lo: string; hi: string }[] = [];
  private readonly aux = new Map<string, DipAux>();

  constructor(catalogue: DipCatalogue, knowledge: Knowledge = defaultKnowledge()) {
    this.catalogue = catalogue;
    this.k = knowledge;
    for (const g of catalogue.groups) {
      if (g.grp_type === 'comprehensive') {
        const list = this.compByKey.get(g.diag_key);
        if (list) list.push(g);
        else {
          this.compByKey.set(g.diag_key, [g]);
          const s = g.diag_key.trim().toUpperCase();
          const dash = s.indexOf('-');
          if (g.diag_key.includes('-') && dash > 0) this.rangeKeys.push({ key: g.diag_key, lo: s.slice(0, dash), hi: s.slice(dash + 1) });
        }
      } else {
        const list = this.bySub.get(g.diag_key);
        if (list) list.push(g);
        else this.bySub.set(g.diag_key, [g]);
      }
    }
    for (const a of catalogue.aux) this.aux.set(`${a.dip_code}|${a.aux_type}|${a.aux_lv}`, a);
  }

  /**
   * Groups one case. `opts.explain: false` leaves `explain` empty: the year run groups a million cases and reads only
   * the group, so the sentences are not built (the choice is the same either way).
   */
  group(c: DipCase, opts: { explain?: boolean } = {}): DipResult {
    const why = opts.explain !== false;
    const explain: string[] = [];
    const id = c.id ?? null;
    const p = this.catalogue.params;
    const f = typeof c.pdx === 'string' ? featuresOf(c, p, this.k) : null;
    if (!f) return { ...empty(id, 'invalid'), explain: why ? [`主要诊断“${String(c.pdx)}”不是疾病诊断编码，无法分组`] : [] };
    if (why) {
      const procText = f.procs.length ? f.procs.map((x, i) => `${x}（${OPRN_TYPE_NAMES[f.types[i]!]}）`).join('、') : '无';
      explain.push(`主要诊断 ${f.pdx} → 亚目 ${f.pdx4}；手术操作：${procText}；参与组合的：${f.combo.length ? f.combo.join('+') : '无（保守治疗）'}`);
    }

    const chosen = this.core(f, c, explain, why) ?? this.fallback(f, explain, why);
    if (!chosen) {
      if (why) explain.push(`没有适用的综合病种，入空白病组 ${UNMATCHED_CODE}`);
      return { ...empty(id, 'unmatched'), dip_code: UNMATCHED_CODE, dip_name: '空白病组', explain: why ? explain : [] };
    }
    const aux = this.auxOf(chosen, c, explain, why);
    const aux_factor = Math.round(aux.reduce((s, a) => s * a.factor, 1) * 10_000) / 10_000;
    const case_score = Math.round(chosen.score * aux_factor * 10_000) / 10_000;
    if (why && aux.length) explain.push(`病例分值 = ${chosen.score} × ${aux.map((a) => a.factor).join(' × ')} = ${case_score}`);
    return {
      id,
      status: chosen.grp_type,
      dip_code: chosen.dip_code,
      dip_name: chosen.dip_name,
      grp_type: chosen.grp_type,
      score: chosen.score,
      rw: chosen.rw,
      mean_cost: Number(fenToYuan(chosen.mean_cost)),
      aux,
      aux_factor,
      case_score,
      explain: why ? explain : [],
    };
  }

  private core(f: CaseFeatures, c: DipCase, explain: string[], why: boolean): DipGroup | null {
    const cands = this.bySub.get(f.pdx4) ?? [];
    if (!cands.length) {
      if (why) explain.push(`目录中没有亚目 ${f.pdx4} 的核心/基层病种`);
      return null;
    }
    const matches: { g: DipGroup; m: ComboMatch }[] = [];
    if (why) explain.push(`亚目 ${f.pdx4} 的核心/基层病种 ${cands.length} 个：`);
    for (const g of cands) {
      const m = matchCombo(g.oprn_combo, f, p(this).comboTypes);
      if (m.matched) matches.push({ g, m });
      if (!why) continue;
      const what = `${g.dip_code}（${g.dip_name}）`;
      if (m.matched) explain.push(`  ${what}：符合——${GROUP_TYPE_NAMES[g.grp_type]}，${OPRN_TYPE_NAMES[g.oprn_type]}，组合 ${m.parts} 项，覆盖本病例手术操作 ${m.covered.length} 个，次均费用 ${yuan(g.mean_cost)}`);
      else explain.push(`  ${what}：不符合——${g.oprn_combo ? `缺少 ${m.missing.join('、')}` : `保守治疗病种${m.missing.join('')}`}`);
    }
    if (!matches.length) {
      if (why) explain.push('没有符合的核心/基层病种');
      return null;
    }
    const cost = c.cost ?? null;
    const dist = (g: DipGroup) => (cost === null ? 0 : Math.abs(g.mean_cost - cost));
    matches.sort(
      (a, b) =>
        (b.g.oprn_type > a.g.oprn_type ? 1 : b.g.oprn_type < a.g.oprn_type ? -1 : 0) ||
        typeRank[b.g.grp_type] - typeRank[a.g.grp_type] ||
        b.m.parts - a.m.parts ||
        b.m.covered.length - a.m.covered.length ||
        dist(a.g) - dist(b.g) ||
        (a.g.dip_code < b.g.dip_code ? -1 : 1),
    );
    const best = matches[0]!;
    if (!why) return best.g;
    if (matches.length === 1) explain.push(`选定 ${best.g.dip_code}：唯一符合的病种`);
    else {
      const second = matches[1]!;
      let reason: string;
      if (best.g.oprn_type !== second.g.oprn_type) reason = `手术操作类型更高（${OPRN_TYPE_NAMES[best.g.oprn_type]} 优先于 ${OPRN_TYPE_NAMES[second.g.oprn_type]}）`;
      else if (best.g.grp_type !== second.g.grp_type) reason = `${GROUP_TYPE_NAMES[best.g.grp_type]}优先于${GROUP_TYPE_NAMES[second.g.grp_type]}`;
      else if (best.m.parts !== second.m.parts) reason = `组合项数最多（${best.m.parts} 项，次者 ${second.m.parts} 项）`;
      else if (best.m.covered.length !== second.m.covered.length) reason = `覆盖的手术操作最多（${best.m.covered.length} 个，次者 ${second.m.covered.length} 个）`;
      else if (cost !== null && dist(best.g) !== dist(second.g)) reason = `次均费用 ${yuan(best.g.mean_cost)} 最接近本病例费用 ${yuan(cost)}（相差 ${yuan(dist(best.g))}，次者相差 ${yuan(dist(second.g))}）`;
      else reason = '条件相同，按病种编码顺序';
      explain.push(`符合的病种 ${matches.length} 个，选定 ${best.g.dip_code}：${reason}`);
    }
    return best.g;
  }

  private fallback(f: CaseFeatures, explain: string[], why: boolean): DipGroup | null {
    const keys = [f.cat3, f.cat3.slice(0, 2), f.cat3.slice(0, 1)];
    const pools: { label: string; groups: DipGroup[] }[] = [];
    for (const key of keys) {
      const gs = this.compByKey.get(key);
      if (gs) pools.push({ label: `类目 ${key}`, groups: gs });
    }
    // the chapter ranges that hold the principal diagnosis's category (as qc/codes inRange judges a range spec)
    for (const r of this.rangeKeys) if (f.cat3 >= r.lo && f.cat3 <= r.hi) pools.push({ label: `章节 ${r.key}`, groups: this.compByKey.get(r.key)! });
    if (!pools.length) {
      if (why) explain.push(`目录中没有 ${f.cat3} 类目或其所属章节的综合病种`);
      return null;
    }
    // the case's own type first, in every pool; then lower types
    for (let t = Number(f.caseType); t >= 0; t--) {
      const type = String(t) as OprnType;
      for (const pool of pools) {
        const g = pool.groups.find((x) => x.oprn_type === type);
        if (!g) continue;
        if (!why) return g;
        const lower = type !== f.caseType ? `（目录中没有${OPRN_TYPE_NAMES[f.caseType]}的综合病种，取较低类型${OPRN_TYPE_NAMES[type]}）` : '';
        explain.push(`按${pool.label} × ${OPRN_TYPE_NAMES[f.caseType]}入综合病种 ${g.dip_code}（${g.dip_name}）${lower}`);
        return g;
      }
    }
    if (why) explain.push(`${pools.map((x) => x.label).join('、')}的综合病种中没有${OPRN_TYPE_NAMES[f.caseType]}或更低类型的病种`);
    return null;
  }

  /** `dip_code|aux_type` of every auxiliary row, built on first use: auxOf runs per case, a scan of all rows did not scale */
  private auxKindSet: Set<string> | null = null;
  private get auxKinds(): Set<string> {
    return (this.auxKindSet ??= new Set(this.catalogue.aux.map((a) => `${a.dip_code}|${a.aux_type}`)));
  }

  /** The auxiliary row of a level, added to `out` (with the sentence when explaining). */
  private look(g: DipGroup, type: DipAux['aux_type'], lv: string, reason: string, out: DipResult['aux'], explain: string[], explains: boolean): void {
    const a = this.aux.get(`${g.dip_code}|${type}|${lv}`);
    if (a) {
      out.push({ aux_type: type, aux_lv: lv, aux_name: a.aux_name, factor: a.factor });
      if (explains) explain.push(`${AUX_TYPE_NAMES[type]}：${a.aux_name}（${reason}），系数 ${a.factor}`);
    } else if (explains) explain.push(`${AUX_TYPE_NAMES[type]}：${lv} 级（${reason}），本病种无该级系数`);
  }

  // no closures in here: this runs per case of a million-case year
  private auxOf(g: DipGroup, c: DipCase, explain: string[], why: boolean): DipResult['aux'] {
    const out: DipResult['aux'] = [];
    const p = this.catalogue.params;
    const kinds = this.auxKinds;
    if (kinds.has(`${g.dip_code}|cci`)) {
      const l = cciLevel({ pdx: c.pdx, dx: c.dx ?? [], died: c.died ?? false, los: c.los ?? null }, this.k, p.cciMinLos);
      this.look(g, 'cci', l.lv, l.why, out, explain, why);
    }
    if (kinds.has(`${g.dip_code}|tumour`)) {
      const t = tumourLevel({ pdx: c.pdx, dx: c.dx ?? [], procedures: c.procedures ?? [] });
      if (t) this.look(g, 'tumour', t.lv, t.why, out, explain, why);
    }
    if (kinds.has(`${g.dip_code}|age`)) {
      const b = ageBand(c.age, p.ageBands);
      if (b) this.look(g, 'age', b.lv, why ? `${c.age} 岁` : '', out, explain, why);
    }
    return out;
  }
}

function p(g: DipGrouper) {
  return g.catalogue.params;
}

function empty(id: string | null, status: DipStatus): DipResult {
  return { id, status, dip_code: null, dip_name: null, grp_type: null, score: null, rw: null, mean_cost: null, aux: [], aux_factor: 1, case_score: null, explain: [] };
}
