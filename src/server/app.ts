/**
 * The Fastify application: health, the staff REST API under /api (auth, console read APIs, user management)
 * the national designated-institution interface under /fsi/api (gateway/), and the staff web console at /. Built by `buildApp` so that tests call it through
 * `app.inject()` against a real database.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db.js';
import type { Logger } from '../platform/logging.js';
import { installErrorHandling } from './error-handler.js';
import { healthRoutes } from './health.js';
import { RequestLogController } from './request-log.js';
import { apiRoutes } from './routes/index.js';
import { gatewayRoutes } from '../gateway/routes.js';
import { webConsole } from './static.js';

export interface AppDeps {
  db: Db;
  config: Config;
  log: Logger;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: 20 * 1024 * 1024,
    // Fastify's own request lines carry the full URL; ours log the route pattern instead
    logController: new RequestLogController(),
  }) as unknown as FastifyInstance;
  installErrorHandling(app, deps.log);
  await app.register(healthRoutes(deps));
  await app.register(apiRoutes(deps), { prefix: '/api' });
  // The gateway answers in the national envelope and has its own auth (institution credentials, sign_no).
  await app.register(gatewayRoutes(deps));
  // The staff console (web/, built by `npm install`) at /, with the browser router's fallback; never shadows the APIs.
  await app.register(webConsole({ demo: deps.config.demo }));
  return app;
}
