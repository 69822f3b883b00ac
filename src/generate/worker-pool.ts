/**
 * Runs ChunkJobs on N worker threads (worker.ts), or in the calling thread when N is 0. Jobs go to whichever
 * worker is free; the caller decides the order results are used in (run.ts writes them in chunk order).
 * Under tsx (a .ts source tree: tests, benchmarks) a worker first registers tsx's loader; the compiled tree
 * (dist/) starts worker.js directly.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ChunkResult } from './chunk.js';
import { ChunkGenerator, type ChunkJob, type ChunkSpec } from './worker-gen.js';

type Reply = { ok: true; result: ChunkResult } | { ok: false; index: number; message: string; stack?: string };

interface Task {
  job: ChunkJob;
  resolve: (r: ChunkResult) => void;
  reject: (e: Error) => void;
}

const YOUNG_GENERATION_MB = 96;

function startWorker(spec: ChunkSpec): Worker {
  const self = import.meta.url;
  // a young generation twice V8's default (semi-spaces of 32 MB, as --max-semi-space-size=32): a chunk allocates
  // millions of short-lived rows and strings, and fewer scavenges promote fewer of them (some 5 % less CPU)
  const options = { workerData: spec, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } };
  if (!self.endsWith('.ts')) return new Worker(new URL('./worker.js', self), options);
  // the ESM build of tsx's API (require.resolve finds the CommonJS one, whose register() cannot find its loader)
  const tsx = pathToFileURL(createRequire(self).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./worker.ts', self).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

export class ChunkPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task>();
  private readonly queue: Task[] = [];
  private local?: ChunkGenerator;
  private failed?: Error;

  constructor(
    spec: ChunkSpec,
    readonly workers: number,
  ) {
    if (workers === 0) {
      this.local = new ChunkGenerator(spec);
      return;
    }
    for (let i = 0; i < workers; i++) {
      const w = startWorker(spec);
      w.on('message', (reply: Reply) => this.answered(w, reply));
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`生成工作线程异常退出（退出码 ${code}）`));
      });
      this.idle.push(w);
    }
  }

  run(job: ChunkJob): Promise<ChunkResult> {
    if (this.local) {
      const local = this.local;
      return new Promise((resolve) => setImmediate(resolve)).then(() => local.generate(job));
    }
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.pop()!;
      const task = this.queue.shift()!;
      this.busy.set(w, task);
      w.postMessage(task.job);
    }
  }

  private answered(w: Worker, reply: Reply): void {
    const task = this.busy.get(w);
    if (!task) return;
    this.busy.delete(w);
    this.idle.push(w);
    if (reply.ok) task.resolve(reply.result);
    else {
      const e = new Error(reply.message);
      if (reply.stack) e.stack = reply.stack;
      task.reject(e);
    }
    this.dispatch();
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const t of [...this.busy.values(), ...this.queue.splice(0)]) t.reject(this.failed);
    this.busy.clear();
  }

  async close(): Promise<void> {
    const all = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    this.busy.clear();
    await Promise.all(all.map((w) => w.removeAllListeners('exit').terminate()));
  }
}
