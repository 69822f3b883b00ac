import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvCell } from './chunk.js';
import { parseCsvText } from './db-writer.js';
import { CHUNK_PERSONS } from './persons.js';
import { generateRegion } from './run.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'yibao-gen-w-'));
  dirs.push(d);
  return join(d, 'out');
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the CSV text of generated rows', () => {
  it('reads back cell for cell, whatever the text holds', () => {
    const rows = [
      ['plain', 12, null, '中文名称', ''],
      ['tab\there', 'quote "x"', 'new\nline', '\\N', 'back\\slash'],
      ['{"a":"b","c":[1,2]}', -0.5, 'trailing ', '"', null],
    ];
    const text = rows.map((r) => `${r.map(csvCell).join('\t')}\n`).join('');
    expect(parseCsvText(text)).toEqual(rows.map((r) => r.map((v) => (v === null ? null : String(v)))));
  });
});

describe('generation on worker threads', () => {
  it('gives the same checksums with 0, 1 and 2 workers, ids included', async () => {
    // two chunks, the second partial, with violations (their ids and follow-up encounters too)
    const params = { seed: 21, persons: CHUNK_PERSONS + 300, months: 2, violations: 0.05 };
    const inThread = await generateRegion(params, { out: tmp() }, undefined, { workers: 0 });
    const one = await generateRegion(params, { out: tmp() }, undefined, { workers: 1 });
    const twoDir = tmp();
    const two = await generateRegion(params, { out: twoDir }, undefined, { workers: 2 });
    expect(one.tables).toEqual(inThread.tables);
    expect(two.tables).toEqual(inThread.tables);
    expect(two.checksum).toBe(inThread.checksum);
    expect(inThread.tables.psn.rows).toBe(params.persons);
    expect(inThread.tables.gen_violation.rows).toBeGreaterThan(0);
    // chunks are staged and written together: one set of files for both chunks
    expect(readdirSync(join(twoDir, 'psn', 'admdvs=990100'))).toEqual(['c000000_0.parquet']);
  }, 600_000);
});
