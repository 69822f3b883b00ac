/**
 * The `yibao` command: a table of sub-commands. `yibao --help` lists them; `yibao <cmd> --help` explains one.
 */
import { isYibaoError, describeProblem } from '../platform/errors.js';
import type { CliIo, Command } from './command.js';
import { serveCommand } from './commands/serve.js';
import { migrateCommand } from './commands/migrate.js';
import { importCommand } from './commands/import.js';
import { usersCommand } from './commands/users.js';
import { demoCommand } from './commands/demo.js';
import { credentialsCommand } from './commands/credentials.js';
import { groupCommand } from './commands/group.js';
import { simulateCommand } from './commands/simulate.js';
import { generateCommand } from './commands/generate.js';
import { snapshotCommand } from './commands/snapshot.js';
import { auditCommand } from './commands/audit.js';
import { payCommand } from './commands/pay.js';

export const COMMANDS: Command[] = [serveCommand, migrateCommand, importCommand, usersCommand, credentialsCommand, groupCommand, demoCommand, simulateCommand, generateCommand, snapshotCommand, auditCommand, payCommand];

const consoleIo: CliIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'yibao — 开放智慧医保平台',
    '',
    '用法：yibao <命令> [参数]      （每个命令都支持 --help）',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

export async function run(argv: string[], io: CliIo = consoleIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return name ? 0 : 1;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.err(`未知命令：${name}\n\n${overview()}`);
    return 2;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (isYibaoError(e)) {
      io.err(`错误：${e.message}`);
      for (const p of e.problems.slice(0, 50)) io.err(`  - ${describeProblem(p)}`);
      if (e.problems.length > 50) io.err(`  … 另有 ${e.problems.length - 50} 条`);
      return 1;
    }
    io.err(`内部错误：${(e as Error).stack ?? String(e)}`);
    return 1;
  }
}
