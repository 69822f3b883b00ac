/**
 * Runs the benchmarks and writes docs/benchmarks.md with the machine and the date.
 *   npm run bench                 all benchmarks
 *   npm run bench -- first-start  one of them (first-start, drg, audit-realtime, audit-http, settlement, generate, audit-batch, payment;
 *                                 the last three — long: 20,000-person regions, 1,000,000 settlement lists — run only when named)
 * Options: --runs N (default 3). The settlement bench needs PostgreSQL (postgres://postgres@127.0.0.1:5432, or
 * BENCH_PG_URL) and takes about two minutes plus the first start.
 */
import { cpus, totalmem } from 'node:os';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { benchFirstStart, median } from './first-start.js';
import { benchDrg, describeDrgBench } from './drg.js';
import { benchAuditRealtime, formatAuditBench } from './audit-realtime.js';
import { benchSettlement, formatSettlementBench } from './settlement.js';
import { benchAuditHttp, formatAuditHttpBench } from './audit-http.js';
import { formatGenerateBench, runGenerateBench } from './generate.js';
import { formatAuditBatchBench, runAuditBatchBench } from './audit-batch.js';
import { benchPayment, formatPaymentBench } from './payment.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const which = new Set(positionals.length ? positionals : ['first-start', 'drg', 'audit-realtime', 'audit-http', 'settlement']);

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
const date = new Date().toISOString().slice(0, 10);
const sections: Record<string, string> = {};

if (which.has('first-start')) {
  const { cold, warm } = await benchFirstStart(runs);
  const row = (name: string, s: typeof cold) =>
    `| ${name} | ${median(s.map((x) => x.ms))} | ${s.map((x) => x.ms).join(', ')} | ${median(s.map((x) => x.rssMb))} | ${median(s.map((x) => x.peakMb))} |`;
  sections['first-start'] = [
    `## First start of \`yibao serve\` (PGlite, demo region)`,
    '',
    `Measured by \`npm run bench -- first-start --runs ${runs}\` on ${date}; machine: ${machine}.`,
    'Time is from spawning the process to the first 200 from `/health`. Cold = empty data folder (migrations,',
    'national standards, demo region); warm = the same folder started again. Memory is the server process (RSS after',
    'start, and peak VmHWM).',
    '',
    '| start | median ms | runs (ms) | RSS MiB | peak MiB |',
    '|---|---:|---|---:|---:|',
    row('cold', cold),
    row('warm', warm),
    '',
    `Ratio cold / warm (medians): ${(median(cold.map((x) => x.ms)) / median(warm.map((x) => x.ms))).toFixed(1)}×.`,
  ].join('\n');
  console.log(sections['first-start']);
}

if (which.has('drg')) {
  sections.drg = describeDrgBench(benchDrg(Math.max(runs, 5)), machine, date);
  console.log(sections.drg);
}

if (which.has('audit-realtime')) {
  sections['audit-realtime'] = formatAuditBench(benchAuditRealtime({ runs: Math.max(runs, 5) }));
  console.log(sections['audit-realtime']);
}

if (which.has('audit-http')) {
  sections['audit-http'] = formatAuditHttpBench(await benchAuditHttp(), machine, date);
  console.log(sections['audit-http']);
}

if (which.has('generate')) {
  // 20,000 persons × 12 months to Parquet, and into PostgreSQL by COPY when DATABASE_URL is set
  sections.generate = formatGenerateBench([
    await runGenerateBench({ sink: 'parquet', persons: 20_000, months: 12, seed: 1 }),
    ...(process.env.DATABASE_URL ? [await runGenerateBench({ sink: 'postgres', persons: 20_000, months: 12, seed: 1 })] : []),
  ]);
  console.log(sections.generate);
}

if (which.has('audit-batch')) {
  sections['audit-batch'] = formatAuditBatchBench(await runAuditBatchBench({ persons: 20_000, months: 12 }));
  console.log(sections['audit-batch']);
}

if (which.has('payment')) {
  sections.payment = formatPaymentBench(await benchPayment({ cases: 1_000_000 }), machine, date);
  console.log(sections.payment);
}

if (which.has('settlement')) {
  sections.settlement = formatSettlementBench(await benchSettlement(), machine, date);
  console.log(sections.settlement);
}

// Merge into docs/benchmarks.md: each benchmark owns the section that starts with its heading.
const path = 'docs/benchmarks.md';
let doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n\nEvery number here is written by a script under `bench/`; rerun with `npm run bench`.\n';
for (const [key, text] of Object.entries(sections)) {
  const marker = `<!-- bench:${key} -->`;
  const block = `${marker}\n${text}\n${marker.replace('bench:', '/bench:')}`;
  const re = new RegExp(`${marker}[\\s\\S]*?${marker.replace('bench:', '/bench:')}`);
  doc = re.test(doc) ? doc.replace(re, block) : `${doc.trimEnd()}\n\n${block}\n`;
}
writeFileSync(path, doc);
console.log(`已写入 ${path}`);
