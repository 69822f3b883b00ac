/**
 * Staff user management: create, change name/role/area, reset password, disable/enable, list. Shared by the
 * admin API and `yibao users`. Each write is one transaction with its operation-log row (before/after without
 * the password hash). An administrator only manages users inside their own area; the CLI acts with ALL_SCOPE.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { conflict, forbidden, notFound, validationError, type FieldProblem } from '../../platform/errors.js';
import { recordOperation, type Actor } from '../../platform/oplog.js';
import { getAdmdvs } from '../../standards/admdvs.js';
import { getInstitution } from '../../standards/institutions/institutions.js';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from './password.js';
import { isRoleCode, roleName, type RoleCode } from './roles.js';
import { coversAdmdvs, requireAdmdvsInScope, type Scope } from './scope.js';
import { revokeUserSessions } from './sessions.js';
import type { StaffUserRow, UserStatus, UserView } from './types.js';

/** Who manages: the acting person (for the log) and the area they may manage. */
export interface Operator {
  actor: Actor;
  scope: Scope;
}

export const LOGIN_RE = /^[a-z][a-z0-9._-]{1,31}$/;
export const LOGIN_RULE = '登录名应以小写字母开头，由 2–32 位小写字母、数字、点、下划线或连字符组成';

export function toView(row: StaffUserRow): UserView {
  const { pwd_hash: _hash, ...rest } = row;
  return { ...rest, role_name: roleName(row.role) };
}

/** What the operation log keeps of a user: never the hash. */
function logView(row: StaffUserRow) {
  return { user_id: row.user_id, user_name: row.user_name, role: row.role, admdvs: row.admdvs, fixmedins_code: row.fixmedins_code, status: row.status, pwd_changed_at: row.pwd_changed_at };
}

export interface UserFields {
  user_name: string;
  role: string;
  admdvs?: string | null;
  fixmedins_code?: string | null;
}

/** Checks name, role, area and institution; returns the values to store (admdvs of an institution user = its institution's). */
async function checkFields(db: Db, f: UserFields, problems: FieldProblem[]): Promise<{ user_name: string; role: RoleCode; admdvs: string; fixmedins_code: string | null }> {
  const p = (field: string, message: string) => problems.push({ field, message });
  const user_name = f.user_name.trim();
  if (!user_name || user_name.length > 50) p('user_name', '姓名不能为空且不超过50个字符');
  const role = f.role as RoleCode;
  if (!isRoleCode(f.role)) p('role', `角色“${f.role}”无效，应为 handler、auditor、inspector、admin 或 institution`);
  let admdvs = f.admdvs ?? '';
  const fixmedins_code = f.fixmedins_code || null;
  if (role === 'institution') {
    if (!fixmedins_code) p('fixmedins_code', '机构用户必须指定所属定点医药机构');
    else {
      const inst = await getInstitution(db, fixmedins_code);
      if (!inst) p('fixmedins_code', `定点医药机构 ${fixmedins_code} 不存在或当前不是定点机构`);
      else if (f.admdvs && f.admdvs !== inst.admdvs) p('admdvs', `机构用户的区划应与机构所在区划 ${inst.admdvs} 一致`);
      else admdvs = inst.admdvs;
    }
  } else if (isRoleCode(f.role)) {
    if (fixmedins_code) p('fixmedins_code', '只有机构用户可以指定所属机构');
    if (!/^\d{6}$/.test(admdvs)) p('admdvs', '应为6位医保区划代码');
    else if (admdvs !== '000000' && !(await getAdmdvs(db, admdvs))) p('admdvs', `未知的医保区划：${admdvs}`);
  }
  return { user_name, role, admdvs, fixmedins_code };
}

function rejectIf(problems: FieldProblem[], what: string): void {
  if (problems.length) throw validationError(`${what}：${problems.map((x) => `${x.field}：${x.message}`).join('；')}`, problems);
}

export interface NewUser extends UserFields {
  user_id: string;
  /** When absent a password is generated and returned once. */
  password?: string | null;
}

export interface PasswordResult {
  user: UserView;
  /** The password set: the one given, or the generated one (shown once, never stored in clear). */
  password: string;
  generated: boolean;
}

export async function createUser(db: Db, by: Operator, input: NewUser): Promise<PasswordResult> {
  const problems: FieldProblem[] = [];
  const user_id = input.user_id.trim();
  if (!LOGIN_RE.test(user_id)) problems.push({ field: 'user_id', message: LOGIN_RULE });
  const fields = await checkFields(db, input, problems);
  const generated = !input.password;
  const password = input.password || generatePassword(user_id);
  const pp = passwordProblem(password, user_id);
  if (pp) problems.push({ field: 'password', message: pp });
  rejectIf(problems, '用户信息有误');
  requireAdmdvsInScope(by.scope, fields.admdvs, '新用户');
  const pwd_hash = await hashPassword(password);
  const row = await db.k.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('staff_user')
      .values({ user_id, ...fields, pwd_hash, status: 'active', last_login_at: null })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!created) throw conflict(`登录名 ${user_id} 已存在`);
    await recordOperation(trx, by.actor, { action: 'user.create', target_type: 'staff_user', target_id: user_id, admdvs: fields.admdvs, after: logView(created) });
    return created;
  });
  return { user: toView(row), password, generated };
}

/** The user, when it exists and lies in the operator's area (else 404 / 403). */
async function loadInScope(db: Db, scope: Scope, user_id: string): Promise<StaffUserRow> {
  const row = await db.k.selectFrom('staff_user').selectAll().where('user_id', '=', user_id).executeTakeFirst();
  if (!row) throw notFound(`用户 ${user_id} 不存在`);
  if (!coversAdmdvs(scope, row.admdvs) || scope.fixmedins_code) throw forbidden(`无权管理用户 ${user_id}：其区划 ${row.admdvs} 不在您的管辖区划内`);
  return row;
}

export async function getUser(db: Db, scope: Scope, user_id: string): Promise<UserView> {
  return toView(await loadInScope(db, scope, user_id));
}

interface UserChange {
  set: Partial<Pick<StaffUserRow, 'user_name' | 'role' | 'admdvs' | 'fixmedins_code' | 'status' | 'pwd_hash'>>;
  action: string;
  memo?: string;
  /** End the user's open sessions (password reset, disabling). */
  revoke?: boolean;
}

async function writeUser(db: Db, by: Operator, before: StaffUserRow, change: UserChange): Promise<UserView> {
  const { set, action, memo, revoke } = change;
  const after = await db.k.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('staff_user')
      .set({ ...set, updated_at: sql<Date>`now()`, ...(set.pwd_hash ? { pwd_changed_at: sql<Date>`now()` } : {}) })
      .where('user_id', '=', before.user_id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const revoked = revoke ? await revokeUserSessions(trx, before.user_id) : 0;
    const note = [memo, revoked ? `注销会话 ${revoked} 个` : null].filter(Boolean).join('；') || null;
    await recordOperation(trx, by.actor, { action, target_type: 'staff_user', target_id: before.user_id, admdvs: row.admdvs, before: logView(before), after: logView(row), memo: note });
    return row;
  });
  return toView(after);
}

/** Changes display name, role, area or institution (any subset). */
export async function updateUser(db: Db, by: Operator, user_id: string, patch: Partial<UserFields>): Promise<UserView> {
  const before = await loadInScope(db, by.scope, user_id);
  const merged: UserFields = {
    user_name: patch.user_name ?? before.user_name,
    role: patch.role ?? before.role,
    admdvs: patch.admdvs !== undefined ? patch.admdvs : patch.fixmedins_code ? null : before.admdvs,
    fixmedins_code: patch.fixmedins_code !== undefined ? patch.fixmedins_code : patch.role && patch.role !== 'institution' ? null : before.fixmedins_code,
  };
  const problems: FieldProblem[] = [];
  const fields = await checkFields(db, merged, problems);
  rejectIf(problems, '用户信息有误');
  requireAdmdvsInScope(by.scope, fields.admdvs, '用户的新区划');
  if (by.actor.id === user_id && (fields.role !== before.role || fields.admdvs !== before.admdvs)) throw conflict('不能修改自己的角色或区划，请由其他管理员操作');
  return writeUser(db, by, before, { set: fields, action: 'user.update' });
}

/** Sets a new password (given, or generated and returned once) and ends the user's sessions. */
export async function resetPassword(db: Db, by: Operator, user_id: string, password?: string | null): Promise<PasswordResult> {
  const before = await loadInScope(db, by.scope, user_id);
  const generated = !password;
  const pwd = password || generatePassword(user_id);
  const pp = passwordProblem(pwd, user_id);
  if (pp) throw validationError(`密码不符合要求：${pp}`, [{ field: 'password', message: pp }]);
  const pwd_hash = await hashPassword(pwd);
  const user = await writeUser(db, by, before, { set: { pwd_hash }, action: 'user.reset_password', memo: '重置密码', revoke: true });
  return { user, password: pwd, generated };
}

export async function setUserStatus(db: Db, by: Operator, user_id: string, status: UserStatus): Promise<UserView> {
  const before = await loadInScope(db, by.scope, user_id);
  if (status === 'disabled' && by.actor.id === user_id) throw conflict('不能停用自己的账号');
  if (before.status === status) return toView(before);
  return writeUser(db, by, before, { set: { status }, action: status === 'disabled' ? 'user.disable' : 'user.enable', revoke: status === 'disabled' });
}

/** A user changes their own password: the old one must match; other sessions are ended. */
export async function changeOwnPassword(db: Db, actor: Actor, input: { old_password: string; new_password: string; keep_session?: string }): Promise<void> {
  const before = await db.k.selectFrom('staff_user').selectAll().where('user_id', '=', actor.id).executeTakeFirst();
  if (!before) throw notFound(`用户 ${actor.id} 不存在`);
  if (!(await verifyPassword(input.old_password, before.pwd_hash))) throw validationError('原密码不正确', [{ field: 'old_password', message: '原密码不正确' }]);
  const pp = passwordProblem(input.new_password, actor.id) ?? (input.new_password === input.old_password ? '新密码不能与原密码相同' : null);
  if (pp) throw validationError(`新密码不符合要求：${pp}`, [{ field: 'new_password', message: pp }]);
  const pwd_hash = await hashPassword(input.new_password);
  await db.k.transaction().execute(async (trx) => {
    const row = await trx.updateTable('staff_user').set({ pwd_hash, pwd_changed_at: sql<Date>`now()`, updated_at: sql<Date>`now()` }).where('user_id', '=', actor.id).returningAll().executeTakeFirstOrThrow();
    await revokeUserSessions(trx, actor.id, input.keep_session);
    await recordOperation(trx, actor, { action: 'user.change_password', target_type: 'staff_user', target_id: actor.id, admdvs: row.admdvs, before: logView(before), after: logView(row), memo: '本人修改密码' });
  });
}

export interface UserQuery {
  q?: string;
  role?: string;
  status?: string;
  page_num?: number;
  page_size?: number;
}

export async function listUsers(db: Db, scope: Scope, query: UserQuery = {}) {
  const page_num = Math.max(1, query.page_num ?? 1);
  const page_size = Math.min(Math.max(1, query.page_size ?? 20), 500);
  let base = db.k.selectFrom('staff_user');
  if (scope.prefixes.length) base = base.where((eb) => eb.or(scope.prefixes.map((p) => eb('admdvs', 'like', `${p}%`))));
  if (query.role) base = base.where('role', '=', query.role as RoleCode);
  if (query.status) base = base.where('status', '=', query.status as UserStatus);
  const term = query.q?.trim();
  if (term) base = base.where((eb) => eb.or([eb('user_id', 'like', `${term.toLowerCase()}%`), eb('user_name', 'like', `%${term}%`)]));
  const total = (await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0;
  const rows = await base.selectAll().orderBy('user_id').limit(page_size).offset((page_num - 1) * page_size).execute();
  return { page_num, page_size, total, list: rows.map(toView) };
}

export async function countUsers(db: Db): Promise<number> {
  return (await db.k.selectFrom('staff_user').select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0;
}
