/**
 * The diagnosis (医保版 ICD-10) and procedure (医保版 ICD-9-CM-3) dictionaries share one shape — code, name,
 * pinyin initials, version, effective dates — so one module serves both: loading the bundled JSON, importing
 * a later version from CSV/TSV (all-or-nothing, a changed name closes the old row), lookup on a date and search.
 * Owns tables `diagnosis` and `procedure_code` (migration 0003).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Generated, type Kysely, type Transaction } from 'kysely';
import type { Db, Tables } from '../platform/db.js';
import type { FieldProblem } from '../platform/errors.js';
import { checkPeriod, validOnSql } from '../platform/effective.js';
import { recordOperation, type Actor } from '../platform/oplog.js';
import { addDays, beijingDate, isIsoDate } from '../platform/time.js';
import { parseDelimited, rejectIfProblems, requireColumns, type ImportReport } from './import-report.js';
import { pinyinInitials } from './pinyin.js';
import { REFERENCE_DATA_DIR } from './reference-data.js';

export interface DiagnosisTable {
  diag_code: string;
  diag_name: string;
  diag_cat: string;
  pinyin: string;
  version: string;
  begndate: string;
  enddate: string | null;
}

export interface ProcedureTable {
  oprn_oprt_code: string;
  oprn_oprt_name: string;
  pinyin: string;
  valid_or_flag: '0' | '1';
  version: string;
  begndate: string;
  enddate: string | null;
}

export interface StdLoadTable {
  source: string;
  checksum: string;
  row_cnt: number;
  loaded_at: Generated<Date>;
}

declare module '../platform/db.js' {
  interface Tables {
    diagnosis: DiagnosisTable;
    procedure_code: ProcedureTable;
    std_load: StdLoadTable;
  }
}

/** The version and start date of the bundled dictionaries (医保版 2.0, in force nationally from 2020). */
export const BUNDLED_VERSION = '医保版2.0';
export const BUNDLED_BEGNDATE = '2020-01-01';

export const DIAG_CODE_RE = /^[A-Z]\d{2}\.[\dx]\d{2}(x\d{3})?(\+[A-Z]\d{2}(\.\d)?\*)?$/;
export const OPRN_CODE_RE = /^\d{2}\.\d[\dx]\d{1,3}([x\dA-Z]\d{1,4})?$/;

export interface CodedEntry {
  code: string;
  name: string;
}

interface ListSpec {
  kind: 'diagnoses' | 'procedures';
  label: string;
  table: 'diagnosis' | 'procedure_code';
  codeCol: 'diag_code' | 'oprn_oprt_code';
  nameCol: 'diag_name' | 'oprn_oprt_name';
  re: RegExp;
}

export const DIAGNOSES: ListSpec = { kind: 'diagnoses', label: '疾病诊断', table: 'diagnosis', codeCol: 'diag_code', nameCol: 'diag_name', re: DIAG_CODE_RE };
export const PROCEDURES: ListSpec = { kind: 'procedures', label: '手术操作', table: 'procedure_code', codeCol: 'oprn_oprt_code', nameCol: 'oprn_oprt_name', re: OPRN_CODE_RE };

let validOr: Set<string> | undefined;
function validOrProcedures(): Set<string> {
  validOr ??= new Set(JSON.parse(readFileSync(join(REFERENCE_DATA_DIR, 'valid-or-procedures.json'), 'utf8')) as string[]);
  return validOr;
}

function toRow(spec: ListSpec, e: CodedEntry, version: string, begndate: string, enddate: string | null): DiagnosisTable | ProcedureTable {
  const pinyin = pinyinInitials(e.name);
  if (spec.table === 'diagnosis') {
    return { diag_code: e.code, diag_name: e.name, diag_cat: e.code.slice(0, 3), pinyin, version, begndate, enddate };
  }
  return { oprn_oprt_code: e.code, oprn_oprt_name: e.name, pinyin, valid_or_flag: validOrProcedures().has(e.code) ? '1' : '0', version, begndate, enddate };
}

/** Reads the bundled JSON dictionary (code → name). */
export function readBundled(spec: ListSpec): CodedEntry[] {
  const file = spec.kind === 'diagnoses' ? 'diagnoses.json' : 'procedures.json';
  const obj = JSON.parse(readFileSync(join(REFERENCE_DATA_DIR, file), 'utf8')) as Record<string, string>;
  return Object.entries(obj).map(([code, name]) => ({ code, name }));
}

/** Checks entries; returns problems naming row (as in the file) and field. */
export function checkEntries(spec: ListSpec, entries: (CodedEntry & { row?: number })[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Map<string, number | undefined>();
  entries.forEach((e, i) => {
    const row = e.row ?? i + 1;
    if (!spec.re.test(e.code)) problems.push({ row, field: 'code', message: `编码“${e.code}”不符合${spec.label}编码格式` });
    if (!e.name) problems.push({ row, field: 'name', message: '名称不能为空' });
    if (seen.has(e.code)) problems.push({ row, field: 'code', message: `编码 ${e.code} 在文件中重复（另见第${seen.get(e.code)}行）` });
    seen.set(e.code, row);
  });
  return problems;
}

async function insertChunked(trx: Transaction<Tables> | Kysely<Tables>, table: ListSpec['table'], rows: (DiagnosisTable | ProcedureTable)[]): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const t = trx as unknown as Kysely<any>;
  for (let i = 0; i < rows.length; i += 1000) await t.insertInto(table).values(rows.slice(i, i + 1000)).execute();
}

/** Inserts the whole bundled dictionary into an empty table (first start). Returns the row count. */
export async function insertBundled(trx: Transaction<Tables>, spec: ListSpec, entries: CodedEntry[]): Promise<number> {
  const problems = checkEntries(spec, entries);
  rejectIfProblems(spec.label, problems);
  await insertChunked(trx, spec.table, entries.map((e) => toRow(spec, e, BUNDLED_VERSION, BUNDLED_BEGNDATE, null)));
  return entries.length;
}

/**
 * Imports a new version from a delimited file with columns `code,name[,begndate,enddate]` (and optional
 * `version`). New codes are inserted; a code whose name changed gets a new row from begndate and its
 * current row is closed the day before; a code with `enddate` set is closed. All-or-nothing.
 */
export async function importCodedFile(db: Db, spec: ListSpec, filePath: string, actor: Actor): Promise<ImportReport> {
  const d = parseDelimited(readFileSync(filePath, 'utf8'));
  requireColumns(d, ['code', 'name']);
  const today = beijingDate();
  const entries = d.rows.map((r) => ({
    row: r.row,
    code: r.values.code ?? '',
    name: r.values.name ?? '',
    begndate: r.values.begndate || today,
    enddate: r.values.enddate || null,
    version: r.values.version || `导入${today}`,
  }));
  const problems = checkEntries(spec, entries);
  for (const e of entries) {
    if (!isIsoDate(e.begndate)) problems.push({ row: e.row, field: 'begndate', message: `日期“${e.begndate}”格式错误，应为 yyyy-MM-dd` });
    else if (e.enddate !== null) {
      try {
        checkPeriod({ begndate: e.begndate, enddate: e.enddate }, e.row);
      } catch (err) {
        problems.push({ row: e.row, field: 'enddate', message: (err as Error).message });
      }
    }
  }
  rejectIfProblems(spec.label, problems);

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const k = db.k as unknown as Kysely<any>;
  const current = new Map<string, { name: string; begndate: string }>();
  const existing = (await k.selectFrom(spec.table).select([`${spec.codeCol} as code`, `${spec.nameCol} as name`, 'begndate']).where('enddate', 'is', null).execute()) as { code: string; name: string; begndate: string }[];
  for (const r of existing) current.set(r.code, r);
  for (const e of entries) {
    const cur = current.get(e.code);
    if (cur && cur.begndate >= e.begndate && cur.name !== e.name) {
      problems.push({ row: e.row, field: 'begndate', message: `编码 ${e.code} 的现行版本自 ${cur.begndate} 起生效，新版本开始日期必须晚于该日期` });
    }
  }
  rejectIfProblems(spec.label, problems);

  let inserted = 0;
  let closed = 0;
  await db.k.transaction().execute(async (trx) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const t = trx as unknown as Kysely<any>;
    const fresh: (DiagnosisTable | ProcedureTable)[] = [];
    for (const e of entries) {
      const cur = current.get(e.code);
      if (cur && cur.name === e.name) {
        if (e.enddate) {
          await t.updateTable(spec.table).set({ enddate: e.enddate }).where(spec.codeCol, '=', e.code).where('enddate', 'is', null).execute();
          closed++;
        }
        continue;
      }
      if (cur) {
        await t.updateTable(spec.table).set({ enddate: addDays(e.begndate, -1) }).where(spec.codeCol, '=', e.code).where('enddate', 'is', null).execute();
        closed++;
      }
      fresh.push(toRow(spec, e, e.version, e.begndate, e.enddate));
    }
    await insertChunked(trx, spec.table, fresh);
    inserted = fresh.length;
    await recordOperation(trx, actor, {
      action: `${spec.kind}.import`,
      target_type: spec.table,
      after: { file: filePath, read: entries.length, inserted, closed },
    });
  });
  return { kind: spec.kind, file: filePath, read: entries.length, inserted, closed, rejected: [] };
}

export interface CodedItem {
  code: string;
  name: string;
  pinyin: string;
  version: string;
  begndate: string;
  enddate: string | null;
}

function selectItem(db: Db, spec: ListSpec) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const k = db.k as unknown as Kysely<any>;
  return k.selectFrom(spec.table).select([`${spec.codeCol} as code`, `${spec.nameCol} as name`, 'pinyin', 'version', 'begndate', 'enddate']);
}

export async function getCoded(db: Db, spec: ListSpec, code: string, on: string = beijingDate()): Promise<CodedItem | undefined> {
  return (await selectItem(db, spec).where(spec.codeCol, '=', code).where(validOnSql(on)).executeTakeFirst()) as CodedItem | undefined;
}

/** Search by code prefix, name substring or pinyin initials; codes first, then names. */
export async function searchCoded(db: Db, spec: ListSpec, q: string, opts: { on?: string; limit?: number } = {}): Promise<CodedItem[]> {
  const on = opts.on ?? beijingDate();
  const limit = Math.min(opts.limit ?? 20, 200);
  const term = q.trim();
  if (!term) return [];
  const upper = term.toUpperCase();
  const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await selectItem(db, spec)
    .where(validOnSql(on))
    .where((eb) =>
      eb.or([
        eb(spec.codeCol, 'like', `${upper.replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
        eb(spec.nameCol, 'like', like),
        eb('pinyin', 'like', `${upper.replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
      ]),
    )
    .orderBy(sql`case when ${sql.ref(spec.codeCol)} like ${`${upper}%`} then 0 else 1 end`)
    .orderBy(spec.codeCol)
    .limit(limit)
    .execute();
  return rows as CodedItem[];
}
