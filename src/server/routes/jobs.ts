/**
 * /api/jobs: long server jobs (batch audit, snapshot, payment runs …) recorded by platform/jobs.ts, for the
 * console's 任务 page to list and follow by polling. A job started for an area is visible within that area; a
 * node-wide job (no area) only to users whose scope covers this node. Jobs are started by their own features.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { forbidden } from '../../platform/errors.js';
import { getJob, listJobs, type JobView } from '../../platform/jobs.js';
import { staffOf } from '../auth/hook.js';
import { coversAdmdvs, type Scope } from '../auth/scope.js';
import type { AppDeps } from '../app.js';

const ListQuery = Type.Object({
  kind: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
const IdParams = Type.Object({ job_id: Type.String({ minLength: 1, maxLength: 40 }) });

function jobVisible(scope: Scope, job: JobView): boolean {
  if (scope.fixmedins_code) return false;
  return job.admdvs ? coversAdmdvs(scope, job.admdvs) : scope.node_wide;
}

export const jobRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db } = deps;

    app.get<{ Querystring: Static<typeof ListQuery> }>('/jobs', { schema: { querystring: ListQuery }, config: { permission: 'job:read' } }, async (req) => {
      const scope = staffOf(req).scope;
      const limit = req.query.limit ?? 50;
      // listJobs is newest first; read a wider window and keep the visible ones
      const jobs = await listJobs(db, { ...(req.query.kind ? { kind: req.query.kind } : {}), limit: scope.prefixes.length ? limit * 4 : limit });
      return { list: jobs.filter((j) => jobVisible(scope, j)).slice(0, limit) };
    });

    app.get<{ Params: Static<typeof IdParams> }>('/jobs/:job_id', { schema: { params: IdParams }, config: { permission: 'job:read' } }, async (req) => {
      const job = await getJob(db, req.params.job_id);
      if (!jobVisible(staffOf(req).scope, job)) throw forbidden(`无权访问：任务 ${job.job_id} 不在您的管辖区划内`);
      return job;
    });
  };
