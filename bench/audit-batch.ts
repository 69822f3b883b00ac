/**
 * Benchmark: the 事后 batch audit end to end (issue 5: line rules ≥ 1,000,000 fee lines/s; the full rule set over
 * 50,000,000 lines ≤ 10 min). A synthetic region (src/generate, with injected violations) is written into a fresh
 * database — an in-memory PGlite, or with DATABASE_URL a fresh schema on that PostgreSQL server (dropped at the end)
 * — snapshotted to Parquet, and the rule base run over the whole period in one batch, each stage timed with the peak
 * RSS. Reported per rule and per rule class:
 *   cross-visit  the SQL rules of src/audit/batch/rules-sql.ts (分解住院、同时住院、重复开药 …)
 *   fwa          the fraud models of src/audit/batch/fwa-sql.ts (FWA-*)
 *   line         the line rules as SQL (src/audit/batch/line-rules-sql.ts), their shared facts table included
 *   engine       the rules still run through the real-time engine over each encounter (engine-rules.ts)
 * as fee lines of the window per second of the class's time (for a SQL class, one pass over the lines per rule:
 * also given as rule-lines/s), the time spent writing suspects, and the whole batch as lines/s.
 *
 *   node --import tsx bench/audit-batch.ts [--persons 1000] [--months 6] [--seed 1] [--violations 0.02] [--full]
 *                                          [--no-engine] [--workers N] [--keep DIR]
 *
 * The default is quick (1,000 persons × 6 months); --full is 20,000 persons × 12 months. Figures measured on a
 * shared machine are not idle-machine figures. Exports runAuditBatchBench() and formatAuditBatchBench() so that
 * bench/run.ts can record the result in docs/benchmarks.md.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { FWA_RULES } from '../src/audit/batch/fwa-sql.js';
import { LINE_RULES } from '../src/audit/batch/line-rules-sql.js';
import { BATCH_RULES } from '../src/audit/batch/rules-sql.js';
import { batchJob, type BatchResult } from '../src/audit/batch/run.js';
import { installDefaultRules } from '../src/audit/rules/store.js';
import { snapshotJob } from '../src/audit/snapshot/snapshot.js';
import { generateRegion, GENERATE_START } from '../src/generate/run.js';
import { openTestDb } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrations.js';
import { SYSTEM_ACTOR } from '../src/platform/oplog.js';
import { addDays } from '../src/platform/time.js';
import { loadNationalStandards } from '../src/standards/national-load.js';

export interface AuditBatchBenchOptions {
  persons?: number;
  months?: number;
  seed?: number;
  violations?: number;
  /** Run the engine path too (default true): the line rules through the real-time engine. */
  engine?: boolean;
  workers?: number;
  /** Copy the snapshot here before it is removed. */
  keep?: string;
  log?: (line: string) => void;
}

export interface ClassFigure {
  cls: 'cross-visit' | 'fwa' | 'line' | 'engine';
  rules: number;
  hits: number;
  inserted: number;
  ms: number;
  writeMs: number;
  /** Window fee lines per second of the class's time. */
  linesPerS: number;
  /** Fee lines × rules per second (one pass per SQL rule). */
  ruleLinesPerS: number;
}

export interface AuditBatchBench {
  persons: number;
  months: number;
  db: string;
  lines: number;
  encounters: number;
  generateMs: number;
  snapshotMs: number;
  snapshotRows: number;
  batchMs: number;
  batchLinesPerS: number;
  /** Building the line rules' facts table (part of the line class's time). */
  lineFactsMs: number;
  classes: ClassFigure[];
  rules: BatchResult['rules'];
  inserted: number;
  peakRssMb: number;
  machine: string;
}

const classOf = (rule_id: string, path: 'sql' | 'engine'): ClassFigure['cls'] =>
  path === 'engine' ? 'engine' : LINE_RULES.has(rule_id) ? 'line' : FWA_RULES.has(rule_id) && !BATCH_RULES.has(rule_id) ? 'fwa' : 'cross-visit';

export async function runAuditBatchBench(o: AuditBatchBenchOptions = {}): Promise<AuditBatchBench> {
  const persons = o.persons ?? 1_000;
  const months = o.months ?? 6;
  const log = o.log ?? (() => undefined);
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const db = await openTestDb();
  const dir = mkdtempSync(join(tmpdir(), 'yibao-bench-batch-'));
  try {
    await migrate(db);
    await loadNationalStandards(db);
    log(`数据库：${db.location}`);
    const g0 = performance.now();
    const url = process.env.DATABASE_URL;
    // openTestDb's fresh schema on PostgreSQL: the COPY connections of the generator and the snapshot need its name
    const schema = db.location.split(' schema ')[1];
    const pgCopy = url && db.kind === 'postgres' ? { url, ...(schema ? { schema } : {}) } : undefined;
    await generateRegion(
      { seed: o.seed ?? 1, persons, months, violations: o.violations ?? 0.02 },
      { db, ...(pgCopy ? { pgCopy } : {}) },
      (p) => log(`  生成 ${p.persons}/${p.total} 人，就诊 ${p.encounters} 次，费用明细 ${p.lines} 条`),
      { workers: o.workers ?? 0 },
    );
    const generateMs = performance.now() - g0;
    await installDefaultRules(db);
    const end = lastDay(GENERATE_START, months);

    const s0 = performance.now();
    const snap = join(dir, 'snap');
    const m = await snapshotJob(db, SYSTEM_ACTOR, { out: snap, from: null, to: null, ...(pgCopy ? { pgCopy } : {}) });
    const snapshotMs = performance.now() - s0;
    const snapshotRows = Object.values(m.tables).reduce((a, t) => a + t.rows, 0);
    log(`快照：${snapshotRows} 行，${(snapshotMs / 1000).toFixed(1)} 秒`);
    if (o.keep) cpSync(snap, o.keep, { recursive: true });

    const rules = (o.engine ?? true) ? undefined : [...BATCH_RULES.keys(), ...FWA_RULES.keys(), ...LINE_RULES.keys()];
    const b0 = performance.now();
    const r = await batchJob(db, SYSTEM_ACTOR, { from: GENERATE_START, to: end, snapshot: snap, ...(rules ? { rules } : {}) }, (p) => {
      if (p.rule_id) log(`  ${p.rules_done}/${p.rules_total} ${p.rule_id} 疑点 ${p.suspects} ETA ${p.eta_s ?? '-'} 秒`);
    });
    const batchMs = performance.now() - b0;
    const classes: ClassFigure[] = [];
    for (const cls of ['cross-visit', 'fwa', 'line', 'engine'] as const) {
      const mine = r.rules.filter((x) => classOf(x.rule_id, x.path) === cls);
      if (!mine.length) continue;
      // engine rules share one pass: its time is on every one of them
      // the line rules' shared facts table is built once for all of them: it is their time too
      const ms =
        cls === 'engine' ? mine[0]!.ms + mine.reduce((a, x) => a + x.write_ms, 0) : mine.reduce((a, x) => a + x.ms, 0) + (cls === 'line' ? r.line_facts_ms : 0);
      const passes = cls === 'engine' ? 1 : mine.length;
      classes.push({
        cls,
        rules: mine.length,
        hits: mine.reduce((a, x) => a + x.hits, 0),
        inserted: mine.reduce((a, x) => a + x.inserted, 0),
        ms,
        writeMs: mine.reduce((a, x) => a + x.write_ms, 0),
        linesPerS: r.lines / (ms / 1000),
        ruleLinesPerS: (r.lines * passes) / (ms / 1000),
      });
    }
    return {
      persons,
      months,
      db: db.kind,
      lines: r.lines,
      encounters: r.encounters,
      generateMs,
      snapshotMs,
      snapshotRows,
      batchMs,
      batchLinesPerS: r.lines / (batchMs / 1000),
      lineFactsMs: r.line_facts_ms,
      classes,
      rules: r.rules,
      inserted: r.inserted,
      peakRssMb: Math.round(peak / 2 ** 20),
      machine: `${cpus().length} cores, load ${loadavg()
        .map((x) => x.toFixed(1))
        .join('/')}`,
    };
  } finally {
    clearInterval(timer);
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The last day of the `months`-th month from `start` (yyyy-MM-01). */
function lastDay(start: string, months: number): string {
  const [y, m] = start.split('-').map(Number) as [number, number];
  const next = new Date(Date.UTC(y, m - 1 + months, 1));
  return addDays(next.toISOString().slice(0, 10), -1);
}

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');

export function formatAuditBatchBench(b: AuditBatchBench): string {
  const out = [
    `事后批量审核：${b.persons} 人 × ${b.months} 月，${b.db}，${b.encounters} 次就诊、${n0(b.lines)} 条费用明细（${b.machine}）`,
    `  生成入库 ${(b.generateMs / 1000).toFixed(1)} s；快照 ${n0(b.snapshotRows)} 行 ${(b.snapshotMs / 1000).toFixed(1)} s（${n0(b.snapshotRows / (b.snapshotMs / 1000))} 行/s）`,
    `  批量审核 ${(b.batchMs / 1000).toFixed(1)} s，${n0(b.batchLinesPerS)} 明细/s；疑点 ${b.inserted} 条；峰值内存 ${b.peakRssMb} MB；明细规则数据准备 ${(b.lineFactsMs / 1000).toFixed(2)} s`,
    '  class         rules   hits  time s  write s   lines/s  rule-lines/s',
  ];
  for (const c of b.classes) {
    out.push(
      `  ${c.cls.padEnd(12)} ${String(c.rules).padStart(6)} ${String(c.hits).padStart(6)} ${(c.ms / 1000).toFixed(2).padStart(7)} ${(c.writeMs / 1000).toFixed(2).padStart(8)} ${n0(c.linesPerS).padStart(9)} ${n0(c.ruleLinesPerS).padStart(13)}`,
    );
  }
  out.push('  rule            path    hits  time ms  write ms   lines/s');
  for (const r of b.rules) {
    if (r.path === 'engine' && !r.hits) continue;
    out.push(`  ${r.rule_id.padEnd(14)} ${r.path.padEnd(6)} ${String(r.hits).padStart(6)} ${String(r.ms).padStart(8)} ${String(r.write_ms).padStart(9)} ${n0(b.lines / (r.ms / 1000 || 1e-3)).padStart(9)}${r.error ? `  ${r.error}` : ''}`);
  }
  return out.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      persons: { type: 'string' },
      months: { type: 'string' },
      seed: { type: 'string' },
      violations: { type: 'string' },
      full: { type: 'boolean' },
      'no-engine': { type: 'boolean' },
      workers: { type: 'string' },
      keep: { type: 'string' },
    },
  });
  const full = values.full ?? false;
  const b = await runAuditBatchBench({
    persons: values.persons ? Number(values.persons) : full ? 20_000 : 1_000,
    months: values.months ? Number(values.months) : full ? 12 : 6,
    ...(values.seed ? { seed: Number(values.seed) } : {}),
    ...(values.violations ? { violations: Number(values.violations) } : {}),
    engine: !(values['no-engine'] ?? false),
    ...(values.workers ? { workers: Number(values.workers) } : {}),
    ...(values.keep ? { keep: values.keep } : {}),
    log: (l) => console.log(l),
  });
  console.log(formatAuditBatchBench(b));
}
