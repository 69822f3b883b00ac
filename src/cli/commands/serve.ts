import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logging.js';
import { bootstrap } from '../../bootstrap.js';
import { buildApp } from '../../server/app.js';
import { DEMO_PASSWORD } from '../../server/auth/demo-users.js';
import { wantsHelp, type Command } from '../command.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: '启动平台服务（HTTP 接口与管理端）',
  usage: `用法：yibao serve [--port N] [--host H] [--data DIR] [--no-demo]

  启动 yibao 服务。首次启动时自动建库（迁移）、导入国家标准（医保版 ICD-10 / ICD-9-CM-3、码表）
  并加载演示统筹区数据。未设置 DATABASE_URL 时使用 ./data 下的嵌入式 PGlite（重启后数据保留）。

  --port N     监听端口（默认 8080，或 YIBAO_PORT）
  --host H     监听地址（默认 127.0.0.1，或 YIBAO_HOST）
  --data DIR   嵌入式数据库目录（默认 ./data，或 YIBAO_DATA_DIR）
  --no-demo    不加载演示数据`,
  async run(args, io) {
    if (wantsHelp(args)) {
      io.out(this.usage);
      return 0;
    }
    const { values } = parseArgs({
      args,
      options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, 'no-demo': { type: 'boolean' } },
    });
    const config = loadConfig({
      ...(values.port ? { port: Number(values.port) } : {}),
      ...(values.host ? { host: values.host } : {}),
      ...(values.data ? { dataDir: values.data } : {}),
      ...(values['no-demo'] ? { demo: false } : {}),
    });
    const log = createLogger(config.logLevel);
    const t0 = performance.now();
    const boot = await bootstrap(config, log);
    const app = await buildApp({ db: boot.db, config, log });
    await app.listen({ host: config.host, port: config.port });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    io.out('');
    io.out(`yibao 已启动：http://${config.host}:${port}/   （用时 ${Math.round(performance.now() - t0)} ms）`);
    io.out(`数据库：${boot.db.location}`);
    io.out(`定点机构接口：POST http://${config.host}:${port}/fsi/api/（国家医保接口规范报文）`);
    if (config.demo) {
      io.out(`演示账号：admin（管理员，全省）、jingban（甲市经办员）、shenhe（乙市审核员）、jihe（稽核员）、jigou（机构用户），密码均为 ${DEMO_PASSWORD}`);
      io.out(`  例：curl -s -X POST http://${config.host}:${port}/api/auth/login -H 'content-type: application/json' -d '{"username":"admin","password":"${DEMO_PASSWORD}"}'`);
    }
    io.out('按 Ctrl+C 停止。');
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await app.close();
    await boot.db.close();
    return 0;
  },
};
