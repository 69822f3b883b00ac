import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLogger } from '../../platform/logging.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { installAuth } from '../auth/hook.js';
import { ALL_SCOPE } from '../auth/scope.js';
import { createUser, setUserStatus } from '../auth/users.js';
import { call, createTestWorld, loginAs, TEST_PASSWORD, type TestWorld } from '../test-app.js';
import { auditReviewerRoutes, REVIEWER_ROLES } from './audit-reviewers.js';

type Reviewer = { user_id: string; user_name: string; role: string; role_name: string; admdvs: string };

let w: TestWorld;
const tokens: Record<string, string> = {};
const as = <T>(user: string, url: string) => call<T>(w.app, tokens[user]!, 'GET', url);
const ids = async (user: string, q = '') => (await as<{ list: Reviewer[] }>(user, `/api/audit/reviewers${q}`)).body.list.map((u) => u.user_id);

beforeAll(async () => {
  w = await createTestWorld();
  // registered here until src/server/routes/index.ts lists the route file
  if (!w.app.hasRoute({ method: 'GET', url: '/api/audit/reviewers' })) {
    await w.app.register(
      async (api) => {
        installAuth(api, { db: w.db, nodeAdmdvs: w.config.nodeAdmdvs });
        await api.register(auditReviewerRoutes({ db: w.db, config: w.config, log: createLogger('silent') }));
      },
      { prefix: '/api' },
    );
  }
  const by = { actor: SYSTEM_ACTOR, scope: ALL_SCOPE };
  await createUser(w.db, by, { user_id: 'sh1a', user_name: '甲市审核甲', role: 'auditor', admdvs: '990100', password: TEST_PASSWORD });
  await createUser(w.db, by, { user_id: 'sh1d', user_name: '区审核员', role: 'auditor', admdvs: '990102', password: TEST_PASSWORD });
  await createUser(w.db, by, { user_id: 'sh1x', user_name: '已停用审核员', role: 'auditor', admdvs: '990100', password: TEST_PASSWORD });
  await setUserStatus(w.db, by, 'sh1x', 'disabled');
  for (const u of ['sh1a', 'sh2', 'jh0', 'jh1', 'jb1', 'jg1', 'admin']) tokens[u] = await loginAs(w.app, u);
}, 300_000);
afterAll(async () => w?.close());

describe('GET /api/audit/reviewers', () => {
  test('the reviewer roles are those that review or investigate', () => {
    expect(REVIEWER_ROLES.sort()).toEqual(['auditor', 'inspector']);
  });

  test('active 审核员 and 稽核员 inside the asker’s areas, with names and roles; disabled users and other roles left out', async () => {
    const r = await as<{ list: Reviewer[] }>('sh1a', '/api/audit/reviewers');
    expect(r.status).toBe(200);
    expect(r.body.list).toEqual([
      { user_id: 'jh1', user_name: '测试jh1', role: 'inspector', role_name: '稽核员', admdvs: '990100' },
      { user_id: 'sh1a', user_name: '甲市审核甲', role: 'auditor', role_name: '审核员', admdvs: '990100' },
      { user_id: 'sh1d', user_name: '区审核员', role: 'auditor', role_name: '审核员', admdvs: '990102' },
    ]);
    expect(await ids('jh0')).toEqual(['jh0', 'jh1', 'sh1a', 'sh1d', 'sh2']);
    expect(await ids('sh2')).toEqual(['sh2']);
  });

  test('?admdvs keeps those whose own area covers the case’s area', async () => {
    expect(await ids('jh0', '?admdvs=990102')).toEqual(['jh0', 'jh1', 'sh1a', 'sh1d']);
    expect(await ids('jh0', '?admdvs=990100')).toEqual(['jh0', 'jh1', 'sh1a']);
    expect((await as('jh0', '/api/audit/reviewers?admdvs=99')).status).toBe(400);
  });

  test('only users who may assign ask: institution users, handlers and administrators are refused', async () => {
    const r = await as<{ message: string }>('jg1', '/api/audit/reviewers');
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/只有审核员、稽核员可以分配审核人/);
    expect((await as('jb1', '/api/audit/reviewers')).status).toBe(403);
    expect((await as('admin', '/api/audit/reviewers')).status).toBe(403);
  });
});
