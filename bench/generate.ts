/**
 * Benchmark: the synthetic region generator (src/generate) to Parquet. Times the fixed world (demo catalogue,
 * institutions, policies) apart from the streaming part, and reports persons/s, fee lines/s and all rows/s of
 * the streaming part, the output size on disk and the peak resident memory (sampled every 100 ms and from
 * process.resourceUsage().maxRSS). Writes to a temporary directory it removes afterwards unless --keep.
 *
 *   node --import tsx bench/generate.ts [--persons 20000] [--months 12] [--seed 1] [--out DIR] [--keep]
 *
 * Exports runGenerateBench() and formatGenerateBench() so that bench/run.ts can record the result in
 * docs/benchmarks.md.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateRegion } from '../src/generate/run.js';
import { buildWorld } from '../src/generate/world.js';

export interface GenerateBench {
  persons: number;
  months: number;
  worldMs: number;
  totalMs: number;
  encounters: number;
  feeLines: number;
  rows: number;
  personsPerS: number;
  linesPerS: number;
  rowsPerS: number;
  bytes: number;
  peakRssMb: number;
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? dirBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  return n;
}

export async function runGenerateBench(opts: { persons: number; months: number; seed: number; out?: string; keep?: boolean }): Promise<GenerateBench> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  const parent = opts.out ? undefined : mkdtempSync(join(tmpdir(), 'yibao-bench-gen-'));
  const out = opts.out ?? join(parent!, 'out');
  try {
    const w0 = performance.now();
    buildWorld(opts.seed);
    const worldMs = performance.now() - w0;
    const t0 = performance.now();
    let encounters = 0;
    const manifest = await generateRegion({ seed: opts.seed, persons: opts.persons, months: opts.months }, { out }, (p) => {
      encounters = p.encounters;
    });
    const totalMs = performance.now() - t0;
    // generateRegion builds the world again; the streaming part is the rest
    const streamS = Math.max(0.001, (totalMs - worldMs) / 1000);
    const rows = Object.values(manifest.tables).reduce((s, t) => s + t.rows, 0);
    const bytes = dirBytes(out);
    peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
    return {
      persons: opts.persons,
      months: opts.months,
      worldMs: Math.round(worldMs),
      totalMs: Math.round(totalMs),
      encounters,
      feeLines: manifest.tables.feedetl.rows,
      rows,
      personsPerS: Math.round(opts.persons / streamS),
      linesPerS: Math.round(manifest.tables.feedetl.rows / streamS),
      rowsPerS: Math.round(rows / streamS),
      bytes,
      peakRssMb: Math.round(peak / 1024 / 1024),
    };
  } finally {
    clearInterval(timer);
    if (parent && !opts.keep) rmSync(parent, { recursive: true, force: true });
  }
}

/** The docs/benchmarks.md section for bench/run.ts (`sections.generate = formatGenerateBench(await runGenerateBench(…))`). */
export function formatGenerateBench(r: GenerateBench): string {
  return [
    '## Synthetic region generator (`yibao generate` to Parquet)',
    '',
    `${r.persons.toLocaleString('en')} persons × ${r.months} months: ${r.encounters.toLocaleString('en')} encounters, ${r.feeLines.toLocaleString('en')} fee lines, ` +
      `${r.rows.toLocaleString('en')} rows, ${(r.bytes / 1024 / 1024).toFixed(1)} MB of Parquet in ${(r.totalMs / 1000).toFixed(1)} s ` +
      `(world ${r.worldMs} ms).`,
    '',
    '| fee lines/s | rows/s | persons/s | peak RSS |',
    '|---|---|---|---|',
    `| ${r.linesPerS.toLocaleString('en')} | ${r.rowsPerS.toLocaleString('en')} | ${r.personsPerS.toLocaleString('en')} | ${r.peakRssMb} MB |`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { persons: { type: 'string' }, months: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, keep: { type: 'boolean' } } });
  const r = await runGenerateBench({
    persons: Number(values.persons ?? 20_000),
    months: Number(values.months ?? 12),
    seed: Number(values.seed ?? 1),
    ...(values.out ? { out: values.out } : {}),
    keep: values.keep ?? false,
  });
  console.log(`synthetic region → Parquet: ${r.persons} persons × ${r.months} months`);
  console.log(`  world (catalogue, institutions, policies): ${r.worldMs} ms`);
  console.log(`  total ${(r.totalMs / 1000).toFixed(1)} s; ${r.encounters} encounters, ${r.feeLines} fee lines, ${r.rows} rows, ${(r.bytes / 1024 / 1024).toFixed(1)} MB Parquet`);
  console.log(`  streaming: ${r.personsPerS} persons/s, ${r.linesPerS} fee lines/s, ${r.rowsPerS} rows/s`);
  console.log(`  peak RSS ${r.peakRssMb} MB`);
}
