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
import { fileLines, readCaseFile } from './cases.js';

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
