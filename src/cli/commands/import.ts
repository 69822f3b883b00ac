import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config.js';
import { openDb } from '../../platform/db.js';
import { migrate } from '../../platform/migrations.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { describeProblem } from '../../platform/errors.js';
import type { ImportReport } from '../../standards/import-report.js';
import { IMPORTERS } from '../../importers.js';
import { wantsHelp, type Command } from '../command.js';

export const importCommand: Command = {
  name: 'import',
  summary: '导入基础数据文件（区划、疾病诊断、手术操作、目录、机构、医师、参保人员）',
  usage: `用法：yibao import <类别> <文件> [--operator 工号]

  校验整个文件后一次性写入：任何一行有误则不写入任何数据，并列出每一条错误（行号、字段、原因）。
  文件为 UTF-8 的 CSV 或制表符分隔文本（TSV），首行为字段名；各类别的字段见 docs/import-formats.md。

  类别：
${Object.entries(IMPORTERS)
  .map(([k, v]) => `    ${k.padEnd(16)}${v.label}`)
  .join('\n')}

  --operator 工号   记入操作日志的经办人（默认 system）`,
  async run(args, io) {
    if (wantsHelp(args)) {
      io.out(this.usage);
      return 0;
    }
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { operator: { type: 'string' } } });
    const [kind, file] = positionals;
    if (!kind || !file) {
      io.err(this.usage);
      return 2;
    }
    const importer = IMPORTERS[kind];
    if (!importer) {
      io.err(`未知的导入类别：${kind}。可用类别：${Object.keys(IMPORTERS).join('、')}`);
      return 2;
    }
    const db = await openDb(loadConfig());
    try {
      await migrate(db);
      const actor = values.operator ? { id: values.operator, name: values.operator, admdvs: [] } : SYSTEM_ACTOR;
      const report: ImportReport = await importer.run(db, file, actor);
      io.out(`导入完成（${importer.label}）：读取 ${report.read} 行，新增 ${report.inserted} 行，关闭旧版本 ${report.closed} 行${report.unchanged ? `，未变化 ${report.unchanged} 行` : ''}。`);
      for (const p of report.rejected) io.err(`  - ${describeProblem(p)}`);
      return 0;
    } finally {
      await db.close();
    }
  },
};
