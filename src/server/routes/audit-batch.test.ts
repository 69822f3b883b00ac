/**
 * POST /api/audit/batch over HTTP: who may start a run, the Chinese refusals (bad window, rules that cannot run, a
 * run already going), and a run started in the background followed through GET /api/jobs/:job_id to its end, with
 * its suspects written under the job's id.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { historyWriter } from '../../audit/batch/history.fixture.js';
import { installDefaultRules } from '../../audit/rules/store.js';
import { startJob, type JobView } from '../../platform/jobs.js';
import { createLogger } from '../../platform/logging.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import type { AppDeps } from '../app.js';
import { installAuth } from '../auth/hook.js';
import { installErrorHandling } from '../error-handler.js';
import { call, createTestWorld, loginAs, type TestWorld } from '../test-app.js';
import { auditBatchRoutes } from './audit-batch.js';
import { authRoutes } from './auth.js';
import { jobRoutes } from './jobs.js';

let w: TestWorld;
let app: FastifyInstance;
const tokens: Record<string, string> = {};
const as = <T = Record<string, unknown>>(user: string, url: string, method: 'GET' | 'POST' = 'GET', payload?: unknown) => call<T>(app, tokens[user]!, method, url, payload);
const H1 = 'H99010200001';
const H2 = 'H99020000002';
let overlapping = '';

/** The API as routes/index.ts mounts it, with this file's routes (registered there by the lead). */
async function apiWithBatch(deps: AppDeps): Promise<FastifyInstance> {
  const a = Fastify({ loggerInstance: deps.log as FastifyBaseLogger }) as unknown as FastifyInstance;
  installErrorHandling(a, deps.log);
  await a.register(
    async (api) => {
      installAuth(api, { db: deps.db, nodeAdmdvs: deps.config.nodeAdmdvs });
      for (const routes of [authRoutes, jobRoutes, auditBatchRoutes]) await api.register(routes(deps));
    },
    { prefix: '/api' },
  );
  return a;
}

async function waitForJob(user: string, job_id: string): Promise<JobView> {
  for (;;) {
    const r = await as<JobView>(user, `/api/jobs/${job_id}`);
    expect(r.status).toBe(200);
    if (r.body.status !== 'running') return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
}

beforeAll(async () => {
  w = await createTestWorld();
  app = await apiWithBatch({ db: w.db, config: w.config, log: createLogger('silent') });
  await installDefaultRules(w.db);
  // 同时住院: 王甲 in hospital at H1 and at H2 over the same days
  const hist = historyWriter(w.db);
  await hist.enc(w.psnA, H1, '2', '2025-04-01 09:00:00', '2025-04-10 10:00:00', { diag: 'I21.000' });
  overlapping = await hist.enc(w.psnA, H2, '2', '2025-04-05 09:00:00', '2025-04-08 10:00:00', { diag: 'J18.900' });
  for (const u of ['admin', 'cityadmin', 'jb1', 'jh0']) tokens[u] = await loginAs(app, u);
}, 300_000);
afterAll(async () => {
  await app?.close();
  await w?.close();
});

describe('POST /api/audit/batch', () => {
  test('needs the rule-base permission and a scope covering the node', async () => {
    expect((await as('jb1', '/api/audit/batch', 'POST', { from: '2025-01-01', to: '2025-12-31' })).status).toBe(403);
    expect((await as('jh0', '/api/audit/batch', 'POST', { from: '2025-01-01', to: '2025-12-31' })).status).toBe(403);
    const city = await as<{ message: string }>('cityadmin', '/api/audit/batch', 'POST', { from: '2025-01-01', to: '2025-12-31' });
    expect(city.status).toBe(403);
    expect(city.body.message).toContain('全部统筹区');
  });

  test('refuses a bad window and rules that cannot run, in Chinese, before any job starts', async () => {
    const before = Number((await sql<{ n: number }>`select count(*)::int8 as n from job`.execute(w.db.k)).rows[0]!.n);
    const bad = await as<{ message: string; problems: { field: string; message: string }[] }>('admin', '/api/audit/batch', 'POST', { from: '2025-12-31', to: '2025-01-01' });
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual([{ field: 'to', message: '结束日期早于开始日期' }]);
    const rules = await as<{ message: string }>('admin', '/api/audit/batch', 'POST', { from: '2025-01-01', to: '2025-12-31', rules: ['NO-SUCH-01'] });
    expect(rules.status).toBe(400);
    expect(rules.body.message).toContain('不能批量运行');
    expect((await as('admin', '/api/audit/batch', 'POST', { to: '2025-12-31' })).status).toBe(400);
    expect(Number((await sql<{ n: number }>`select count(*)::int8 as n from job`.execute(w.db.k)).rows[0]!.n)).toBe(before);
  });

  test('a second run while one is going is refused with 409', async () => {
    const other = await startJob(w.db, SYSTEM_ACTOR, 'audit-batch', {}, { stage: '规则 MGT-ADM-01 运行中' });
    const r = await as<{ message: string }>('admin', '/api/audit/batch', 'POST', { from: '2025-01-01', to: '2025-12-31' });
    expect(r.status).toBe(409);
    expect(r.body.message).toContain(other.job_id);
    await other.finish(null);
  });

  test('starts in the background (202), is followed through /api/jobs to its end and writes the suspects', async () => {
    const r = await as<{ job_id: string }>('admin', '/api/audit/batch', 'POST', { from: '2025-01-01', to: '2025-12-31', rules: ['MGT-ADM-03'] });
    expect(r.status).toBe(202);
    const job = await waitForJob('admin', r.body.job_id);
    expect(job).toMatchObject({ kind: 'audit-batch', status: 'done', admdvs: null, stage: '已完成' });
    expect(job.done).toBe(job.total);
    const result = job.result as { inserted: number; rules: { rule_id: string; hits: number }[] };
    expect(result.rules).toMatchObject([{ rule_id: 'MGT-ADM-03', hits: 1 }]);
    expect(result.inserted).toBe(1);
    const rows = (await sql<{ mdtrt_id: string; run_id: string }>`select mdtrt_id, run_id from audit_suspect where rule_id = 'MGT-ADM-03'`.execute(w.db.k)).rows;
    expect(rows).toEqual([{ mdtrt_id: overlapping, run_id: r.body.job_id }]);
    // a city-scoped user does not see the node-wide job
    expect((await as('cityadmin', `/api/jobs/${r.body.job_id}`)).status).toBe(403);
  });
});
