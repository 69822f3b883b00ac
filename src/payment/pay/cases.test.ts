/**
 * Reading a case file: the hand-split lines equal node:readline's (crlfDelay Infinity) for \n, \r\n and lone \r line
 * ends, empty lines and a last line without an end, whatever the chunk boundaries; and a bad line still refuses the
 * file with its row number.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { caseOfLine, fileLineChunks, fileLines, readCaseFile } from './cases.js';

const dir = mkdtempSync(join(tmpdir(), 'yibao-pay-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readlineLines(path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const l of createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })) out.push(l);
  return out;
}

async function ours(path: string, chunk: number): Promise<string[]> {
  const out: string[] = [];
  for await (const l of fileLines(path, chunk)) out.push(l);
  return out;
}

const SAMPLES: Record<string, string> = {
  lf: '{"a":1}\n{"b":"病例"}\n\n{"c":3}\n',
  crlf: '{"a":1}\r\n{"b":2}\r\n\r\n{"c":3}',
  lone_cr: 'a\rb\r\nc\r\r\nd\r',
  mixed: '\n\r\nx\ry\n\r\r\nz',
  no_end: 'only one line',
  empty: '',
};

describe('fileLines', () => {
  for (const [name, text] of Object.entries(SAMPLES)) {
    it(`${name}: the same lines as readline at every chunk size`, async () => {
      const path = join(dir, `${name}.jsonl`);
      writeFileSync(path, text);
      const expected = await readlineLines(path);
      for (const chunk of [1, 2, 3, 5, 7, 1 << 20]) expect(await ours(path, chunk), `chunk ${chunk}`).toEqual(expected);
    });
  }
});

describe('readCaseFile', () => {
  it('reads CRLF lines and names a bad line by its row', async () => {
    const good = (id: string) => JSON.stringify({ id, fixmedins_code: 'H1', dscg_date: '2026-01-02', medfee_sumamt: '100.00', diagnoses: ['K35.800'] });
    const ok = join(dir, 'ok.jsonl');
    writeFileSync(ok, `${good('A')}\r\n${good('B')}\r\n`);
    expect((await readCaseFile(ok)).map((c) => c.id)).toEqual(['A', 'B']);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${good('A')}\r\n{oops\r\n${good('C')}\n`);
    await expect(readCaseFile(bad)).rejects.toMatchObject({ problems: [{ row: 2, message: '不是有效的 JSON' }] });
  });
});

describe('fileLineChunks', () => {
  it('gives the lines of fileLines, a chunk at a time', async () => {
    for (const [name, text] of Object.entries(SAMPLES)) {
      const path = join(dir, `chunks-${name}.jsonl`);
      writeFileSync(path, text);
      for (const chunk of [1, 3, 1 << 20]) {
        const flat: string[] = [];
        for await (const lines of fileLineChunks(path, chunk)) {
          expect(lines.length, `${name} ${chunk}`).toBeGreaterThan(0);
          flat.push(...lines);
        }
        expect(flat, `${name} ${chunk}`).toEqual(await ours(path, chunk));
      }
    }
  });
});

describe('caseOfLine', () => {
  const line = { id: 'A', fixmedins_code: 'H1', dscg_date: '2026-01-02', medfee_sumamt: '100.5', psn_part_amt: 20, diagnoses: ['K35.800', '', { diag_code: 'E11.900' }, 5], procedures: ['47.0901', null, { oprn_oprt_code: '54.2100' }] };
  it('reads plain and other money and codes', () => {
    const c = caseOfLine(line, 1);
    expect(c).toMatchObject({ cost: 10050, psn_pay: 2000, dip: { pdx: 'K35.800', dx: ['E11.900'], procedures: ['47.0901', '54.2100'] } });
  });
  it('names a bad amount, date or principal diagnosis by row', () => {
    expect(caseOfLine({ ...line, medfee_sumamt: '-1.00', dscg_date: '2026-02-30', diagnoses: [null, 'K35.800'] }, 7)).toEqual([
      { row: 7, field: 'dscg_date', message: '出院日期应为 yyyy-MM-dd' },
      { row: 7, field: 'medfee_sumamt', message: '金额不能为负' },
      { row: 7, field: 'diagnoses', message: '缺少主要诊断' },
    ]);
    expect(caseOfLine({ ...line, medfee_sumamt: '1.234', diagnoses: [] }, 3)).toMatchObject([{ row: 3, field: 'medfee_sumamt' }, { row: 3, field: 'diagnoses' }]);
  });
});
