/**
 * Synthetic DIP histories for tests, from the seeded generator of the demo region (src/demo/prng.ts): the same seed
 * gives the same cases on any machine. A pattern is one kind of stay (principal diagnosis, procedures, secondary
 * diagnoses) with its yearly count and cost distribution. Used by src/payment/dip tests only.
 */
import { Rng } from '../../demo/prng.js';
import type { HistoryCase } from './types.js';

export interface Pattern {
  pdx: string;
  procedures?: string[];
  dx?: string[];
  /** cases per year, or one count for every year */
  perYear: number | Record<number, number>;
  /** mean cost in yuan */
  meanYuan: number;
  /** standard deviation as a share of the mean (default 0.15) */
  sd?: number;
  /** chance of death */
  died?: number;
  /** age range in years (default 30–70) */
  age?: [number, number];
  /** length of stay range in days (default 4–12) */
  los?: [number, number];
}

/** Normal draw (Box–Muller) from the seeded generator. */
function normal(r: Rng): number {
  const u = Math.max(r.next(), 1e-12);
  const v = r.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function syntheticHistory(seed: number, patterns: readonly Pattern[], years: readonly number[] = [2022, 2023, 2024]): HistoryCase[] {
  const root = new Rng(seed);
  const out: HistoryCase[] = [];
  patterns.forEach((p, pi) => {
    const r = root.fork(`${pi}:${p.pdx}:${(p.procedures ?? []).join('+')}`);
    for (const year of years) {
      const n = typeof p.perYear === 'number' ? p.perYear : (p.perYear[year] ?? 0);
      for (let i = 0; i < n; i++) {
        const yuan = Math.max(p.meanYuan * 0.1, p.meanYuan * (1 + (p.sd ?? 0.15) * normal(r)));
        const [a0, a1] = p.age ?? [30, 70];
        const [l0, l1] = p.los ?? [4, 12];
        out.push({
          id: `${pi}-${year}-${i}`,
          pdx: p.pdx,
          dx: p.dx ?? [],
          procedures: p.procedures ?? [],
          cost: Math.round(yuan * 100),
          year,
          died: r.chance(p.died ?? 0),
          age: r.int(a0, a1),
          los: r.int(l0, l1),
        });
      }
    }
  });
  return out;
}

/** Cases with exact costs (yuan), for arithmetic tests. */
export function fixedCases(pdx: string, procedures: string[], year: number, costs: number[], extra: Partial<HistoryCase> = {}): HistoryCase[] {
  return costs.map((y, i) => ({ id: `${pdx}-${year}-${i}`, pdx, procedures, dx: [], cost: Math.round(y * 100), year, los: 7, age: 50, ...extra }));
}
