/**
 * /api/auth: log in (public), log out, who am I, change my own password; /api/roles: the role table for the
 * console's forms.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { staffOf } from '../auth/hook.js';
import { login, logout } from '../auth/login.js';
import { PASSWORD_MAX } from '../auth/password.js';
import { PERMISSIONS, ROLE_CODES, ROLE_PERMISSIONS, ROLES } from '../auth/roles.js';
import { changeOwnPassword } from '../auth/users.js';
import type { AppDeps } from '../app.js';

const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }),
});

const PasswordBody = Type.Object({
  old_password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }),
  new_password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }),
});

export const authRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    app.post<{ Body: Static<typeof LoginBody> }>('/auth/login', { schema: { body: LoginBody }, config: { permission: 'public' } }, async (req, reply) => {
      const r = await login(deps.db, deps.config.sessionMinutes, req.body.username, req.body.password);
      reply.header('cache-control', 'no-store');
      return { token: r.token, token_type: 'Bearer', expires_at: r.expires_at, user: r.user, permissions: ROLE_PERMISSIONS[r.user.role] };
    });

    app.post('/auth/logout', { config: { permission: 'login' } }, async (req) => {
      const s = staffOf(req);
      await logout(deps.db, s.actor, s.user.admdvs, s.token_hash);
      return { ok: true };
    });

    app.get('/auth/me', { config: { permission: 'login' } }, async (req) => {
      const s = staffOf(req);
      return { user: s.user, permissions: ROLE_PERMISSIONS[s.user.role], scope: s.scope };
    });

    app.post<{ Body: Static<typeof PasswordBody> }>('/auth/password', { schema: { body: PasswordBody }, config: { permission: 'login' } }, async (req) => {
      const s = staffOf(req);
      await changeOwnPassword(deps.db, s.actor, { ...req.body, keep_session: s.token_hash });
      return { ok: true };
    });

    app.get('/roles', { config: { permission: 'login' } }, async () => ({
      roles: ROLE_CODES.map((code) => ({ code, ...ROLES[code], permissions: ROLE_PERMISSIONS[code] })),
      permissions: PERMISSIONS,
    }));
  };
