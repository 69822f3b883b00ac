/**
 * /api/audit/batch: starting the 事后 batch audit (audit/batch/run.ts) from the console. The run takes a fresh
 * snapshot of the whole database, runs the rule base over it with DuckDB and writes suspects for every area, so it
 * is a node-wide job: only users whose scope covers the whole node may start it, and it is followed like every
 * long job through GET /api/jobs/:job_id (rows processed, rules done, ETA; the run's summary as the job's result).
 *
 *   POST /api/audit/batch   audit:rule:write   {from, to, rules?} → 202 {job_id}; a second run while one is going → 409
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { startBatch } from '../../audit/batch/run.js';
import { forbidden } from '../../platform/errors.js';
import { staffOf } from '../auth/hook.js';
import type { AppDeps } from '../app.js';

/** Shapes only: the dates and rule ids are checked by startBatch with Chinese messages per field. */
const BatchBody = Type.Object({
  from: Type.String({ maxLength: 10 }),
  to: Type.String({ maxLength: 10 }),
  rules: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 200 })),
});

export const auditBatchRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db } = deps;

    app.post<{ Body: Static<typeof BatchBody> }>('/audit/batch', { schema: { body: BatchBody }, config: { permission: 'audit:rule:write' } }, async (req, reply) => {
      const staff = staffOf(req);
      if (!staff.scope.node_wide) throw forbidden('事后批量审核覆盖全部统筹区，须由管辖范围覆盖本节点的用户发起');
      const { from, to, rules } = req.body;
      const url = deps.config.databaseUrl;
      const { job_id, done } = await startBatch(db, staff.actor, { from, to, ...(rules?.length ? { rules } : {}), ...(url && db.kind === 'postgres' ? { pgCopy: { url } } : {}) });
      // the outcome is recorded on the job; a failure must not become an unhandled rejection
      void done.catch(() => undefined);
      return reply.code(202).send({ job_id });
    });
  };
