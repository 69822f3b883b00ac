/**
 * Where the cases to pay come from (病例来源), as PayCase:
 *  - the database: the version in force of every submitted or locked settlement list (setl_list / setl_list_ver)
 *    of the region's institutions discharged in the years asked for, with cost and patient payment from its
 *    settlement (`setl`: medfee_sumamt, psn_part_amt; a reversed settlement drops the case; a list without a
 *    settlement row keeps the list's own amounts), read in pages;
 *  - a JSON Lines file of the simple case shape with cost fields (so generated data can be paid without loading it):
 *      {"id":"C1","fixmedins_code":"H99010200001","hosp_lv":"3","dscg_date":"2026-03-05","medfee_sumamt":"12000.00",
 *       "psn_part_amt":"3000.00","gend":"1","age":60,"ipt_days":8,"dscg_way":"1",
 *       "diagnoses":["K22.301","K11.901"],"procedures":[]}
 *    The file is streamed in batches and every line checked: any bad line refuses the file with every bad line named
 *    (after the last line, before anything is written).
 * Institutions (name, level, area) come from `fixmedins` (the latest version) when known.
 */
import { createReadStream } from 'node:fs';
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { validationError, type FieldProblem } from '../../platform/errors.js';
import { sumFen, yuanToFen, type Fen } from '../../platform/money.js';
import { scopePrefix } from '../../platform/scope.js';
import { isIsoDate } from '../../platform/time.js';
import { dipCaseOf } from '../dip/history.js';
import type { SetlListInput } from '../setl-list/fields.js';
import { isPlainIsoDate, plainYuanToFen } from './fast-fields.js';
import type { PayCase } from './types.js';

export interface Institution {
  fixmedins_code: string;
  fixmedins_name: string;
  hosp_lv: string;
  admdvs: string;
}

/** The region's institutions (latest version of each), by code. */
export async function regionInstitutions(db: Db, admdvs: string): Promise<Map<string, Institution>> {
  const rows = await sql<Institution>`select distinct on (fixmedins_code) fixmedins_code, fixmedins_name, hosp_lv, admdvs
    from fixmedins where admdvs like ${`${scopePrefix(admdvs)}%`} order by fixmedins_code, begndate desc`.execute(db.k);
  return new Map(rows.rows.map((r) => [r.fixmedins_code, r]));
}

const fen = (v: string | null | undefined): Fen => (v === null || v === undefined ? 0 : yuanToFen(v));

/** Cases of the region discharged from `from` to `to` (inclusive) from the stored settlement lists. */
export async function* dbCases(db: Db, admdvs: string, from: string, to: string, pageSize = 1000): AsyncGenerator<PayCase> {
  const insts = await regionInstitutions(db, admdvs);
  if (!insts.size) return;
  const codes = [...insts.keys()];
  let after = '';
  for (;;) {
    const rows = await db.k
      .selectFrom('setl_list as h')
      .innerJoin('setl_list_ver as v', 'v.setl_list_id', 'h.setl_list_id')
      .leftJoin('setl as s', 's.setl_id', 'h.setl_id')
      .select(['h.setl_id', 'h.fixmedins_code', 'v.dscg_date', 'v.content', 'v.medfee_sumamt', 'v.acct_pay', 'v.psn_cashpay', 'v.act_ipt_days', 's.medfee_sumamt as s_fee', 's.psn_part_amt', 's.vali_flag', 's.refd_setl_flag'])
      .where('h.stas_type', 'in', ['1', '2'])
      .where('v.dscg_date', '>=', from)
      .where('v.dscg_date', '<=', to)
      .where('h.fixmedins_code', 'in', codes)
      .where('h.setl_id', '>', after)
      .orderBy('h.setl_id')
      .limit(pageSize)
      .execute();
    if (!rows.length) return;
    for (const r of rows) {
      if (!r.dscg_date) continue;
      if (r.vali_flag !== null && (r.vali_flag !== '1' || r.refd_setl_flag !== '0')) continue; // reversed settlement
      const list = (typeof r.content === 'string' ? JSON.parse(r.content) : r.content) as SetlListInput;
      const settled = r.s_fee !== null;
      yield {
        id: r.setl_id,
        fixmedins_code: r.fixmedins_code,
        hosp_lv: insts.get(r.fixmedins_code)?.hosp_lv ?? null,
        dscg_date: r.dscg_date,
        cost: settled ? fen(r.s_fee) : fen(r.medfee_sumamt),
        psn_pay: settled ? fen(r.psn_part_amt) : sumFen([fen(r.acct_pay), fen(r.psn_cashpay)]),
        los: r.act_ipt_days,
        drg: list,
        dip: dipCaseOf(list),
      };
    }
    after = rows[rows.length - 1]!.setl_id;
    if (rows.length < pageSize) return;
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const codeOf = (v: unknown): string | null => (typeof v === 'string' ? v : isObj(v) && typeof (v.diag_code ?? v.oprn_oprt_code ?? v.code) === 'string' ? String(v.diag_code ?? v.oprn_oprt_code ?? v.code) : null);

/** A money field of a line in fen (0 when missing or bad, with the problem noted). Not a closure in caseOfLine: one per line of a million-line file cost measurably. */
function moneyOf(o: Record<string, unknown>, field: string, required: boolean, row: number, problems: FieldProblem[]): Fen {
  const v = o[field];
  if (v === undefined || v === null) {
    if (required) problems.push({ row, field, message: '缺少金额' });
    return 0;
  }
  if (typeof v === 'string') {
    const f = plainYuanToFen(v); // the usual "12000.00" without a regular expression; never negative
    if (f !== undefined) return f;
  }
  try {
    const f = yuanToFen(v as string | number, field);
    if (f < 0) problems.push({ row, field, message: '金额不能为负' });
    return f;
  } catch (e) {
    problems.push({ row, field, message: (e as Error).message });
    return 0;
  }
}

/** One JSONL object → a PayCase, or the problems of that line. */
export function caseOfLine(o: unknown, row: number): PayCase | FieldProblem[] {
  if (!isObj(o)) return [{ row, message: '应为 JSON 对象' }];
  const problems: FieldProblem[] = [];
  const id = typeof o.id === 'string' || typeof o.id === 'number' ? String(o.id) : typeof o.setl_id === 'string' ? o.setl_id : null;
  if (!id) problems.push({ row, field: 'id', message: '缺少病例标识 id（或 setl_id）' });
  if (typeof o.fixmedins_code !== 'string' || !o.fixmedins_code) problems.push({ row, field: 'fixmedins_code', message: '缺少定点机构编码' });
  if (typeof o.dscg_date !== 'string' || !(isPlainIsoDate(o.dscg_date) ?? isIsoDate(o.dscg_date.slice(0, 10)))) problems.push({ row, field: 'dscg_date', message: '出院日期应为 yyyy-MM-dd' });
  const cost = moneyOf(o, 'medfee_sumamt', true, row, problems);
  const psn_pay = moneyOf(o, 'psn_part_amt', false, row, problems);
  const pdx = Array.isArray(o.diagnoses) && o.diagnoses.length ? codeOf(o.diagnoses[0]) : null;
  if (pdx === null) problems.push({ row, field: 'diagnoses', message: '缺少主要诊断' });
  const hosp_lv = typeof o.hosp_lv === 'string' && /^[1239]$/.test(o.hosp_lv) ? o.hosp_lv : null;
  if (o.hosp_lv !== undefined && hosp_lv === null) problems.push({ row, field: 'hosp_lv', message: '医院等级只能是 1、2、3、9' });
  if (problems.length) return problems;
  const los = typeof o.ipt_days === 'number' ? o.ipt_days : typeof o.act_ipt_days === 'number' ? o.act_ipt_days : null;
  const age = typeof o.age === 'number' ? Math.floor(o.age) : null;
  return {
    id: id!,
    fixmedins_code: o.fixmedins_code as string,
    hosp_lv,
    dscg_date: (o.dscg_date as string).slice(0, 10),
    cost,
    psn_pay,
    los,
    drg: o,
    dip: { id: id!, pdx: pdx!, dx: codesOf(o.diagnoses as unknown[], 1), procedures: Array.isArray(o.procedures) ? codesOf(o.procedures, 0) : [], cost, died: o.dscg_way === '5', age, los },
  };
}

/** The non-empty codes of items[from..] (one loop, no intermediate arrays: it runs twice per line). */
function codesOf(items: unknown[], from: number): string[] {
  const out: string[] = [];
  for (let i = from; i < items.length; i++) {
    const c = codeOf(items[i]);
    if (c) out.push(c);
  }
  return out;
}

/**
 * The lines of a UTF-8 file, as node:readline gives them with crlfDelay Infinity (\n, \r\n and a lone \r end a line;
 * a last line without an end is a line), from large chunks split by hand — readline's per-line events and regular
 * expression took a third of the reading time of a million-line file.
 */
export async function* fileLines(path: string, chunkSize = 1 << 20): AsyncGenerator<string> {
  for await (const lines of fileLineChunks(path, chunkSize)) yield* lines;
}

/**
 * fileLines a chunk at a time: the lines that end in each chunk read, as one array — so a million-line file takes a
 * few hundred awaits instead of one promise per line.
 */
export async function* fileLineChunks(path: string, chunkSize = 1 << 20): AsyncGenerator<string[]> {
  let rest = '';
  let cr = false; // the previous chunk ended with \r: a \n at the start of this one belongs to it
  const push = (out: string[], line: string): void => {
    // a lone \r (rare in JSONL) ends a line too
    if (line.includes('\r')) out.push(...line.split(/\r(?!\n)/));
    else out.push(line);
  };
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: chunkSize }) as AsyncIterable<string>) {
    const out: string[] = [];
    let text = rest + chunk;
    if (cr && text.startsWith('\n')) text = text.slice(1);
    cr = false;
    let from = 0;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', from)) {
      push(out, text.charCodeAt(at - 1) === 13 && at > from ? text.slice(from, at - 1) : text.slice(from, at));
      from = at + 1;
    }
    rest = text.slice(from);
    // a chunk ending with \r: the line ends there, unless \n comes first in the next chunk (then \r\n is one end)
    if (rest.endsWith('\r')) {
      push(out, rest.slice(0, -1));
      rest = '';
      cr = true;
    }
    if (out.length) yield out;
  }
  if (rest) {
    const out: string[] = [];
    push(out, rest);
    yield out;
  }
}

/**
 * Streams a JSONL file in batches of good cases while checking every line; after the last batch it refuses the file
 * (throws, naming every bad line) when any line was bad — so a caller that writes only after the last batch writes
 * nothing for a bad file. Only one batch of parsed lines is held at a time.
 */
export async function* caseFileBatches(path: string, size = 5000): AsyncGenerator<PayCase[]> {
  const problems: FieldProblem[] = [];
  const ids = new Set<string>();
  let row = 0;
  let batch: PayCase[] = [];
  for await (const lines of fileLineChunks(path)) {
    for (const line of lines) {
      row++;
      if (line.charCodeAt(0) !== 123 && !line.trim()) continue; // '{' starts every good line: no trimmed copy for it
      let o: unknown;
      try {
        o = JSON.parse(line);
      } catch {
        problems.push({ row, message: '不是有效的 JSON' });
        continue;
      }
      const c = caseOfLine(o, row);
      if (Array.isArray(c)) problems.push(...c);
      else if (ids.has(c.id)) problems.push({ row, field: 'id', message: `病例标识 ${c.id} 重复` });
      else {
        ids.add(c.id);
        if (problems.length) continue; // the file is refused anyway: stop handing out cases
        batch.push(c);
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
    }
  }
  if (problems.length) throw validationError(`病例文件 ${path} 有 ${problems.length} 处错误，未做任何付费计算`, problems);
  if (batch.length) yield batch;
}

/** Reads a whole JSONL file; refuses it (nothing paid) when any line is bad, naming each. */
export async function readCaseFile(path: string): Promise<PayCase[]> {
  const out: PayCase[] = [];
  for await (const batch of caseFileBatches(path)) out.push(...batch);
  return out;
}
