import { parseArgs } from 'node:util';
import { bootstrap } from '../../bootstrap.js';
import { loadConfig, type Config } from '../../platform/config.js';
import { openDb, type Db } from '../../platform/db.js';
import { createLogger } from '../../platform/logging.js';
import { migrate, migrationStatus } from '../../platform/migrations.js';
import { loadNationalStandards } from '../../standards/national-load.js';
import { demoChecksum, demoLoadedChecksum, demoParamsChecksum, DEMO_MAX_PERSONS, loadDemoRegion } from '../../demo/load.js';
import { wantsHelp, type CliIo, type Command } from '../command.js';

const USAGE = `用法：yibao demo load [--seed N] [--persons N]
      yibao demo checksum [--seed N] [--persons N]

  演示统筹区（演示省 990000，甲市 990100、乙市 990200）：定点医药机构、医保医师、医保目录、参保人员、
  家庭共济关系，由种子确定性生成——同一种子、同一人数在任何机器、任何日期生成的内容完全相同。

  load       在当前数据库（DATABASE_URL 或 ./data 下的 PGlite）中加载演示统筹区：先执行迁移、导入国家标准，
             再加载演示数据。已加载时只做检查；已按其他参数加载时不做修改并报错。
  checksum   计算当前数据库中演示数据的内容校验和（SHA-256，不含创建时间和自增编号）。
             带 --seed 或 --persons 时，改为在内存数据库中按这些参数生成一遍并给出其校验和，可用来核对。

  --seed N      生成种子（默认取配置 demoSeed / YIBAO_DEMO_SEED，出厂为 20260101）
  --persons N   参保人数（默认取配置 demoPersons / YIBAO_DEMO_PERSONS，出厂为 10000）`;

function intOption(name: string, raw: string | undefined, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) > max) throw new RangeError(`--${name} 应为 0 到 ${max} 之间的整数，实际为“${raw}”`);
  return Number(raw);
}

async function printChecksum(db: Db, io: CliIo): Promise<void> {
  const { checksum, rows } = await demoChecksum(db);
  io.out(`校验和：${checksum}`);
  const width = Math.max(...Object.keys(rows).map((t) => t.length));
  for (const [table, n] of Object.entries(rows)) io.out(`  ${table.padEnd(width)}  ${n} 行`);
}

async function load(config: Config, io: CliIo): Promise<number> {
  const boot = await bootstrap({ ...config, demo: true }, createLogger('warn'));
  try {
    io.out(`数据库：${boot.db.location}`);
    for (const s of boot.steps) io.out(`  ${s.name}（${s.ms} ms）：${s.detail}`);
    if (boot.demo?.mismatch) {
      io.err(`错误：数据库中的演示统筹区是按其他参数加载的，与本次（种子 ${config.demoSeed}、人数 ${config.demoPersons}）不同，未做修改。如需重建，请使用空数据库。`);
      return 1;
    }
    io.out(boot.demo?.skipped ? `演示统筹区已存在（种子 ${config.demoSeed}、人数 ${config.demoPersons}），无需加载。` : `演示统筹区已加载（种子 ${config.demoSeed}、人数 ${config.demoPersons}）。`);
    return 0;
  } finally {
    await boot.db.close();
  }
}

async function checksum(config: Config, fresh: boolean, io: CliIo): Promise<number> {
  if (fresh) {
    const db = await openDb({ databaseUrl: '', dataDir: 'memory://' });
    try {
      await migrate(db);
      await loadNationalStandards(db);
      await loadDemoRegion(db, { seed: config.demoSeed, persons: config.demoPersons });
      io.out(`（在内存数据库中按种子 ${config.demoSeed}、人数 ${config.demoPersons} 生成）`);
      await printChecksum(db, io);
      return 0;
    } finally {
      await db.close();
    }
  }
  const db = await openDb(config);
  try {
    io.out(`数据库：${db.location}`);
    if ((await migrationStatus(db)).applied.length === 0) {
      io.err('数据库尚未初始化，其中没有演示统筹区（可运行 yibao demo load）。');
      return 1;
    }
    const loaded = await demoLoadedChecksum(db);
    if (loaded === undefined) {
      io.err('数据库中没有完整加载的演示统筹区（可运行 yibao demo load）。');
      return 1;
    }
    const same = loaded === demoParamsChecksum({ seed: config.demoSeed, persons: config.demoPersons });
    io.out(same ? `加载参数：种子 ${config.demoSeed}、人数 ${config.demoPersons}（与当前配置一致）` : '加载参数：与当前配置（种子、人数）不同');
    await printChecksum(db, io);
    return 0;
  } finally {
    await db.close();
  }
}

export const demoCommand: Command = {
  name: 'demo',
  summary: '加载演示统筹区，或计算演示数据的校验和（load | checksum）',
  usage: USAGE,
  async run(args, io) {
    if (wantsHelp(args)) {
      io.out(this.usage);
      return 0;
    }
    let parsed;
    let seed: number | undefined;
    let persons: number | undefined;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { seed: { type: 'string' }, persons: { type: 'string' } } });
      seed = intOption('seed', parsed.values.seed, 0xffff_ffff);
      persons = intOption('persons', parsed.values.persons, DEMO_MAX_PERSONS);
    } catch (e) {
      io.err(`参数错误：${(e as Error).message}\n\n${this.usage}`);
      return 2;
    }
    const [action, ...extra] = parsed.positionals;
    if (!action || extra.length || !['load', 'checksum'].includes(action)) {
      io.err(action && !['load', 'checksum'].includes(action) ? `未知的操作：${action}\n\n${this.usage}` : this.usage);
      return 2;
    }
    const config = loadConfig({ ...(seed !== undefined ? { demoSeed: seed } : {}), ...(persons !== undefined ? { demoPersons: persons } : {}) });
    if (action === 'load') return load(config, io);
    return checksum(config, seed !== undefined || persons !== undefined, io);
  },
};
