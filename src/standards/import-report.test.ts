import { describe, expect, test } from 'vitest';
import { YibaoError } from '../platform/errors.js';
import { checkColumns, decodeUtf8, parseDelimited, requireColumns } from './import-report.js';

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

describe('encoding', () => {
  // "990300,演示省丙市,…" as a Chinese Excel saves it: GB18030/GBK bytes, not UTF-8
  const gbk = Buffer.concat([Buffer.from('admdvs,admdvs_name\n990100,'), Buffer.from('bcd7cad0', 'hex'), Buffer.from('\n990300,'), Buffer.from('d1ddcabecaa1b1fbcad0', 'hex'), Buffer.from('\n')]);

  test('refuses bytes that are not UTF-8, naming the first line that holds them', () => {
    expect(() => parseDelimited(gbk)).toThrow(/文件不是 UTF-8 编码：第2行含有不能按 UTF-8 识别的字节.*GBK/);
    expect(() => decodeUtf8(gbk)).toThrow(YibaoError);
  });

  test('refuses text that was decoded lossily (U+FFFD) or holds NUL, and a UTF-16 file', () => {
    expect(() => parseDelimited(gbk.toString('utf8'))).toThrow(/文件不是 UTF-8 编码：第2行含有无法识别的字符/);
    expect(() => parseDelimited('a,b\n1,2\u0000\n')).toThrow(/NUL/);
    expect(() => parseDelimited(Buffer.from('\ufeffa,b\n1,2\n', 'utf16le'))).toThrow(/UTF-16/);
  });

  test('reads UTF-8 bytes, with or without a BOM', () => {
    const d = parseDelimited(Buffer.from('\ufeffadmdvs,admdvs_name\n990100,甲市\n', 'utf8'));
    expect(d).toEqual({ header: ['admdvs', 'admdvs_name'], rows: [{ row: 2, values: { admdvs: '990100', admdvs_name: '甲市' } }] });
  });
});

describe('header and cells', () => {
  test('a row with more cells than the header is refused with its row number; empty extra cells are tolerated', () => {
    expect(parseDelimited('a,b\n1,2,\n').rows).toEqual([{ row: 2, values: { a: '1', b: '2' } }]);
    try {
      parseDelimited('a,b\n1,2\n3,4,5\n\n6,伤寒, 副伤寒\n');
      expect.unreachable();
    } catch (e) {
      expect((e as YibaoError).message).toMatch(/2 行的单元格多于表头的列数/);
      expect((e as YibaoError).problems).toEqual([
        { row: 3, message: expect.stringMatching(/本行有 3 个单元格，多于表头的 2 列（多出的内容：“5”）/) },
        { row: 5, message: expect.stringMatching(/多出的内容：“副伤寒”/) },
      ]);
    }
  });

  test('unknown columns are refused with the missing ones, and a case slip is named', () => {
    const d = parseDelimited('code,Name,selfpay_ratio\nA,B,C\n');
    try {
      checkColumns(d, ['code', 'name'], ['begndate']);
      expect.unreachable();
    } catch (e) {
      expect((e as YibaoError).message).toMatch(/^缺少必需的字段列：name；不认识的字段列：Name、selfpay_ratio/);
      expect((e as YibaoError).problems).toEqual([
        { row: 1, field: 'name', message: '缺少该列' },
        { row: 1, field: 'Name', message: '不认识的列；列名区分大小写，应为 name' },
        { row: 1, field: 'selfpay_ratio', message: expect.stringMatching(/不认识的列/) },
      ]);
    }
    expect(() => checkColumns(parseDelimited('code,name,begndate\n'), ['code', 'name'], ['begndate', 'enddate'])).not.toThrow();
  });

  test('trailing empty header cells are dropped; an empty one between names is refused', () => {
    expect(parseDelimited('a,b,,\n1,2\n').header).toEqual(['a', 'b']);
    expect(() => parseDelimited('a,,b\n1,2,3\n')).toThrow(/表头第2列没有字段名/);
  });
});
