/**
 * A simulation run: C workers, each one HIS terminal (an institution and one of its operators, institutions taken in
 * turn), each playing flows back to back until the time is up or the flow budget is spent; each worker owns its own
 * slice of its pool's persons, so no two concurrent flows touch the same person (a real hospital does not settle one
 * patient twice at once). A person whose inpatient flow failed midway is not admitted again in this run. Counts go
 * to one Recorder; the result is the run's counts with its elapsed time and rates.
 */
import { Rng } from '../demo/prng.js';
import { validationError } from '../platform/errors.js';
import { CallFailed, HisClient } from './his-client.js';
import { FLOWS, type FlowEnv } from './flows.js';
import { Recorder, type FlowKind, type RunCounts } from './recorder.js';
import type { SimPerson, SimWorld } from './world.js';

export type FlowMix = FlowKind | 'mixed';

export interface LoadOptions {
  url: string;
  world: SimWorld;
  concurrency: number;
  /** Institutions used (the first N of the world; default all). */
  institutions?: number;
  /** Stop starting flows after this many ms (a flow under way finishes). */
  durationMs?: number;
  /** Stop after this many flows in all (for tests: a fixed amount of work). */
  flows?: number;
  flow: FlowMix;
  /** Share of inpatient flows in a mixed run (default 0.1). */
  inpatientShare?: number;
  reversalRate?: number;
  inpatientLines?: number;
  seed?: number;
  /** Called about once a second with the recorder (progress lines). */
  onTick?: (r: Recorder, elapsedMs: number) => void;
  /** Stops the run early (e.g. Ctrl+C): flows under way finish. */
  signal?: AbortSignal;
}

export interface LoadResult extends RunCounts {
  flow: FlowMix;
  concurrency: number;
  institutions: number;
  elapsedMs: number;
  /** Completed flows per second over the run. */
  flowsPerSecond: number;
  callsPerSecond: number;
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) throw validationError('并发数应为正整数', [{ field: 'concurrency', message: '应为正整数' }]);
  if (opts.durationMs === undefined && opts.flows === undefined) throw validationError('须给出运行时长或流程数', [{ field: 'duration', message: '缺少' }]);
  const insts = opts.world.institutions.slice(0, opts.institutions ?? opts.world.institutions.length);
  if (!insts.length) throw validationError('没有可用的定点医疗机构', [{ field: 'institutions', message: '为 0' }]);
  const recorder = new Recorder();
  const client = new HisClient(opts.url, opts.concurrency, recorder);
  const root = new Rng(opts.seed ?? 20260101);
  const t0 = performance.now();
  const deadline = opts.durationMs === undefined ? Infinity : t0 + opts.durationMs;
  let budget = opts.flows ?? Infinity;
  const tick = opts.onTick ? setInterval(() => opts.onTick!(recorder, performance.now() - t0), 1000) : null;

  // each worker's persons: its pool's list dealt out among the workers of that pool
  const workersOfPool = new Map<string, number[]>();
  for (let w = 0; w < opts.concurrency; w++) {
    const pool = insts[w % insts.length]!.pool;
    workersOfPool.set(pool, [...(workersOfPool.get(pool) ?? []), w]);
  }
  const slice = (w: number): SimPerson[] => {
    const pool = insts[w % insts.length]!.pool;
    const ws = workersOfPool.get(pool)!;
    const k = ws.indexOf(w);
    return (opts.world.persons[pool] ?? []).filter((_, i) => i % ws.length === k);
  };

  async function worker(w: number): Promise<void> {
    const inst = insts[w % insts.length]!;
    const rng = root.fork(`worker-${w}`);
    const persons = slice(w);
    if (!persons.length) return;
    const env: FlowEnv = {
      client,
      recorder,
      world: opts.world,
      rng,
      inst,
      opter: inst.opters[Math.floor(w / insts.length) % inst.opters.length]!,
      tag: w.toString(36).padStart(2, '0'),
      reversalRate: opts.reversalRate ?? 0.02,
      inpatientLines: opts.inpatientLines ?? 200,
    };
    const blocked = new Set<string>();
    let next = 0;
    while (performance.now() < deadline && budget > 0 && !opts.signal?.aborted) {
      budget--;
      const kind: FlowKind = opts.flow === 'mixed' ? (rng.chance(opts.inpatientShare ?? 0.1) ? 'inpatient' : 'outpatient') : opts.flow;
      let p = persons[next++ % persons.length]!;
      for (let tries = 0; kind === 'inpatient' && blocked.has(p.psn_no) && tries < persons.length; tries++) p = persons[next++ % persons.length]!;
      try {
        await FLOWS[kind](env, p);
        recorder.flow(kind, true);
      } catch (e) {
        if (!(e instanceof CallFailed)) throw e;
        recorder.flow(kind, false);
        if (kind === 'inpatient') blocked.add(p.psn_no);
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: opts.concurrency }, (_, w) => worker(w)));
  } finally {
    if (tick) clearInterval(tick);
    client.close();
  }
  const elapsedMs = performance.now() - t0;
  const counts = recorder.counts();
  const done = counts.flows.outpatient.done + counts.flows.inpatient.done;
  return {
    ...counts,
    flow: opts.flow,
    concurrency: opts.concurrency,
    institutions: insts.length,
    elapsedMs: Math.round(elapsedMs),
    flowsPerSecond: Math.round((done / elapsedMs) * 1000 * 10) / 10,
    callsPerSecond: Math.round((recorder.calls / elapsedMs) * 1000),
  };
}
