/**
 * Benchmark: real-time settlement under load, end to end. Starts `yibao serve` (from the source tree) on a fresh
 * PostgreSQL database (yibao_bench_<time>, dropped afterwards; the first start loads the demo region), prepares the
 * HIS simulator's world (hospitals with fresh apikeys, persons, catalogue items), warms up, then plays outpatient
 * flows (1101 → 2201 → 2204 → 2206 → 2207, 2 % reversed by 2208) for 60 s and inpatient flows (2401 → 2301 × 200
 * lines → 2303 → 2304 → 2402) for 30 s through the national interface, the load generator on the same machine.
 * Records flows/s, p50/p95/p99 per transaction and errors, and checks them against the targets of the issue:
 * ≥ 300 outpatient flows/s with p99 ≤ 50 ms per transaction and no error; inpatient 2304 (200 lines) p99 ≤ 100 ms.
 *
 *   npm run bench -- settlement
 *   node --import tsx bench/settlement.ts [--duration 60] [--inpatient 30] [--concurrency 32] [--institutions 20] [--port 18600]
 *                                         [--pg postgres://postgres@127.0.0.1:5432] [--cpu-prof DIR] [--keep]
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { openDb } from '../src/platform/db.js';
import { SYSTEM_ACTOR } from '../src/platform/oplog.js';
import { runLoad, type LoadResult } from '../src/simulate/load.js';
import { describeRun } from '../src/simulate/report.js';
import { startServer } from '../src/simulate/server-process.js';
import { prepareWorld } from '../src/simulate/world.js';

export interface SettlementBenchOptions {
  /** Server URL without a database name (default postgres://postgres@127.0.0.1:5432). */
  pgUrl?: string;
  outpatientSeconds?: number;
  inpatientSeconds?: number;
  warmupSeconds?: number;
  concurrency?: number;
  institutions?: number;
  port?: number;
  /** Write the server's V8 CPU profile into this folder. */
  cpuProfDir?: string;
  keep?: boolean;
  log?: (line: string) => void;
}

export interface SettlementBenchResult {
  database: string;
  firstStartMs: number;
  concurrency: number;
  institutions: number;
  outpatient: LoadResult;
  inpatient: LoadResult;
  /** Load average over 1 minute at the end of the outpatient run (the machine's other work). */
  loadAverage: number;
}

export const TARGETS = { outpatientFlowsPerSecond: 300, outpatientP99Ms: 50, inpatient2304P99Ms: 100 } as const;

async function adminQuery(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: `${url}/postgres` });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

export async function benchSettlement(o: SettlementBenchOptions = {}): Promise<SettlementBenchResult> {
  const base = (o.pgUrl ?? process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
  const log = o.log ?? ((l: string) => console.log(l));
  const database = `yibao_bench_${Date.now()}`;
  const databaseUrl = `${base}/${database}`;
  const concurrency = o.concurrency ?? 32;
  await adminQuery(base, `create database ${database}`);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const t0 = performance.now();
    server = await startServer({
      port: o.port ?? 18600,
      databaseUrl,
      nodeFlags: o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`] : [],
    });
    const firstStartMs = Math.round(performance.now() - t0);
    log(`服务已就绪（首次启动 ${firstStartMs} ms，数据库 ${database}）`);
    const db = await openDb({ databaseUrl, dataDir: '' });
    const world = await prepareWorld(db, { institutions: o.institutions ?? 20, actor: { ...SYSTEM_ACTOR, name: '系统（结算压测）' } }).finally(() => db.close());
    const common = { url: server.url, world, concurrency } as const;
    log(`预热 ${o.warmupSeconds ?? 10} 秒 …`);
    await runLoad({ ...common, flow: 'mixed', durationMs: (o.warmupSeconds ?? 10) * 1000, seed: 1 });
    log(`门诊流程 ${o.outpatientSeconds ?? 60} 秒 …`);
    const outpatient = await runLoad({ ...common, flow: 'outpatient', durationMs: (o.outpatientSeconds ?? 60) * 1000, seed: 2 });
    const { loadavg } = await import('node:os');
    const loadAverage = Math.round(loadavg()[0]! * 100) / 100;
    for (const l of describeRun(outpatient)) log(l);
    log(`住院流程 ${o.inpatientSeconds ?? 30} 秒 …`);
    const inpatient = await runLoad({ ...common, concurrency: Math.max(2, Math.round(concurrency / 4)), flow: 'inpatient', durationMs: (o.inpatientSeconds ?? 30) * 1000, seed: 3 });
    for (const l of describeRun(inpatient)) log(l);
    return { database, firstStartMs, concurrency, institutions: world.institutions.length, outpatient, inpatient, loadAverage };
  } finally {
    await server?.stop();
    if (!o.keep) await adminQuery(base, `drop database if exists ${database} with (force)`).catch((e: Error) => log(`未能删除数据库 ${database}：${e.message}`));
  }
}

const ok = (pass: boolean) => (pass ? '✓' : '✗');

/** The docs/benchmarks.md section. */
export function formatSettlementBench(r: SettlementBenchResult, machine: string, date: string): string {
  const out = r.outpatient;
  const ipt = r.inpatient;
  const worstP99 = Math.max(...out.transactions.map((t) => t.p99));
  const outErrors = out.errors.reduce((s, e) => s + e.count, 0);
  const p2304 = ipt.transactions.find((t) => t.infno === '2304')?.p99 ?? NaN;
  const row = (t: LoadResult['transactions'][number]) => `| ${t.infno} | ${t.count} | ${t.errors} | ${t.mean} | ${t.p50} | ${t.p95} | ${t.p99} | ${t.max} |`;
  const table = (res: LoadResult) => ['| infno | calls | errors | mean ms | p50 | p95 | p99 | max |', '|---|---:|---:|---:|---:|---:|---:|---:|', ...res.transactions.map(row)];
  const errors = (res: LoadResult) => (res.errors.length ? ['', 'Errors by err_msg:', '', ...res.errors.slice(0, 10).map((e) => `- ${e.count} × ${e.message}`)] : []);
  return [
    '## Real-time settlement under load (PostgreSQL, HIS simulator on the same machine)',
    '',
    `Measured by \`npm run bench -- settlement\` on ${date}; machine: ${machine}; load average at the end of the outpatient run ${r.loadAverage}.`,
    `Server \`yibao serve\` on a fresh PostgreSQL database with the demo region (first start ${r.firstStartMs} ms); ${r.institutions} hospitals,`,
    `${r.concurrency} concurrent HIS terminals for outpatient, ${ipt.concurrency} for inpatient; each terminal signs in (9001) once and plays flows back to back.`,
    '',
    '| target | measured | |',
    '|---|---|---|',
    `| ≥ ${TARGETS.outpatientFlowsPerSecond} outpatient flows/s for 60 s | ${out.flowsPerSecond} flows/s over ${(out.elapsedMs / 1000).toFixed(1)} s (${out.callsPerSecond} calls/s) | ${ok(out.flowsPerSecond >= TARGETS.outpatientFlowsPerSecond)} |`,
    `| p99 ≤ ${TARGETS.outpatientP99Ms} ms per outpatient transaction | worst p99 ${worstP99} ms | ${ok(worstP99 <= TARGETS.outpatientP99Ms)} |`,
    `| no errors | ${outErrors} errors in ${out.flows.outpatient.done + out.flows.outpatient.failed} flows | ${ok(outErrors === 0)} |`,
    `| inpatient 2304 (200 lines) p99 ≤ ${TARGETS.inpatient2304P99Ms} ms | ${p2304} ms (${ipt.flows.inpatient.done} stays, ${ipt.flowsPerSecond}/s) | ${ok(p2304 <= TARGETS.inpatient2304P99Ms)} |`,
    '',
    `Outpatient: 1101 → 2201 → 2204 (2–8 lines) → 2206 → 2207, ${out.reversals} reversed by 2208.`,
    '',
    ...table(out),
    ...errors(out),
    '',
    'Inpatient: 1101 → 2401 → 2301 (200 lines in 4 batches of 50) → 2303 → 2304 → 2402.',
    '',
    ...table(ipt),
    ...errors(ipt),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '60' },
      inpatient: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '32' },
      institutions: { type: 'string', default: '20' },
      port: { type: 'string' },
      pg: { type: 'string' },
      'cpu-prof': { type: 'string' },
      keep: { type: 'boolean' },
    },
  });
  const r = await benchSettlement({
    outpatientSeconds: Number(values.duration),
    inpatientSeconds: Number(values.inpatient),
    warmupSeconds: Number(values.warmup),
    concurrency: Number(values.concurrency),
    institutions: Number(values.institutions),
    ...(values.port ? { port: Number(values.port) } : {}),
    ...(values.pg ? { pgUrl: values.pg } : {}),
    ...(values['cpu-prof'] ? { cpuProfDir: values['cpu-prof'] } : {}),
    keep: Boolean(values.keep),
  });
  console.log(formatSettlementBench(r, `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`, new Date().toISOString().slice(0, 10)));
}
