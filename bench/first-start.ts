/**
 * Benchmark: first start of `yibao serve` on the embedded PGlite — cold (empty data folder: migrate, load the
 * national standards and the demo region) and warm (the same folder again) — and the server's memory.
 * Runs the real command as a user would, measures until /health answers 200, reads peak RSS (VmHWM) from /proc.
 *
 *   npm run bench -- first-start [--runs 3]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StartSample {
  ms: number;
  rssMb: number;
  peakMb: number;
}

function memOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

async function waitHealthy(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      if (r.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`服务未在限定时间内就绪：${url}`);
}

export async function startOnce(dataDir: string, port: number): Promise<StartSample> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/yibao.js', 'serve', '--port', String(port), '--data', dataDir], {
    env: { ...process.env, YIBAO_LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await waitHealthy(`http://127.0.0.1:${port}/health`, Date.now() + 600_000);
    const ms = Math.round(performance.now() - t0);
    return { ms, ...memOf(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
};

export async function benchFirstStart(runs: number): Promise<{ cold: StartSample[]; warm: StartSample[] }> {
  const cold: StartSample[] = [];
  const warm: StartSample[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'yibao-bench-'));
    try {
      cold.push(await startOnce(dir, 18080 + i));
      warm.push(await startOnce(dir, 18180 + i));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { cold, warm };
}
