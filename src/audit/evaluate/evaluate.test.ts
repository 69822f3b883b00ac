/**
 * `yibao audit evaluate`: the matcher and the metric arithmetic on a hand-checkable set, and one pipeline on a
 * tiny generated region (generate --db → snapshot → batch → evaluate) on the real database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type Db } from '../../platform/db.js';
import { migrate } from '../../platform/migrations.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { loadNationalStandards } from '../../standards/national-load.js';
import { generateRegion } from '../../generate/run.js';
import { installDefaultRules } from '../rules/store.js';
import { snapshotJob } from '../snapshot/snapshot.js';
import { batchJob } from '../batch/run.js';
import { auditCommand } from '../../cli/commands/audit.js';
import { evaluate, evaluateRun, evaluationMarkdown, matches, type SuspectRow, type TruthRow } from './evaluate.js';

const truth = (o: Partial<TruthRow> & Pick<TruthRow, 'vio_id' | 'vio_type' | 'mdtrt_id'>): TruthRow => ({ legit_flag: '0', psn_no: 'P1', feedetl_sns: null, amt: 1000, ...o });
const suspect = (o: Partial<SuspectRow> & Pick<SuspectRow, 'suspect_id' | 'rule_id' | 'mdtrt_id'>): SuspectRow => ({
  psn_no: 'P1',
  mdtrt_ids: [],
  vola_amt: 1000,
  lines: [],
  ...o,
});

describe('matching a suspect to a ground-truth row', () => {
  const t = truth({ vio_id: 'V1', vio_type: 'gend_lmt', mdtrt_id: 'M1', feedetl_sns: ['0003'] });

  test('needs a rule of the type, the same person and encounter, and a shared offending line', () => {
    expect(matches(t, suspect({ suspect_id: 'S', rule_id: 'POL-GEN-01', mdtrt_id: 'M1', lines: [{ feedetl_sn: '0003', vola_item_type: '1' }] }))).toBe(true);
    expect(matches(t, suspect({ suspect_id: 'S', rule_id: 'MGT-PRC-01', mdtrt_id: 'M1', lines: [{ feedetl_sn: '0003', vola_item_type: '1' }] }))).toBe(false);
    expect(matches(t, suspect({ suspect_id: 'S', rule_id: 'POL-GEN-01', mdtrt_id: 'M1', psn_no: 'P2', lines: [{ feedetl_sn: '0003', vola_item_type: '1' }] }))).toBe(false);
    expect(matches(t, suspect({ suspect_id: 'S', rule_id: 'POL-GEN-01', mdtrt_id: 'M2', lines: [{ feedetl_sn: '0003', vola_item_type: '1' }] }))).toBe(false);
    expect(matches(t, suspect({ suspect_id: 'S', rule_id: 'POL-GEN-01', mdtrt_id: 'M1', lines: [{ feedetl_sn: '0004', vola_item_type: '1' }] }))).toBe(false);
  });

  test('accepts an involved line (the other of a duplicated pair) and, without line evidence, the encounter', () => {
    const pair = suspect({ suspect_id: 'S', rule_id: 'POL-GEN-01', mdtrt_id: 'M1', lines: [{ feedetl_sn: '0004', vola_item_type: '1' }, { feedetl_sn: '0003', vola_item_type: '2' }] });
    expect(matches(t, pair)).toBe(true);
    expect(matches(t, { ...pair, lines: [{ feedetl_sn: '0004', vola_item_type: '1' }, { feedetl_sn: '0005', vola_item_type: '2' }] })).toBe(false);
    expect(matches(t, suspect({ suspect_id: 'S', rule_id: 'POL-GEN-01', mdtrt_id: 'M1' }))).toBe(true);
  });

  test('finds the encounter among mdtrt_ids and ignores lines of other encounters', () => {
    const d = truth({ vio_id: 'V2', vio_type: 'trace_dup', mdtrt_id: 'M9', feedetl_sns: ['0002'] });
    const s = suspect({
      suspect_id: 'S',
      rule_id: 'MGT-TRC-01',
      mdtrt_id: 'M8',
      mdtrt_ids: ['M8', 'M9'],
      lines: [{ mdtrt_id: 'M8', feedetl_sn: '0001', vola_item_type: '1' }, { mdtrt_id: 'M9', feedetl_sn: '0002', vola_item_type: '1' }],
    });
    expect(matches(d, s)).toBe(true);
    expect(matches(d, { ...s, lines: [{ mdtrt_id: 'M9', feedetl_sn: '0005', vola_item_type: '1' }] })).toBe(false);
  });

  test('matches a whole-encounter row (no lines) at encounter level', () => {
    const d = truth({ vio_id: 'V3', vio_type: 'dead_psn', mdtrt_id: 'M1' });
    expect(matches(d, suspect({ suspect_id: 'S', rule_id: 'MGT-ID-01', mdtrt_id: 'M1', lines: [{ feedetl_sn: '0009', vola_item_type: '1' }] }))).toBe(true);
  });
});

describe('metric arithmetic', () => {
  // gend_lmt: 3 injected (V1 caught twice, V2 caught for less than its amount, V3 missed), one stray suspect S4;
  // over_price: 1 injected, caught; a look-alike child drug hit by POL-AGE-02 (S6), another not; MED-DX-01 apart.
  const key: TruthRow[] = [
    truth({ vio_id: 'V1', vio_type: 'gend_lmt', mdtrt_id: 'M1', amt: 1000 }),
    truth({ vio_id: 'V2', vio_type: 'gend_lmt', mdtrt_id: 'M2', amt: 2000 }),
    truth({ vio_id: 'V3', vio_type: 'gend_lmt', mdtrt_id: 'M3', amt: 3000 }),
    truth({ vio_id: 'V4', vio_type: 'over_price', mdtrt_id: 'M4', amt: 500 }),
    truth({ vio_id: 'L1', vio_type: 'lookalike_child_drug', legit_flag: '1', mdtrt_id: 'M6', amt: 700 }),
    truth({ vio_id: 'L2', vio_type: 'lookalike_child_drug', legit_flag: '1', mdtrt_id: 'M7', amt: 700 }),
  ];
  const found: SuspectRow[] = [
    suspect({ suspect_id: 'S1', rule_id: 'POL-GEN-01', mdtrt_id: 'M1', vola_amt: 800 }),
    suspect({ suspect_id: 'S1b', rule_id: 'POL-GEN-01', mdtrt_id: 'M1', vola_amt: 800 }),
    suspect({ suspect_id: 'S2', rule_id: 'POL-GEN-01', mdtrt_id: 'M2', vola_amt: 1500 }),
    suspect({ suspect_id: 'S4', rule_id: 'POL-GEN-01', mdtrt_id: 'M5', vola_amt: 900 }),
    suspect({ suspect_id: 'S5', rule_id: 'MGT-PRC-01', mdtrt_id: 'M4', vola_amt: 500 }),
    suspect({ suspect_id: 'S6', rule_id: 'POL-AGE-02', mdtrt_id: 'M6', vola_amt: 700 }),
    suspect({ suspect_id: 'S7', rule_id: 'MED-DX-01', mdtrt_id: 'M1' }),
    suspect({ suspect_id: 'S8', rule_id: 'MED-DX-01', mdtrt_id: 'M7' }),
    suspect({ suspect_id: 'S9', rule_id: 'MED-DX-01', mdtrt_id: 'M99' }),
  ];
  const e = evaluate(key, found);
  const type = (t: string) => e.types.find((m) => m.vio_type === t)!;

  test('counts TP/FN by ground-truth row and precision by suspect', () => {
    const g = type('gend_lmt');
    expect([g.truth, g.tp, g.fn, g.suspects, g.matched_suspects, g.fp]).toEqual([3, 2, 1, 4, 3, 1]);
    expect(g.recall).toBeCloseTo(2 / 3, 10);
    expect(g.precision).toBeCloseTo(3 / 4, 10);
  });

  test('caps the caught amount of a row at its own amount', () => {
    const g = type('gend_lmt');
    // V1: min(1000, 800 + 800) = 1000; V2: min(2000, 1500) = 1500; V3: 0
    expect([g.truth_amt, g.caught_amt]).toEqual([6000, 2500]);
    expect(g.amount_recall).toBeCloseTo(2500 / 6000, 10);
  });

  test('counts a look-alike hit as a false positive of the imitated rule', () => {
    const a = type('age_lmt');
    expect([a.truth, a.suspects, a.fp, a.precision, a.recall]).toEqual([0, 1, 1, 0, null]);
    expect(e.lookalikes).toEqual([{ vio_type: 'lookalike_child_drug', rules: ['POL-AGE-01', 'POL-AGE-02', 'POL-AGE-04'], cases: 2, hit: 1, suspect_ids: ['S6'] }]);
  });

  test('sums overall over every row and every suspect of a mapped rule once', () => {
    const o = e.overall;
    expect([o.truth, o.tp, o.fn, o.suspects, o.matched_suspects, o.fp]).toEqual([4, 3, 1, 6, 4, 2]);
    expect([o.truth_amt, o.caught_amt]).toEqual([6500, 3000]);
  });

  test('reports suspects of rules without an injected type apart', () => {
    expect(e.other_rules).toEqual([{ rule_id: 'MED-DX-01', suspects: 3, on_violation_encounter: 1, on_lookalike: 1 }]);
    const md = evaluationMarkdown(e);
    expect(md).toContain('| gend_lmt | POL-GEN-01 | 3 | 2 | 1 | 4 | 1 | 0.750 | 0.667 | 60.00 | 25.00 | 0.417 | 未达标 |');
    expect(md).toContain('| MED-DX-01 | 3 | 1 | 1 |');
  });
});

describe('pipeline on a tiny generated region', () => {
  let db: Db;
  let dir: string;
  beforeAll(async () => {
    db = await openTestDb();
    await migrate(db);
    await loadNationalStandards(db);
    await generateRegion({ seed: 7, persons: 300, months: 3, violations: 0.3 }, { db });
    await installDefaultRules(db);
    dir = mkdtempSync(join(tmpdir(), 'yibao-eval-'));
  }, 300_000);
  afterAll(async () => {
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('generate → snapshot → batch → evaluate finds the simple line violations', async () => {
    await snapshotJob(db, SYSTEM_ACTOR, { out: join(dir, 'snap'), from: '2025-01-01', to: '2025-03-31' });
    const run = await batchJob(db, SYSTEM_ACTOR, { from: '2025-01-01', to: '2025-03-31', snapshot: join(dir, 'snap') });
    const r = await evaluateRun(db, { truth: 'db', run_id: run.run_id });
    expect(r.truth_rows).toBeGreaterThan(20);
    for (const t of ['gend_lmt', 'age_lmt', 'over_price']) {
      const m = r.types.find((x) => x.vio_type === t)!;
      if (m.truth === 0) continue; // not drawn at this size
      expect(m.recall, t).toBeGreaterThanOrEqual(0.95);
      expect(m.precision, t).toBeGreaterThanOrEqual(0.9);
    }
    expect(r.types.filter((x) => ['gend_lmt', 'age_lmt', 'over_price'].includes(x.vio_type)).reduce((a, x) => a + x.truth, 0)).toBeGreaterThan(5);
    expect(r.overall.tp).toBeGreaterThan(0);

    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s) };
    // the CLI opens the configured database, so here it is only checked for its refusals
    expect(await auditCommand.run(['evaluate'], io)).toBe(2);
    expect(out.join('\n')).toContain('须指定 --truth');
    expect(evaluationMarkdown(r)).toContain('| **overall** |');
  }, 300_000);
});
