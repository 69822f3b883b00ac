/**
 * The auth guard of /api: every route declares `config.permission` — 'public' (login), 'login' (any signed-in
 * user) or a permission from roles.ts — and a route without one is refused at start-up. The guard reads the
 * bearer token, loads the session and the user (one query), and puts who is asking on `req.staff`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db.js';
import { forbidden, unauthenticated } from '../../platform/errors.js';
import type { Actor } from '../../platform/oplog.js';
import { can, PERMISSIONS, roleName, type Permission } from './roles.js';
import { scopeOf, type Scope } from './scope.js';
import { resolveSession } from './sessions.js';
import type { UserView } from './types.js';
import { toView } from './users.js';

export type RouteAccess = Permission | 'login' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: RouteAccess;
  }
  interface FastifyRequest {
    staff: Staff | null;
  }
}

/** Who is asking, for handlers: the user, their area scope, and the actor for the operation log. */
export interface Staff {
  user: UserView;
  scope: Scope;
  actor: Actor;
  token_hash: string;
}

const SESSION_MESSAGES = {
  expired: '登录已过期，请重新登录',
  revoked: '会话已注销（已退出登录或密码已重置），请重新登录',
  disabled: '该账号已停用，请联系管理员',
} as const;

function bearerToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m?.[1];
}

export function installAuth(app: FastifyInstance, deps: { db: Db; nodeAdmdvs: string }): void {
  app.decorateRequest('staff', null);
  app.addHook('onRoute', (route) => {
    if (!route.config?.permission) throw new Error(`接口 ${String(route.method)} ${route.url} 未声明访问权限（config.permission）`);
  });
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.permission;
    if (access === 'public') return;
    const token = bearerToken(req);
    if (!token) throw unauthenticated('未登录：请先登录，并在请求头 Authorization 中携带 Bearer 令牌');
    const s = await resolveSession(deps.db, token);
    if (!s) throw unauthenticated('登录令牌无效，请重新登录');
    if (s.state !== 'ok') throw unauthenticated(SESSION_MESSAGES[s.state]);
    const u = s.user;
    req.staff = {
      user: toView(u),
      scope: scopeOf(u, deps.nodeAdmdvs),
      actor: { id: u.user_id, name: u.user_name, admdvs: [u.admdvs] },
      token_hash: s.token_hash,
    };
    if (access && access !== 'login' && !can(u.role, access)) throw forbidden(`无权执行此操作：${roleName(u.role)}没有“${PERMISSIONS[access]}”权限`);
  });
}

/** The signed-in staff member of a guarded route. */
export function staffOf(req: FastifyRequest): Staff {
  if (!req.staff) throw unauthenticated();
  return req.staff;
}
