/**
 * /api/users: user management for administrators, inside their own area. A generated password is returned
 * once in the response (`initial_password`) and never again; passwords and hashes are never logged.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { staffOf } from '../auth/hook.js';
import { PASSWORD_MAX } from '../auth/password.js';
import { ROLE_CODES } from '../auth/roles.js';
import { createUser, getUser, listUsers, resetPassword, setUserStatus, updateUser, type Operator } from '../auth/users.js';
import type { AppDeps } from '../app.js';
import { AdmdvsCode, Paging, SearchTerm, StringEnum } from './schemas.js';
import type { FastifyRequest } from 'fastify';

const Role = StringEnum(ROLE_CODES);
const Status = StringEnum(['active', 'disabled'] as const);
const FixmedinsCode = Type.String({ pattern: '^[HP]\\d{11}$' });
const Password = Type.String({ minLength: 1, maxLength: PASSWORD_MAX });

const ListQuery = Type.Object({ q: SearchTerm, role: Type.Optional(Role), status: Type.Optional(Status), ...Paging });
const UserParams = Type.Object({ user_id: Type.String({ minLength: 1, maxLength: 64 }) });

const CreateBody = Type.Object({
  user_id: Type.String({ minLength: 1, maxLength: 32 }),
  user_name: Type.String({ minLength: 1, maxLength: 50 }),
  role: Role,
  admdvs: Type.Optional(AdmdvsCode),
  fixmedins_code: Type.Optional(FixmedinsCode),
  password: Type.Optional(Password),
});

const PatchBody = Type.Object(
  {
    user_name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    role: Type.Optional(Role),
    admdvs: Type.Optional(AdmdvsCode),
    fixmedins_code: Type.Optional(Type.Union([FixmedinsCode, Type.Null()])),
  },
  { minProperties: 1 },
);

const PasswordBody = Type.Object({ password: Type.Optional(Password) });

const operator = (req: FastifyRequest): Operator => {
  const s = staffOf(req);
  return { actor: s.actor, scope: s.scope };
};

export const userRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db } = deps;

    app.get<{ Querystring: Static<typeof ListQuery> }>('/users', { schema: { querystring: ListQuery }, config: { permission: 'user:read' } }, async (req) =>
      listUsers(db, staffOf(req).scope, req.query),
    );

    app.get<{ Params: Static<typeof UserParams> }>('/users/:user_id', { schema: { params: UserParams }, config: { permission: 'user:read' } }, async (req) =>
      getUser(db, staffOf(req).scope, req.params.user_id),
    );

    app.post<{ Body: Static<typeof CreateBody> }>('/users', { schema: { body: CreateBody }, config: { permission: 'user:write' } }, async (req, reply) => {
      const r = await createUser(db, operator(req), req.body);
      reply.status(201).header('cache-control', 'no-store');
      return { user: r.user, ...(r.generated ? { initial_password: r.password } : {}) };
    });

    app.patch<{ Params: Static<typeof UserParams>; Body: Static<typeof PatchBody> }>(
      '/users/:user_id',
      { schema: { params: UserParams, body: PatchBody }, config: { permission: 'user:write' } },
      async (req) => ({ user: await updateUser(db, operator(req), req.params.user_id, req.body) }),
    );

    app.post<{ Params: Static<typeof UserParams>; Body: Static<typeof PasswordBody> }>(
      '/users/:user_id/password',
      { schema: { params: UserParams, body: PasswordBody }, config: { permission: 'user:write' } },
      async (req, reply) => {
        const r = await resetPassword(db, operator(req), req.params.user_id, req.body?.password);
        reply.header('cache-control', 'no-store');
        return { user: r.user, ...(r.generated ? { initial_password: r.password } : {}) };
      },
    );

    for (const [verb, status] of [['disable', 'disabled'], ['enable', 'active']] as const) {
      app.post<{ Params: Static<typeof UserParams> }>(`/users/:user_id/${verb}`, { schema: { params: UserParams }, config: { permission: 'user:write' } }, async (req) => ({
        user: await setUserStatus(db, operator(req), req.params.user_id, status),
      }));
    }
  };
