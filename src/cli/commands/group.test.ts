import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../command.js';
import { groupCommand } from './group.js';

const dir = mkdtempSync(join(tmpdir(), 'yibao-group-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINES = [
  JSON.stringify({ id: 'A1', gend: '1', age: 60, diagnoses: ['K22.301', 'K11.901'], procedures: [] }),
  '',
  JSON.stringify({
    setlinfo: { setl_id: 'S2', gend: '2', age: 35, act_ipt_days: 5, dscg_way: '1' },
    diseinfo: [{ diag_code: 'O82.000', maindiag_flag: '1' }],
    oprninfo: [{ oprn_oprt_code: '74.1x01', main_oprn_flag: '1' }],
  }),
  '{"id": "A3", "gend": "1", "diagnoses": ["W19.x00"]}',
  'this is not json',
  JSON.stringify({ id: 'A5', gend: '', age: 40, diagnoses: ['K22.301'] }),
];

function capture(): CliIo & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (l) => outLines.push(...l.split('\n')), err: (l) => errLines.push(l) };
}

describe('yibao group drg', () => {
  it('round-trips JSONL from --in to --out, one result per case, in order', async () => {
    const inFile = join(dir, 'cases.jsonl');
    const outFile = join(dir, 'results.jsonl');
    writeFileSync(inFile, `${LINES.join('\n')}\n`);
    const io = capture();
    expect(await groupCommand.run(['drg', '--version', 'chs-drg-1.1', '--in', inFile, '--out', outFile], io)).toBe(0);
    const results = readFileSync(outFile, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(results.map((r) => [r.line, r.id, r.status, r.drg])).toEqual([
      [1, 'A1', 'grouped', 'GZ13'],
      [3, 'S2', 'grouped', 'OB19'],
      [4, 'A3', '0000', '0000'],
      [5, null, 'invalid', '0000'],
      [6, 'A5', 'invalid', '0000'],
    ]);
    expect(results[0]).toMatchObject({ version: 'chs-drg-1.1', mdc: 'MDCG', adrg: 'GZ1', drg_name: '其他消化系统诊断，伴并发症或合并症', cc_mcc: { level: 'CC', code: 'K11.901' } });
    expect(results[0].trace.length).toBeGreaterThan(3);
    expect(results[3].reason).toMatch(/^信息校验不通过：第 5 行不是有效的 JSON/);
    expect(results[4].reason).toBe('信息校验不通过：病人性别为空');
    expect(io.outLines).toEqual([]);
    expect(io.errLines.at(-1)).toMatch(/^DRG 分组（chs-drg-1.1）共 5 条：分组成功 2，歧义病案（QY）0，无法入组（0000）1，信息校验不通过 2；/);
  });

  it('writes to stdout without --out, and --no-trace drops the trace', async () => {
    const inFile = join(dir, 'one.jsonl');
    writeFileSync(inFile, `${LINES[0]}\n`);
    const io = capture();
    expect(await groupCommand.run(['drg', '--in', inFile, '--no-trace'], io)).toBe(0);
    const lines = io.outLines.filter(Boolean);
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]!);
    expect(r.drg).toBe('GZ13');
    expect('trace' in r).toBe(false);
  });

  it('--map and --qy reach the grouper', async () => {
    const inFile = join(dir, 'opts.jsonl');
    writeFileSync(inFile, [JSON.stringify({ gend: '1', age: 60, diagnoses: ['A01.000x002'] }), JSON.stringify({ gend: '1', age: 60, diagnoses: ['K22.301'], procedures: ['36.1000'] })].join('\n'));
    const io = capture();
    await groupCommand.run(['drg', '--in', inFile, '--no-trace', '--map', 'off', '--qy', 'on'], io);
    expect(io.outLines.filter(Boolean).map((l) => JSON.parse(l).drg)).toEqual(['0000', 'AQY']);
  });

  it('reads stdin when there is no --in (run as a child process)', () => {
    const mod = resolve('src/cli/commands/group.ts');
    const script = `import { groupCommand } from ${JSON.stringify(mod)};
      const io = { out: (l) => process.stdout.write(l + '\\n'), err: (l) => process.stderr.write(l + '\\n') };
      process.exitCode = await groupCommand.run(['drg', '--no-trace'], io);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { input: `${LINES[0]}\n${LINES[2]}\n`, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).drg)).toEqual(['GZ13', 'OB19']);
    expect(r.stderr).toContain('共 2 条：分组成功 2');
  });

  it('--help is in Chinese; bad arguments exit 2; bad tables exit 1 naming file and entry', async () => {
    const help = capture();
    expect(await groupCommand.run(['drg', '--help'], help)).toBe(0);
    expect(help.outLines.join('\n')).toContain('用法：yibao group drg');

    for (const args of [[], ['dip'], ['drg', 'extra'], ['drg', '--map', 'maybe'], ['drg', '--qy', 'yes'], ['drg', '--version', 'chs-drg-1.1', '--tables', dir], ['drg', '--bogus']]) {
      const io = capture();
      expect(await groupCommand.run(args, io), args.join(' ')).toBe(2);
      expect(io.errLines.join('\n')).toMatch(/[\u4e00-\u9fff]/);
    }

    const missing = capture();
    expect(await groupCommand.run(['drg', '--in', join(dir, 'nope.jsonl')], missing)).toBe(1);
    expect(missing.errLines[0]).toContain('文件不存在');

    const io = capture();
    expect(await groupCommand.run(['drg', '--tables', dir], io)).toBe(1);
    expect(io.errLines[0]).toMatch(/^错误：DRG 分组表 .* 校验不通过/);
    expect(io.errLines[1]).toContain('mdcs.json 条目 （整个文件）');
  });
});
