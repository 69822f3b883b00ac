/**
 * The Fastify application: health, staff REST API and (later) the national gateway and the web console.
 * Built by `buildApp` so that tests call it through `app.inject()` against a real database.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db.js';
import type { Logger } from '../platform/logging.js';
import { isYibaoError } from '../platform/errors.js';
import { healthRoutes } from './health.js';

export interface AppDeps {
  db: Db;
  config: Config;
  log: Logger;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: 20 * 1024 * 1024,
  }) as unknown as FastifyInstance;
  app.setErrorHandler((err, _req, reply) => {
    if (isYibaoError(err)) {
      return reply.status(err.httpStatus).send({ code: err.code, message: err.message, problems: err.problems });
    }
    const e = err as { statusCode?: number; validation?: unknown; message: string };
    if (e.validation) return reply.status(400).send({ code: 'VALIDATION', message: `请求参数错误：${e.message}`, problems: [] });
    if (e.statusCode && e.statusCode < 500) return reply.status(e.statusCode).send({ code: 'VALIDATION', message: e.message, problems: [] });
    deps.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ code: 'INTERNAL', message: '服务器内部错误', problems: [] });
  });
  await app.register(healthRoutes(deps));
  return app;
}
