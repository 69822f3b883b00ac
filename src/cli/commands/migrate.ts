import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config.js';
import { openDb } from '../../platform/db.js';
import { migrate, migrationStatus } from '../../platform/migrations.js';
import { wantsHelp, type Command } from '../command.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: '执行数据库迁移（--status 只查看状态）',
  usage: `用法：yibao migrate [--status]

  按 migrations/ 中的顺序执行尚未执行的迁移。已执行的迁移文件若被修改，将拒绝执行。
  数据库由配置决定：设置 DATABASE_URL 使用 PostgreSQL，否则使用 ./data 下的嵌入式 PGlite。

  --status   只列出已执行与待执行的迁移，不做修改`,
  async run(args, io) {
    if (wantsHelp(args)) {
      io.out(this.usage);
      return 0;
    }
    const { values } = parseArgs({ args, options: { status: { type: 'boolean' } } });
    const config = loadConfig();
    const db = await openDb(config);
    try {
      if (values.status) {
        const s = await migrationStatus(db);
        io.out(`数据库：${db.location}`);
        io.out(`已执行：${s.applied.length} 个；待执行：${s.pending.map((p) => p.name).join('、') || '无'}`);
        return 0;
      }
      const done = await migrate(db);
      io.out(done.length ? `已执行迁移：${done.join('、')}` : '数据库结构已是最新，无需迁移');
      return 0;
    } finally {
      await db.close();
    }
  },
};
