/**
 * A real yibao server for browser journeys and screenshots: a private database (in-memory PGlite, or a fresh
 * schema on DATABASE_URL), the national code tables, the deterministic demo region with `persons` insured
 * persons and the demo logins, the application from buildApp with the built web console, listening on a free
 * loopback port. Plus: finding a Chromium to drive (Debian's `chromium`, no browser download).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { DEMO_PASSWORD, ensureDemoUsers } from '../../src/server/auth/demo-users.js';
import { DEFAULT_WEB_ROOT, webConsole } from '../../src/server/static.js';
import { loadDemoRegion } from '../../src/demo/load.js';
import { DEFAULT_CONFIG, type Config } from '../../src/platform/config.js';
import { openTestDb, type Db } from '../../src/platform/db.js';
import { createLogger } from '../../src/platform/logging.js';
import { migrate } from '../../src/platform/migrations.js';
import { insertShippedDict } from '../../src/standards/dict.js';

export { DEMO_PASSWORD };

/** Where a Chromium lives: $CHROMIUM_PATH, else the usual Debian/Ubuntu paths; null when there is none. */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  return null;
}

/** True when the console has been built (npm run build:web). */
export function webBuilt(): boolean {
  return existsSync(join(DEFAULT_WEB_ROOT, 'index.html'));
}

export interface ConsoleServer {
  url: string;
  app: FastifyInstance;
  db: Db;
  close(): Promise<void>;
}

export async function startConsoleServer(opts: { persons?: number; port?: number } = {}): Promise<ConsoleServer> {
  const db = await openTestDb();
  try {
    await migrate(db);
    await db.k.transaction().execute((trx) => insertShippedDict(trx));
    await loadDemoRegion(db, { seed: DEFAULT_CONFIG.demoSeed, persons: opts.persons ?? 300 });
    await ensureDemoUsers(db);
    const config: Config = { ...DEFAULT_CONFIG, dataDir: 'memory://', logLevel: 'silent' };
    const app = await buildApp({ db, config, log: createLogger('silent') });
    // until app.ts registers the console itself
    if (!app.hasRoute({ method: 'GET', url: '/*' })) await app.register(webConsole({ demo: true }));
    await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    return {
      url: `http://127.0.0.1:${port}`,
      app,
      db,
      async close() {
        await app.close();
        await db.close();
      },
    };
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}
