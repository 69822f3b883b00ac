/** `yibao pay` on a test database: parameters from the command line, a year run from a JSONL file, the statement. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type Db } from '../../platform/db.js';
import { migrate } from '../../platform/migrations.js';
import type { CliIo } from '../command.js';
import { payCommand, runPay } from './pay.js';

let db: Db;
const dir = mkdtempSync(join(tmpdir(), 'yibao-paycli-'));
beforeAll(async () => {
  db = await openTestDb();
  await migrate(db);
}, 300_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db?.close();
});

function capture(): CliIo & { o: string[]; e: string[] } {
  const o: string[] = [];
  const e: string[] = [];
  return { o, e, out: (l) => o.push(l), err: (l) => e.push(l) };
}

const c = (id: string, date: string, cost: string, psn: string) => JSON.stringify({ id, fixmedins_code: 'H99010000001', hosp_lv: '3', dscg_date: date, medfee_sumamt: cost, psn_part_amt: psn, gend: '1', age: 60, diagnoses: ['K22.301', 'K11.901'] });

describe('yibao pay', () => {
  it('adds parameters, lists their history, runs a year from a file and shows the statement', async () => {
    const pfile = join(dir, 'p.json');
    writeFileSync(pfile, JSON.stringify({ year_weights: { '2025': 1 }, trim: { method: 'none' } }));
    const io = capture();
    expect(await runPay(db, ['params', 'drg', '--year', '2026', '--admdvs', '990100', '--from', '2026-01-01', '--budget', '1000', '--base-rate', '10000', '--params', pfile], io, '990000')).toBe(0);
    expect(io.o[0]).toContain('自 2026-01-01 起生效（预算 1000.00 元');
    expect(await runPay(db, ['params', 'drg', '--year', '2026', '--admdvs', '990100'], io, '990000')).toBe(0);
    expect(io.o[1]).toMatch(/^2026-01-01 ~ 至今 {2}预算 1000.00 元/);

    const file = join(dir, 'c.jsonl');
    writeFileSync(file, [c('h1', '2025-01-01', '1000.00', '0'), c('a1', '2026-01-01', '1000.00', '100.00')].join('\n'));
    const run = capture();
    expect(await runPay(db, ['drg', '--year', '2026', '--admdvs', '990100', '--cases', file], run, '990000')).toBe(0);
    expect(run.e[0]).toMatch(/^后台任务 \d+ 开始计算/);
    expect(run.o.join('\n')).toContain('年度点值 11.000000 元/点'); // (1,000 + 100) ÷ 100 points
    expect(run.o.at(-1)).toMatch(/^H99010000001 +1 +1\.0000 +100\.0000 +1100\.00 +100\.00 +0\.00 +1000\.00 +75\.01 +924\.99$/);

    const show = capture();
    expect(await runPay(db, ['show', 'drg', '--year', '2026', '--admdvs', '990100'], show, '990000')).toBe(0);
    expect(show.o.at(-1)).toBe(run.o.at(-1));
  });

  it('explains itself in Chinese and refuses bad arguments', async () => {
    const help = capture();
    expect(await payCommand.run(['--help'], help)).toBe(0);
    expect(help.o[0]).toContain('用法：yibao pay drg|dip');
    const io = capture();
    expect(await runPay(db, ['drg', 'extra'], io, '990000')).toBe(2);
    await expect(runPay(db, ['drg', '--year', '26'], io, '990000')).rejects.toThrow('--year 应为4位年度');
    await expect(runPay(db, ['params', 'drg', '--year', '2026', '--from', '2026-02-01'], io, '990100')).rejects.toThrow('需要同时给出');
  });
});
