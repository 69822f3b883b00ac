/**
 * Benchmark: CHS-DRG grouping throughput on one core (the grouper is synchronous; this runs on the main thread).
 * Cases are generated from the real 1.1 code lists in a plausible mix (src/payment/drg/sample-cases.ts: organ-
 * system ADRGs with their diagnoses and procedures, 0–8 secondaries with CC/MCC, newborns, transplants, HIV,
 * multiple trauma, some noise; one in five in the 4101 settlement-list shape). Input normalisation, code mapping,
 * validation, MDC/ADRG search, CC/MCC and the split are all inside the timed loop; generating the cases is not.
 *
 *   node --import tsx bench/drg.ts [--runs 5] [--cases 100000] [--seed 1]
 */
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DrgGrouper, readDrgTables, resolveVersionDir } from '../src/payment/drg/index.js';
import { generateCases, readCaseSource, seededRandom } from '../src/payment/drg/sample-cases.js';

export interface DrgBench {
  cases: number;
  runs: number;
  loadMs: number;
  withoutTrace: number[];
  withTrace: number[];
  statuses: Record<string, number>;
  drgsReached: number;
  drgsTotal: number;
}

const medianOf = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function pass(g: DrgGrouper, cases: unknown[], trace: boolean): number {
  const t0 = performance.now();
  let sink = 0;
  for (const c of cases) sink += g.group(c, { trace }).drg.length;
  const s = (performance.now() - t0) / 1000;
  if (sink === 0) throw new Error('nothing grouped');
  return Math.round(cases.length / s);
}

export function benchDrg(runs = 5, count = 100_000, seed = 1, version = 'chs-drg-1.1'): DrgBench {
  const dir = resolveVersionDir(version);
  const tables = readDrgTables(dir, version); // not the cached copy: the load is measured
  const g = new DrgGrouper(tables);
  const cases = generateCases(readCaseSource(dir), count, seededRandom(seed));

  const statuses: Record<string, number> = {};
  const drgs = new Set<string>();
  for (const c of cases) {
    const r = g.group(c, { trace: false }); // also the warm-up
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    drgs.add(r.drg);
  }
  const withoutTrace: number[] = [];
  const withTrace: number[] = [];
  for (let i = 0; i < runs; i++) withoutTrace.push(pass(g, cases, false));
  for (let i = 0; i < runs; i++) withTrace.push(pass(g, cases, true));
  drgs.delete('0000');
  return { cases: count, runs, loadMs: tables.loadMs, withoutTrace, withTrace, statuses, drgsReached: drgs.size, drgsTotal: tables.drgNames.size };
}

export function describeDrgBench(b: DrgBench, machine: string, date: string): string {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const pct = (n: number) => `${((100 * n) / b.cases).toFixed(1)} %`;
  return [
    '## CHS-DRG 1.1 grouping throughput (one core)',
    '',
    `Measured by \`node --import tsx bench/drg.ts --runs ${b.runs} --cases ${b.cases}\` on ${date}; machine: ${machine}.`,
    `${fmt(b.cases)} generated cases drawn from the real code lists (see bench/drg.ts); each run groups all of them.`,
    '',
    '| mode | median cases/s | runs (cases/s) |',
    '|---|---:|---|',
    `| without trace | ${fmt(medianOf(b.withoutTrace))} | ${b.withoutTrace.map(fmt).join(', ')} |`,
    `| with Chinese trace | ${fmt(medianOf(b.withTrace))} | ${b.withTrace.map(fmt).join(', ')} |`,
    '',
    `Loading and compiling the tables: ${b.loadMs} ms. Mix of results: ${Object.entries(b.statuses)
      .map(([k, v]) => `${k} ${pct(v)}`)
      .join(', ')}; ${b.drgsReached} of ${b.drgsTotal} DRGs reached.`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, cases: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' } } });
  const machine = `${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ${process.platform}`;
  const b = benchDrg(Number(values.runs), Number(values.cases), Number(values.seed));
  console.log(describeDrgBench(b, machine, new Date().toISOString().slice(0, 10)));
}
