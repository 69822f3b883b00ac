/**
 * The read side of suspects (疑点) and review cases, as the console and the API show them: filtered lists limited
 * to what the participant may see (access.ts), a suspect with its evidence and its case, a case with its suspects,
 * trail, recoveries, overdue flag and the actions the viewer may take now. Amounts leave here as yuan numbers.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { beijingDate, beijingDateTime, beijingDayEnd, beijingDayStart } from '../../platform/time.js';
import { accessSql, canSee } from './access.js';
import { pageOf, yuanOut } from './read-helpers.js';
import { CASE_STAS, DSPO_TYPES, OPEN_STAS, SUSPECT_STAS, withSuspects, type Access, type AuditCaseTable, type CaseCap, type CaseStas } from './types.js';
import { allowedActions, STEPS } from './workflow.js';


// ---------- suspects ----------

export interface SuspectQuery {
  rule_id?: string;
  fixmedins_code?: string;
  psn_no?: string;
  stas?: string;
  sev_deg?: string;
  stage?: string;
  run_id?: string;
  /** Found on or after this Beijing date (crte_time). */
  from?: string;
  /** Found on or before this Beijing date. */
  to?: string;
  page_num?: number;
  page_size?: number;
}

export async function listSuspects(db: Db, access: Access, q: SuspectQuery) {
  const { page_num, page_size, offset } = pageOf(q);
  let base = withSuspects(db.k).selectFrom('audit_suspect as s').where(accessSql(access, 's.admdvs', 's.fixmedins_code'));
  if (q.rule_id) base = base.where('s.rule_id', '=', q.rule_id);
  if (q.fixmedins_code) base = base.where('s.fixmedins_code', '=', q.fixmedins_code);
  if (q.psn_no) base = base.where('s.psn_no', '=', q.psn_no);
  if (q.stas) base = base.where('s.stas', '=', q.stas);
  if (q.sev_deg) base = base.where('s.sev_deg', '=', q.sev_deg);
  if (q.stage) base = base.where('s.stage', '=', q.stage);
  if (q.run_id) base = base.where('s.run_id', '=', q.run_id);
  if (q.from) base = base.where('s.crte_time', '>=', beijingDayStart(q.from));
  if (q.to) base = base.where('s.crte_time', '<', beijingDayEnd(q.to));
  const total = (await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0;
  const rows = await base
    .leftJoin('audit_case_suspect as cs', 'cs.suspect_id', 's.suspect_id')
    .select(['s.suspect_id', 's.run_id', 's.stage', 's.rule_id', 's.rule_name', 's.sev_deg', 's.vola_bhvr_type', 's.admdvs', 's.fixmedins_code', 's.psn_no', 's.mdtrt_id', 's.setl_id', 's.vola_cont', 's.vola_amt', 's.stas', 's.crte_time', 'cs.case_id', 'cs.cnfm_amt'])
    .orderBy('s.crte_time', 'desc')
    .orderBy('s.suspect_id')
    .limit(page_size)
    .offset(offset)
    .execute();
  return {
    page_num,
    page_size,
    total,
    list: rows.map((r) => ({ ...r, vola_amt: yuanOut(r.vola_amt), cnfm_amt: yuanOut(r.cnfm_amt), stas_name: SUSPECT_STAS[r.stas] ?? r.stas, crte_time: beijingDateTime(r.crte_time) })),
  };
}

export async function getSuspect(db: Db, access: Access, suspect_id: string) {
  const k = withSuspects(db.k);
  const s = await k.selectFrom('audit_suspect').selectAll().where('suspect_id', '=', suspect_id).executeTakeFirst();
  if (!s || !canSee(access, s)) throw notFound(`未找到疑点 ${suspect_id}，或该疑点不在您的管辖范围内`);
  const link = await k.selectFrom('audit_case_suspect').selectAll().where('suspect_id', '=', suspect_id).executeTakeFirst();
  return {
    ...s,
    evidence: typeof s.evidence === 'string' ? (JSON.parse(s.evidence) as unknown) : s.evidence,
    vola_amt: yuanOut(s.vola_amt),
    stas_name: SUSPECT_STAS[s.stas] ?? s.stas,
    crte_time: beijingDateTime(s.crte_time),
    case: link ? { case_id: link.case_id, cnfm_amt: yuanOut(link.cnfm_amt), rslt: link.rslt } : null,
  };
}

// ---------- cases ----------

function caseView(c: Omit<AuditCaseTable, 'cnfm_amt' | 'crte_time' | 'updt_time'> & { cnfm_amt: string; crte_time: Date; updt_time: Date }, caps: ReadonlySet<CaseCap>, today: string) {
  return {
    ...c,
    case_stas_name: CASE_STAS[c.case_stas],
    overdue: c.due_date !== null && OPEN_STAS.includes(c.case_stas) && today > c.due_date,
    vola_amt: yuanOut(c.vola_amt),
    cnfm_amt: yuanOut(c.cnfm_amt),
    dspo_type_name: c.dspo_type ? DSPO_TYPES[c.dspo_type] : null,
    crte_time: beijingDateTime(c.crte_time),
    updt_time: beijingDateTime(c.updt_time),
    close_time: c.close_time ? beijingDateTime(c.close_time) : null,
    actions: allowedActions(c.case_stas, caps),
  };
}

export interface CaseQuery {
  case_stas?: CaseStas;
  fixmedins_code?: string;
  rule_id?: string;
  assignee_id?: string;
  /** Only open cases past their step's time limit. */
  overdue?: boolean;
  /** My queue: assigned to me, or unassigned in a state where I can act. */
  mine?: boolean;
  page_num?: number;
  page_size?: number;
}

/** The states where a participant with these capabilities moves a case forward (assigning and 期满 aside). */
function actionableStates(caps: ReadonlySet<CaseCap>): CaseStas[] {
  return OPEN_STAS.filter((s) => allowedActions(s, caps).some((a) => a !== 'assign' && a !== 'close_appeal'));
}

export async function listCases(db: Db, access: Access, q: CaseQuery, now = new Date()) {
  const today = beijingDate(now);
  const { page_num, page_size, offset } = pageOf(q);
  let base = db.k.selectFrom('audit_case as c').where(accessSql(access, 'c.admdvs', 'c.fixmedins_code'));
  if (q.case_stas) base = base.where('c.case_stas', '=', q.case_stas);
  if (q.fixmedins_code) base = base.where('c.fixmedins_code', '=', q.fixmedins_code);
  if (q.rule_id) base = base.where(sql<boolean>`${q.rule_id} = any(string_to_array(c.rule_ids, ','))`);
  if (q.assignee_id) base = base.where('c.assignee_id', '=', q.assignee_id);
  if (q.overdue) base = base.where('c.case_stas', 'in', OPEN_STAS).where('c.due_date', '<', today);
  if (q.mine) {
    const states = actionableStates(access.caps);
    const me = access.actor.id;
    base = base.where((eb) =>
      eb.or([eb('c.assignee_id', '=', me), ...(states.length ? [eb.and([eb('c.assignee_id', 'is', null), eb('c.case_stas', 'in', states)])] : [])]),
    ).where('c.case_stas', 'in', OPEN_STAS);
  }
  const total = (await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0;
  const rows = await base.selectAll('c').orderBy(q.mine || q.overdue ? 'c.due_date' : 'c.crte_time', q.mine || q.overdue ? 'asc' : 'desc').orderBy('c.case_id').limit(page_size).offset(offset).execute();
  return { page_num, page_size, total, list: rows.map((c) => caseView(c, access.caps, today)) };
}

export async function getCase(db: Db, access: Access, case_id: string, now = new Date()) {
  const k = withSuspects(db.k);
  const c = await k.selectFrom('audit_case').selectAll().where('case_id', '=', case_id).executeTakeFirst();
  if (!c || !canSee(access, c)) throw notFound(`未找到审核案件 ${case_id}，或该案件不在您的管辖范围内`);
  const [suspects, hist, rcv] = await Promise.all([
    k
      .selectFrom('audit_case_suspect as cs')
      .innerJoin('audit_suspect as s', 's.suspect_id', 'cs.suspect_id')
      .select(['s.suspect_id', 's.rule_id', 's.rule_name', 's.sev_deg', 's.vola_bhvr_type', 's.psn_no', 's.mdtrt_id', 's.setl_id', 's.vola_cont', 's.evidence', 's.stas', 'cs.vola_amt', 'cs.cnfm_amt', 'cs.rslt'])
      .where('cs.case_id', '=', case_id)
      .orderBy('s.suspect_id')
      .execute(),
    k.selectFrom('audit_case_hist').selectAll().where('case_id', '=', case_id).orderBy('hist_id').execute(),
    k.selectFrom('audit_case_rcv').selectAll().where('case_id', '=', case_id).orderBy('rcv_id').execute(),
  ]);
  return {
    case: caseView(c, access.caps, beijingDate(now)),
    suspects: suspects.map((s) => ({ ...s, evidence: typeof s.evidence === 'string' ? (JSON.parse(s.evidence) as unknown) : s.evidence, vola_amt: yuanOut(s.vola_amt), cnfm_amt: yuanOut(s.cnfm_amt), stas_name: SUSPECT_STAS[s.stas] ?? s.stas })),
    history: hist.map((h) => ({
      ...h,
      action_name: h.action === 'create' ? '立案' : (STEPS[h.action as keyof typeof STEPS]?.name ?? h.action),
      from_stas_name: h.from_stas ? CASE_STAS[h.from_stas] : null,
      to_stas_name: CASE_STAS[h.to_stas],
      amt: yuanOut(h.amt),
      detail: typeof h.detail === 'string' ? (JSON.parse(h.detail) as unknown) : h.detail,
      crte_time: beijingDateTime(h.crte_time),
    })),
    recoveries: rcv.map((r) => ({ ...r, amt: yuanOut(r.amt), dspo_type_name: DSPO_TYPES[r.dspo_type], crte_time: beijingDateTime(r.crte_time) })),
  };
}
