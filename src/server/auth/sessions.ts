/**
 * Login sessions: an opaque random bearer token given to the client once; only its SHA-256 is stored. Expiry
 * (config.sessionMinutes from login) and revocation are checked against the database clock on every request.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db, Tables } from '../../platform/db.js';
import type { StaffUserRow } from './types.js';

type Exec = Kysely<Tables> | Transaction<Tables>;

const TOKEN_PREFIX = 'yb_';
const TOKEN_RE = /^yb_[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function createSession(trx: Exec, user_id: string, minutes: number): Promise<{ token: string; expires_at: Date }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const row = await trx
    .insertInto('staff_session')
    .values({ token_hash: hashToken(token), user_id, expires_at: sql<Date>`now() + make_interval(mins => ${minutes}::int)` })
    .returning('expires_at')
    .executeTakeFirstOrThrow();
  return { token, expires_at: row.expires_at };
}

export type SessionState = 'ok' | 'expired' | 'revoked' | 'disabled';

export interface ResolvedSession {
  state: SessionState;
  token_hash: string;
  expires_at: Date;
  user: StaffUserRow;
}

/** The session of a token with its user, and whether it may be used; undefined when the token is unknown. */
export async function resolveSession(db: Db, token: string): Promise<ResolvedSession | undefined> {
  if (!TOKEN_RE.test(token)) return undefined;
  const token_hash = hashToken(token);
  const row = await db.k
    .selectFrom('staff_session as s')
    .innerJoin('staff_user as u', 'u.user_id', 's.user_id')
    .selectAll('u')
    .select(['s.expires_at', 's.revoked_at', sql<boolean>`s.expires_at <= now()`.as('expired')])
    .where('s.token_hash', '=', token_hash)
    .executeTakeFirst();
  if (!row) return undefined;
  const { expires_at, revoked_at, expired, ...user } = row;
  const state: SessionState = revoked_at ? 'revoked' : expired ? 'expired' : user.status !== 'active' ? 'disabled' : 'ok';
  return { state, token_hash, expires_at, user };
}

export async function revokeSession(exec: Exec, token_hash: string): Promise<void> {
  await exec.updateTable('staff_session').set({ revoked_at: sql<Date>`now()` }).where('token_hash', '=', token_hash).where('revoked_at', 'is', null).execute();
}

/** Revokes every open session of a user (password reset, disabling), except optionally the caller's own. */
export async function revokeUserSessions(exec: Exec, user_id: string, except?: string): Promise<number> {
  let q = exec.updateTable('staff_session').set({ revoked_at: sql<Date>`now()` }).where('user_id', '=', user_id).where('revoked_at', 'is', null).where('expires_at', '>', sql<Date>`now()`);
  if (except) q = q.where('token_hash', '<>', except);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Drops sessions that ended more than 30 days ago (called at login; keeps the table small). */
export async function purgeOldSessions(exec: Exec): Promise<void> {
  await exec.deleteFrom('staff_session').where('expires_at', '<', sql<Date>`now() - interval '30 days'`).execute();
}
