import { expect, test } from 'vitest';
import { parseDelimited, requireColumns } from './import-report.js';

test('reads CSV with quotes, BOM and CRLF, numbering rows as a spreadsheet does', () => {
  const d = parseDelimited('\ufeffcode,name\r\nA01,"伤寒, 副伤寒"\r\n\r\nA02,"名称含""引号"""\r\n');
  expect(d.header).toEqual(['code', 'name']);
  expect(d.rows).toEqual([
    { row: 2, values: { code: 'A01', name: '伤寒, 副伤寒' } },
    { row: 4, values: { code: 'A02', name: '名称含"引号"' } },
  ]);
});

test('detects tab-separated text', () => {
  const d = parseDelimited('code\tname\nK22.301\t食管溃疡');
  expect(d.rows[0]!.values).toEqual({ code: 'K22.301', name: '食管溃疡' });
});

test('refuses an empty file, duplicate header fields, an open quote and missing columns', () => {
  expect(() => parseDelimited('')).toThrow(/文件为空/);
  expect(() => parseDelimited('a,a\n1,2')).toThrow(/表头字段重复/);
  expect(() => parseDelimited('a,b\n"1,2')).toThrow(/引号未闭合/);
  expect(() => requireColumns(parseDelimited('a\n1'), ['a', 'b'])).toThrow(/缺少必需的字段列：b/);
});
