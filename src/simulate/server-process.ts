/**
 * A yibao server in a child process, started from the source tree (node --import tsx, so a bench or crash test
 * measures the code as it is, not a stale dist/), for the settlement bench and the crash test: start it on a port
 * with a PGlite folder or a PostgreSQL URL, wait for /health, stop it politely (SIGTERM) or kill it (SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerOptions {
  port: number;
  /** PostgreSQL URL; when empty, the embedded PGlite in dataDir. */
  databaseUrl?: string;
  dataDir?: string;
  /** Extra environment (YIBAO_DEMO_PERSONS …). */
  env?: Record<string, string>;
  /** Extra node flags (e.g. --cpu-prof --cpu-prof-dir=…). */
  nodeFlags?: string[];
  /** How long to wait for /health (default 10 minutes: a first start loads the demo region). */
  timeoutMs?: number;
  /** Where the server's stdout/stderr go (default: ignored / inherited). */
  stdio?: 'inherit' | 'ignore';
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** SIGTERM and wait (the server closes its database cleanly). */
  stop(): Promise<number | string>;
  /** SIGKILL and wait: no clean-up of any kind. */
  kill(): Promise<number | string>;
}

/** A TCP port free right now on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('无法取得空闲端口'))));
    });
  });
}

export async function waitHealthy(url: string, deadline: number, exited?: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited?.then(() => (gone = true));
  while (Date.now() < deadline && !gone) {
    try {
      const r = await fetch(`${url}/health`);
      if (r.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(gone ? `服务进程已退出，未能就绪：${url}` : `服务未在限定时间内就绪：${url}`);
}

export async function startServer(opts: ServerOptions): Promise<ServerProcess> {
  const args = ['serve', '--port', String(opts.port), ...(opts.dataDir ? ['--data', opts.dataDir] : [])];
  const script = `const m = await import(${JSON.stringify(new URL('../cli/main.ts', import.meta.url).href)}); process.exitCode = await m.run(${JSON.stringify(args)});`;
  const child = spawn(process.execPath, [...(opts.nodeFlags ?? []), '--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, YIBAO_LOG_LEVEL: 'warn', ...opts.env, DATABASE_URL: opts.databaseUrl ?? '' },
    stdio: ['ignore', opts.stdio ?? 'ignore', opts.stdio === 'ignore' ? 'ignore' : 'inherit'],
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = `http://127.0.0.1:${opts.port}`;
  const signalAndWait = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    return exited;
  };
  try {
    await waitHealthy(url, Date.now() + (opts.timeoutMs ?? 600_000), exited);
  } catch (e) {
    await signalAndWait('SIGKILL');
    throw e;
  }
  return { url, child, exited, stop: () => signalAndWait('SIGTERM'), kill: () => signalAndWait('SIGKILL') };
}
