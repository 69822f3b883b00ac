/**
 * `yibao generate`: the synthetic pooling region (src/generate) to Parquet files and/or into the platform
 * database, with progress lines and the manifest's row counts and checksum at the end.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config.js';
import { openDb, type Db } from '../../platform/db.js';
import { migrate } from '../../platform/migrations.js';
import { loadNationalStandards } from '../../standards/national-load.js';
import { defaultWorkers, generateRegion, GENERATE_START, MAX_MONTHS, MAX_PERSONS, MAX_WORKERS, type GenerateParams } from '../../generate/run.js';
import { wantsHelp, type CliIo, type Command } from '../command.js';

const USAGE = `用法：yibao generate --seed S --persons N --months M [--institutions K] [--violations 比例] [--workers N] (--out 目录 | --db)

  按种子确定性地生成一个合成统筹区（演示省 990000 的甲市、乙市）：参保人员（人口金字塔、险种与人员类别、
  低保/特困、家庭共济关系、个人账户划入），定点医药机构与医保医师（演示统筹区的机构、目录与待遇政策），
  自 ${GENERATE_START} 起 M 个月的门诊、门慢特、药店购药和住院（真实医保版 ICD-10 诊断、ICD-9-CM-3 手术操作、
  按机构等级限价计价的费用明细、医嘱时间、医师编码、药品追溯码、身份核验记录），由待遇政策引擎逐笔结算
  （年度累计与个人账户连续），并为每次住院生成结算清单。逐块（每块 2000 人）生成和写出，内存占用与人数无关。

  --seed S           种子（0 到 4294967295）
  --persons N        参保人数（1 到 ${MAX_PERSONS}）
  --months M         月数（1 到 ${MAX_MONTHS}）
  --institutions K   只使用 K 家机构（保持各统筹区各等级和药店都有；默认全部 116 家）
  --violations 比例  按此比例（0 到 0.5，如 0.02）在就诊中注入违规（限性别、限儿童、超标准收费、重复收费、超频次、
                     床位费超天数、单味饮片、医师暂停资格期间、追溯码重复、死亡后持卡购药），每条违规的标准答案写入
                     gen_violation（Parquet 在 ground_truth/ 子目录，与审核读取的表分开）
  --workers N        生成用的工作线程数（0 到 ${MAX_WORKERS}，默认为 CPU 核数；0 表示在主线程中生成）。
                     只影响速度：每块的内容只取决于种子、参数和块号，线程数不同，输出完全相同
  --out 目录         写出 Parquet 文件（按 month=、admdvs= 分区）和 manifest.json；目录须为空或不存在
  --db               写入平台数据库（DATABASE_URL 或 ./data 下的 PGlite）：每块一个事务（PostgreSQL 用 COPY，
                     PGlite 用批量 INSERT），中断时库中只有完整的块；数据库中须是同一种子的演示统筹区
                     （没有时先加载不含人员的演示统筹区），且没有写入过生成数据

  同一种子、同一参数生成的内容完全相同：manifest 中每张表的行数和内容校验和（SHA-256）一致。`;

function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new RangeError(`--${name} 应为 ${min} 到 ${max} 之间的整数，实际为“${raw}”`);
  return Number(raw);
}

export const generateCommand: Command = {
  name: 'generate',
  summary: '按种子生成合成统筹区（人员、就诊、费用、结算、结算清单），写出 Parquet 或写入数据库',
  usage: USAGE,
  async run(args, io: CliIo) {
    if (wantsHelp(args)) {
      io.out(this.usage);
      return 0;
    }
    let params: GenerateParams;
    let out: string | undefined;
    let toDb: boolean;
    let workers: number;
    try {
      const { values } = parseArgs({
        args,
        options: {
          seed: { type: 'string' },
          persons: { type: 'string' },
          months: { type: 'string' },
          institutions: { type: 'string' },
          violations: { type: 'string' },
          workers: { type: 'string' },
          out: { type: 'string' },
          db: { type: 'boolean' },
        },
      });
      const seed = intOption('seed', values.seed, 0, 0xffff_ffff);
      const persons = intOption('persons', values.persons, 1, MAX_PERSONS);
      const months = intOption('months', values.months, 1, MAX_MONTHS);
      if (seed === undefined || persons === undefined || months === undefined) throw new RangeError('--seed、--persons、--months 都必须给出');
      if (!values.out && !values.db) throw new RangeError('应指定 --out 目录或 --db');
      const institutions = intOption('institutions', values.institutions, 1, 10_000);
      let violations: number | undefined;
      if (values.violations !== undefined) {
        violations = Number(values.violations);
        if (!/^\d*\.?\d+$/.test(values.violations) || violations > 0.5) throw new RangeError(`--violations 应为 0 到 0.5 之间的小数，实际为“${values.violations}”`);
      }
      params = { seed, persons, months, ...(institutions !== undefined ? { institutions } : {}), ...(violations !== undefined ? { violations } : {}) };
      workers = intOption('workers', values.workers, 0, MAX_WORKERS) ?? defaultWorkers();
      out = values.out;
      toDb = values.db ?? false;
    } catch (e) {
      io.err(`参数错误：${(e as Error).message}\n\n${this.usage}`);
      return 2;
    }

    let db: Db | undefined;
    const config = loadConfig({});
    try {
      if (toDb) {
        db = await openDb(config);
        io.out(`数据库：${db.location}`);
        await migrate(db);
        await loadNationalStandards(db);
      }
      const started = performance.now();
      const sinks = { ...(out ? { out } : {}), ...(db ? { db } : {}), ...(db && config.databaseUrl ? { pgCopy: { url: config.databaseUrl } } : {}) };
      io.out(`工作线程：${workers}`);
      const manifest = await generateRegion(
        params,
        sinks,
        (p) => {
          const s = (performance.now() - started) / 1000;
          io.out(`  已生成 ${p.persons}/${p.total} 人，就诊 ${p.encounters} 次，费用明细 ${p.lines} 条（${s.toFixed(1)} 秒）`);
        },
        { workers },
      );
      io.out(`完成（${((performance.now() - started) / 1000).toFixed(1)} 秒）。内容校验和：${manifest.checksum}`);
      const width = Math.max(...Object.keys(manifest.tables).map((t) => t.length));
      for (const [t, m] of Object.entries(manifest.tables)) io.out(`  ${t.padEnd(width)}  ${String(m.rows).padStart(10)} 行  ${m.sha256.slice(0, 16)}`);
      if (out) io.out(`Parquet 文件和 manifest.json 已写到 ${out}`);
      return 0;
    } finally {
      await db?.close();
    }
  },
};
