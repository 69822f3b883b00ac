/** GET /health: is the database reachable, is the schema current, which versions are running. */
import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import { migrationStatus } from '../platform/migrations.js';
import type { AppDeps } from './app.js';
import { VERSION } from '../platform/version.js';

export const healthRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    app.get('/health', async (_req, reply) => {
      const checks: Record<string, unknown> = { version: VERSION, node: process.version, database: deps.db.kind };
      let ok = true;
      try {
        const r = await sql<{ v: string }>`select version() as v`.execute(deps.db.k);
        checks.database_version = r.rows[0]?.v.split(' ').slice(0, 2).join(' ');
        const m = await migrationStatus(deps.db);
        checks.migrations = { applied: m.applied.length, pending: m.pending.map((p) => p.name), current: m.current };
        if (!m.current) ok = false;
      } catch (e) {
        ok = false;
        checks.error = (e as Error).message;
      }
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'error', ...checks });
    });
  };
