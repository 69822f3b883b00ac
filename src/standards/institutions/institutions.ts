/**
 * Designated institutions (定点医药机构) and their agreements (定点协议): look-up on a date, search, the
 * 1201-shaped query, "may this institution settle today?", agreement changes, and loading/importing.
 * Owns tables fixmedins and fixmedins_agreement (migration 0005).
 */
import { sql, type Kysely } from 'kysely';
import type { Db } from '../../platform/db.js';
import { conflict, forbidden, notFound, type FieldProblem } from '../../platform/errors.js';
import { closeAndInsert, findOverlaps, validOnSql } from '../../platform/effective.js';
import { recordOperation, type Actor } from '../../platform/oplog.js';
import { beijingDate, isIsoDate } from '../../platform/time.js';
import { admdvsValidOn } from '../admdvs.js';
import type { ImportReport } from '../import-report.js';
import { checkColumns, readDelimitedFile, rejectIfProblems } from '../import-report.js';
import { pinyinInitials } from '../pinyin.js';
import { usccProblem } from './uscc.js';
import { scopePrefix } from '../../platform/scope.js';
import { RefCache, versionOn, writingTo } from '../../platform/cache.js';

export interface FixmedinsTable {
  fixmedins_code: string;
  fixmedins_name: string;
  fixmedins_type: '1' | '2';
  hosp_lv: '1' | '2' | '3' | '9';
  admdvs: string;
  uscc: string;
  medins_natu: '1' | '2';
  addr: string | null;
  pinyin: string;
  begndate: string;
  enddate: string | null;
}

export interface FixmedinsAgreementTable {
  fixmedins_code: string;
  agmt_no: string;
  agmt_stas: '1' | '2' | '3';
  memo: string | null;
  begndate: string;
  enddate: string | null;
}

declare module '../../platform/db.js' {
  interface Tables {
    fixmedins: FixmedinsTable;
    fixmedins_agreement: FixmedinsAgreementTable;
  }
}

export const AGMT_STAS = { '1': '正常', '2': '暂停', '3': '终止' } as const;

/** Code format: H (医疗机构) or P (零售药店) + 6-digit area + 5-digit serial. */
export const FIXMEDINS_CODE_RE = /^[HP]\d{11}$/;

/** Every version of an institution and of its agreement, cached per code (the gateway reads them on every request). */
interface InstitutionVersions {
  rows: FixmedinsTable[];
  agreements: FixmedinsAgreementTable[];
}
const institutionCache = new RefCache<InstitutionVersions>('institution', { max: 20_000 });

function institutionVersions(db: Db, code: string): Promise<InstitutionVersions> {
  return institutionCache.get(db, code, async () => {
    const [rows, agreements] = await Promise.all([
      db.k.selectFrom('fixmedins').selectAll().where('fixmedins_code', '=', code).orderBy('begndate').execute(),
      db.k.selectFrom('fixmedins_agreement').selectAll().where('fixmedins_code', '=', code).orderBy('begndate').execute(),
    ]);
    return { rows, agreements };
  });
}

export async function getInstitution(db: Db, code: string, on: string = beijingDate()): Promise<FixmedinsTable | undefined> {
  return versionOn((await institutionVersions(db, code)).rows, on);
}

export async function agreementOn(db: Db, code: string, on: string = beijingDate()): Promise<FixmedinsAgreementTable | undefined> {
  return versionOn((await institutionVersions(db, code)).agreements, on);
}

/** The institution, when it is designated and its agreement is in force on the date; else a Chinese error. */
export async function requireActiveInstitution(db: Db, code: string, on: string = beijingDate()): Promise<FixmedinsTable> {
  const inst = await getInstitution(db, code, on);
  if (!inst) throw notFound(`定点医药机构 ${code} 不存在或在 ${on} 不是定点机构`);
  const agmt = await agreementOn(db, code, on);
  if (!agmt) throw forbidden(`定点医药机构 ${code}（${inst.fixmedins_name}）在 ${on} 没有有效的定点协议`);
  if (agmt.agmt_stas !== '1') throw forbidden(`定点医药机构 ${code}（${inst.fixmedins_name}）的定点协议处于${AGMT_STAS[agmt.agmt_stas]}状态（${agmt.memo ?? '无说明'}），不能办理医保结算`);
  return inst;
}

export interface InstitutionQuery {
  q?: string;
  admdvs?: string;
  fixmedins_type?: string;
  hosp_lv?: string;
  on?: string;
  page_num?: number;
  page_size?: number;
  /** Restrict to these areas (a user's scope); codes under a scope area by prefix of its non-zero part. */
  scope?: string[];
}


export async function searchInstitutions(db: Db, query: InstitutionQuery) {
  const on = query.on ?? beijingDate();
  const page_num = Math.max(1, query.page_num ?? 1);
  const page_size = Math.min(Math.max(1, query.page_size ?? 20), 500);
  let base = db.k.selectFrom('fixmedins').where(validOnSql(on));
  if (query.admdvs) base = base.where('admdvs', 'like', `${scopePrefix(query.admdvs)}%`);
  if (query.fixmedins_type) base = base.where('fixmedins_type', '=', query.fixmedins_type as '1' | '2');
  if (query.hosp_lv) base = base.where('hosp_lv', '=', query.hosp_lv as '1');
  if (query.scope?.length) base = base.where((eb) => eb.or(query.scope!.map((s) => eb('admdvs', 'like', `${scopePrefix(s)}%`))));
  const term = query.q?.trim();
  if (term) {
    const up = term.toUpperCase();
    base = base.where((eb) => eb.or([eb('fixmedins_code', 'like', `${up}%`), eb('fixmedins_name', 'like', `%${term}%`), eb('pinyin', 'like', `${up}%`)]));
  }
  const total = (await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0;
  const list = await base.selectAll().orderBy('fixmedins_code').limit(page_size).offset((page_num - 1) * page_size).execute();
  return { page_num, page_size, total, list };
}

/** 1201 医药机构信息获取: `medinsinfo[]` with the national field names. */
export async function query1201(db: Db, input: { fixmedins_type?: string; fixmedins_name?: string; fixmedins_code?: string; page_num?: number; page_size?: number }) {
  const page = await searchInstitutions(db, { q: input.fixmedins_code || input.fixmedins_name, fixmedins_type: input.fixmedins_type, page_num: input.page_num, page_size: input.page_size });
  return { medinsinfo: page.list.map((r) => ({ fixmedins_code: r.fixmedins_code, fixmedins_name: r.fixmedins_name, uscc: r.uscc, fixmedins_type: r.fixmedins_type, hosp_lv: r.hosp_lv })), total: page.total };
}

/** Changes an agreement's status from a date (closes the row in force, opens a new one). */
export async function changeAgreement(db: Db, actor: Actor, input: { fixmedins_code: string; agmt_stas: '1' | '2' | '3'; begndate: string; memo?: string }): Promise<void> {
  if (!(input.agmt_stas in AGMT_STAS)) throw conflict(`协议状态“${input.agmt_stas}”无效`);
  const inst = await getInstitution(db, input.fixmedins_code, input.begndate);
  if (!inst) throw notFound(`定点医药机构 ${input.fixmedins_code} 不存在`);
  await writingTo('institution', () => db.k.transaction().execute(async (trx) => {
    const cur = await trx.selectFrom('fixmedins_agreement').selectAll().where('fixmedins_code', '=', input.fixmedins_code).where(validOnSql(input.begndate)).executeTakeFirst();
    const row: FixmedinsAgreementTable = {
      fixmedins_code: input.fixmedins_code,
      agmt_no: cur?.agmt_no ?? `XY${input.fixmedins_code}`,
      agmt_stas: input.agmt_stas,
      memo: input.memo ?? null,
      begndate: input.begndate,
      enddate: null,
    };
    const before = await closeAndInsert(trx, 'fixmedins_agreement', { fixmedins_code: input.fixmedins_code }, row);
    await recordOperation(trx, actor, { action: 'fixmedins.agreement', target_type: 'fixmedins_agreement', target_id: input.fixmedins_code, admdvs: inst.admdvs, before, after: row });
  }));
}

export type InstitutionInput = Omit<FixmedinsTable, 'pinyin'> & { row?: number; agmt_begndate?: string };

export async function checkInstitutions(db: Db, rows: InstitutionInput[]): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  const areas = await admdvsValidOn(db, rows.reduce((m, r) => (isIsoDate(r.begndate) && r.begndate > m ? r.begndate : m), '1900-01-01'));
  rows.forEach((r, i) => {
    const row = r.row ?? i + 1;
    const p = (field: string, message: string) => problems.push({ row, field, message });
    if (!FIXMEDINS_CODE_RE.test(r.fixmedins_code)) p('fixmedins_code', '应为 H（医疗机构）或 P（零售药店）加11位数字');
    else if ((r.fixmedins_code[0] === 'H') !== (r.fixmedins_type === '1')) p('fixmedins_type', '机构类型与编码首字母不一致（H 为医疗机构，P 为零售药店）');
    if (!r.fixmedins_name) p('fixmedins_name', '名称不能为空');
    if (!['1', '2'].includes(r.fixmedins_type)) p('fixmedins_type', '应为 1（定点医疗机构）或 2（定点零售药店）');
    if (!['1', '2', '3', '9'].includes(r.hosp_lv)) p('hosp_lv', '应为 1、2、3 或 9');
    if (r.fixmedins_type === '2' && r.hosp_lv !== '9') p('hosp_lv', '零售药店的等级应为 9（未定级）');
    if (!areas.has(r.admdvs)) p('admdvs', `未知的医保区划：${r.admdvs}`);
    const u = usccProblem(r.uscc);
    if (u) p('uscc', u);
    if (!['1', '2'].includes(r.medins_natu)) p('medins_natu', '应为 1（公立）或 2（非公立）');
    if (!isIsoDate(r.begndate)) p('begndate', '应为 yyyy-MM-dd');
    if (r.enddate && (!isIsoDate(r.enddate) || r.enddate < r.begndate)) p('enddate', '格式错误或早于开始日期');
  });
  for (const [a, b] of findOverlaps(rows, (r) => r.fixmedins_code)) problems.push({ row: rows[b]!.row ?? b + 1, field: 'begndate', message: `机构 ${rows[b]!.fixmedins_code} 的有效期与第${rows[a]!.row ?? a + 1}行重叠` });
  return problems;
}

/** Writes institutions (new ones get an agreement in force from their begndate); one transaction. */
export async function bulkLoadInstitutions(db: Db, rows: InstitutionInput[], actor: Actor, file = '(rows)'): Promise<ImportReport> {
  rejectIfProblems('定点医药机构', await checkInstitutions(db, rows));
  let closed = 0;
  await writingTo('institution', () => db.k.transaction().execute(async (trx) => {
    const existing = new Set((await trx.selectFrom('fixmedins').select('fixmedins_code').where('fixmedins_code', 'in', rows.map((r) => r.fixmedins_code).concat([''])).execute()).map((r) => r.fixmedins_code));
    const fresh = rows.filter((r) => !existing.has(r.fixmedins_code));
    const toRow = ({ row: _row, agmt_begndate: _a, ...r }: InstitutionInput): FixmedinsTable => ({ ...r, enddate: r.enddate ?? null, pinyin: pinyinInitials(r.fixmedins_name) });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const t = trx as unknown as Kysely<any>;
    for (let i = 0; i < fresh.length; i += 1000) {
      const chunk = fresh.slice(i, i + 1000);
      await t.insertInto('fixmedins').values(chunk.map(toRow)).execute();
    }
    // one agreement per new institution, from its earliest row (several rows of one code must not open several)
    const agmtFrom = new Map<string, string>();
    for (const r of fresh) {
      const from = r.agmt_begndate ?? r.begndate;
      if ((agmtFrom.get(r.fixmedins_code) ?? '9999-12-31') > from) agmtFrom.set(r.fixmedins_code, from);
    }
    const agreements = [...agmtFrom].map(([fixmedins_code, begndate]) => ({ fixmedins_code, agmt_no: `XY${fixmedins_code}`, agmt_stas: '1', memo: null, begndate, enddate: null }));
    for (let i = 0; i < agreements.length; i += 1000) await t.insertInto('fixmedins_agreement').values(agreements.slice(i, i + 1000)).execute();
    for (const r of rows.filter((x) => existing.has(x.fixmedins_code))) {
      if (await closeAndInsert(trx, 'fixmedins', { fixmedins_code: r.fixmedins_code }, toRow(r))) closed++;
    }
    await recordOperation(trx, actor, { action: 'fixmedins.import', target_type: 'fixmedins', after: { file, read: rows.length, inserted: rows.length, closed } });
  }));
  return { kind: 'institutions', file, read: rows.length, inserted: rows.length, closed, rejected: [] };
}

export const INSTITUTION_COLUMNS = {
  required: ['fixmedins_code', 'fixmedins_name', 'fixmedins_type', 'hosp_lv', 'admdvs', 'uscc', 'begndate'],
  optional: ['medins_natu', 'addr', 'enddate'],
} as const;

/** CSV/TSV columns: fixmedins_code,fixmedins_name,fixmedins_type,hosp_lv,admdvs,uscc,begndate[,medins_natu,addr,enddate] */
export async function importInstitutionsFile(db: Db, filePath: string, actor: Actor): Promise<ImportReport> {
  const d = readDelimitedFile(filePath);
  checkColumns(d, INSTITUTION_COLUMNS.required, INSTITUTION_COLUMNS.optional);
  const rows: InstitutionInput[] = d.rows.map(({ row, values: v }) => ({
    row,
    fixmedins_code: v.fixmedins_code ?? '',
    fixmedins_name: v.fixmedins_name ?? '',
    fixmedins_type: (v.fixmedins_type ?? '') as '1',
    hosp_lv: (v.hosp_lv ?? '') as '1',
    admdvs: v.admdvs ?? '',
    uscc: v.uscc ?? '',
    medins_natu: (v.medins_natu || '1') as '1',
    addr: v.addr || null,
    begndate: v.begndate ?? '',
    enddate: v.enddate || null,
  }));
  return bulkLoadInstitutions(db, rows, actor, filePath);
}
