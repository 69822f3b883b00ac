/**
 * DRG relative weights from history (drg-dip.md §1.6): per DRG, the cases of each weighted year are trimmed (mean ±
 * k·SD or percentiles, as parameters; a year with fewer than trim_min_cases cases is kept whole), the DRG's mean cost
 * is the year-weighted mean of its yearly means, the overall mean is the same over all kept cases, and
 * RW = DRG mean ÷ overall mean, rounded to 4 decimals. CMI of a hospital = Σ RW of its grouped cases ÷ their number.
 * The trimming and weighted mean are the DIP catalogue builder's (dip/build.ts), so both methods learn alike.
 */
import { trimByYear, weightedMean, DEFAULT_YEAR_PATTERN } from '../dip/build.js';
import type { Fen } from '../../platform/money.js';
import { ratio4 } from './arith.js';
import type { Bp4, PayParams } from './types.js';

export interface HistoryItem {
  grp: string;
  name: string | null;
  cost: Fen;
  year: number;
}

export interface GroupWeight {
  grp_code: string;
  grp_name: string | null;
  hist_cnt: number;
  kept_cnt: number;
  mean_cost: Fen;
  rw: Bp4;
}

/** The year weights to learn from: the parameter, else the three years before `year` at 1:2:7 (oldest → newest). */
export function yearWeightsFor(year: number, p: Pick<PayParams, 'year_weights'>): Record<string, number> {
  if (Object.keys(p.year_weights).length) return p.year_weights;
  return Object.fromEntries(DEFAULT_YEAR_PATTERN.map((w, i) => [String(year - 1 - i), w]));
}

export function drgWeights(items: readonly HistoryItem[], yearWeights: Record<string, number>, p: Pick<PayParams, 'trim' | 'trim_min_cases'>): { weights: Map<string, GroupWeight>; overall_mean: Fen | null } {
  const byGrp = new Map<string, HistoryItem[]>();
  for (const it of items) {
    if (yearWeights[String(it.year)] === undefined) continue;
    const l = byGrp.get(it.grp);
    if (l) l.push(it);
    else byGrp.set(it.grp, [it]);
  }
  const kept = [...byGrp].map(([grp, list]) => ({ grp, list, keep: trimByYear(list, p.trim, p.trim_min_cases) }));
  const overall = weightedMean(kept.flatMap((k) => k.keep), yearWeights);
  const weights = new Map<string, GroupWeight>();
  if (overall === null || overall <= 0) return { weights, overall_mean: null };
  for (const { grp, list, keep } of kept.sort((a, b) => (a.grp < b.grp ? -1 : 1))) {
    const mean = weightedMean(keep, yearWeights);
    if (mean === null || mean <= 0) continue;
    weights.set(grp, { grp_code: grp, grp_name: list[0]!.name, hist_cnt: list.length, kept_cnt: keep.length, mean_cost: mean, rw: ratio4(mean, overall) });
  }
  return { weights, overall_mean: overall };
}

/** Σ RW ÷ n, 4 decimals (Bp4); null without cases. */
export function cmiOf(rws: readonly Bp4[]): Bp4 | null {
  if (!rws.length) return null;
  const sum = rws.reduce((s, r) => s + r, 0);
  return Math.round(sum / rws.length);
}
