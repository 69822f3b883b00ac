/** Property checks over generated cases drawn from the real 1.1 lists (the same generator as the benchmark). */
import { describe, expect, it } from 'vitest';
import type { Facts } from './conditions.js';
import { drgGrouper } from './index.js';
import { normaliseCase } from './normalise.js';
import { generateCases, readCaseSource, seededRandom } from './sample-cases.js';

const g = drgGrouper('chs-drg-1.1');
const src = readCaseSource(g.tables.dir);
const cases = generateCases(src, 60_000, seededRandom(7));

describe('generated cases', () => {
  it('are deterministic for a seed', () => {
    expect(generateCases(src, 50, seededRandom(7))).toEqual(cases.slice(0, 50));
  });

  it('reach every one of the 628 DRGs and 0000, and never fault', () => {
    const seen = new Set<string>();
    const statuses = new Set<string>();
    for (const c of cases) {
      const r = g.group(c, { trace: false });
      seen.add(r.drg);
      statuses.add(r.status);
    }
    expect([...g.tables.drgNames.keys()].filter((d) => !seen.has(d))).toEqual([]);
    expect(seen.has('0000')).toBe(true);
    expect([...statuses].sort()).toEqual(['0000', 'grouped', 'invalid']);
  });

  it('give the same result with and without the trace', () => {
    for (const c of cases.slice(0, 5000)) {
      const { trace, ...on } = g.group(c);
      const { trace: none, ...off } = g.group(c, { trace: false });
      expect(off).toEqual(on);
      expect(none).toEqual([]);
      expect(trace.length).toBeGreaterThan(1);
    }
  });

  it('every compiled gate, ADRG condition and QY check: explain() agrees with test()', () => {
    const conds = g.tables.mdcs.flatMap((m) => [
      { name: `${m.code} gate`, cond: m.gate },
      ...(m.qy ? [{ name: `${m.code} qy`, cond: m.qy.condition }] : []),
      ...m.adrgs.map((a) => ({ name: a.code, cond: a.condition })),
    ]);
    const disagreements: string[] = [];
    let checked = 0;
    for (const c of cases.slice(0, 3000)) {
      const n = normaliseCase(c);
      if (!n.ok) continue;
      const f: Facts = { ...n.case, hasMCC: false, hasCC: false };
      for (const { name, cond } of conds) {
        checked++;
        if (cond.explain(f).ok !== cond.test(f)) disagreements.push(`${name}: ${JSON.stringify(c)}`);
      }
    }
    expect(checked).toBeGreaterThan(1_000_000);
    expect(disagreements).toEqual([]);
  });
});
