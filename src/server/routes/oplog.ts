/** /api/oplog: the operation log for administrators and 稽核员, limited to their areas (see queries/oplog.ts). */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { staffOf } from '../auth/hook.js';
import { searchOplog } from '../queries/oplog.js';
import type { AppDeps } from '../app.js';
import { AdmdvsCode, Paging } from './schemas.js';

const DATE_TIME = '^\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2})?)?$';

const ListQuery = Type.Object({
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  target_type: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  target_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  opter_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  admdvs: Type.Optional(AdmdvsCode),
  from: Type.Optional(Type.String({ pattern: DATE_TIME })),
  to: Type.Optional(Type.String({ pattern: DATE_TIME })),
  ...Paging,
});

export const oplogRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    app.get<{ Querystring: Static<typeof ListQuery> }>('/oplog', { schema: { querystring: ListQuery }, config: { permission: 'oplog:read' } }, async (req) =>
      searchOplog(deps.db, staffOf(req).scope, req.query),
    );
  };
