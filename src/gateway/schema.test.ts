import { Type } from '@sinclair/typebox';
import { describe, expect, test } from 'vitest';
import { canonicalJson, Code, normalizeMessage, readAgainst, ridOf, toPaged } from './schema.js';
import { maskMessage } from './request-log.js';
import { unzip, zip } from './zip.js';
import { TRANSACTIONS } from './registry.js';

describe('tolerant reading', () => {
  test('empty strings and nulls are absent, strings are trimmed, a string exp_content becomes its object', () => {
    expect(normalizeMessage({ a: '', b: null, c: ' x ', d: [{ e: '' }, 'y'], exp_content: '{"k":"v","z":""}' })).toEqual({ c: 'x', d: [{}, 'y'], exp_content: { k: 'v' } });
    expect(normalizeMessage({ exp_content: 'not json' })).toEqual({ exp_content: 'not json' });
  });

  test('numbers as strings and strings as numbers are converted; problems are named in Chinese', () => {
    const schema = Type.Object({ data: Type.Object({ n: Type.Integer(), s: Type.String({ maxLength: 3 }), c: Code(['01', '02']), o: Type.Optional(Type.String()) }) });
    expect(readAgainst(schema, { data: { n: '12', s: 7, c: '01', o: '', extra: 1 } }, '交易输入')).toEqual({ data: { n: 12, s: '7', c: '01', extra: 1 } });
    try {
      readAgainst(schema, { data: { n: 'x', s: 'abcd', c: '03' } }, '交易输入');
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe('交易输入有误');
      expect((e as { problems: unknown[] }).problems).toEqual([
        { field: 'data.n', message: '应为整数' },
        { field: 'data.s', message: '长度不能超过3个字符' },
        { field: 'data.c', message: '取值应为 01、02 之一' },
      ]);
    }
  });

  test('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 'é' }], c: undefined } })).toBe('{"a":{"d":[2,{"x":"é","y":1}]},"b":1}');
  });

  test('canonical JSON is the text the first implementation wrote (stored request hashes stay valid)', () => {
    // the entries/sort/map/join version it replaced, kept here as the reference
    const reference = (value: unknown): string => {
      if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : reference(v))).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
    };
    const values: unknown[] = [
      { data: { psn_no: '1', list: [{ b: 2.5, a: '"引号"\n', Z: null, _: true, 10: 1, 9: [undefined, 1e21, -0] }], '': {}, é: 'x', ä: undefined } },
      [1, 'a', null, [], {}],
      'text',
      12,
      null,
      undefined,
    ];
    for (const v of values) expect(canonicalJson(v)).toBe(reference(v));
  });

  test('the paged shape counts rows and pages the way the national queries do', () => {
    expect(toPaged({ page_num: 3, page_size: 10, total: 25, list: [1, 2, 3, 4, 5] }, (x) => x)).toEqual({ data: [1, 2, 3, 4, 5], pageNum: 3, pageSize: 10, recordCounts: 25, pages: 3, size: 5, startRow: 21, endRow: 25, firstPage: 1, lastPage: 3 });
    expect(toPaged({ page_num: 1, page_size: 10, total: 0, list: [] }, (x) => x)).toMatchObject({ pages: 0, startRow: 0, endRow: 0, size: 0 });
  });

  test('rid is stable and fits C(40)', () => {
    expect(ridOf('hilist', '001102000010000-990100001', '990100', '2024-01-01')).toHaveLength(32);
    expect(ridOf('a', 'b')).toBe(ridOf('a', 'b'));
    expect(ridOf('a', 'b')).not.toBe(ridOf('a', 'c'));
  });

  test('personal fields are masked in log copies, deep inside the message', () => {
    expect(maskMessage({ data: { certno: '110101199003071234', psn_name: '张三丰', mdtrt_cert_no: 'A99000001', mdtrt_cert_type: '02', list: [{ tel: 13800000000 }] } })).toEqual({
      data: { certno: '1101**********1234', psn_name: '张*丰', mdtrt_cert_no: 'A*******1', mdtrt_cert_type: '02', list: [{ tel: '1*********0' }] },
    });
  });
});

describe('ZIP files for 9102', () => {
  test('what zip writes, unzip reads back with checked CRCs (UTF-8 names, empty entries)', () => {
    const text = Buffer.from('XA10BAE001A001010100001\t二甲双胍片\n'.repeat(500));
    const file = zip([{ name: '1301_目录.txt', data: text }, { name: 'empty.txt', data: new Uint8Array() }], new Date('2026-01-05T01:30:00Z'));
    expect(file.readUInt32LE(0)).toBe(0x04034b50);
    expect(file.length).toBeLessThan(text.length / 10);
    const [a, b] = unzip(file);
    expect(a!.name).toBe('1301_目录.txt');
    expect(Buffer.compare(Buffer.from(a!.data), text)).toBe(0);
    expect(b!.data.length).toBe(0);
  });
});

describe('the registry', () => {
  test('every transaction has a code, a Chinese name, schemas and a handler, and a page in docs/api', async () => {
    const { existsSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const docs = join(import.meta.dirname, '..', '..', 'docs', 'api');
    const index = readFileSync(join(docs, 'README.md'), 'utf8');
    for (const t of TRANSACTIONS) {
      expect(t.infno).toMatch(/^[0-9A-Z]{4,6}$/);
      expect(t.name).toMatch(/[\u4e00-\u9fa5]/);
      expect(t.input).toBeTypeOf('object');
      expect(t.output).toBeTypeOf('object');
      expect(t.handler).toBeTypeOf('function');
      expect(existsSync(join(docs, `${t.infno}.md`)), `docs/api/${t.infno}.md`).toBe(true);
      expect(index).toContain(`(${t.infno}.md)`);
    }
  });
});
