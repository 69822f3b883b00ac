/**
 * Practitioners (医保医师、药师、护士) and their payment qualification (医保支付资格) history: look-up, search,
 * "was this practitioner qualified on date D?" (the audit rule 医保医师资格 asks it), qualification changes,
 * loading and importing. Owns tables practitioner and practitioner_qualification (migration 0005).
 */
import { sql, type Kysely } from 'kysely';
import type { Db } from '../../platform/db.js';
import { notFound, validationError, type FieldProblem } from '../../platform/errors.js';
import { checkPeriod, closeAndInsert, findOverlaps, validOnSql } from '../../platform/effective.js';
import { recordOperation, type Actor } from '../../platform/oplog.js';
import { beijingDate, isIsoDate } from '../../platform/time.js';
import { certnoProblem } from '../../enrollment/certno.js';
import { checkColumns, readDelimitedFile, rejectIfProblems, type ImportReport } from '../import-report.js';
import { DICT_TABLES } from '../dict-data.js';
import { pinyinInitials } from '../pinyin.js';
import { RefCache, versionOn, writingTo } from '../../platform/cache.js';

export interface PractitionerTable {
  prac_code: string;
  prac_name: string;
  prac_type: '1' | '2' | '3' | '4';
  certno: string | null;
  gend: string | null;
  fixmedins_code: string;
  dept_name: string | null;
  profttl: string | null;
  pinyin: string;
  begndate: string;
  enddate: string | null;
}

export interface PractitionerQualificationTable {
  prac_code: string;
  qual_stas: '1' | '2' | '3';
  score_deducted: number | null;
  reason: string | null;
  begndate: string;
  enddate: string | null;
}

declare module '../../platform/db.js' {
  interface Tables {
    practitioner: PractitionerTable;
    practitioner_qualification: PractitionerQualificationTable;
  }
}

export const PRAC_TYPES = { '1': '医师', '2': '药师', '3': '护士', '4': '技师' } as const;
export const QUAL_STAS = { '1': '正常', '2': '暂停', '3': '终止' } as const;
/** Code format: D (医师) / Y (药师) / N (护士) / J (技师) + 6-digit area + 5-digit serial. */
export const PRAC_CODE_RE = /^[DYNJ]\d{11}$/;
const PREFIX: Record<string, string> = { '1': 'D', '2': 'Y', '3': 'N', '4': 'J' };
const GENDS = new Set(DICT_TABLES.gend!.items.map(([v]) => v));

/** Every version of a practitioner and of their qualification, cached per code (fee lines name them). */
export interface PractitionerVersions {
  rows: PractitionerTable[];
  quals: PractitionerQualificationTable[];
}
const practitionerCache = new RefCache<PractitionerVersions>('practitioner', { max: 100_000 });
const NO_PRACTITIONER: PractitionerVersions = { rows: [], quals: [] };

/** The versions of many practitioners: cached ones from memory, the rest with one query per table. */
export async function practitionerVersions(db: Db, codes: readonly string[]): Promise<Map<string, PractitionerVersions>> {
  return practitionerCache.getMany(
    db,
    codes,
    async (missing) => {
      const out = new Map<string, PractitionerVersions>();
      const entry = (code: string) => {
        let e = out.get(code);
        if (!e) out.set(code, (e = { rows: [], quals: [] }));
        return e;
      };
      for (let i = 0; i < missing.length; i += 5000) {
        const chunk = missing.slice(i, i + 5000);
        const [rows, quals] = await Promise.all([
          db.k.selectFrom('practitioner').selectAll().where('prac_code', 'in', chunk).orderBy('begndate').execute(),
          db.k.selectFrom('practitioner_qualification').selectAll().where('prac_code', 'in', chunk).orderBy('begndate').execute(),
        ]);
        for (const r of rows) entry(r.prac_code).rows.push(r);
        for (const q of quals) entry(q.prac_code).quals.push(q);
      }
      return out;
    },
    NO_PRACTITIONER,
  );
}

async function versionsOf(db: Db, prac_code: string): Promise<PractitionerVersions> {
  return (await practitionerVersions(db, [prac_code])).get(prac_code) ?? NO_PRACTITIONER;
}

export async function getPractitioner(db: Db, prac_code: string, on: string = beijingDate()): Promise<PractitionerTable | undefined> {
  return versionOn((await versionsOf(db, prac_code)).rows, on);
}

export async function qualificationOn(db: Db, prac_code: string, on: string): Promise<PractitionerQualificationTable | undefined> {
  return versionOn((await versionsOf(db, prac_code)).quals, on);
}

/** True when the practitioner is registered and their payment qualification is 正常 on the date. */
export async function isQualifiedOn(db: Db, prac_code: string, on: string): Promise<boolean> {
  if (!(await getPractitioner(db, prac_code, on))) return false;
  return (await qualificationOn(db, prac_code, on))?.qual_stas === '1';
}

export async function searchPractitioners(db: Db, query: { q?: string; fixmedins_code?: string; prac_type?: string; on?: string; page_num?: number; page_size?: number }) {
  const on = query.on ?? beijingDate();
  const page_num = Math.max(1, query.page_num ?? 1);
  const page_size = Math.min(Math.max(1, query.page_size ?? 20), 500);
  let base = db.k.selectFrom('practitioner').where(validOnSql(on));
  if (query.fixmedins_code) base = base.where('fixmedins_code', '=', query.fixmedins_code);
  if (query.prac_type) base = base.where('prac_type', '=', query.prac_type as '1');
  const term = query.q?.trim();
  if (term) {
    const up = term.toUpperCase();
    base = base.where((eb) => eb.or([eb('prac_code', 'like', `${up}%`), eb('prac_name', 'like', `%${term}%`), eb('pinyin', 'like', `${up}%`)]));
  }
  const total = (await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0;
  const list = await base.select(['prac_code', 'prac_name', 'prac_type', 'gend', 'fixmedins_code', 'dept_name', 'profttl', 'begndate', 'enddate']).orderBy('prac_code').limit(page_size).offset((page_num - 1) * page_size).execute();
  return { page_num, page_size, total, list };
}

/** Changes the payment qualification from a date (closes the status in force, opens the new one). */
export async function changeQualification(db: Db, actor: Actor, input: { prac_code: string; qual_stas: '1' | '2' | '3'; begndate: string; reason?: string; score_deducted?: number }): Promise<void> {
  if (!(input.qual_stas in QUAL_STAS)) throw validationError(`资格状态“${input.qual_stas}”无效`, [{ field: 'qual_stas', message: '应为 1 正常、2 暂停 或 3 终止' }]);
  if (!(await getPractitioner(db, input.prac_code, input.begndate))) throw notFound(`医保医师/药师 ${input.prac_code} 在 ${input.begndate} 不存在`);
  await writingTo('practitioner', () => db.k.transaction().execute(async (trx) => {
    const row: PractitionerQualificationTable = { prac_code: input.prac_code, qual_stas: input.qual_stas, score_deducted: input.score_deducted ?? null, reason: input.reason ?? null, begndate: input.begndate, enddate: null };
    const before = await closeAndInsert(trx, 'practitioner_qualification', { prac_code: input.prac_code }, row);
    await recordOperation(trx, actor, { action: 'practitioner.qualification', target_type: 'practitioner_qualification', target_id: input.prac_code, before, after: row });
  }));
}

export type PractitionerInput = Omit<PractitionerTable, 'pinyin'> & { row?: number };

export async function checkPractitioners(db: Db, rows: PractitionerInput[]): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  const codes = [...new Set(rows.map((r) => r.fixmedins_code))];
  const known = new Set<string>();
  for (let i = 0; i < codes.length; i += 5000) {
    const found = await db.k.selectFrom('fixmedins').select('fixmedins_code').where('fixmedins_code', 'in', codes.slice(i, i + 5000)).execute();
    for (const f of found) known.add(f.fixmedins_code);
  }
  rows.forEach((r, i) => {
    const row = r.row ?? i + 1;
    const p = (field: string, message: string) => problems.push({ row, field, message });
    if (!(r.prac_type in PRAC_TYPES)) p('prac_type', '应为 1 医师、2 药师、3 护士 或 4 技师');
    if (!PRAC_CODE_RE.test(r.prac_code)) p('prac_code', '应为 D/Y/N/J 加11位数字');
    else if (PREFIX[r.prac_type] && r.prac_code[0] !== PREFIX[r.prac_type]) p('prac_code', `人员类型为${PRAC_TYPES[r.prac_type]}时编码应以 ${PREFIX[r.prac_type]} 开头`);
    if (!r.prac_name) p('prac_name', '姓名不能为空');
    if (r.certno) {
      const c = certnoProblem(r.certno);
      if (c) p('certno', c);
    }
    if (r.gend !== null && r.gend !== undefined && !GENDS.has(r.gend)) p('gend', `“${r.gend}”不是有效的性别代码（0 未知的性别、1 男、2 女、9 未说明的性别）`);
    if (!known.has(r.fixmedins_code)) p('fixmedins_code', `执业机构 ${r.fixmedins_code} 不存在`);
    const enddate = r.enddate ?? null;
    if (!isIsoDate(r.begndate)) p('begndate', `开始日期“${r.begndate}”格式错误，应为 yyyy-MM-dd`);
    if (enddate !== null && !isIsoDate(enddate)) p('enddate', `结束日期“${enddate}”格式错误，应为 yyyy-MM-dd`);
    else if (isIsoDate(r.begndate)) {
      try {
        checkPeriod({ begndate: r.begndate, enddate }, row);
      } catch (e) {
        p('enddate', (e as Error).message);
      }
    }
  });
  // overlaps among rows of the same code, once each row's own period is sound
  const sound = rows.map((r, i) => ({ ...r, enddate: r.enddate ?? null, row: r.row ?? i + 1 })).filter((r) => isIsoDate(r.begndate) && (r.enddate === null || (isIsoDate(r.enddate) && r.enddate >= r.begndate)));
  for (const [a, b] of findOverlaps(sound, (r) => r.prac_code)) problems.push({ row: sound[b]!.row, field: 'begndate', message: `编码 ${sound[b]!.prac_code} 的有效期与第${sound[a]!.row}行重叠` });
  return problems;
}

/** Writes practitioners; new ones get a 正常 qualification from their begndate. One transaction. */
export async function bulkLoadPractitioners(
  db: Db,
  rows: PractitionerInput[],
  actor: Actor,
  opts: { file?: string; suspensions?: { prac_code: string; begndate: string; enddate: string; reason: string }[] } = {},
): Promise<ImportReport> {
  rejectIfProblems('医保医师', await checkPractitioners(db, rows));
  await writingTo('practitioner', () => db.k.transaction().execute(async (trx) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const t = trx as unknown as Kysely<any>;
    // one 正常 qualification per person, from their earliest row (several rows of one code must not open several)
    const firstDay = new Map<string, string>();
    for (const r of rows) if ((firstDay.get(r.prac_code) ?? '9999-12-31') > r.begndate) firstDay.set(r.prac_code, r.begndate);
    const quals = [...firstDay].map(([prac_code, begndate]) => ({ prac_code, qual_stas: '1', score_deducted: null, reason: null, begndate, enddate: null }));
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      await t.insertInto('practitioner').values(chunk.map(({ row: _r, ...p }) => ({ ...p, enddate: p.enddate ?? null, pinyin: pinyinInitials(p.prac_name) }))).execute();
    }
    for (let i = 0; i < quals.length; i += 1000) await t.insertInto('practitioner_qualification').values(quals.slice(i, i + 1000)).execute();
    for (const s of opts.suspensions ?? []) {
      await closeAndInsert(trx, 'practitioner_qualification', { prac_code: s.prac_code }, { prac_code: s.prac_code, qual_stas: '2', score_deducted: 12, reason: s.reason, begndate: s.begndate, enddate: s.enddate });
      const resume = new Date(`${s.enddate}T00:00:00Z`);
      resume.setUTCDate(resume.getUTCDate() + 1);
      await t.insertInto('practitioner_qualification').values({ prac_code: s.prac_code, qual_stas: '1', score_deducted: null, reason: '暂停期满恢复', begndate: resume.toISOString().slice(0, 10), enddate: null }).execute();
    }
    await recordOperation(trx, actor, { action: 'practitioner.import', target_type: 'practitioner', after: { file: opts.file ?? null, read: rows.length, suspensions: opts.suspensions?.length ?? 0 } });
  }));
  return { kind: 'practitioners', file: opts.file ?? '(rows)', read: rows.length, inserted: rows.length, closed: 0, rejected: [] };
}

export const PRACTITIONER_COLUMNS = {
  required: ['prac_code', 'prac_name', 'prac_type', 'fixmedins_code', 'begndate'],
  optional: ['certno', 'gend', 'dept_name', 'profttl', 'enddate'],
} as const;

/**
 * CSV/TSV columns: prac_code,prac_name,prac_type,fixmedins_code,begndate[,certno,gend,dept_name,profttl,enddate].
 * New practitioners only: a code already stored is reported (every row with it), in one report with the rows'
 * other problems.
 */
export async function importPractitionersFile(db: Db, filePath: string, actor: Actor): Promise<ImportReport> {
  const d = readDelimitedFile(filePath);
  checkColumns(d, PRACTITIONER_COLUMNS.required, PRACTITIONER_COLUMNS.optional);
  const rows: PractitionerInput[] = d.rows.map(({ row, values: v }) => ({
    row,
    prac_code: v.prac_code ?? '',
    prac_name: v.prac_name ?? '',
    prac_type: (v.prac_type ?? '') as '1',
    certno: v.certno || null,
    gend: v.gend || null,
    fixmedins_code: v.fixmedins_code ?? '',
    dept_name: v.dept_name || null,
    profttl: v.profttl || null,
    begndate: v.begndate ?? '',
    enddate: v.enddate || null,
  }));
  const codes = [...new Set(rows.map((r) => r.prac_code))];
  const existing = new Set<string>();
  for (let i = 0; i < codes.length; i += 5000) {
    for (const e of await db.k.selectFrom('practitioner').select('prac_code').where('prac_code', 'in', codes.slice(i, i + 5000)).execute()) existing.add(e.prac_code);
  }
  const problems: FieldProblem[] = rows.filter((r) => existing.has(r.prac_code)).map((r) => ({ row: r.row, field: 'prac_code', message: `编码 ${r.prac_code} 已存在` }));
  problems.push(...(await checkPractitioners(db, rows)));
  rejectIfProblems('医保医师', problems);
  return bulkLoadPractitioners(db, rows, actor, { file: filePath });
}
