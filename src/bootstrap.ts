/**
 * Start-up of a yibao node: open the database, migrate, and make sure the reference data and (when
 * configured) the demo region are there. Each step is idempotent: a warm start only checks.
 */
import type { Config } from './platform/config.js';
import { openDb, type Db } from './platform/db.js';
import type { Logger } from './platform/logging.js';
import { migrate } from './platform/migrations.js';

export interface BootReport {
  db: Db;
  migrated: string[];
  steps: { name: string; ms: number; detail: string }[];
}

async function timed<T>(steps: BootReport['steps'], name: string, fn: () => Promise<T>, describe: (r: T) => string): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  steps.push({ name, ms: Math.round(performance.now() - t0), detail: describe(r) });
  return r;
}

export async function bootstrap(config: Config, log: Logger): Promise<BootReport> {
  const steps: BootReport['steps'] = [];
  const db = await timed(steps, '打开数据库', () => openDb(config), (d) => d.location);
  const migrated = await timed(steps, '数据库迁移', () => migrate(db), (m) => (m.length ? `执行 ${m.length} 个` : '已是最新'));
  for (const s of steps) log.info({ step: s.name, ms: s.ms }, `${s.name}：${s.detail}`);
  return { db, migrated, steps };
}
