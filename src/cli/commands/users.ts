import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config.js';
import { openDb, type Db } from '../../platform/db.js';
import { migrate } from '../../platform/migrations.js';
import { SYSTEM_ACTOR, type Actor } from '../../platform/oplog.js';
import { beijingDateTime } from '../../platform/time.js';
import { ROLE_CODES, ROLES, parseRole } from '../../server/auth/roles.js';
import { ALL_SCOPE } from '../../server/auth/scope.js';
import { USER_STATUS_NAMES } from '../../server/auth/types.js';
import { createUser, listUsers, resetPassword, setUserStatus, type Operator } from '../../server/auth/users.js';
import { wantsHelp, type CliIo, type Command } from '../command.js';

const USAGE = `用法：yibao users <子命令> [参数]

  管理登录管理端的工作人员账号。每次修改都记入操作日志（不含密码）。

  list                                   列出全部用户
  add <登录名> --name 姓名 --role 角色 --admdvs 区划 [--fixmedins 机构编码] [--password 密码]
                                         新增用户；不给 --password 时生成随机密码并只显示这一次
  passwd <登录名> [--password 密码]       重置密码（不给则生成并显示一次），同时注销该用户的全部会话
  disable <登录名>                        停用账号，并注销其全部会话
  enable <登录名>                         重新启用账号

  角色（代码或中文名均可）：
${ROLE_CODES.map((c) => `    ${c.padEnd(12)}${ROLES[c].name}  ${ROLES[c].summary}`).join('\n')}

  区划：用户可见本区划及其下级区划的数据（如 990000 为全省，990100 为甲市）；
        机构用户的区划取其所属机构的区划，可省略 --admdvs。
  密码：至少 8 位，须同时包含字母和数字，不能包含登录名。
        命令行中的密码会留在 shell 历史里，建议省略 --password，由系统生成。
  --operator 工号   记入操作日志的操作人（默认 system）`;

const OPTIONS = {
  name: { type: 'string' },
  role: { type: 'string' },
  admdvs: { type: 'string' },
  fixmedins: { type: 'string' },
  password: { type: 'string' },
  operator: { type: 'string' },
} as const;

function operatorOf(id: string | undefined): Operator {
  const actor: Actor = id ? { id, name: id, admdvs: [] } : SYSTEM_ACTOR;
  return { actor, scope: ALL_SCOPE };
}

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(loadConfig());
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Pads to a display width: a Chinese character takes two columns in a terminal. */
export function pad(text: string, width: number): string {
  const used = [...text].reduce((n, ch) => n + (/[\u1100-\uFFEF]/u.test(ch) ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(1, width - used));
}

function printPassword(io: CliIo, user_id: string, password: string): void {
  io.out(`初始密码（只显示这一次，请妥善转交 ${user_id}）：${password}`);
}

export const usersCommand: Command = {
  name: 'users',
  summary: '管理工作人员账号（列出、新增、重置密码、停用）',
  usage: USAGE,
  async run(args, io) {
    if (wantsHelp(args) || !args.length) {
      io.out(this.usage);
      return args.length ? 0 : 2;
    }
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: OPTIONS });
    } catch (e) {
      io.err(`参数错误：${(e as Error).message}\n\n${this.usage}`);
      return 2;
    }
    const { values, positionals } = parsed;
    const [sub, login] = positionals;
    const by = operatorOf(values.operator);
    if (sub === 'list') {
      return withDb(async (db) => {
        const page = await listUsers(db, ALL_SCOPE, { page_size: 500 });
        if (!page.list.length) io.out('尚无用户。');
        for (const u of page.list) {
          const where = u.fixmedins_code ? `${u.admdvs} ${u.fixmedins_code}` : u.admdvs;
          const last = u.last_login_at ? beijingDateTime(u.last_login_at) : '从未登录';
          io.out(`${pad(u.user_id, 16)}${pad(u.user_name, 24)}${pad(u.role_name, 10)}${pad(where, 20)}${pad(USER_STATUS_NAMES[u.status], 6)}最近登录：${last}`);
        }
        if (page.total > page.list.length) io.out(`… 共 ${page.total} 个用户，只列出前 ${page.list.length} 个`);
        return 0;
      });
    }
    if (!['add', 'passwd', 'disable', 'enable'].includes(sub ?? '') || !login) {
      io.err(sub && !['add', 'passwd', 'disable', 'enable'].includes(sub) ? `未知的子命令：${sub}\n\n${this.usage}` : this.usage);
      return 2;
    }
    if (sub === 'add') {
      const role = values.role ? parseRole(values.role) : undefined;
      if (!values.name || !values.role) {
        io.err('新增用户需要 --name 和 --role');
        return 2;
      }
      if (!role) {
        io.err(`未知的角色：${values.role}。可用角色：${ROLE_CODES.map((c) => `${c}（${ROLES[c].name}）`).join('、')}`);
        return 2;
      }
      return withDb(async (db) => {
        const r = await createUser(db, by, { user_id: login, user_name: values.name!, role, admdvs: values.admdvs, fixmedins_code: values.fixmedins, password: values.password });
        io.out(`已新增用户 ${r.user.user_id}（${r.user.user_name}，${r.user.role_name}，区划 ${r.user.admdvs}${r.user.fixmedins_code ? `，机构 ${r.user.fixmedins_code}` : ''}）`);
        if (r.generated) printPassword(io, r.user.user_id, r.password);
        return 0;
      });
    }
    if (sub === 'passwd') {
      return withDb(async (db) => {
        const r = await resetPassword(db, by, login, values.password);
        io.out(`已重置 ${login} 的密码，并注销其全部会话。`);
        if (r.generated) printPassword(io, login, r.password);
        return 0;
      });
    }
    const status = sub === 'disable' ? 'disabled' : 'active';
    return withDb(async (db) => {
      const u = await setUserStatus(db, by, login, status);
      io.out(status === 'disabled' ? `已停用 ${u.user_id}，并注销其全部会话。` : `已启用 ${u.user_id}。`);
      return 0;
    });
  },
};
