/**
 * Demo logins for a fresh node: created only when there are no users at all, so a real deployment that has
 * made its own users never gets them back. All share DEMO_PASSWORD (documented in the README and the start-up
 * banner); change or disable them before real use.
 */
import type { Db } from '../../platform/db.js';
import { isYibaoError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logging.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { getAdmdvs } from '../../standards/admdvs.js';
import type { RoleCode } from './roles.js';
import { ALL_SCOPE } from './scope.js';
import { countUsers, createUser, type NewUser } from './users.js';

export const DEMO_PASSWORD = 'yibao-demo-2026';

export interface DemoLogin {
  user_id: string;
  user_name: string;
  role: RoleCode;
  admdvs: string;
  fixmedins_code?: string;
}

export const DEMO_LOGINS: readonly DemoLogin[] = [
  { user_id: 'admin', user_name: '系统管理员', role: 'admin', admdvs: '990000' },
  { user_id: 'jingban', user_name: '甲市经办员', role: 'handler', admdvs: '990100' },
  { user_id: 'shenhe', user_name: '乙市审核员', role: 'auditor', admdvs: '990200' },
  { user_id: 'jihe', user_name: '省稽核员', role: 'inspector', admdvs: '990000' },
];

/** The institution the demo institution user acts for: a hospital of 甲市 when there is one, else any. */
async function demoInstitution(db: Db): Promise<{ fixmedins_code: string; fixmedins_name: string } | undefined> {
  const pick = (prefix: string) =>
    db.k
      .selectFrom('fixmedins')
      .select(['fixmedins_code', 'fixmedins_name'])
      .where('fixmedins_code', 'like', prefix)
      .where('enddate', 'is', null)
      .orderBy('fixmedins_code')
      .limit(1)
      .executeTakeFirst();
  return (await pick('H9901%')) ?? (await pick('%'));
}

/** Creates one user; false when another process created the same login first. */
async function createIfAbsent(db: Db, input: NewUser): Promise<boolean> {
  try {
    await createUser(db, { actor: SYSTEM_ACTOR, scope: ALL_SCOPE }, input);
    return true;
  } catch (e) {
    if (isYibaoError(e) && e.code === 'CONFLICT') return false;
    throw e;
  }
}

/**
 * Creates the demo users when the node has none; returns the logins created (empty on a warm start).
 * Users whose area does not exist on this node are skipped.
 */
export async function ensureDemoUsers(db: Db, log?: Logger): Promise<string[]> {
  if ((await countUsers(db)) > 0) return [];
  const created: string[] = [];
  for (const u of DEMO_LOGINS) {
    if (!(await getAdmdvs(db, u.admdvs))) {
      log?.warn({ user_id: u.user_id, admdvs: u.admdvs }, `区划 ${u.admdvs} 不存在，未创建演示用户 ${u.user_id}`);
      continue;
    }
    if (await createIfAbsent(db, { ...u, password: DEMO_PASSWORD })) created.push(u.user_id);
  }
  const inst = await demoInstitution(db);
  if (inst && (await createIfAbsent(db, { user_id: 'jigou', user_name: `${inst.fixmedins_name}（机构用户）`.slice(0, 50), role: 'institution', fixmedins_code: inst.fixmedins_code, password: DEMO_PASSWORD }))) {
    created.push('jigou');
  }
  if (created.length) log?.info({ users: created }, `已创建演示用户：${created.join('、')}（初始密码 ${DEMO_PASSWORD}）`);
  return created;
}
