/**
 * Benchmark: the synthetic region generator (src/generate, `yibao generate`) to Parquet and to PostgreSQL by COPY.
 * Reports, per sink, the wall time of the whole run (world, chunks, writing), persons/s, encounters/s, fee
 * lines/s and all rows/s over that time, the output size (Parquet), and the peak resident memory of this
 * process — the main thread, the worker threads and DuckDB, sampled every 100 ms (and, for the first run of the
 * process, from process.resourceUsage().maxRSS); the PostgreSQL server's own memory is not in it — and the resident
 * memory after each tenth of the persons (flat when memory is bounded). Also the CPU time of the process, steadier
 * than wall time on a busy machine.
 *
 *   node --import tsx bench/generate.ts [--persons 20000] [--months 12] [--full] [--workers N] [--db] [--no-parquet]
 *
 * Quick default: 20,000 persons × 12 months to Parquet. --full: 1,000,000 persons × 5 months (some 11 million fee
 * lines, the issue's 1M persons / 10M lines target). --db also loads into PostgreSQL (DATABASE_URL): a schema of
 * its own is created, migrated and dropped afterwards. Parquet goes to a temporary directory removed afterwards
 * unless --keep.
 *
 * Exports runGenerateBench() and formatGenerateBench() so that bench/run.ts can record the results in
 * docs/benchmarks.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDb } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrations.js';
import { loadNationalStandards } from '../src/standards/national-load.js';
import { defaultWorkers, generateRegion, type GenerateSinks } from '../src/generate/run.js';
import { buildWorld } from '../src/generate/world.js';

export type GenerateSink = 'parquet' | 'postgres';

export interface GenerateBench {
  sink: GenerateSink;
  persons: number;
  months: number;
  workers: number;
  cores: number;
  worldMs: number;
  totalMs: number;
  encounters: number;
  feeLines: number;
  rows: number;
  personsPerS: number;
  encountersPerS: number;
  linesPerS: number;
  rowsPerS: number;
  /** CPU time of this process (all threads) during the run: on a busy machine a steadier measure than wall time. */
  cpuS: number;
  /** Parquet bytes on disk (0 for PostgreSQL). */
  bytes: number;
  peakRssMb: number;
  /** Resident memory (MB) after each tenth of the persons is written: flat when memory is bounded by the chunk. */
  rssMbByTenth: number[];
}

export interface GenerateBenchOptions {
  sink: GenerateSink;
  persons: number;
  months: number;
  seed: number;
  workers?: number;
  /** Parquet: write here and keep it. */
  out?: string;
  keep?: boolean;
  /** PostgreSQL: the server (default DATABASE_URL). */
  databaseUrl?: string;
}

/** process.resourceUsage().maxRSS is the process's lifetime peak: it only speaks for the first run in a process. */
let firstRun = true;

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? dirBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  return n;
}

async function admin(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

export async function runGenerateBench(opts: GenerateBenchOptions): Promise<GenerateBench> {
  const workers = opts.workers ?? defaultWorkers();
  const w0 = performance.now();
  buildWorld(opts.seed);
  const worldMs = performance.now() - w0;

  let parent: string | undefined;
  let out: string | undefined;
  let schema: string | undefined;
  const url = opts.databaseUrl ?? process.env.DATABASE_URL;
  const sinks: GenerateSinks = {};
  if (opts.sink === 'parquet') {
    parent = opts.out ? undefined : mkdtempSync(join(tmpdir(), 'yibao-bench-gen-'));
    out = opts.out ?? join(parent!, 'out');
    sinks.out = out;
  } else {
    if (!url) throw new Error('bench/generate --db 需要 DATABASE_URL（PostgreSQL）');
    schema = `bench_gen_${randomBytes(5).toString('hex')}`;
    await admin(url, `create schema ${schema}`);
    sinks.db = await openDb({ databaseUrl: url, dataDir: '' }, schema);
    await migrate(sinks.db);
    await loadNationalStandards(sinks.db);
    sinks.pgCopy = { url, schema };
  }

  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  try {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let encounters = 0;
    const rssMbByTenth: number[] = [];
    const manifest = await generateRegion(
      { seed: opts.seed, persons: opts.persons, months: opts.months },
      sinks,
      (p) => {
        encounters = p.encounters;
        while (p.persons >= ((rssMbByTenth.length + 1) * p.total) / 10) rssMbByTenth.push(Math.round(process.memoryUsage().rss / 1024 / 1024));
      },
      { workers },
    );
    const totalMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const s = Math.max(0.001, totalMs / 1000);
    const rows = Object.values(manifest.tables).reduce((n, t) => n + t.rows, 0);
    if (firstRun) peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
    firstRun = false;
    return {
      sink: opts.sink,
      persons: opts.persons,
      months: opts.months,
      workers,
      cores: availableParallelism(),
      worldMs: Math.round(worldMs),
      totalMs: Math.round(totalMs),
      encounters,
      feeLines: manifest.tables.feedetl.rows,
      rows,
      personsPerS: Math.round(opts.persons / s),
      encountersPerS: Math.round(encounters / s),
      linesPerS: Math.round(manifest.tables.feedetl.rows / s),
      rowsPerS: Math.round(rows / s),
      cpuS: Math.round((cpu.user + cpu.system) / 1e5) / 10,
      bytes: out ? dirBytes(out) : 0,
      peakRssMb: Math.round(peak / 1024 / 1024),
      rssMbByTenth,
    };
  } finally {
    clearInterval(timer);
    if (parent && !opts.keep) rmSync(parent, { recursive: true, force: true });
    await sinks.db?.close();
    if (schema && url) await admin(url, `drop schema ${schema} cascade`);
  }
}

const n = (x: number) => x.toLocaleString('en');

/** The docs/benchmarks.md section for bench/run.ts (`sections.generate = formatGenerateBench([await runGenerateBench(…), …])`). */
export function formatGenerateBench(results: GenerateBench[]): string {
  const lines = ['## Synthetic region generator (`yibao generate`)', ''];
  for (const r of results) {
    lines.push(
      `- ${r.sink === 'parquet' ? 'Parquet' : 'PostgreSQL (COPY)'}: ${n(r.persons)} persons × ${r.months} months, ${r.workers} worker threads on ${r.cores} cores: ` +
        `${n(r.encounters)} encounters, ${n(r.feeLines)} fee lines, ${n(r.rows)} rows` +
        (r.bytes ? `, ${(r.bytes / 1024 / 1024).toFixed(1)} MB of Parquet` : '') +
        ` in ${(r.totalMs / 1000).toFixed(1)} s (world ${r.worldMs} ms; ${r.cpuS} CPU-seconds in this process).`,
    );
  }
  lines.push('', '| sink | persons/s | encounters/s | fee lines/s | rows/s | peak RSS |', '|---|---|---|---|---|---|');
  for (const r of results) {
    lines.push(`| ${r.sink === 'parquet' ? 'Parquet' : 'PostgreSQL COPY'} | ${n(r.personsPerS)} | ${n(r.encountersPerS)} | ${n(r.linesPerS)} | ${n(r.rowsPerS)} | ${r.peakRssMb} MB |`);
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      persons: { type: 'string' },
      months: { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      full: { type: 'boolean' },
      db: { type: 'boolean' },
      'no-parquet': { type: 'boolean' },
      out: { type: 'string' },
      keep: { type: 'boolean' },
    },
  });
  const persons = Number(values.persons ?? (values.full ? 1_000_000 : 20_000));
  const months = Number(values.months ?? (values.full ? 5 : 12));
  const seed = Number(values.seed ?? 1);
  const workers = values.workers !== undefined ? Number(values.workers) : undefined;
  const sinks: GenerateSink[] = [...(values['no-parquet'] ? [] : (['parquet'] as const)), ...(values.db ? (['postgres'] as const) : [])];
  const results: GenerateBench[] = [];
  for (const sink of sinks) {
    const r = await runGenerateBench({ sink, persons, months, seed, ...(workers !== undefined ? { workers } : {}), ...(values.out ? { out: values.out } : {}), keep: values.keep ?? false });
    results.push(r);
    console.log(`synthetic region → ${sink}: ${r.persons} persons × ${r.months} months, ${r.workers} workers`);
    console.log(`  total ${(r.totalMs / 1000).toFixed(1)} s, ${r.cpuS} CPU-s (world ${r.worldMs} ms); ${r.encounters} encounters, ${r.feeLines} fee lines, ${r.rows} rows${r.bytes ? `, ${(r.bytes / 1024 / 1024).toFixed(1)} MB Parquet` : ''}`);
    console.log(`  ${r.personsPerS} persons/s, ${r.encountersPerS} encounters/s, ${r.linesPerS} fee lines/s, ${r.rowsPerS} rows/s; peak RSS ${r.peakRssMb} MB`);
    console.log(`  RSS after each tenth of the persons: ${r.rssMbByTenth.join(' → ')} MB`);
  }
  console.log(`\n${formatGenerateBench(results)}`);
}
