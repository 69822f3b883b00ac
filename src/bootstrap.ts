/**
 * Start-up of a yibao node: open the database, migrate, and make sure the reference data and (when
 * configured) the demo region are there. Each step is idempotent: a warm start only checks.
 */
import type { Config } from './platform/config.js';
import { openDb, type Db } from './platform/db.js';
import type { Logger } from './platform/logging.js';
import { migrate } from './platform/migrations.js';
import { loadNationalStandards, type NationalLoadResult } from './standards/national-load.js';
import { loadDemoRegion, type DemoLoadResult } from './demo/load.js';
import { ensureDemoUsers } from './server/auth/demo-users.js';

export interface BootReport {
  db: Db;
  migrated: string[];
  national: NationalLoadResult;
  /** The demo region step, when config.demo is on. */
  demo: DemoLoadResult | null;
  /** Demo staff logins created by this start (empty on a warm start). */
  demoUsers: string[];
  steps: { name: string; ms: number; detail: string }[];
}

async function timed<T>(steps: BootReport['steps'], name: string, fn: () => Promise<T>, describe: (r: T) => string): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  steps.push({ name, ms: Math.round(performance.now() - t0), detail: describe(r) });
  return r;
}

function describeNational(r: NationalLoadResult): string {
  return r.skipped ? '已加载，无需导入' : `码表 ${r.dict} 条，疾病诊断 ${r.diagnoses} 条，手术操作 ${r.procedures} 条`;
}

function describeDemo(r: DemoLoadResult): string {
  if (r.skipped) return r.mismatch ? '已加载（参数与配置不同，保留已加载内容）' : '已加载，无需导入';
  return r.parts.map((p) => (p.skipped ? `${p.label} 已加载` : `${p.label} ${p.rows} 条（${p.ms} ms）`)).join('，');
}

export async function bootstrap(config: Config, log: Logger): Promise<BootReport> {
  const steps: BootReport['steps'] = [];
  const db = await timed(steps, '打开数据库', () => openDb(config), (d) => d.location);
  try {
    const migrated = await timed(steps, '数据库迁移', () => migrate(db), (m) => (m.length ? `执行 ${m.length} 个` : '已是最新'));
    const national = await timed(steps, '国家标准', () => loadNationalStandards(db, log), describeNational);
    let demo: DemoLoadResult | null = null;
    let demoUsers: string[] = [];
    if (config.demo) {
      demo = await timed(steps, '演示统筹区', () => loadDemoRegion(db, { seed: config.demoSeed, persons: config.demoPersons }, log), describeDemo);
      // Demo staff logins come after the region, so the institution user can be bound to a demo hospital.
      demoUsers = await timed(steps, '演示账号', () => ensureDemoUsers(db, log), (u) => (u.length ? `创建 ${u.join('、')}` : '已存在'));
    }
    for (const s of steps) log.info({ step: s.name, ms: s.ms }, `${s.name}：${s.detail}`);
    return { db, migrated, national, demo, demoUsers, steps };
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}
