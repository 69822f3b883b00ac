import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type Db } from './db.js';
import { migrate } from './migrations.js';
import { SYSTEM_ACTOR } from './oplog.js';
import { getJob, jobView, listJobs, runJob, startJob, STALE_MS } from './jobs.js';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
  await migrate(db);
}, 300_000);
afterAll(async () => db?.close());

describe('long jobs', () => {
  it('records progress, then the result, and estimates the time left from the rate so far', async () => {
    const job = await startJob(db, SYSTEM_ACTOR, 'test', { a: 1 }, { total: 10, stage: '准备' });
    await job.progress({ done: 5, stage: '处理中' }, true);
    const mid = await getJob(db, job.job_id);
    expect(mid).toMatchObject({ status: 'running', done: 5, total: 10, ratio: 0.5, stage: '处理中' });
    expect(mid.eta_s).not.toBeNull();
    await job.finish({ rows: 10 });
    const end = await getJob(db, job.job_id);
    expect(end).toMatchObject({ status: 'done', result: { rows: 10 }, eta_s: null });
    expect(end.end_time).not.toBeNull();
  });

  it('a failing job is marked failed with its message and the error reaches the caller', async () => {
    await expect(runJob(db, SYSTEM_ACTOR, 'test-fail', {}, async () => { throw new Error('磁盘已满'); })).rejects.toThrow('磁盘已满');
    const [last] = await listJobs(db, { kind: 'test-fail' });
    expect(last).toMatchObject({ status: 'failed', err_msg: '磁盘已满' });
  });

  it('a running job with a stale heartbeat reads as interrupted', () => {
    const t = new Date('2026-01-01T00:00:00Z');
    const v = jobView({ job_id: 'j', kind: 'k', params: {}, status: 'running', admdvs: null, opter_id: 's', opter_name: 's',
      total: null, done: 0, stage: null, result: null, err_msg: null, start_time: t, heartbeat: t, end_time: null }, t.getTime() + STALE_MS + 1);
    expect(v.status).toBe('interrupted');
  });

  it('an unknown job is a Chinese not-found error', async () => {
    await expect(getJob(db, 'nope')).rejects.toThrow('任务 nope 不存在');
  });
});
