/**
 * `yibao snapshot`: exports the settlement, encounter, fee, person, institution, practitioner and knowledge tables
 * the 事后 batch audit reads to Parquet (src/audit/snapshot), as a job whose progress is printed on stderr.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config.js';
import { openDb } from '../../platform/db.js';
import { migrate } from '../../platform/migrations.js';
import { SYSTEM_ACTOR, type Actor } from '../../platform/oplog.js';
import { snapshotJob } from '../../audit/snapshot/snapshot.js';
import { wantsHelp, type Command } from '../command.js';

const USAGE = `用法：yibao snapshot --out 目录 [--from yyyy-MM-dd] [--to yyyy-MM-dd] [--page-size N] [--operator 工号]

  把事后审核所需的数据导出为 Parquet 快照（DuckDB 写出）：就诊 mdtrt、诊断 mdtrt_diag、费用明细 feedetl、
  结算 setl / setl_fund / setl_feedetl（按就诊登记月份和就医地区划分区：表/month=yyyy-MM/admdvs=NNNNNN/），
  参保人（性别、出生、死亡日期）、定点机构（级别、类型、区划，含历史）、医保医师及其支付资格历史、
  审核知识库 audit_kb_*。目录中的 manifest.json 记录时间窗和每张表的行数、文件。

  --from / --to    只导出登记日期在此区间内的就诊及其诊断、明细和结算（默认全部）
  --out 目录       输出目录；已是快照目录时覆盖，其他非空目录拒绝写入
  --page-size N    每次从数据库读取的行数（默认 20000）
  --operator 工号  记入任务表的操作人（默认 system）

  以任务（job，kind = snapshot）运行，进度写到标准错误输出。`;

export const snapshotCommand: Command = {
  name: 'snapshot',
  summary: '导出事后审核快照（Parquet，按月份和区划分区）',
  usage: USAGE,
  async run(args, io) {
    if (wantsHelp(args)) {
      io.out(USAGE);
      return 0;
    }
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: { out: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, 'page-size': { type: 'string' }, operator: { type: 'string' } },
      }));
    } catch (e) {
      io.err(`参数错误：${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (!values.out) {
      io.err(`缺少 --out 输出目录\n\n${USAGE}`);
      return 2;
    }
    const pageSize = values['page-size'] === undefined ? undefined : Number(values['page-size']);
    if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1_000_000)) {
      io.err('--page-size 应为 1 到 1000000 之间的整数');
      return 2;
    }
    const actor: Actor = values.operator ? { id: values.operator, name: values.operator, admdvs: [] } : SYSTEM_ACTOR;
    const config = loadConfig();
    const db = await openDb(config);
    try {
      await migrate(db);
      let last = 0;
      // on PostgreSQL each table is read with one COPY … TO STDOUT
      const pgCopy = config.databaseUrl ? { pgCopy: { url: config.databaseUrl } } : {};
      const m = await snapshotJob(db, actor, { out: values.out, from: values.from ?? null, to: values.to ?? null, ...(pageSize ? { pageSize } : {}), ...pgCopy }, (p) => {
        if (Date.now() - last < 1000) return;
        last = Date.now();
        io.err(`[快照] ${p.table}：已导出 ${p.done}/${p.total} 行（${Math.round((p.done / Math.max(1, p.total)) * 100)}%）`);
      });
      io.out(`快照已写入 ${values.out}（任务 ${m.job_id}）`);
      for (const [name, t] of Object.entries(m.tables)) io.out(`  ${name.padEnd(28)} ${String(t.rows).padStart(10)} 行  ${t.files.length} 个文件`);
      return 0;
    } finally {
      await db.close();
    }
  },
};
