/**
 * What every importer returns, and the one reader of delimited files (CSV with quotes, or tab-separated
 * text as the national catalogue downloads use). Row numbers are 1-based and count the header as row 1,
 * so they match what a person sees in a spreadsheet.
 */
import type { FieldProblem } from '../platform/errors.js';
import { validationError } from '../platform/errors.js';

export interface ImportReport {
  kind: string;
  file: string;
  read: number;
  inserted: number;
  closed: number;
  rejected: FieldProblem[];
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

/** Parses CSV or TSV (auto-detected from the header line); trims cells; skips blank lines. */
export function parseDelimited(text: string, opts: { delimiter?: ',' | '\t' } = {}): Delimited {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = opts.delimiter ?? (firstLine.includes('\t') ? '\t' : ',');
  const records = splitRecords(body, delimiter);
  const headerRec = records.shift();
  if (!headerRec || headerRec.every((h) => h.trim() === '')) throw validationError('文件为空或缺少表头行');
  const header = headerRec.map((h) => h.trim());
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup) throw validationError(`表头字段重复：${dup}`);
  const rows: DelimitedRow[] = [];
  records.forEach((rec, i) => {
    if (rec.every((c) => c.trim() === '')) return;
    const values: Record<string, string> = {};
    header.forEach((h, j) => (values[h] = (rec[j] ?? '').trim()));
    if (rec.length > header.length && rec.slice(header.length).some((c) => c.trim() !== '')) {
      values.__extra = String(rec.length - header.length);
    }
    rows.push({ row: i + 2, values });
  });
  return { header, rows };
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
