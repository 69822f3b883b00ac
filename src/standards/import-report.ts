/**
 * What every importer returns, and the one reader of delimited files (CSV with quotes, or tab-separated
 * text as the national catalogue downloads use). Row numbers are 1-based and count the header as row 1,
 * so they match what a person sees in a spreadsheet.
 */
import { readFileSync } from 'node:fs';
import type { FieldProblem } from '../platform/errors.js';
import { validationError, type YibaoError } from '../platform/errors.js';

export interface ImportReport {
  kind: string;
  file: string;
  read: number;
  inserted: number;
  closed: number;
  rejected: FieldProblem[];
  /** Rows that matched what the database already holds and so wrote nothing (re-imports); absent = not counted. */
  unchanged?: number;
}

export interface DelimitedRow {
  row: number;
  values: Record<string, string>;
}

export interface Delimited {
  header: string[];
  rows: DelimitedRow[];
}

function splitRecords(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw validationError('文件格式错误：引号未闭合');
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** How a file that is not UTF-8 is refused (GBK/GB18030 from a Chinese Excel "CSV（逗号分隔）", UTF-16 …). */
const NOT_UTF8_HINT = '请在 Excel/WPS 中另存为“CSV UTF-8”，或用 iconv -f GB18030 -t UTF-8 转换后再导入';

function notUtf8(detail: string, line?: number): YibaoError {
  const where = line === undefined ? '' : `第${line}行`;
  return validationError(`文件不是 UTF-8 编码：${where}${detail}。${NOT_UTF8_HINT}`, [{ row: line, message: `文件不是 UTF-8 编码：${detail}` }]);
}

/** The 1-based text line holding the character at `index` (for messages; a quoted newline counts here). */
function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Decodes file bytes as UTF-8, strictly: a byte sequence that is not UTF-8 (GBK, GB18030, Latin-1 …) is refused
 * with a Chinese message naming the first text line that holds one, instead of importing garbled names.
 * A UTF-16 byte-order mark is refused too. The UTF-8 BOM is accepted (and dropped by parseDelimited).
 */
export function decodeUtf8(bytes: Uint8Array): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw notUtf8('文件是 UTF-16 编码（带 UTF-16 字节顺序标记）');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    // find the first line that does not decode, so the person knows where to look
    const strict = new TextDecoder('utf-8', { fatal: true });
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          strict.decode(bytes.subarray(start, i));
        } catch {
          break;
        }
        line++;
        start = i + 1;
      }
    }
    throw notUtf8(`含有不能按 UTF-8 识别的字节，可能是 GBK/GB18030 编码（中文版 Excel 的“CSV（逗号分隔）”即是）`, line);
  }
}

/** Refuses text that shows it was not UTF-8 before it became a string: U+FFFD from lossy decoding, or NUL. */
function checkDecodedText(text: string): void {
  const bad = text.indexOf('\ufffd');
  if (bad >= 0) {
    const line = lineAt(text, bad);
    throw notUtf8(`含有无法识别的字符“\ufffd”，文件可能是 GBK/GB18030 编码`, line);
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = lineAt(text, nul);
    throw notUtf8(`含有 NUL 字符（0x00），文件可能是 UTF-16 编码或不是文本文件`, line);
  }
}

/**
 * Parses CSV or TSV (auto-detected from the header line); trims cells; skips blank lines.
 *
 * `input` is the file's bytes (preferred: decoded strictly as UTF-8, see decodeUtf8) or text already decoded;
 * text holding U+FFFD (what a lossy UTF-8 read makes of GBK bytes) or NUL is refused the same way.
 * Trailing header cells that are empty are dropped; an empty header cell between named columns is refused.
 * A row with more non-empty cells than the header has columns is refused, naming every such row.
 */
export function parseDelimited(input: string | Uint8Array, opts: { delimiter?: ',' | '\t' } = {}): Delimited {
  const text = typeof input === 'string' ? input : decodeUtf8(input);
  checkDecodedText(text);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = body.split(/\r?\n|\r/, 1)[0] ?? '';
  const delimiter = opts.delimiter ?? (firstLine.includes('\t') ? '\t' : ',');
  const records = splitRecords(body, delimiter);
  const headerRec = records.shift();
  if (!headerRec || headerRec.every((h) => h.trim() === '')) throw validationError('文件为空或缺少表头行');
  const header = headerRec.map((h) => h.trim());
  while (header[header.length - 1] === '') header.pop();
  const blank = header.indexOf('');
  if (blank >= 0) throw validationError(`表头第${blank + 1}列没有字段名`, [{ row: 1, message: `表头第${blank + 1}列没有字段名` }]);
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup) throw validationError(`表头字段重复：${dup}`, [{ row: 1, field: dup, message: '表头字段重复' }]);
  const rows: DelimitedRow[] = [];
  const extra: FieldProblem[] = [];
  records.forEach((rec, i) => {
    if (rec.every((c) => c.trim() === '')) return;
    const row = i + 2;
    const values: Record<string, string> = {};
    header.forEach((h, j) => (values[h] = (rec[j] ?? '').trim()));
    const beyond = rec.slice(header.length).map((c) => c.trim());
    if (beyond.some((c) => c !== '')) {
      const shown = beyond.filter((c) => c !== '').slice(0, 3).map((c) => `“${c.length > 20 ? `${c.slice(0, 20)}…` : c}”`).join('、');
      extra.push({ row, message: `本行有 ${rec.length} 个单元格，多于表头的 ${header.length} 列（多出的内容：${shown}）；值中含分隔符时请用英文双引号括起` });
    }
    rows.push({ row, values });
  });
  if (extra.length) throw validationError(`文件格式错误：${extra.length} 行的单元格多于表头的列数`, extra);
  return { header, rows };
}

/** Reads a CSV/TSV file as bytes and parses it (strict UTF-8; see parseDelimited). */
export function readDelimitedFile(filePath: string, opts: { delimiter?: ',' | '\t' } = {}): Delimited {
  return parseDelimited(readFileSync(filePath), opts);
}

/**
 * The header check of an importer that knows all its columns: missing required columns and columns it does not
 * know are both refused, before any row is looked at (a misspelt optional column would otherwise be read as
 * "not filled in" and its data silently lost).
 */
export function checkColumns(d: Delimited, required: readonly string[], optional: readonly string[]): void {
  const known = new Set([...required, ...optional]);
  const problems: FieldProblem[] = [];
  const missing = required.filter((c) => !d.header.includes(c));
  for (const m of missing) problems.push({ row: 1, field: m, message: '缺少该列' });
  const unknown = d.header.filter((h) => !known.has(h));
  for (const u of unknown) {
    const near = [...known].find((k) => k.toLowerCase() === u.toLowerCase());
    problems.push({ row: 1, field: u, message: near ? `不认识的列；列名区分大小写，应为 ${near}` : '不认识的列，请核对列名（本类别可用的列见 docs/import-formats.md）' });
  }
  if (!problems.length) return;
  const parts = [missing.length ? `缺少必需的字段列：${missing.join('、')}` : '', unknown.length ? `不认识的字段列：${unknown.join('、')}` : ''].filter(Boolean);
  throw validationError(`${parts.join('；')}（本类别可用的列：${[...known].join('、')}）`, problems);
}

/** Throws when required columns are missing from the header. */
export function requireColumns(d: Delimited, columns: readonly string[]): void {
  const missing = columns.filter((c) => !d.header.includes(c));
  if (missing.length) throw validationError(`缺少必需的字段列：${missing.join('、')}`, missing.map((m) => ({ row: 1, field: m, message: '缺少该列' })));
}

/** Throws one error listing every problem when any row was rejected (all-or-nothing imports). */
export function rejectIfProblems(kind: string, problems: FieldProblem[]): void {
  if (problems.length) {
    throw validationError(`${kind}导入失败：共 ${problems.length} 处错误，未写入任何数据`, problems);
  }
}
