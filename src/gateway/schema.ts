/**
 * Schema helpers for the national messages and the tolerant reading real HIS clients need (reference §1.7, §7.2):
 * unknown fields are kept and ignored, numbers may come as strings and strings as numbers, an empty string or
 * null means "absent", `exp_content` may be an object or a JSON string. Validation errors become one Chinese
 * VALIDATION error naming each field.
 */
import { createHash } from 'node:crypto';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { validationError, type FieldProblem } from '../platform/errors.js';
import { compiledReader, normalize } from './reader.js';

// ---------- building blocks (lengths from the spec tables: C(n) → maxLength n) ----------

/** C(n): a string of at most n characters. */
export const C = (n: number, description?: string) => Type.String({ maxLength: n, ...(description ? { description } : {}) });
/** Optional C(n). */
export const OptC = (n: number, description?: string) => Type.Optional(C(n, description));
/** D: yyyy-MM-dd. */
export const D = (description?: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', ...(description ? { description } : {}) });
/** DT: yyyy-MM-dd HH:mm:ss (a date alone is accepted too: clients send both). */
export const DT = (description?: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}( \\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?)?$', ...(description ? { description } : {}) });
/** N(n): a whole number (accepted as a JSON number or a numeric string). */
export const N = (description?: string) => Type.Integer(description ? { description } : {});
/** A code from a fixed list (dictionary field): one of the given strings. */
export const Code = (values: readonly string[], description?: string) =>
  Type.Union(values.map((v) => Type.Literal(v)), description ? { description } : {});
/** Output D / DT / string fields are often null. */
export const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
/** exp_content 字段扩展: an object or a JSON string holding one (normalised to the object). */
export const ExpContent = Type.Optional(Type.Unknown({ description: '字段扩展（对象或JSON字符串）' }));

/** The paged-query wrapper the national 13xx queries answer with (pageNum/pageSize/recordCounts … + data[]). */
export const Paged = <T extends TSchema>(row: T) =>
  Type.Object({
    data: Type.Array(row),
    pageNum: Type.Integer(),
    pageSize: Type.Integer(),
    recordCounts: Type.Integer(),
    pages: Type.Integer(),
    size: Type.Integer(),
    startRow: Type.Integer(),
    endRow: Type.Integer(),
    firstPage: Type.Integer(),
    lastPage: Type.Integer(),
  });

export interface PageLike<T> {
  page_num: number;
  page_size: number;
  total: number;
  list: T[];
}

/** Wraps a service page into the national paged shape. */
export function toPaged<T, R>(page: PageLike<T>, map: (row: T) => R) {
  const pages = page.total === 0 ? 0 : Math.ceil(page.total / page.page_size);
  const startRow = page.list.length ? (page.page_num - 1) * page.page_size + 1 : 0;
  return {
    data: page.list.map(map),
    pageNum: page.page_num,
    pageSize: page.page_size,
    recordCounts: page.total,
    pages,
    size: page.list.length,
    startRow,
    endRow: page.list.length ? startRow + page.list.length - 1 : 0,
    firstPage: 1,
    lastPage: Math.max(pages, 1),
  };
}

/** Shared page_num / page_size input fields (N(4), required by the spec; yibao serves at most 500 rows a page). */
export const PAGE_SIZE_MAX = 500;
export const PageInput = {
  page_num: Type.Integer({ minimum: 1, description: '当前页数' }),
  page_size: Type.Integer({ minimum: 1, maximum: PAGE_SIZE_MAX, description: `本页数据量（最大${PAGE_SIZE_MAX}）` }),
};

/**
 * rid 唯一记录号 (C(40)) of a row: 32 hex digits derived from the row's key (table, code, area, start date …), so the
 * same row always has the same rid and no code length can push it past 40 characters.
 */
export function ridOf(...key: (string | null | undefined)[]): string {
  return createHash('sha256').update(key.map((k) => k ?? '').join('|')).digest('hex').slice(0, 32);
}

// ---------- tolerant reading ----------

/**
 * Prepares a parsed JSON value for validation: drops empty strings and nulls (absent), trims strings, and turns
 * an `exp_content` JSON string into its object. Returns a new value; the request body is not changed.
 */
export function normalizeMessage(value: unknown, key = ''): unknown {
  return normalize(value, key);
}

function fieldOf(path: string): string {
  return path.replace(/^\//, '').replace(/\//g, '.') || '(根)';
}

function describe(e: ValueError): FieldProblem {
  const s = e.schema as { maxLength?: number; minLength?: number; minimum?: number; maximum?: number; pattern?: string };
  let field = fieldOf(e.path);
  let message: string;
  switch (e.type) {
    case ValueErrorType.ObjectRequiredProperty:
      message = '缺少必填项';
      break;
    case ValueErrorType.String:
      message = '应为字符串';
      break;
    case ValueErrorType.Integer:
      message = '应为整数';
      break;
    case ValueErrorType.Number:
      message = '应为数字';
      break;
    case ValueErrorType.Object:
      message = '应为JSON对象';
      break;
    case ValueErrorType.Array:
      message = '应为数组';
      break;
    case ValueErrorType.StringMaxLength:
      message = `长度不能超过${s.maxLength}个字符`;
      break;
    case ValueErrorType.StringMinLength:
      message = `长度不能少于${s.minLength}个字符`;
      break;
    case ValueErrorType.StringPattern:
      message = s.pattern?.startsWith('^\\d{4}-\\d{2}-\\d{2}$') ? '日期格式应为 yyyy-MM-dd' : s.pattern?.includes('\\d{2}:\\d{2}') ? '时间格式应为 yyyy-MM-dd HH:mm:ss' : '格式错误';
      break;
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      message = `不能小于${s.minimum}`;
      break;
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      message = `不能大于${s.maximum}`;
      break;
    case ValueErrorType.Union: {
      const consts = ((e.schema as { anyOf?: { const?: unknown }[] }).anyOf ?? []).map((x) => x.const);
      message = consts.length && consts.every((c) => typeof c === 'string') ? `取值应为 ${consts.join('、')} 之一` : '取值类型不符';
      break;
    }
    default:
      message = e.message;
  }
  if (field === '(根)') field = '';
  return field ? { field, message } : { message };
}

/**
 * Reads a value against a schema the tolerant way: normalise, convert ("1" ↔ 1), check. Returns the converted
 * value, or throws one VALIDATION error listing every problem (`what` names the message part, e.g. '交易输入').
 */
export function readAgainst<T extends TSchema>(schema: T, raw: unknown, what: string): Static<T> {
  // the fast path: the schema's compiled reader (reader.ts); a value it refuses is read again below for the problems
  const fast = compiledReader(schema)?.read(raw);
  if (fast) return fast.value as Static<T>;
  const value = Value.Convert(schema, normalizeMessage(raw));
  if (Value.Check(schema, value)) return value as Static<T>;
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const e of Value.Errors(schema, value)) {
    const p = describe(e);
    const key = `${p.field ?? ''}|${p.message}`;
    // a union or nested failure repeats itself; one line per field is enough
    if (seen.has(key) || (p.field && problems.some((q) => q.field === p.field))) continue;
    seen.add(key);
    problems.push(p);
    if (problems.length >= 20) break;
  }
  throw validationError(`${what}有误`, problems);
}

// ---------- canonical JSON (request hash, message signature) ----------

/**
 * JSON with object keys sorted at every level and no whitespace: one text per value. (Built by appending to one
 * string rather than through entries/sort/map/join arrays per object: it hashes every request's input.)
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i) out += ',';
      const v: unknown = value[i];
      // undefined elements are null, as in JSON; holes of a sparse array stay empty
      out += v === undefined ? (i in value ? 'null' : '') : canonicalJson(v);
    }
    return `${out}]`;
  }
  const o = value as Record<string, unknown>;
  // default sort compares UTF-16 code units, the same order as `<` on strings
  const keys = Object.keys(o).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = o[k];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(k)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}
