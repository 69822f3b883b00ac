/**
 * /api/dashboard: the 运行监测 aggregates for the user's scope as of a date (default today, Beijing), computed in
 * SQL by queries/dashboard.ts. The console's dashboard and its wall display both read this one answer.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { beijingDate } from '../../platform/time.js';
import { staffOf } from '../auth/hook.js';
import { dashboard } from '../queries/dashboard.js';
import type { AppDeps } from '../app.js';
import { OnDate } from './schemas.js';

const Query = Type.Object({ on: OnDate, top: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })) });

export const dashboardRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    app.get<{ Querystring: Static<typeof Query> }>('/dashboard', { schema: { querystring: Query }, config: { permission: 'dashboard:read' } }, async (req) =>
      dashboard(deps.db, staffOf(req).scope, req.query.on ?? beijingDate(), { top: req.query.top ?? 10 }),
    );
  };
