import Fastify from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDb } from '../platform/db.js';
import { migrate } from '../platform/migrations.js';
import { SYSTEM_ACTOR } from '../platform/oplog.js';
import { importAreas } from '../standards/admdvs-import.js';
import { DEMO_PASSWORD, ensureDemoUsers } from './auth/demo-users.js';
import { installAuth } from './auth/hook.js';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from './auth/password.js';
import { can, parseRole, ROLE_CODES } from './auth/roles.js';
import { call, createTestWorld, loginAs, TEST_PASSWORD, type TestWorld } from './test-app.js';

let w: TestWorld;
beforeAll(async () => {
  w = await createTestWorld({ sessionMinutes: 90 });
});
afterAll(async () => w.close());

describe('password hashing', () => {
  test('the same password gets a different salted hash each time, and both verify', async () => {
    const a = await hashPassword('Secret-2026');
    const b = await hashPassword('Secret-2026');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('Secret-2026', a)).toBe(true);
    expect(await verifyPassword('Secret-2026', b)).toBe(true);
    expect(await verifyPassword('secret-2026', a)).toBe(false);
    expect(await verifyPassword('Secret-2026', 'md5$abc')).toBe(false);
  });

  test.each([
    ['short1', /长度应为 8–128/],
    ['onlyletters', /字母和数字/],
    ['1234567890', /字母和数字/],
    ['has space 123', /空白/],
    ['zhangsan2026', /登录名/],
    ['password123', /过于简单/],
  ])('the rules refuse %s', (pwd, message) => {
    expect(passwordProblem(pwd, 'zhangsan')).toMatch(message);
  });

  test('generated passwords pass the rules', () => {
    for (let i = 0; i < 20; i++) expect(passwordProblem(generatePassword())).toBeNull();
    // a two-character login turns up in about one random password in 200: the generator must avoid it
    for (let i = 0; i < 2000; i++) expect(generatePassword('c2').toLowerCase()).not.toContain('c2');
  });
});

describe('roles', () => {
  test('the permission table: only administrators manage users; oplog for administrators and 稽核员', () => {
    expect(ROLE_CODES.filter((r) => can(r, 'user:write'))).toEqual(['admin']);
    expect(ROLE_CODES.filter((r) => can(r, 'oplog:read'))).toEqual(['inspector', 'admin']);
    expect(can('institution', 'person:read')).toBe(false);
    expect(parseRole('审核员')).toBe('auditor');
    expect(parseRole('auditor')).toBe('auditor');
    expect(parseRole('toString')).toBeUndefined();
  });

  test('a route that declares no permission is refused when registered', async () => {
    const app = Fastify();
    installAuth(app, { db: w.db, nodeAdmdvs: '990000' });
    expect(() => app.get('/x', async () => 'x')).toThrow(/未声明访问权限/);
    await app.close();
  });
});

describe('login and sessions', () => {
  test('a good login returns a bearer token that /me accepts, without the hash anywhere', async () => {
    const r = await call<{ token: string; expires_at: string; user: Record<string, unknown>; permissions: string[] }>(w.app, null, 'POST', '/api/auth/login', { username: 'JB1', password: TEST_PASSWORD });
    expect(r.status).toBe(200);
    expect(r.body.token).toMatch(/^yb_[\w-]{43}$/);
    expect(r.body.user).toMatchObject({ user_id: 'jb1', role: 'handler', role_name: '经办员', admdvs: '990100' });
    expect(r.body.user).not.toHaveProperty('pwd_hash');
    const minutes = (new Date(r.body.expires_at).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(88);
    expect(minutes).toBeLessThanOrEqual(90.5);
    const me = await call<{ user: { user_id: string; last_login_at: string }; permissions: string[]; scope: unknown }>(w.app, r.body.token, 'GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.user_id).toBe('jb1');
    expect(me.body.user.last_login_at).toBeTruthy();
    expect(me.body.permissions).toContain('person:read');
    expect(me.body.scope).toEqual({ prefixes: ['9901'], fixmedins_code: null, node_wide: false });
    const stored = await w.db.k.selectFrom('staff_session').select('token_hash').where('user_id', '=', 'jb1').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(r.body.token);
  });

  test('a wrong password and an unknown login both answer 401 with the same Chinese message, and are logged', async () => {
    const wrong = await call(w.app, null, 'POST', '/api/auth/login', { username: 'jb1', password: 'wrong-pass-1' });
    const unknown = await call(w.app, null, 'POST', '/api/auth/login', { username: 'nobody', password: 'wrong-pass-1' });
    expect(wrong).toEqual({ status: 401, body: { code: 'UNAUTHENTICATED', message: '用户名或密码错误', problems: [] } });
    expect(unknown).toEqual(wrong);
    const logged = await w.db.k.selectFrom('opt_log').select(['opter_id', 'memo']).where('action', '=', 'auth.login_failed').orderBy('log_id').execute();
    expect(logged).toEqual(expect.arrayContaining([{ opter_id: 'jb1', memo: '密码错误' }, { opter_id: 'nobody', memo: '登录名不存在' }]));
  });

  test('a missing field is a Chinese validation error', async () => {
    const r = await call(w.app, null, 'POST', '/api/auth/login', { username: 'jb1' });
    expect(r).toEqual({ status: 400, body: { code: 'VALIDATION', message: '请求参数错误：请求体 password 为必填项', problems: [{ field: 'password', message: '为必填项' }] } });
    const bad = await w.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION', message: '请求体不是有效的 JSON' });
  });

  test('without a token, or with a made-up one, every API answers 401', async () => {
    expect(await call(w.app, null, 'GET', '/api/auth/me')).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED', message: expect.stringMatching(/未登录/) } });
    expect(await call(w.app, `yb_${'A'.repeat(43)}`, 'GET', '/api/catalogue')).toMatchObject({ status: 401, body: { message: '登录令牌无效，请重新登录' } });
    expect(await call(w.app, 'garbage', 'GET', '/api/persons')).toMatchObject({ status: 401 });
  });

  test('an expired session is refused', async () => {
    const token = await loginAs(w.app, 'sh2');
    expect((await call(w.app, token, 'GET', '/api/auth/me')).status).toBe(200);
    await sql`update staff_session set expires_at = now() - interval '1 minute' where user_id = 'sh2'`.execute(w.db.k);
    expect(await call(w.app, token, 'GET', '/api/auth/me')).toMatchObject({ status: 401, body: { message: '登录已过期，请重新登录' } });
  });

  test('logging out revokes the token', async () => {
    const token = await loginAs(w.app, 'jh1');
    expect(await call(w.app, token, 'POST', '/api/auth/logout')).toEqual({ status: 200, body: { ok: true } });
    expect(await call(w.app, token, 'GET', '/api/auth/me')).toMatchObject({ status: 401, body: { message: expect.stringMatching(/会话已注销/) } });
    expect((await call(w.app, await loginAs(w.app, 'jh1'), 'GET', '/api/auth/me')).status).toBe(200);
  });

  test('a disabled user cannot log in, and their open sessions stop working', async () => {
    const admin = await loginAs(w.app, 'admin');
    await call(w.app, admin, 'POST', '/api/users', { user_id: 'temp1', user_name: '临时用户', role: 'handler', admdvs: '990100', password: 'Temp-pass-1' });
    const token = await loginAs(w.app, 'temp1', 'Temp-pass-1');
    expect(await call(w.app, admin, 'POST', '/api/users/temp1/disable')).toMatchObject({ status: 200, body: { user: { status: 'disabled' } } });
    expect(await call(w.app, token, 'GET', '/api/auth/me')).toMatchObject({ status: 401 });
    expect(await call(w.app, null, 'POST', '/api/auth/login', { username: 'temp1', password: 'Temp-pass-1' })).toMatchObject({ status: 403, body: { code: 'FORBIDDEN', message: '该账号已停用，请联系管理员' } });
    expect(await call(w.app, null, 'POST', '/api/auth/login', { username: 'temp1', password: 'wrong-pass-1' })).toMatchObject({ status: 401 });
    await call(w.app, admin, 'POST', '/api/users/temp1/enable');
    expect(await loginAs(w.app, 'temp1', 'Temp-pass-1')).toBeTruthy();
  });

  test('a user changes their own password: the old one must match, other sessions end', async () => {
    const first = await loginAs(w.app, 'jb1');
    const second = await loginAs(w.app, 'jb1');
    expect(await call(w.app, second, 'POST', '/api/auth/password', { old_password: 'nope-1234', new_password: 'New-pass-2026' })).toMatchObject({ status: 400, body: { message: '原密码不正确' } });
    expect(await call(w.app, second, 'POST', '/api/auth/password', { old_password: TEST_PASSWORD, new_password: 'short' })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/新密码不符合要求/) } });
    expect((await call(w.app, second, 'POST', '/api/auth/password', { old_password: TEST_PASSWORD, new_password: 'New-pass-2026' })).status).toBe(200);
    expect((await call(w.app, first, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await call(w.app, second, 'GET', '/api/auth/me')).status).toBe(200);
    await loginAs(w.app, 'jb1', 'New-pass-2026');
    await call(w.app, second, 'POST', '/api/auth/password', { old_password: 'New-pass-2026', new_password: TEST_PASSWORD });
  });
});

describe('user management', () => {
  test('an auditor cannot create users (403, Chinese)', async () => {
    const token = await loginAs(w.app, 'sh2');
    const r = await call(w.app, token, 'POST', '/api/users', { user_id: 'x1', user_name: '某', role: 'handler', admdvs: '990200' });
    expect(r).toEqual({ status: 403, body: { code: 'FORBIDDEN', message: '无权执行此操作：审核员没有“管理用户”权限', problems: [] } });
    expect((await call(w.app, token, 'GET', '/api/users')).status).toBe(403);
  });

  test('creating a user is logged with the row after, never the hash; a generated password is shown once and works', async () => {
    const admin = await loginAs(w.app, 'admin');
    const r = await call<{ user: Record<string, unknown>; initial_password: string }>(w.app, admin, 'POST', '/api/users', { user_id: 'newjb', user_name: '新经办员', role: 'handler', admdvs: '990100' });
    expect(r.status).toBe(201);
    expect(r.body.user).toMatchObject({ user_id: 'newjb', role_name: '经办员', status: 'active' });
    expect(r.body.user).not.toHaveProperty('pwd_hash');
    expect(passwordProblem(r.body.initial_password)).toBeNull();
    await loginAs(w.app, 'newjb', r.body.initial_password);
    const hash = (await w.db.k.selectFrom('staff_user').select('pwd_hash').where('user_id', '=', 'newjb').executeTakeFirstOrThrow()).pwd_hash;

    const log = await call<{ list: { action: string; opter_id: string; admdvs: string; before_data: unknown; after_data: Record<string, unknown> }[] }>(w.app, admin, 'GET', '/api/oplog?action=user.create&target_id=newjb');
    expect(log.body.list).toHaveLength(1);
    expect(log.body.list[0]).toMatchObject({ opter_id: 'admin', admdvs: '990100', before_data: null, after_data: { user_id: 'newjb', user_name: '新经办员', role: 'handler', admdvs: '990100', status: 'active' } });
    const raw = await w.db.k.selectFrom('opt_log').selectAll().where('target_id', '=', 'newjb').execute();
    const text = JSON.stringify(raw);
    expect(text).not.toContain('pwd_hash');
    expect(text).not.toContain(hash);
    expect(text).not.toContain(r.body.initial_password);
  });

  test('changing role and area is logged with before and after; a duplicate login is a conflict', async () => {
    const admin = await loginAs(w.app, 'admin');
    const r = await call(w.app, admin, 'PATCH', '/api/users/newjb', { role: 'auditor', admdvs: '990200' });
    expect(r).toMatchObject({ status: 200, body: { user: { role: 'auditor', role_name: '审核员', admdvs: '990200' } } });
    const row = await w.db.k.selectFrom('opt_log').selectAll().where('action', '=', 'user.update').where('target_id', '=', 'newjb').executeTakeFirstOrThrow();
    expect(row.before_data).toMatchObject({ role: 'handler', admdvs: '990100' });
    expect(row.after_data).toMatchObject({ role: 'auditor', admdvs: '990200' });
    expect(await call(w.app, admin, 'POST', '/api/users', { user_id: 'newjb', user_name: '重复', role: 'handler', admdvs: '990100' })).toMatchObject({ status: 409, body: { message: '登录名 newjb 已存在' } });
  });

  test('bad user data is refused field by field, in Chinese', async () => {
    const admin = await loginAs(w.app, 'admin');
    const r = await call<{ problems: { field: string }[] }>(w.app, admin, 'POST', '/api/users', { user_id: '9x', user_name: '某', role: 'institution', admdvs: '990100', password: 'abc' });
    expect(r.status).toBe(400);
    expect(r.body.problems.map((p) => p.field).sort()).toEqual(['fixmedins_code', 'password', 'user_id']);
    expect(await call(w.app, admin, 'POST', '/api/users', { user_id: 'ok1', user_name: '某', role: 'boss', admdvs: '990100' })).toMatchObject({
      status: 400,
      body: { message: '请求参数错误：请求体 role 取值无效，应为 handler、auditor、inspector、admin、institution 之一' },
    });
    expect(await call(w.app, admin, 'POST', '/api/users', { user_id: 'ok1', user_name: '某', role: 'handler', admdvs: '990900' })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/未知的医保区划：990900/) } });
    expect(await call(w.app, admin, 'PATCH', '/api/users/jb1', { fixmedins_code: 'H123' })).toMatchObject({ status: 400, body: { message: '请求参数错误：请求体 fixmedins_code 格式不正确' } });
    expect(await call(w.app, admin, 'PATCH', '/api/users/jb1', {})).toMatchObject({ status: 400, body: { message: '请求参数错误：请求体 至少需要提供一个字段' } });
  });

  test('an institution user takes the area of its institution', async () => {
    const admin = await loginAs(w.app, 'admin');
    const r = await call(w.app, admin, 'POST', '/api/users', { user_id: 'jg2', user_name: '乙市医院', role: 'institution', fixmedins_code: 'H99020000002', password: 'Yiyuan-2026' });
    expect(r).toMatchObject({ status: 201, body: { user: { admdvs: '990200', fixmedins_code: 'H99020000002' } } });
  });

  test('a city administrator manages users of the city only', async () => {
    const city = await loginAs(w.app, 'cityadmin');
    expect(await call(w.app, city, 'POST', '/api/users', { user_id: 'c2', user_name: '乙市用户', role: 'handler', admdvs: '990200' })).toMatchObject({ status: 403, body: { message: expect.stringMatching(/不在您的管辖区划内/) } });
    expect((await call(w.app, city, 'POST', '/api/users', { user_id: 'c1', user_name: '甲市用户', role: 'handler', admdvs: '990102' })).status).toBe(201);
    expect((await call(w.app, city, 'GET', '/api/users/admin')).status).toBe(403);
    expect((await call(w.app, city, 'POST', '/api/users/sh2/password', {})).status).toBe(403);
    const list = await call<{ list: { user_id: string }[] }>(w.app, city, 'GET', '/api/users');
    expect(list.body.list.map((u) => u.user_id)).toEqual(expect.arrayContaining(['c1', 'cityadmin', 'jb1', 'jg1']));
    expect(list.body.list.map((u) => u.user_id)).not.toContain('sh2');
  });

  test('a password reset ends the user’s sessions; the new password works; nobody disables themselves', async () => {
    const admin = await loginAs(w.app, 'admin');
    const old = await loginAs(w.app, 'jh1');
    const r = await call<{ initial_password: string }>(w.app, admin, 'POST', '/api/users/jh1/password');
    expect(r.status).toBe(200);
    expect((await call(w.app, old, 'GET', '/api/auth/me')).status).toBe(401);
    await loginAs(w.app, 'jh1', r.body.initial_password);
    const row = await w.db.k.selectFrom('opt_log').selectAll().where('action', '=', 'user.reset_password').where('target_id', '=', 'jh1').executeTakeFirstOrThrow();
    expect(row.memo).toMatch(/^重置密码；注销会话 [1-9] 个$/);
    expect(JSON.stringify(row)).not.toContain(r.body.initial_password);
    await call(w.app, admin, 'POST', '/api/users/jh1/password', { password: TEST_PASSWORD });
    expect(await call(w.app, admin, 'POST', '/api/users/admin/disable')).toMatchObject({ status: 409, body: { message: '不能停用自己的账号' } });
    expect(await call(w.app, admin, 'PATCH', '/api/users/admin', { role: 'handler' })).toMatchObject({ status: 409 });
  });
});

describe('demo users', () => {
  test('created once on a node without users, with the documented password', async () => {
    const db = await openTestDb();
    try {
      await migrate(db);
      const area = (admdvs: string, lv: '1' | '2', prnt: string | null) => ({ admdvs, admdvs_name: admdvs, admdvs_lv: lv, prnt_admdvs: prnt, poolarea_flag: lv === '2' ? ('1' as const) : ('0' as const), begndate: '2020-01-01', enddate: null });
      await importAreas(db, [area('990000', '1', null), area('990100', '2', '990000'), area('990200', '2', '990000')], SYSTEM_ACTOR);
      expect(await ensureDemoUsers(db)).toEqual(['admin', 'jingban', 'shenhe', 'jihe']);
      expect(await ensureDemoUsers(db)).toEqual([]);
      const users = await db.k.selectFrom('staff_user').select(['user_id', 'role', 'admdvs', 'pwd_hash']).orderBy('user_id').execute();
      expect(users.map((u) => [u.user_id, u.role, u.admdvs])).toEqual([
        ['admin', 'admin', '990000'],
        ['jihe', 'inspector', '990000'],
        ['jingban', 'handler', '990100'],
        ['shenhe', 'auditor', '990200'],
      ]);
      expect(await verifyPassword(DEMO_PASSWORD, users[0]!.pwd_hash)).toBe(true);
    } finally {
      await db.close();
    }
  });

  test('with an institution on the node, an institution user too', async () => {
    await w.db.k.deleteFrom('staff_session').execute();
    await w.db.k.deleteFrom('staff_user').execute();
    expect(await ensureDemoUsers(w.db)).toEqual(['admin', 'jingban', 'shenhe', 'jihe', 'jigou']);
    const jigou = await w.db.k.selectFrom('staff_user').selectAll().where('user_id', '=', 'jigou').executeTakeFirstOrThrow();
    expect(jigou).toMatchObject({ role: 'institution', fixmedins_code: 'H99010200001', admdvs: '990102' });
    expect(await loginAs(w.app, 'jigou', DEMO_PASSWORD)).toBeTruthy();
  });
});
