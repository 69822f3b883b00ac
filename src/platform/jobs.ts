/**
 * Long server jobs (长任务): batch audit, snapshot export, a payment year run, data generation. A job is a row
 * of `job` (migration 0013) that its runner updates as it goes, so the CLI and the console can follow it by
 * polling. The runner owns the work; this module only records it. Progress writes are throttled so a job
 * reporting every row does not turn into a write per row. A job whose heartbeat is older than STALE_MS while
 * still 'running' died with its process; readers show it as 已中断 rather than pretending it still runs.
 */
import type { Generated, Selectable } from 'kysely';
import type { Db } from './db.js';
import { formatDatedId, nextSerial } from './ids.js';
import type { Actor } from './oplog.js';
import { notFound } from './errors.js';

export interface JobTable {
  job_id: string;
  kind: string;
  params: unknown;
  status: 'queued' | 'running' | 'done' | 'failed';
  admdvs: string | null;
  opter_id: string;
  opter_name: string;
  /** bigint as text from pg; number from PGlite — read through jobView. */
  total: string | number | null;
  done: Generated<string | number>;
  stage: string | null;
  result: unknown;
  err_msg: string | null;
  start_time: Generated<Date>;
  heartbeat: Generated<Date>;
  end_time: Date | null;
}

declare module './db.js' {
  interface Tables {
    job: JobTable;
  }
}

export const STALE_MS = 120_000;
const PROGRESS_EVERY_MS = 1_000;

export interface JobView {
  job_id: string;
  kind: string;
  params: unknown;
  /** running jobs with a stale heartbeat are reported as 'interrupted'. */
  status: JobTable['status'] | 'interrupted';
  admdvs: string | null;
  opter_id: string;
  opter_name: string;
  total: number | null;
  done: number;
  stage: string | null;
  /** done / total, 0–1, when the total is known. */
  ratio: number | null;
  /** seconds left, estimated from the rate so far, when the total is known. */
  eta_s: number | null;
  result: unknown;
  err_msg: string | null;
  start_time: string;
  end_time: string | null;
}

export function jobView(row: Selectable<JobTable>, now = Date.now()): JobView {
  const total = row.total === null ? null : Number(row.total);
  const done = Number(row.done);
  const started = new Date(row.start_time).getTime();
  const stale = row.status === 'running' && now - new Date(row.heartbeat).getTime() > STALE_MS;
  const ratio = total && total > 0 ? Math.min(1, done / total) : null;
  const elapsed = (now - started) / 1000;
  const eta_s = row.status === 'running' && ratio !== null && ratio > 0 ? Math.round((elapsed / ratio) * (1 - ratio)) : null;
  return {
    job_id: row.job_id,
    kind: row.kind,
    params: row.params,
    status: stale ? 'interrupted' : row.status,
    admdvs: row.admdvs,
    opter_id: row.opter_id,
    opter_name: row.opter_name,
    total,
    done,
    stage: row.stage,
    ratio,
    eta_s,
    result: row.result,
    err_msg: row.err_msg,
    start_time: new Date(row.start_time).toISOString(),
    end_time: row.end_time ? new Date(row.end_time).toISOString() : null,
  };
}

/** A running job's handle: report progress, then finish or fail exactly once. */
export interface JobHandle {
  readonly job_id: string;
  /** Throttled: writes at most once a second unless `force`. */
  progress(p: { done?: number; total?: number | null; stage?: string }, force?: boolean): Promise<void>;
  finish(result: unknown): Promise<void>;
  fail(err: unknown): Promise<void>;
}

export async function startJob(
  db: Db,
  actor: Actor,
  kind: string,
  params: unknown,
  opts: { admdvs?: string | null; total?: number | null; stage?: string } = {},
): Promise<JobHandle> {
  const job_id = formatDatedId(opts.admdvs ?? '000000', new Date(), await nextSerial(db, 'general'));
  await db.k
    .insertInto('job')
    .values({
      job_id,
      kind,
      params: JSON.stringify(params ?? {}),
      status: 'running',
      admdvs: opts.admdvs ?? null,
      opter_id: actor.id,
      opter_name: actor.name,
      total: opts.total ?? null,
      stage: opts.stage ?? null,
      result: null,
      err_msg: null,
      end_time: null,
    })
    .execute();
  let last = 0;
  let state: { done?: number; total?: number | null; stage?: string } = {};
  let ended = false;
  const write = async (): Promise<void> => {
    last = Date.now();
    await db.k
      .updateTable('job')
      .set({
        ...(state.done !== undefined ? { done: state.done } : {}),
        ...(state.total !== undefined ? { total: state.total } : {}),
        ...(state.stage !== undefined ? { stage: state.stage } : {}),
        heartbeat: new Date(),
      })
      .where('job_id', '=', job_id)
      .execute();
  };
  return {
    job_id,
    async progress(p, force = false) {
      state = { ...state, ...p };
      if (!ended && (force || Date.now() - last >= PROGRESS_EVERY_MS)) await write();
    },
    async finish(result) {
      if (ended) return;
      ended = true;
      await db.k
        .updateTable('job')
        .set({
          status: 'done',
          result: JSON.stringify(result ?? null),
          ...(state.done !== undefined ? { done: state.done } : {}),
          ...(state.total !== undefined ? { total: state.total } : {}),
          stage: '已完成',
          heartbeat: new Date(),
          end_time: new Date(),
        })
        .where('job_id', '=', job_id)
        .execute();
    },
    async fail(err) {
      if (ended) return;
      ended = true;
      const msg = err instanceof Error ? err.message : String(err);
      await db.k
        .updateTable('job')
        .set({ status: 'failed', err_msg: msg, heartbeat: new Date(), end_time: new Date() })
        .where('job_id', '=', job_id)
        .execute();
    },
  };
}

/** Run `work` as a job: finished with its result, or failed with its error (which is rethrown). */
export async function runJob<T>(
  db: Db,
  actor: Actor,
  kind: string,
  params: unknown,
  work: (job: JobHandle) => Promise<T>,
  opts: { admdvs?: string | null; total?: number | null; stage?: string } = {},
): Promise<T> {
  const job = await startJob(db, actor, kind, params, opts);
  try {
    const result = await work(job);
    await job.finish(result);
    return result;
  } catch (e) {
    await job.fail(e);
    throw e;
  }
}

export async function getJob(db: Db, job_id: string): Promise<JobView> {
  const row = await db.k.selectFrom('job').selectAll().where('job_id', '=', job_id).executeTakeFirst();
  if (!row) throw notFound(`任务 ${job_id} 不存在`);
  return jobView(row);
}

export async function listJobs(db: Db, filter: { kind?: string; limit?: number } = {}): Promise<JobView[]> {
  let q = db.k.selectFrom('job').selectAll().orderBy('start_time', 'desc').limit(filter.limit ?? 50);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  const rows = await q.execute();
  const now = Date.now();
  return rows.map((r) => jobView(r, now));
}
