/**
 * The review workflow's writes: opening a case from suspects (立案) and every action on it (workflow.ts says which
 * are allowed), each one database transaction — the case row locked, its state moved, the suspects' stas moved
 * (1 审核中 on opening, 2 已确认违规 / 3 已排除 when the case ends), the amounts to refuse or recover written as
 * audit_case_rcv rows, one audit_case_hist row and one opt_log row. Bad input writes nothing. Settlement tables
 * are only read (the paying area of a settlement for the recovery's fund link).
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { conflict, forbidden, notFound, validationError } from '../../platform/errors.js';
import { formatDatedId, nextSerial } from '../../platform/ids.js';
import { fenToYuan, sumFen, yuanToFen, type Fen } from '../../platform/money.js';
import { recordOperation } from '../../platform/oplog.js';
import { beijingDate } from '../../platform/time.js';
import { canSee } from './access.js';
import { dueDateOf, loadLimits } from './limits.js';
import { withSuspects, type Access, type AuditCaseTable, type CaseStas, type DspoType } from './types.js';
import { nextState, STEPS, type CaseAction, type Conclusion } from './workflow.js';

export const MAX_CASE_SUSPECTS = 1000;

export interface Assignee {
  id: string;
  name: string;
}

export interface NewCase {
  suspect_ids: string[];
  assignee?: Assignee | null;
  memo?: string | null;
}

export interface ActionInput {
  action: CaseAction;
  conclusion?: Conclusion;
  opinion?: string | null;
  attachments?: string | null;
  /** Hands the case to this reviewer (required for assign; optional on any step). */
  assignee?: Assignee | null;
  /** dispose: 1 拒付 2 追回. */
  dspo_type?: DspoType;
  /** dispose: confirmed amount per suspect in 分 (default: each suspect's suspected amount; 0 excludes it). */
  items?: { suspect_id: string; cnfm_amt: Fen }[];
  /** recovered: the day the money came back (default today). */
  rcv_date?: string;
}

const refuse = (field: string, message: string) => validationError(message, [{ field, message }]);

/** Opens a case over suspects of one institution still 待处理; they become 审核中. Returns the case id. */
export async function createCase(db: Db, access: Access, input: NewCase, now = new Date()): Promise<string> {
  if (!access.caps.has('review') && !access.caps.has('investigate')) throw forbidden('无权立案：只有审核员或稽核员可以把疑点立案审核');
  const ids = [...new Set(input.suspect_ids.map((s) => s.trim()).filter(Boolean))];
  if (!ids.length) throw refuse('suspect_ids', '请选择至少一个疑点');
  if (ids.length > MAX_CASE_SUSPECTS) throw refuse('suspect_ids', `一个案件最多包含 ${MAX_CASE_SUSPECTS} 个疑点`);
  const serial = await nextSerial(db, 'general');
  const today = beijingDate(now);
  const limits = await loadLimits(db);
  return db.k.transaction().execute(async (t) => {
    const trx = withSuspects(t);
    const rows = await trx.selectFrom('audit_suspect').select(['suspect_id', 'admdvs', 'fixmedins_code', 'rule_id', 'vola_amt', 'stas']).where('suspect_id', 'in', ids).orderBy('suspect_id').forUpdate().execute();
    const seen = rows.filter((r) => canSee(access, r));
    const missing = ids.filter((id) => !seen.some((r) => r.suspect_id === id));
    if (missing.length) throw validationError(`疑点不存在或不在您的管辖区划内：${missing.join('、')}`, missing.map((id) => ({ field: 'suspect_ids', message: `疑点 ${id} 不存在或不在您的管辖区划内` })));
    const insts = [...new Set(seen.map((r) => r.fixmedins_code))].sort();
    if (insts.length > 1) throw refuse('suspect_ids', `一个案件只能包含同一定点医药机构的疑点（所选疑点涉及 ${insts.join('、')}）`);
    const busy = seen.filter((r) => r.stas !== '0');
    if (busy.length) throw conflict(`疑点已在审核中或已办结，不能再立案：${busy.map((r) => r.suspect_id).join('、')}`);
    const first = seen[0]!;
    const case_id = formatDatedId(first.admdvs, now, serial);
    const vola: Fen = sumFen(seen.map((r) => yuanToFen(r.vola_amt)));
    const limit = limits.get('10');
    const row: Omit<AuditCaseTable, 'cnfm_amt' | 'crte_time' | 'updt_time'> = {
      case_id,
      admdvs: first.admdvs,
      fixmedins_code: first.fixmedins_code,
      rule_ids: [...new Set(seen.map((r) => r.rule_id))].sort().join(','),
      case_stas: '10',
      step_begn_date: today,
      due_date: limit ? dueDateOf(today, limit) : null,
      assignee_id: input.assignee?.id ?? null,
      assignee_name: input.assignee?.name ?? null,
      suspect_cnt: seen.length,
      vola_amt: fenToYuan(vola),
      dspo_type: null,
      memo: input.memo?.trim() || null,
      crter_id: access.actor.id,
      crter_name: access.actor.name,
      close_time: null,
    };
    await trx.insertInto('audit_case').values(row).execute();
    await trx.insertInto('audit_case_suspect').values(seen.map((r) => ({ suspect_id: r.suspect_id, case_id, vola_amt: r.vola_amt, cnfm_amt: null, rslt: null }))).execute();
    await trx.updateTable('audit_suspect').set({ stas: '1' }).where('suspect_id', 'in', ids).execute();
    await trx
      .insertInto('audit_case_hist')
      .values({ case_id, action: 'create', from_stas: null, to_stas: '10', opter_id: access.actor.id, opter_name: access.actor.name, opter_role: access.role_name, opinion: row.memo, amt: row.vola_amt, attachments: null, detail: JSON.stringify({ suspect_ids: ids, assignee_id: row.assignee_id }) })
      .execute();
    await recordOperation(t, access.actor, { action: 'audit.case.create', target_type: 'audit_case', target_id: case_id, admdvs: row.admdvs, after: { ...row, suspect_ids: ids } });
    return case_id;
  });
}

/** Takes one action on a case (see workflow.ts). Returns the case's new state. */
export async function caseAction(db: Db, access: Access, case_id: string, input: ActionInput, now = new Date()): Promise<CaseStas> {
  const step = STEPS[input.action];
  if (!step) throw refuse('action', `未知的办理动作：${String(input.action)}`);
  const opinion = input.opinion?.trim() || null;
  if (opinion && opinion.length > 2000) throw refuse('opinion', '意见不能超过2000个字符');
  const today = beijingDate(now);
  const limits = await loadLimits(db);
  return db.k.transaction().execute(async (t) => {
    const trx = withSuspects(t);
    const c = await trx.selectFrom('audit_case').selectAll().where('case_id', '=', case_id).forUpdate().executeTakeFirst();
    if (!c || !canSee(access, c)) throw notFound(`未找到审核案件 ${case_id}，或该案件不在您的管辖范围内`);
    const to = nextState(c.case_stas, input.action, access.caps, input.conclusion);
    if (step.opinion && !opinion) throw refuse('opinion', input.action === 'appeal' ? '请填写申诉理由' : `请填写${step.name}意见`);
    const closing = to === '60' || to === '90';
    let amt: Fen | null = null;
    let detail: Record<string, unknown> = {};

    if (input.action === 'assign' && !input.assignee) throw refuse('assignee_id', '请指定审核人');
    if (input.action === 'second_review') {
      const first = await trx.selectFrom('audit_case_hist').select('opter_id').where('case_id', '=', case_id).where('action', '=', 'first_review').orderBy('hist_id', 'desc').executeTakeFirst();
      if (first?.opter_id === access.actor.id) throw conflict('复审须由初审人以外的审核人办理');
    }
    if (input.action === 'close_appeal' && c.due_date && today <= c.due_date) throw conflict(`申诉期限至 ${c.due_date}，期满前不能结束申诉`);

    const members = await trx
      .selectFrom('audit_case_suspect as cs')
      .innerJoin('audit_suspect as s', 's.suspect_id', 'cs.suspect_id')
      .select(['cs.suspect_id', 'cs.vola_amt', 's.setl_id', 's.mdtrt_id', 's.psn_no', 's.fixmedins_code'])
      .where('cs.case_id', '=', case_id)
      .orderBy('cs.suspect_id')
      .execute();

    if (input.action === 'dispose') {
      if (input.dspo_type !== '1' && input.dspo_type !== '2') throw refuse('dspo_type', '请选择处理方式 dspo_type：1 拒付 或 2 追回');
      const given = new Map<string, Fen>();
      for (const it of input.items ?? []) {
        if (!members.some((m) => m.suspect_id === it.suspect_id)) throw refuse('items', `疑点 ${it.suspect_id} 不属于本案件`);
        if (given.has(it.suspect_id)) throw refuse('items', `疑点 ${it.suspect_id} 重复`);
        if (!Number.isSafeInteger(it.cnfm_amt) || it.cnfm_amt < 0) throw refuse('items', `疑点 ${it.suspect_id} 的确认金额应为不小于 0 的金额`);
        given.set(it.suspect_id, it.cnfm_amt);
      }
      const decided = members.map((m) => ({ ...m, cnfm: given.get(m.suspect_id) ?? yuanToFen(m.vola_amt) }));
      amt = sumFen(decided.map((d) => d.cnfm));
      if (amt <= 0) throw refuse('items', '确认违规金额合计为 0：不构成违规的案件应在初审、复审或调查核实中排除');
      const setls = decided.map((d) => d.setl_id).filter((s): s is string => !!s);
      const areas = setls.length ? await trx.selectFrom('setl').select(['setl_id', 'insuplc_admdvs']).where('setl_id', 'in', setls).execute() : [];
      for (const d of decided) {
        const rslt = d.cnfm > 0 ? '2' : '3';
        await trx.updateTable('audit_case_suspect').set({ cnfm_amt: fenToYuan(d.cnfm), rslt }).where('suspect_id', '=', d.suspect_id).execute();
        await trx.updateTable('audit_suspect').set({ stas: rslt }).where('suspect_id', '=', d.suspect_id).execute();
        if (d.cnfm > 0) {
          await trx
            .insertInto('audit_case_rcv')
            .values({ case_id, suspect_id: d.suspect_id, setl_id: d.setl_id, mdtrt_id: d.mdtrt_id, psn_no: d.psn_no, fixmedins_code: d.fixmedins_code, insu_admdvs: areas.find((a) => a.setl_id === d.setl_id)?.insuplc_admdvs ?? null, dspo_type: input.dspo_type, amt: fenToYuan(d.cnfm) })
            .execute();
        }
      }
      detail = { dspo_type: input.dspo_type, items: decided.map((d) => ({ suspect_id: d.suspect_id, setl_id: d.setl_id, cnfm_amt: fenToYuan(d.cnfm) })) };
    } else if (to === '90') {
      await trx.updateTable('audit_case_suspect').set({ cnfm_amt: '0.00', rslt: '3' }).where('case_id', '=', case_id).execute();
      await trx.updateTable('audit_suspect').set({ stas: '3' }).where('suspect_id', 'in', members.map((m) => m.suspect_id)).execute();
      amt = 0;
    } else if (input.action === 'recovered') {
      const rcv_date = input.rcv_date ?? today;
      const done = await trx.updateTable('audit_case_rcv').set({ rcv_stas: '1', rcv_date }).where('case_id', '=', case_id).where('rcv_stas', '=', '0').returning(['rcv_id', 'amt']).execute();
      if (!done.length) throw conflict('本案件的拒付/追回金额已全部登记到账');
      amt = sumFen(done.map((r) => yuanToFen(r.amt)));
      detail = { rcv_date, rcv_ids: done.map((r) => r.rcv_id) };
    }

    const moved = to !== c.case_stas;
    const assignee = input.assignee ?? (moved ? null : c.assignee_id ? { id: c.assignee_id, name: c.assignee_name ?? '' } : null);
    const limit = limits.get(to);
    const set = {
      case_stas: to,
      step_begn_date: moved ? today : c.step_begn_date,
      due_date: closing ? null : moved ? (limit ? dueDateOf(today, limit) : null) : c.due_date,
      assignee_id: closing ? null : (assignee?.id ?? null),
      assignee_name: closing ? null : (assignee?.name ?? null),
      ...(input.action === 'dispose' ? { cnfm_amt: fenToYuan(amt!), dspo_type: input.dspo_type! } : {}),
      ...(closing && moved ? { close_time: now } : {}),
    };
    await trx.updateTable('audit_case').set({ ...set, updt_time: sql<Date>`now()` }).where('case_id', '=', case_id).execute();
    if (input.assignee) detail.assignee_id = input.assignee.id;
    if (input.conclusion) detail.conclusion = input.conclusion;
    await trx
      .insertInto('audit_case_hist')
      .values({
        case_id,
        action: input.action,
        from_stas: c.case_stas,
        to_stas: to,
        opter_id: access.actor.id,
        opter_name: access.actor.name,
        opter_role: access.role_name,
        opinion,
        amt: amt === null ? null : fenToYuan(amt),
        attachments: input.attachments?.trim() || null,
        detail: JSON.stringify(detail),
      })
      .execute();
    await recordOperation(t, access.actor, {
      action: `audit.case.${input.action}`,
      target_type: 'audit_case',
      target_id: case_id,
      admdvs: c.admdvs,
      before: { case_stas: c.case_stas, assignee_id: c.assignee_id },
      after: { ...set, opinion, ...detail },
    });
    return to;
  });
}
