/**
 * Case points (病例点数), the same rules for DRG and DIP (drg-dip.md §1.7–1.8, §2.6). With base points B (DRG: RW ×
 * scale; DIP: score × auxiliary factors), the group's mean cost m, the case's cost c, ratio r = c ÷ m (4 decimals) and
 * the hospital level coefficient k:
 *   normal      points = B × k
 *   high        c > high_ratio × m:   points = B × (r − high_ratio + k)       (national form with k = 1: r − 2 + 1)
 *   low         c < low_ratio × m:    points = B × r                          (paid by cost, never more than B)
 *   special     特例单议: a high case with c > special_ratio × m, or a stay ≥ special_los days, ranked by r within
 *               the institution's cap (special_cap × its cases): points = B × r (full cost, pending expert review)
 *   ungrouped   QY / 0000 / 空白病组 / a group without weight: points = c ÷ overall mean × scale × ratio, or a fixed RW
 * Each product is rounded once to 1/10,000 point. The payment standard (支付标准) = B ÷ scale × base rate × k, to the fen.
 */
import type { Fen } from '../../platform/money.js';
import { ONE, mulDiv, ratio4, text4, times4 } from './arith.js';
import type { Bp4, CaseType, PayParams, Pt4 } from './types.js';

export interface ScoreInput {
  cost: Fen;
  los: number | null;
  /** base points; null when the case has no group (or no weight) */
  base: Pt4 | null;
  /** the group's mean cost */
  mean: Fen | null;
  coef: Bp4;
  /** why the case is ungrouped (when base is null) */
  why?: string;
}

export interface Scored {
  case_type: CaseType;
  base: Pt4;
  coef: Bp4;
  factor: Bp4;
  points: Pt4;
  std_amt: Fen;
  /** a 特例单议 candidate, with its cost ratio */
  candidate: boolean;
  ratio: Bp4;
  reason: string;
}

const t = text4;

export function stdAmount(base: Pt4, coef: Bp4, p: Pick<PayParams, 'base_rate' | 'scale'>): Fen {
  return mulDiv(base * p.base_rate, coef, p.scale * ONE * ONE);
}

export function scoreCase(c: ScoreInput, p: PayParams, overallMean: Fen | null): Scored {
  if (c.base === null || c.mean === null || c.mean <= 0) {
    const why = c.why ?? '未入组';
    if (p.ungrouped.method === 'rw') {
      const base = p.ungrouped.rw * p.scale;
      return { case_type: 'ungrouped', base, coef: c.coef, factor: c.coef, points: times4(base, c.coef), std_amt: stdAmount(base, c.coef, p), candidate: false, ratio: 0, reason: `${why}：按固定权重 ${t(p.ungrouped.rw)} × ${p.scale} × 系数 ${t(c.coef)}` };
    }
    const base = overallMean && overallMean > 0 ? mulDiv(c.cost * p.scale, ONE, overallMean) : 0;
    return { case_type: 'ungrouped', base, coef: c.coef, factor: p.ungrouped.ratio, points: times4(base, p.ungrouped.ratio), std_amt: stdAmount(base, ONE, p), candidate: false, ratio: 0, reason: `${why}：按费用折算点数 = 费用 ÷ 全部病例次均费用 × ${p.scale} × ${t(p.ungrouped.ratio)}` };
  }
  const r = ratio4(c.cost, c.mean);
  const std_amt = stdAmount(c.base, c.coef, p);
  const longStay = c.los !== null && c.los >= p.special_los;
  if (r > p.high_ratio) {
    const factor = r - p.high_ratio + c.coef;
    return { case_type: 'high', base: c.base, coef: c.coef, factor, points: times4(c.base, factor), std_amt, candidate: r > p.special_ratio || longStay, ratio: r, reason: `费用为组均费用的 ${t(r)} 倍，高于 ${t(p.high_ratio)} 倍：高倍率，系数 ${t(r)} − ${t(p.high_ratio)} + ${t(c.coef)} = ${t(factor)}` };
  }
  if (r < p.low_ratio) {
    return { case_type: 'low', base: c.base, coef: c.coef, factor: r, points: times4(c.base, r), std_amt, candidate: longStay, ratio: r, reason: `费用为组均费用的 ${t(r)} 倍，低于 ${t(p.low_ratio)} 倍：低倍率，按费用比例 ${t(r)} 计点` };
  }
  return { case_type: 'normal', base: c.base, coef: c.coef, factor: c.coef, points: times4(c.base, c.coef), std_amt, candidate: longStay, ratio: r, reason: `正常病例：基准点数 × 等级系数 ${t(c.coef)}` };
}

/**
 * 特例单议 with a cap: the candidates of each institution, most expensive relative to their group first, up to
 * ⌊special_cap × the institution's cases⌋, are paid B × r; the others keep their points and are told why.
 */
export function selectSpecial<T extends { id: string; fixmedins_code: string; scored: Scored; los: number | null }>(cases: T[], p: PayParams): void {
  const counts = new Map<string, number>();
  for (const c of cases) counts.set(c.fixmedins_code, (counts.get(c.fixmedins_code) ?? 0) + 1);
  selectSpecialAmong(
    cases.filter((c) => c.scored.candidate),
    counts,
    p,
  );
}

/** selectSpecial given only the candidates and each institution's number of cases (the year run keeps no other objects). */
export function selectSpecialAmong<T extends { id: string; fixmedins_code: string; scored: Scored; los: number | null }>(candidates: T[], caseCounts: ReadonlyMap<string, number>, p: PayParams): void {
  const byInst = new Map<string, T[]>();
  for (const c of candidates) {
    const l = byInst.get(c.fixmedins_code);
    if (l) l.push(c);
    else byInst.set(c.fixmedins_code, [c]);
  }
  for (const [code, list] of byInst) {
    const cap = Math.floor(((caseCounts.get(code) ?? 0) * p.special_cap) / ONE);
    const cands = list.sort((a, b) => b.scored.ratio - a.scored.ratio || (a.id < b.id ? -1 : 1));
    cands.forEach((c, i) => {
      const s = c.scored;
      const why = s.ratio > p.special_ratio ? `费用为组均费用的 ${t(s.ratio)} 倍（超过 ${t(p.special_ratio)} 倍）` : `住院 ${c.los} 天（不少于 ${p.special_los} 天）`;
      if (i < cap) {
        const factor = s.ratio;
        c.scored = { ...s, case_type: 'special', factor, points: times4(s.base, factor), reason: `${why}：特例单议（本机构名额 ${cap} 例，第 ${i + 1} 例），按费用比例 ${t(factor)} 计点，待专家评审` };
      } else c.scored = { ...s, reason: `${s.reason}；${why}，但本机构特例单议名额 ${cap} 例已满` };
    });
  }
}
