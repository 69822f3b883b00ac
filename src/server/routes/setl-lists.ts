/**
 * /api/setl-lists: the settlement lists (医疗保障基金结算清单, uploaded by institutions through 4101/4101A) for the
 * console's 医保结算清单 page — read only. The list of lists in force with their QC outcome, the quality-control runs
 * (accepted and refused uploads, each finding with rule id, field and message), and one settlement's list: the version
 * asked for (default the current one) with every version, the status history, that version's QC warnings, the last QC
 * run, and the DRG/DIP group each payment year run gave the case. A list belongs to the area of its institution;
 * outside the reader's areas it answers 404 like a missing one (it is personal data). Contact data and certificate
 * numbers inside the list are masked.
 *
 *   GET /api/setl-lists                    ?setl_id &psn_no &fixmedins_code &stas_type &qc_rslt &begndate &enddate (discharge), paged
 *   GET /api/setl-lists/qc-runs            ?fixmedins_code &accepted &rule_id &from &to (upload date), paged
 *   GET /api/setl-lists/:setl_id           ?ver_no
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import { pageOf } from '../../audit/cases/read-helpers.js';
import { getSetlListDetail, STAS_NAMES } from '../../payment/setl-list/index.js';
import type { QcFinding } from '../../payment/qc/engine.js';
import type { Db } from '../../platform/db.js';
import { notFound, validationError } from '../../platform/errors.js';
import { maskValue } from '../../platform/logging.js';
import { beijingDateTime, beijingDayEnd, beijingDayStart } from '../../platform/time.js';
import { staffOf } from '../auth/hook.js';
import type { Scope } from '../auth/scope.js';
import { institutionScopeSql } from '../queries/settlements.js';
import type { AppDeps } from '../app.js';
import { DateStr, Paging, StringEnum } from './schemas.js';

const Code = (max: number) => Type.Optional(Type.String({ minLength: 1, maxLength: max }));

const ListQuery = Type.Object({
  setl_id: Code(30),
  psn_no: Code(30),
  fixmedins_code: Code(30),
  stas_type: Type.Optional(StringEnum(['0', '1', '2'] as const)),
  qc_rslt: Type.Optional(StringEnum(['0', '1'] as const)),
  begndate: Type.Optional(DateStr),
  enddate: Type.Optional(DateStr),
  ...Paging,
});
const QcQuery = Type.Object({
  fixmedins_code: Code(30),
  accepted: Type.Optional(Type.Boolean()),
  rule_id: Code(60),
  from: Type.Optional(DateStr),
  to: Type.Optional(DateStr),
  ...Paging,
});
const IdParams = Type.Object({ setl_id: Type.String({ minLength: 1, maxLength: 30 }) });
const VerQuery = Type.Object({ ver_no: Type.Optional(Type.Integer({ minimum: 1 })) });

/** setlinfo fields that identify or reach the patient beyond name and age: masked on the way out. */
const MASKED_FIELDS = new Set(['certno', 'curr_addr', 'emp_addr', 'emp_tel', 'coner_name', 'coner_addr', 'coner_tel']);
const maskField = (field: string, v: unknown) => (typeof v === 'string' && v && MASKED_FIELDS.has(field) ? maskValue(v) : v);
/** QC findings name the field as 'setlinfo.certno': a finding on a masked field shows a masked value. */
const maskFinding = (f: QcFinding): QcFinding => ({ ...f, value: f.value === null ? null : (maskField(f.field.split('.').pop() ?? '', f.value) as string) });
const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** The latest name of each institution code. */
async function institutionNames(db: Db, codes: string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await db.k.selectFrom('fixmedins').select(['fixmedins_code', 'fixmedins_name']).where('fixmedins_code', 'in', codes).orderBy('begndate').execute();
  return new Map(rows.map((r) => [r.fixmedins_code, r.fixmedins_name]));
}

function checkRange(from: string | undefined, to: string | undefined, field: string): void {
  if (from && to && from > to) throw validationError('请求参数错误：开始日期不能晚于结束日期', [{ field, message: '开始日期不能晚于结束日期' }]);
}

/** Lists in force (current version) in the scope, newest upload first. */
export async function searchSetlLists(db: Db, scope: Scope, q: Static<typeof ListQuery>) {
  checkRange(q.begndate, q.enddate, 'begndate');
  const { page_num, page_size, offset } = pageOf(q);
  let base = db.k.selectFrom('setl_list as h').innerJoin('setl_list_ver as v', 'v.setl_list_id', 'h.setl_list_id').where(institutionScopeSql(scope, 'h'));
  if (q.setl_id) base = base.where('h.setl_id', '=', q.setl_id);
  if (q.psn_no) base = base.where('h.psn_no', '=', q.psn_no);
  if (q.fixmedins_code) base = base.where('h.fixmedins_code', '=', q.fixmedins_code);
  if (q.stas_type) base = base.where('h.stas_type', '=', q.stas_type);
  if (q.qc_rslt) base = base.where('v.qc_rslt', '=', q.qc_rslt);
  if (q.begndate) base = base.where('v.dscg_date', '>=', q.begndate);
  if (q.enddate) base = base.where('v.dscg_date', '<=', q.enddate);
  const total = Number((await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await base
    .select(['h.setl_id', 'h.setl_list_id', 'h.cur_ver', 'h.mdtrt_id', 'h.psn_no', 'v.psn_name', 'h.fixmedins_code', 'h.stas_type', 'h.stas_time', 'v.infno', 'v.dscg_date', 'v.act_ipt_days', 'v.main_diag_code', 'v.main_oprn_code', 'v.medfee_sumamt', 'v.fund_pay_sumamt', 'v.qc_rslt', 'v.upld_time'])
    .select(sql<string | null>`(select d.diag_name from setl_list_diag d where d.setl_list_id = h.setl_list_id and d.maindiag_flag = '1' order by d.seq limit 1)`.as('main_diag_name'))
    .select(sql<number>`jsonb_array_length(v.qc_report)`.as('warn_cnt'))
    .orderBy('v.upld_time', 'desc')
    .orderBy('h.setl_id')
    .limit(page_size)
    .offset(offset)
    .execute();
  const names = await institutionNames(db, [...new Set(rows.map((r) => r.fixmedins_code))]);
  return {
    page_num,
    page_size,
    total,
    list: rows.map(({ cur_ver, ...r }) => ({
      ...r,
      ver_no: cur_ver,
      fixmedins_name: names.get(r.fixmedins_code) ?? null,
      stas_name: STAS_NAMES[r.stas_type],
      stas_time: beijingDateTime(r.stas_time),
      upld_time: beijingDateTime(r.upld_time),
      warn_cnt: Number(r.warn_cnt),
    })),
  };
}

/** Quality-control runs in the scope, newest first: accepted uploads with their warnings and refused ones with their errors. */
export async function searchQcRuns(db: Db, scope: Scope, q: Static<typeof QcQuery>) {
  checkRange(q.from, q.to, 'from');
  const { page_num, page_size, offset } = pageOf(q);
  let base = db.k.selectFrom('setl_list_qc as q').where(institutionScopeSql(scope, 'q'));
  if (q.fixmedins_code) base = base.where('q.fixmedins_code', '=', q.fixmedins_code);
  if (q.accepted !== undefined) base = base.where('q.accepted', '=', q.accepted);
  if (q.rule_id) base = base.where(sql<boolean>`q.report @> ${JSON.stringify([{ rule_id: q.rule_id }])}::jsonb`);
  if (q.from) base = base.where('q.qc_time', '>=', beijingDayStart(q.from));
  if (q.to) base = base.where('q.qc_time', '<', beijingDayEnd(q.to));
  const total = Number((await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await base.selectAll('q').orderBy('q.qc_id', 'desc').limit(page_size).offset(offset).execute();
  const names = await institutionNames(db, [...new Set(rows.map((r) => r.fixmedins_code))]);
  return {
    page_num,
    page_size,
    total,
    list: rows.map((r) => ({
      qc_id: Number(r.qc_id),
      setl_id: r.setl_id,
      fixmedins_code: r.fixmedins_code,
      fixmedins_name: names.get(r.fixmedins_code) ?? null,
      infno: r.infno,
      msgid: r.msgid,
      accepted: r.accepted,
      setl_list_id: r.setl_list_id,
      err_cnt: r.err_cnt,
      warn_cnt: r.warn_cnt,
      findings: parseJson<QcFinding[]>(r.report).map(maskFinding),
      qc_time: beijingDateTime(r.qc_time),
    })),
  };
}

/** The DRG/DIP group of the case in each payment run that paid it, newest run first (pay_run is small: one row per run). */
async function groupsOf(db: Db, setl_id: string) {
  const rows = await db.k
    .selectFrom('pay_run as r')
    .innerJoin('pay_case as c', (j) => j.onRef('c.run_id', '=', 'r.run_id').on('c.case_id', '=', setl_id))
    .select(['r.run_id', 'r.pay_type', 'r.admdvs', 'r.setl_year', 'r.crte_time', 'c.grp_code', 'c.grp_name', 'c.grp_stas', 'c.case_type', 'c.points', 'c.std_amt', 'c.reason'])
    .orderBy('r.crte_time', 'desc')
    .orderBy('r.run_id', 'desc')
    .execute();
  return rows.map((r) => ({ ...r, crte_time: beijingDateTime(r.crte_time) }));
}

/** One settlement's list in the scope (404 otherwise), masked, with this version's warnings and its payment groups. */
export async function setlListView(db: Db, scope: Scope, setl_id: string, ver_no?: number) {
  const missing = notFound(`未找到结算ID ${setl_id} 的结算清单，或其定点机构不在您的管辖范围内`);
  const owner =
    (await db.k.selectFrom('setl_list as h').select('h.fixmedins_code').where('h.setl_id', '=', setl_id).where(institutionScopeSql(scope, 'h')).executeTakeFirst()) ??
    (await db.k.selectFrom('setl_list_qc as q').select('q.fixmedins_code').where('q.setl_id', '=', setl_id).where(institutionScopeSql(scope, 'q')).executeTakeFirst());
  if (!owner) throw missing;
  // an institution's own list only (a setl_id reused by another institution's refused upload stays apart)
  const d = await getSetlListDetail(db, setl_id, { fixmedins_code: owner.fixmedins_code, ...(ver_no ? { ver_no } : {}) });
  if (!d) throw missing;
  const ver = d.setl_list_id
    ? await db.k.selectFrom('setl_list_ver').select(['qc_rslt', 'qc_report', 'upld_time', 'opter_name', 'medfee_sumamt', 'fund_pay_sumamt', 'dscg_date']).where('setl_list_id', '=', d.setl_list_id).executeTakeFirst()
    : undefined;
  const names = await institutionNames(db, [owner.fixmedins_code]);
  const content = d.content
    ? { ...d.content, setlinfo: Object.fromEntries(Object.entries(d.content.setlinfo).map(([k, v]) => [k, maskField(k, v)])) }
    : null;
  return {
    ...d,
    fixmedins_code: owner.fixmedins_code,
    fixmedins_name: names.get(owner.fixmedins_code) ?? null,
    stas_name: d.stas_type ? STAS_NAMES[d.stas_type] : null,
    content,
    version: ver
      ? { qc_rslt: ver.qc_rslt, warnings: parseJson<QcFinding[]>(ver.qc_report).map(maskFinding), upld_time: beijingDateTime(ver.upld_time), opter_name: ver.opter_name, medfee_sumamt: ver.medfee_sumamt, fund_pay_sumamt: ver.fund_pay_sumamt, dscg_date: ver.dscg_date }
      : null,
    qc: d.qc ? { ...d.qc, findings: d.qc.findings.map(maskFinding) } : null,
    groups: await groupsOf(db, setl_id),
  };
}

export const setlListRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db } = deps;
    const READ = { permission: 'payment:read' } as const;
    app.get<{ Querystring: Static<typeof ListQuery> }>('/setl-lists', { schema: { querystring: ListQuery }, config: READ }, async (req) => searchSetlLists(db, staffOf(req).scope, req.query));
    app.get<{ Querystring: Static<typeof QcQuery> }>('/setl-lists/qc-runs', { schema: { querystring: QcQuery }, config: READ }, async (req) => searchQcRuns(db, staffOf(req).scope, req.query));
    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof VerQuery> }>('/setl-lists/:setl_id', { schema: { params: IdParams, querystring: VerQuery }, config: READ }, async (req) =>
      setlListView(db, staffOf(req).scope, req.params.setl_id, req.query.ver_no),
    );
  };
