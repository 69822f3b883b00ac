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
import { checkPeriod, findOverlaps, validOnDate, validOnSql, type Period } from '../platform/effective.js';
import { recordOperation, type Actor } from '../platform/oplog.js';
import { invalidate, RefCache, versionOn, writingTo } from '../platform/cache.js';
import { addDays, beijingDate, isIsoDate } from '../platform/time.js';
import { checkColumns, readDelimitedFile, rejectIfProblems, type ImportReport } from './import-report.js';
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
  // inside a caller's transaction the caller invalidates again once it has committed (national-load.ts)
  invalidate('coded_list');
  return entries.length;
}

/** The periods of each version of diagnosis codes, cached for the process (imports invalidate); absent codes as []. */
const diagnosisPeriods = new RefCache<{ begndate: string; enddate: string | null }[]>('coded_list', { max: 50_000 });

/** Diagnosis codes (医保版 ICD-10) in force on a date, out of `codes`: the cached periods, one query for unseen codes. */
export async function diagnosesInForce(db: Db, codes: readonly string[], on: string): Promise<Set<string>> {
  const periods = await diagnosisPeriods.getMany(
    db,
    codes,
    async (missing) => {
      const out = new Map<string, { begndate: string; enddate: string | null }[]>();
      const rows = await db.k.selectFrom('diagnosis').select(['diag_code', 'begndate', 'enddate']).where('diag_code', 'in', missing).execute();
      for (const r of rows) out.set(r.diag_code, [...(out.get(r.diag_code) ?? []), { begndate: r.begndate, enddate: r.enddate }]);
      return out;
    },
    [],
  );
  return new Set([...periods].filter(([, v]) => versionOn(v, on)).map(([code]) => code));
}

export const CODED_COLUMNS = { required: ['code', 'name'], optional: ['begndate', 'enddate', 'version'] } as const;

export interface CodedVersion {
  name: string;
  begndate: string;
  enddate: string | null;
}

export interface CodedEntryRow extends CodedEntry, Period {
  row: number;
  version: string;
}

/** What one file row does to the database, decided before anything is written. */
export interface CodedPlan {
  fresh: CodedEntryRow[];
  /** Existing versions whose enddate changes: code, the version's begndate, the new enddate. */
  ends: { code: string; begndate: string; enddate: string }[];
  unchanged: number;
  problems: FieldProblem[];
}

const showVersion = (v: CodedVersion) => `“${v.name}”（${v.begndate} 至 ${v.enddate ?? '长期'}）`;

/**
 * Decides each row against every stored version of its code (open and closed), with the semantics of
 * closeAndInsert: a new version closes the version in force on its begndate the day before; a stored version
 * that starts on or after it makes the row ambiguous and is reported; so is a row starting on or before the stop
 * date of a code whose last version was stopped (enddate) — stops are not undone by import. A row the database holds
 * (same name and period, or the same name as the open version without enddate, or the stop already applied)
 * is unchanged — so re-importing a file writes nothing. Pure: the caller writes the plan.
 */
export function planCodedImport(entries: CodedEntryRow[], history: Map<string, CodedVersion[]>): CodedPlan {
  const plan: CodedPlan = { fresh: [], ends: [], unchanged: 0, problems: [] };
  const touched = new Map<string, (Period & { row?: number })[]>();
  for (const e of entries) {
    const vs = [...(history.get(e.code) ?? [])].sort((a, b) => (a.begndate < b.begndate ? -1 : 1));
    const p = (field: string, message: string) => plan.problems.push({ row: e.row, field, message });
    const latest = vs[vs.length - 1];
    // the same version is stored (its enddate may have been set since by a later import, when the row has none)
    if (vs.some((v) => v.name === e.name && v.begndate === e.begndate && (v.enddate === e.enddate || e.enddate === null))) {
      plan.unchanged++;
      continue;
    }
    if (latest && latest.name === e.name) {
      if (latest.enddate === null) {
        // the code in force under this name: no enddate = nothing to do; an enddate stops it
        if (e.enddate === null) plan.unchanged++;
        else if (e.enddate < latest.begndate) p('enddate', `结束日期 ${e.enddate} 早于编码 ${e.code} 现行版本的开始日期 ${latest.begndate}`);
        else {
          plan.ends.push({ code: e.code, begndate: latest.begndate, enddate: e.enddate });
          touched.set(e.code, [...vs.slice(0, -1), { begndate: latest.begndate, enddate: e.enddate }]);
        }
        continue;
      }
      if (latest.enddate === e.enddate) {
        plan.unchanged++; // the stop was applied by an earlier import
        continue;
      }
    }
    if (latest && latest.enddate !== null && e.begndate <= latest.enddate) {
      // a stopped code is not reopened, renamed or re-dated inside its last period: only a version after the stop
      p('begndate', `编码 ${e.code} 已于 ${latest.enddate} 停用（最后的版本${showVersion(latest)}）；新版本的开始日期必须晚于 ${latest.enddate}，停用日期不能通过导入更改`);
      continue;
    }
    const later = vs.find((v) => v.begndate >= e.begndate);
    if (later) {
      p('begndate', `编码 ${e.code} 已有自 ${later.begndate} 起生效的版本${showVersion(later)}，新版本的开始日期必须晚于该日期`);
      continue;
    }
    const cur = vs.find((v) => validOnDate(v, e.begndate));
    const after: (Period & { row?: number })[] = vs.map((v) => ({ begndate: v.begndate, enddate: v.enddate }));
    if (cur) {
      const end = addDays(e.begndate, -1);
      plan.ends.push({ code: e.code, begndate: cur.begndate, enddate: end });
      after[vs.indexOf(cur)] = { begndate: cur.begndate, enddate: end };
    }
    after.push({ begndate: e.begndate, enddate: e.enddate, row: e.row });
    touched.set(e.code, after);
    plan.fresh.push(e);
  }
  // Safety net: the versions each touched code would have must not overlap.
  for (const [code, periods] of touched) {
    for (const [a, b] of findOverlaps(periods, () => code)) {
      const row = periods[b]!.row ?? periods[a]!.row ?? entries.find((e) => e.code === code)?.row;
      plan.problems.push({ row, field: 'begndate', message: `编码 ${code} 的有效期与已有版本（${periods[a]!.begndate} 起）重叠` });
    }
  }
  return plan;
}

async function loadHistory(db: Db, spec: ListSpec, codes: string[]): Promise<Map<string, CodedVersion[]>> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const k = db.k as unknown as Kysely<any>;
  const history = new Map<string, CodedVersion[]>();
  for (let i = 0; i < codes.length; i += 5000) {
    const rows = (await k
      .selectFrom(spec.table)
      .select([`${spec.codeCol} as code`, `${spec.nameCol} as name`, 'begndate', 'enddate'])
      .where(spec.codeCol, 'in', codes.slice(i, i + 5000))
      .execute()) as ({ code: string } & CodedVersion)[];
    for (const { code, ...v } of rows) {
      const list = history.get(code);
      if (list) list.push(v);
      else history.set(code, [v]);
    }
  }
  return history;
}

/**
 * Imports a new version from a delimited file with columns `code,name[,begndate,enddate]` (and optional
 * `version`). Each row is decided against all stored versions of its code (planCodedImport): new codes are
 * inserted; a changed name closes the version in force the day before its begndate and inserts a new one; an
 * enddate on a row with the current name stops the code; rows the database already holds are unchanged.
 * A row whose period would overlap a stored version is reported with its row number. All-or-nothing.
 */
export async function importCodedFile(db: Db, spec: ListSpec, filePath: string, actor: Actor): Promise<ImportReport> {
  const d = readDelimitedFile(filePath);
  checkColumns(d, CODED_COLUMNS.required, CODED_COLUMNS.optional);
  const today = beijingDate();
  const entries: CodedEntryRow[] = d.rows.map((r) => ({
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

  const plan = planCodedImport(entries, await loadHistory(db, spec, entries.map((e) => e.code)));
  rejectIfProblems(spec.label, plan.problems);

  await writingTo('coded_list', () => db.k.transaction().execute(async (trx) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const t = trx as unknown as Kysely<any>;
    for (const c of plan.ends) {
      await t.updateTable(spec.table).set({ enddate: c.enddate }).where(spec.codeCol, '=', c.code).where('begndate', '=', c.begndate).execute();
    }
    await insertChunked(trx, spec.table, plan.fresh.map((e) => toRow(spec, e, e.version, e.begndate, e.enddate)));
    await recordOperation(trx, actor, {
      action: `${spec.kind}.import`,
      target_type: spec.table,
      after: { file: filePath, read: entries.length, inserted: plan.fresh.length, closed: plan.ends.length, unchanged: plan.unchanged },
    });
  }));
  return { kind: spec.kind, file: filePath, read: entries.length, inserted: plan.fresh.length, closed: plan.ends.length, unchanged: plan.unchanged, rejected: [] };
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
