/**
 * Logging in and out. A failed login says only "用户名或密码错误" (never which of the two); an unknown login
 * name costs the same scrypt work as a known one. Every login, failed login and logout is in the operation log.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { forbidden, unauthenticated } from '../../platform/errors.js';
import { recordOperation, type Actor } from '../../platform/oplog.js';
import { dummyHash, verifyPassword } from './password.js';
import { createSession, purgeOldSessions, revokeSession } from './sessions.js';
import type { UserView } from './types.js';
import { toView } from './users.js';

export interface LoginResult {
  token: string;
  expires_at: Date;
  user: UserView;
}

export async function login(db: Db, sessionMinutes: number, username: string, password: string): Promise<LoginResult> {
  const user_id = username.trim().toLowerCase();
  const user = await db.k.selectFrom('staff_user').selectAll().where('user_id', '=', user_id).executeTakeFirst();
  const ok = await verifyPassword(password, user?.pwd_hash ?? (await dummyHash()));
  if (!user || !ok) {
    const who: Actor = { id: user_id.slice(0, 64) || '(空)', name: user?.user_name ?? '未知用户', admdvs: user ? [user.admdvs] : [] };
    await recordOperation(db.k, who, { action: 'auth.login_failed', target_type: 'staff_user', target_id: user ? user_id : null, admdvs: user?.admdvs ?? null, memo: user ? '密码错误' : '登录名不存在' });
    throw unauthenticated('用户名或密码错误');
  }
  const actor: Actor = { id: user.user_id, name: user.user_name, admdvs: [user.admdvs] };
  if (user.status !== 'active') {
    await recordOperation(db.k, actor, { action: 'auth.login_failed', target_type: 'staff_user', target_id: user.user_id, admdvs: user.admdvs, memo: '账号已停用' });
    throw forbidden('该账号已停用，请联系管理员');
  }
  return db.k.transaction().execute(async (trx) => {
    await purgeOldSessions(trx);
    const session = await createSession(trx, user.user_id, sessionMinutes);
    const row = await trx.updateTable('staff_user').set({ last_login_at: sql<Date>`now()` }).where('user_id', '=', user.user_id).returningAll().executeTakeFirstOrThrow();
    await recordOperation(trx, actor, { action: 'auth.login', target_type: 'staff_user', target_id: user.user_id, admdvs: user.admdvs });
    return { ...session, user: toView(row) };
  });
}

export async function logout(db: Db, actor: Actor, admdvs: string, token_hash: string): Promise<void> {
  await db.k.transaction().execute(async (trx) => {
    await revokeSession(trx, token_hash);
    await recordOperation(trx, actor, { action: 'auth.logout', target_type: 'staff_user', target_id: actor.id, admdvs });
  });
}
