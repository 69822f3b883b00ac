/**
 * /api/audit/cases: the review workflow of suspects (docs/audit-workflow.md) over HTTP — open a case from suspects,
 * take actions on it, read it with its trail, my queue, overdue cases, and the step time limits. Who may do what
 * comes from the role's permissions (audit:review 审核员, audit:investigate 稽核员, audit:appeal 机构用户, who sees
 * only its own institution's cases); the area scope applies to everything (a case outside it is 404).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { caseAction, CASE_ACTIONS, CASE_STAS, createCase, getCase, listCases, loadLimits, setLimit, type Access, type Assignee, type CaseCap } from '../../audit/cases/index.js';
import type { Db } from '../../platform/db.js';
import { validationError } from '../../platform/errors.js';
import { yuanToFen } from '../../platform/money.js';
import { staffOf, type Staff } from '../auth/hook.js';
import { can, roleName } from '../auth/roles.js';
import { getUser } from '../auth/users.js';
import type { AppDeps } from '../app.js';
import { DateStr, Paging, StringEnum } from './schemas.js';

/** The workflow's view of a signed-in user: capabilities from the permissions, scope from the area. */
export function accessOf(staff: Staff): Access {
  const role = staff.user.role;
  const caps = new Set<CaseCap>();
  if (can(role, 'audit:review')) caps.add('review');
  if (can(role, 'audit:investigate')) caps.add('investigate');
  if (can(role, 'audit:appeal')) caps.add('appeal');
  return { actor: staff.actor, role_name: roleName(role), caps, prefixes: staff.scope.prefixes, fixmedins_code: staff.scope.fixmedins_code };
}

/** A reviewer to hand a case to: an active 审核员 or 稽核员 whose area covers the case's (checked by getUser's scope). */
async function assigneeOf(db: Db, staff: Staff, user_id: string | undefined): Promise<Assignee | null> {
  if (!user_id) return null;
  const u = await getUser(db, staff.scope, user_id).catch(() => null);
  if (!u || u.status !== 'active' || !(can(u.role, 'audit:review') || can(u.role, 'audit:investigate'))) {
    throw validationError(`审核人 ${user_id} 不存在、已停用、不在您的管辖区划内，或不是审核员/稽核员`, [{ field: 'assignee_id', message: '审核人无效' }]);
  }
  return { id: u.user_id, name: u.user_name };
}

const CaseId = Type.Object({ case_id: Type.String({ pattern: '^\\d{6}\\d{8}9\\d{11}$' }) });
const Money = Type.Union([Type.Number(), Type.String({ maxLength: 20 })]);
const CaseStasEnum = StringEnum(Object.keys(CASE_STAS) as (keyof typeof CASE_STAS)[]);

const ListQuery = Type.Object({
  case_stas: Type.Optional(CaseStasEnum),
  fixmedins_code: Type.Optional(Type.String({ maxLength: 30 })),
  rule_id: Type.Optional(Type.String({ maxLength: 50 })),
  assignee_id: Type.Optional(Type.String({ maxLength: 32 })),
  overdue: Type.Optional(Type.Boolean()),
  ...Paging,
});

const QueueQuery = Type.Object(Paging);

const NewCaseBody = Type.Object({
  suspect_ids: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { minItems: 1, maxItems: 1000 }),
  assignee_id: Type.Optional(Type.String({ maxLength: 32 })),
  memo: Type.Optional(Type.String({ maxLength: 500 })),
});

const ActionBody = Type.Object({
  action: StringEnum(CASE_ACTIONS),
  conclusion: Type.Optional(StringEnum(['confirm', 'exclude'])),
  opinion: Type.Optional(Type.String({ maxLength: 2000 })),
  attachments: Type.Optional(Type.String({ maxLength: 2000 })),
  assignee_id: Type.Optional(Type.String({ maxLength: 32 })),
  dspo_type: Type.Optional(StringEnum(['1', '2'])),
  items: Type.Optional(Type.Array(Type.Object({ suspect_id: Type.String({ minLength: 1, maxLength: 50 }), cnfm_amt: Money }), { maxItems: 1000 })),
  rcv_date: Type.Optional(DateStr),
});

const LimitParams = Type.Object({ case_stas: Type.String({ maxLength: 2 }) });
const LimitBody = Type.Object({ limit_days: Type.Integer({ minimum: 0, maximum: 365 }), day_type: StringEnum(['W', 'C']) });

export const auditCaseRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db } = deps;

    app.get<{ Querystring: Static<typeof ListQuery> }>('/audit/cases', { schema: { querystring: ListQuery }, config: { permission: 'audit:case:read' } }, async (req) =>
      listCases(db, accessOf(staffOf(req)), req.query),
    );

    app.get<{ Querystring: Static<typeof QueueQuery> }>('/audit/cases/queue', { schema: { querystring: QueueQuery }, config: { permission: 'audit:case:read' } }, async (req) =>
      listCases(db, accessOf(staffOf(req)), { ...req.query, mine: true }),
    );

    app.get<{ Params: Static<typeof CaseId> }>('/audit/cases/:case_id', { schema: { params: CaseId }, config: { permission: 'audit:case:read' } }, async (req) =>
      getCase(db, accessOf(staffOf(req)), req.params.case_id),
    );

    app.post<{ Body: Static<typeof NewCaseBody> }>('/audit/cases', { schema: { body: NewCaseBody }, config: { permission: 'audit:case:read' } }, async (req, reply) => {
      const staff = staffOf(req);
      const access = accessOf(staff);
      const case_id = await createCase(db, access, { suspect_ids: req.body.suspect_ids, assignee: await assigneeOf(db, staff, req.body.assignee_id), memo: req.body.memo });
      return reply.code(201).send(await getCase(db, access, case_id));
    });

    app.post<{ Params: Static<typeof CaseId>; Body: Static<typeof ActionBody> }>(
      '/audit/cases/:case_id/actions',
      { schema: { params: CaseId, body: ActionBody }, config: { permission: 'audit:case:read' } },
      async (req) => {
        const staff = staffOf(req);
        const access = accessOf(staff);
        const b = req.body;
        await caseAction(db, access, req.params.case_id, {
          action: b.action,
          conclusion: b.conclusion,
          opinion: b.opinion,
          attachments: b.attachments,
          assignee: await assigneeOf(db, staff, b.assignee_id),
          dspo_type: b.dspo_type,
          items: b.items?.map((i) => ({ suspect_id: i.suspect_id, cnfm_amt: yuanToFen(i.cnfm_amt, `确认金额（疑点 ${i.suspect_id}）`) })),
          rcv_date: b.rcv_date,
        });
        return getCase(db, access, req.params.case_id);
      },
    );

    app.get('/audit/case-limits', { config: { permission: 'audit:case:read' } }, async () => ({ list: [...(await loadLimits(db)).values()] }));

    app.put<{ Params: Static<typeof LimitParams>; Body: Static<typeof LimitBody> }>(
      '/audit/case-limits/:case_stas',
      { schema: { params: LimitParams, body: LimitBody }, config: { permission: 'audit:rule:write' } },
      async (req) => setLimit(db, staffOf(req).actor, req.params.case_stas, req.body),
    );
  };
