/**
 * Benchmark: 事中 audit (3102) over HTTP under a fixed arrival rate, end to end through the national interface.
 * Starts `yibao serve` (from the source tree) on a fresh PostgreSQL database with the demo region, enlarges the
 * knowledge base to at least 100,000 rows (the demo knowledge plus synthetic 互斥 pairs and frequency limits over the
 * real demo catalogue, imported through the normal validated loader), restarts the server so that it reads the
 * enlarged base, then sends 3102 requests of 50 current lines (+ two history encounters of 10 lines, as HIS sends
 * them) at a constant rate (open loop: a request leaves at its scheduled time whether or not earlier ones have
 * answered, and its latency is counted from that scheduled time, so a stalled server cannot hide its queue).
 * Target of the issue: p99 ≤ 20 ms at 200 requests/s.
 *
 *   npm run bench -- audit-http
 *   node --import tsx bench/audit-http.ts [--rate 200] [--duration 30] [--warmup 5] [--pg postgres://postgres@127.0.0.1:5432] [--keep]
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { importKnowledge } from '../src/audit/kb/import.js';
import type { KbFreqInput, KbPairInput } from '../src/audit/kb/knowledge.js';
import type { AuditRequest } from '../src/audit/types.js';
import { generateCatalogue } from '../src/demo/gen-catalogue.js';
import { Rng } from '../src/demo/prng.js';
import { openDb, type Db } from '../src/platform/db.js';
import { SYSTEM_ACTOR } from '../src/platform/oplog.js';
import { CallFailed, HisClient } from '../src/simulate/his-client.js';
import { LatencyHistogram, type LatencySummary } from '../src/simulate/latency.js';
import { Recorder } from '../src/simulate/recorder.js';
import { startServer } from '../src/simulate/server-process.js';
import { prepareWorld, type SimWorld } from '../src/simulate/world.js';
import { makeClaims } from './audit-realtime.js';

export const AUDIT_HTTP_TARGETS = { rate: 200, p99Ms: 20, kbRows: 100_000 } as const;

export interface AuditHttpOptions {
  pgUrl?: string;
  rate?: number;
  durationSeconds?: number;
  warmupSeconds?: number;
  lines?: number;
  port?: number;
  /** Write the server's V8 CPU profile (of the measured run) into this folder. */
  cpuProfDir?: string;
  keep?: boolean;
  log?: (line: string) => void;
}

export interface AuditHttpResult {
  rate: number;
  sent: number;
  answered: number;
  errors: { message: string; count: number }[];
  /** Latency from the scheduled send time to the full answer. */
  latency: LatencySummary;
  /** Latency as the HIS client sees it (from the actual send). */
  service: LatencySummary;
  kbRows: Record<string, number>;
  kbTotal: number;
  rules: number;
  hitsPerRequest: number;
  elapsedMs: number;
  loadAverage: number;
}

async function admin(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: `${url}/postgres` });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/**
 * Synthetic knowledge over the catalogue actually in the database: same-day 互斥 pairs between service items and
 * per-day frequency limits for service items, enough to bring the knowledge tables to `target` rows.
 */
async function enlargeKnowledge(db: Db, target: number): Promise<void> {
  const have = kbTotalOf(await kbCounts(db));
  if (have >= target) return;
  const services = (await db.k.selectFrom('hilist').select('hilist_code').where('list_type', 'in', ['201', '202']).distinct().orderBy('hilist_code').execute()).map((r) => r.hilist_code);
  if (services.length < 100) throw new Error(`目录中的医疗服务项目太少（${services.length} 个），无法生成知识库`);
  const rng = new Rng(99);
  const freq: KbFreqInput[] = [];
  const haveFreq = new Set((await db.k.selectFrom('audit_kb_freq').select('hilist_code').where('period', '=', 'D').execute()).map((r) => r.hilist_code));
  for (const code of services) if (!haveFreq.has(code)) freq.push({ hilist_code: code, period: 'D', max_cnt: rng.pick([4, 6, 8, 10]), mai: '2', memo: '压测：每日限次', begndate: '2020-01-01' });
  const pairs: KbPairInput[] = [];
  const seen = new Set((await db.k.selectFrom('audit_kb_pair').select(['item_a', 'item_b']).execute()).map((r) => `${r.item_a}|${r.item_b}`));
  const need = target - have - freq.length;
  while (pairs.length < need) {
    const a = rng.pick(services);
    const b = rng.pick(services);
    if (a === b || seen.has(`${a}|${b}`) || seen.has(`${b}|${a}`)) continue;
    seen.add(`${a}|${b}`);
    pairs.push({ item_a: a, item_b: b, pair_type: '2', scope: '2', hit_side: 'B', bypass_flag: '1', memo: '压测：同日互斥', begndate: '2020-01-01' });
  }
  await importKnowledge(db, { ...SYSTEM_ACTOR, name: '系统（审核压测）' }, { freq, pair: pairs });
}

async function kbCounts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['audit_kb_item', 'audit_kb_pair', 'audit_kb_freq', 'audit_kb_drug', 'audit_kb_herb', 'audit_kb_cycle'] as const) {
    const r = await db.k.selectFrom(t).select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  out.hilist = Number((await db.k.selectFrom('hilist').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  return out;
}

/** Rows of the knowledge tables proper (the catalogue, also read by the engine, is counted apart). */
const kbTotalOf = (rows: Record<string, number>): number => Object.entries(rows).filter(([k]) => k.startsWith('audit_kb_')).reduce((s, [, n]) => s + n, 0);

/** The requests: the in-process benchmark's claims, sent by the world's institutions for the world's persons. */
function requestsFor(world: SimWorld, n: number, lines: number): { inst: SimWorld['institutions'][number]; claim: AuditRequest }[] {
  const claims = makeClaims(generateCatalogue(20_240_601), n, lines);
  const persons = Object.values(world.persons).flat();
  return claims.map((claim, i) => {
    const inst = world.institutions[i % world.institutions.length]!;
    const patient = claim.patient_dtos[0]!;
    const person = persons[i % persons.length]!;
    patient.patn_id = person.psn_no;
    patient.poolarea = person.insuplc_admdvs;
    const curr = patient.fsi_encounter_dtos[0]!;
    curr.medins_id = inst.fixmedins_code;
    curr.medins_name = inst.fixmedins_name;
    curr.medins_lv = inst.hosp_lv;
    curr.insutype = person.insutype;
    // the institution's own doctors on its current orders (history stays as sent: other hospitals' doctors)
    const doctor = inst.doctors[i % inst.doctors.length];
    if (doctor) for (const o of curr.fsi_order_dtos ?? []) o.drord_dr_codg = doctor.prac_code;
    return { inst, claim };
  });
}

export async function benchAuditHttp(o: AuditHttpOptions = {}): Promise<AuditHttpResult> {
  const base = (o.pgUrl ?? process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
  const log = o.log ?? ((l: string) => console.log(l));
  const rate = o.rate ?? AUDIT_HTTP_TARGETS.rate;
  const database = `yibao_bench_audit_${Date.now()}`;
  const databaseUrl = `${base}/${database}`;
  await admin(base, `create database ${database}`);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    server = await startServer({ port: o.port ?? 18620, databaseUrl });
    log(`服务已就绪（数据库 ${database}），扩充知识库 …`);
    const db = await openDb({ databaseUrl, dataDir: '' });
    let world: SimWorld;
    let kbRows: Record<string, number>;
    let rules: number;
    try {
      world = await prepareWorld(db, { institutions: 10, actor: { ...SYSTEM_ACTOR, name: '系统（审核压测）' } });
      await enlargeKnowledge(db, AUDIT_HTTP_TARGETS.kbRows);
      kbRows = await kbCounts(db);
      rules = Number((await db.k.selectFrom('audit_rule').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    } finally {
      await db.close();
    }
    // the server caches the knowledge snapshot; a restart makes it read the enlarged base at once
    await server.stop();
    server = await startServer({ port: o.port ?? 18620, databaseUrl, nodeFlags: o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`] : [] });

    const recorder = new Recorder();
    const client = new HisClient(server.url, 256, recorder);
    const durationMs = (o.durationSeconds ?? 30) * 1000;
    const warmupMs = (o.warmupSeconds ?? 5) * 1000;
    const total = Math.ceil((rate * (durationMs + warmupMs)) / 1000);
    const requests = requestsFor(world, Math.min(total, 4000), o.lines ?? 50);
    const signNos = new Map<string, string>();
    for (const inst of world.institutions) signNos.set(inst.fixmedins_code, await client.signIn(inst, inst.opters[0]!));

    const scheduled = new LatencyHistogram();
    const errors = new Map<string, number>();
    let answered = 0;
    let hits = 0;
    const pending: Promise<void>[] = [];
    const start = performance.now();
    const intervalMs = 1000 / rate;
    for (let i = 0; i < total; i++) {
      const at = start + i * intervalMs;
      const wait = at - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const { inst, claim } = requests[i % requests.length]!;
      const measured = at >= start + warmupMs;
      pending.push(
        client
          .call<{ result?: unknown[] }>(inst, inst.opters[0]!, signNos.get(inst.fixmedins_code)!, '3102', { data: { ...claim, task_id: `B${i}` } })
          .then((a) => {
            if (!measured) return;
            answered++;
            hits += Array.isArray(a.output.result) ? a.output.result.length : 0;
            scheduled.record(performance.now() - at);
          })
          .catch((e: unknown) => {
            if (!measured) return;
            const m = e instanceof CallFailed ? e.message : String(e);
            errors.set(m.slice(0, 200), (errors.get(m.slice(0, 200)) ?? 0) + 1);
            scheduled.record(performance.now() - at);
          }),
      );
    }
    await Promise.all(pending);
    const elapsedMs = performance.now() - start - warmupMs;
    client.close();
    const { loadavg } = await import('node:os');
    const service = recorder.counts().transactions.find((t) => t.infno === '3102')!;
    const kbTotal = kbTotalOf(kbRows);
    return {
      rate,
      sent: total,
      answered,
      errors: [...errors.entries()].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count),
      latency: scheduled.summary(),
      service,
      kbRows,
      kbTotal,
      rules,
      hitsPerRequest: answered ? Math.round((hits / answered) * 100) / 100 : 0,
      elapsedMs: Math.round(elapsedMs),
      loadAverage: Math.round(loadavg()[0]! * 100) / 100,
    };
  } finally {
    await server?.stop();
    if (!o.keep) await admin(base, `drop database if exists ${database} with (force)`).catch((e: Error) => log(`未能删除数据库 ${database}：${e.message}`));
  }
}

const ok = (pass: boolean) => (pass ? '✓' : '✗');

/** The docs/benchmarks.md section. */
export function formatAuditHttpBench(r: AuditHttpResult, machine: string, date: string): string {
  const errs = r.errors.reduce((s, e) => s + e.count, 0);
  const row = (name: string, s: LatencySummary) => `| ${name} | ${s.count} | ${s.mean} | ${s.p50} | ${s.p95} | ${s.p99} | ${s.p999} | ${s.max} |`;
  return [
    '## 事中 audit 3102 over HTTP at a fixed arrival rate (PostgreSQL, load generator on the same machine)',
    '',
    `Measured by \`npm run bench -- audit-http\` on ${date}; machine: ${machine}; load average at the end ${r.loadAverage}.`,
    `Server \`yibao serve\` on a fresh PostgreSQL database with the demo region; ${r.rules} rules in the rule base; knowledge tables`,
    `${r.kbTotal.toLocaleString('en')} rows (${Object.entries(r.kbRows).map(([k, n]) => `${k} ${n.toLocaleString('en')}`).join(', ')}).`,
    `Requests: 3102 with 50 current lines and two history encounters of 10 lines, ${r.hitsPerRequest} results per request on average;`,
    `sent open-loop at ${r.rate}/s for ${(r.elapsedMs / 1000).toFixed(1)} s after a warm-up; latency counted from each request's scheduled time.`,
    '',
    '| target | measured | |',
    '|---|---|---|',
    `| p99 ≤ ${AUDIT_HTTP_TARGETS.p99Ms} ms at ${AUDIT_HTTP_TARGETS.rate} req/s | p99 ${r.latency.p99} ms at ${r.rate} req/s | ${ok(r.latency.p99 <= AUDIT_HTTP_TARGETS.p99Ms && r.rate >= AUDIT_HTTP_TARGETS.rate)} |`,
    `| knowledge base ≥ ${AUDIT_HTTP_TARGETS.kbRows.toLocaleString('en')} rows | ${r.kbTotal.toLocaleString('en')} | ${ok(r.kbTotal >= AUDIT_HTTP_TARGETS.kbRows)} |`,
    `| no errors | ${errs} of ${r.answered + errs} | ${ok(errs === 0)} |`,
    '',
    '| latency (ms) | requests | mean | p50 | p95 | p99 | p99.9 | max |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    row('from scheduled time', r.latency),
    row('as the client sees it', r.service),
    ...(r.errors.length ? ['', 'Errors:', '', ...r.errors.slice(0, 10).map((e) => `- ${e.count} × ${e.message}`)] : []),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '200' },
      duration: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '5' },
      pg: { type: 'string' },
      'cpu-prof': { type: 'string' },
      keep: { type: 'boolean' },
    },
  });
  const r = await benchAuditHttp({
    rate: Number(values.rate),
    durationSeconds: Number(values.duration),
    warmupSeconds: Number(values.warmup),
    ...(values.pg ? { pgUrl: values.pg } : {}),
    ...(values['cpu-prof'] ? { cpuProfDir: values['cpu-prof'] } : {}),
    keep: Boolean(values.keep),
  });
  console.log(formatAuditHttpBench(r, `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`, new Date().toISOString().slice(0, 10)));
}
