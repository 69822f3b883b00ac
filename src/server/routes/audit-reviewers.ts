/**
 * /api/audit/reviewers: who a review case can be handed to (分配审核人) — the active 审核员 and 稽核员 (roles with
 * audit:review or audit:investigate) inside the asking user's areas, the same people the assign action accepts
 * (audit-cases.ts assigneeOf). With ?admdvs (the case's area) only those whose own area covers it: a reviewer who
 * could not open the case is no choice. Only users who may assign ask (a 403 otherwise); institution users never.
 *
 *   GET /api/audit/reviewers   ?admdvs → { list: [{ user_id, user_name, role, role_name, admdvs }] }
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { forbidden } from '../../platform/errors.js';
import { staffOf } from '../auth/hook.js';
import { can, ROLE_CODES, type RoleCode } from '../auth/roles.js';
import { coversAdmdvs, prefixesOf, type Scope } from '../auth/scope.js';
import { listUsers } from '../auth/users.js';
import type { Db } from '../../platform/db.js';
import type { AppDeps } from '../app.js';
import { AdmdvsCode } from './schemas.js';

const Query = Type.Object({ admdvs: Type.Optional(AdmdvsCode) });

/** Roles whose users take review steps. */
export const REVIEWER_ROLES: RoleCode[] = ROLE_CODES.filter((r) => can(r, 'audit:review') || can(r, 'audit:investigate'));

/** A reviewer list is small (staff of one area): one page per role is all of it. */
const MAX_PER_ROLE = 500;

export async function assignableReviewers(db: Db, scope: Scope, admdvs?: string) {
  const pages = await Promise.all(REVIEWER_ROLES.map((role) => listUsers(db, scope, { role, status: 'active', page_size: MAX_PER_ROLE })));
  return pages
    .flatMap((p) => p.list)
    .filter((u) => !admdvs || coversAdmdvs({ prefixes: prefixesOf(u.admdvs), fixmedins_code: null, node_wide: false }, admdvs))
    .sort((a, b) => a.user_id.localeCompare(b.user_id))
    .map((u) => ({ user_id: u.user_id, user_name: u.user_name, role: u.role, role_name: u.role_name, admdvs: u.admdvs }));
}

export const auditReviewerRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    app.get<{ Querystring: Static<typeof Query> }>('/audit/reviewers', { schema: { querystring: Query }, config: { permission: 'audit:case:read' } }, async (req) => {
      const staff = staffOf(req);
      const role = staff.user.role;
      if (staff.scope.fixmedins_code || !(can(role, 'audit:review') || can(role, 'audit:investigate'))) throw forbidden('无权查看审核人名单：只有审核员、稽核员可以分配审核人');
      return { list: await assignableReviewers(deps.db, staff.scope, req.query.admdvs) };
    });
  };
