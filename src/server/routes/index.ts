/**
 * The staff REST API under /api: the auth guard, then one plugin per subject. JSON in and out; errors are
 * `{ code, message, problems }` with Chinese messages. Every route but login needs `Authorization: Bearer <token>`.
 *
 *   method  path                              permission          notes
 *   POST    /api/auth/login                   public              {username,password} → {token,expires_at,user,permissions}
 *   POST    /api/auth/logout                  login               revokes the caller's token
 *   GET     /api/auth/me                      login               user, permissions, scope
 *   POST    /api/auth/password                login               {old_password,new_password}; ends the other sessions
 *   GET     /api/roles                        login               role table (codes, names, permissions)
 *   GET     /api/persons                      person:read         ?q (psn_no prefix / name) &insuplc_admdvs &insutype, paged, certno masked
 *   GET     /api/persons/:psn_no              person:read         1101 view (?on)
 *   POST    /api/persons/lookup               person:read         {psn_no|certno|card_no, on?} → 1101 view (ids kept out of URLs)
 *   GET     /api/institutions                 institution:read    ?q (code / name / pinyin) &admdvs &fixmedins_type &hosp_lv &on, paged
 *   GET     /api/institutions/:code           institution:read    version on ?on, agreement on that date, agreement history
 *   GET     /api/practitioners                practitioner:read   ?q &fixmedins_code &prac_type &on, paged
 *   GET     /api/practitioners/:prac_code     practitioner:read   version on ?on, institution, qualification on that date and history
 *   GET     /api/catalogue                    catalogue:read      ?q (code / name / pinyin) &list_type &chrgitm_lv &med_chrgitm_type &insu_admdvs &on, paged
 *   GET     /api/catalogue/:hilist_code       catalogue:read      item on ?on (&hosp_lv &insutype &insu_admdvs), caps by level, self-pay ratios, restriction
 *   GET     /api/dict                         dict:read           code tables valid on ?on, with Chinese names and sizes
 *   GET     /api/dict/:dict_type              dict:read           items of one table
 *   GET     /api/areas                        dict:read           areas on ?on (&poolarea_flag &admdvs_lv), each with in_scope
 *   GET     /api/oplog                        oplog:read          ?action (prefix) &target_type &target_id &opter_id &admdvs &from &to, newest first
 *   GET     /api/users                        user:read           ?q &role &status, paged
 *   GET     /api/users/:user_id               user:read
 *   POST    /api/users                        user:write          {user_id,user_name,role,admdvs?,fixmedins_code?,password?} → 201 {user, initial_password?}
 *   PATCH   /api/users/:user_id               user:write          {user_name?,role?,admdvs?,fixmedins_code?}
 *   POST    /api/users/:user_id/password      user:write          {password?} → {user, initial_password?}; ends the user's sessions
 *   POST    /api/users/:user_id/disable       user:write          ends the user's sessions
 *   POST    /api/users/:user_id/enable        user:write
 *
 * Out of scope: a person → 404 (whether someone is insured is personal data); an institution, practitioner or
 * user → 403 (public registers / staff lists). Lists are filtered to the scope silently.
 */
import type { FastifyPluginAsync } from 'fastify';
import { installAuth } from '../auth/hook.js';
import type { AppDeps } from '../app.js';
import { authRoutes } from './auth.js';
import { catalogueRoutes } from './catalogue.js';
import { dictRoutes } from './dict.js';
import { institutionRoutes } from './institutions.js';
import { oplogRoutes } from './oplog.js';
import { personRoutes } from './persons.js';
import { practitionerRoutes } from './practitioners.js';
import { userRoutes } from './users.js';

export const apiRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    installAuth(app, { db: deps.db, nodeAdmdvs: deps.config.nodeAdmdvs });
    // a POST without a body counts as {}: optional bodies need no payload, required fields are named one by one
    app.addHook('preValidation', async (req) => {
      if (req.body === undefined && req.routeOptions.schema?.body) req.body = {};
    });
    for (const routes of [authRoutes, personRoutes, institutionRoutes, practitionerRoutes, catalogueRoutes, dictRoutes, oplogRoutes, userRoutes]) {
      await app.register(routes(deps));
    }
  };
