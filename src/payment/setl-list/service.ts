/**
 * The settlement-list service (结算清单): upload (4101 / 4101A) with quality control first, stored per settlement
 * (setl_id) as versions — a re-upload adds the next version and keeps the earlier ones —, status changes (4102 by the
 * institution: 撤回 / 提交; lock / unlock by the insurer), and queries (4103). One transaction per write with its
 * operation-log row. Every quality-control run is recorded, a refused upload too, so 4103 can show why.
 *
 * Status: 1 已提交 (after every accepted upload) · 0 已撤回 (4102 stas_type 0; 4102 stas_type 1 or a re-upload submits
 * it again) · 2 已锁定 (the insurer locked it for grouping and payment: the institution can neither re-upload nor
 * change it until the insurer unlocks it). The national documents name 4102 (状态修改) but the reference does not
 * capture its status codes; these are yibao's and are documented in docs/api/4102.md.
 */
import { sql, type Transaction } from 'kysely';
import type { Db, Tables } from '../../platform/db.js';
import { conflict, forbidden, notFound, validationError, YibaoError, type FieldProblem } from '../../platform/errors.js';
import { formatDatedId, nextSerial } from '../../platform/ids.js';
import { fenToYuan, sumFen, yuanToFen } from '../../platform/money.js';
import { recordOperation, type Actor } from '../../platform/oplog.js';
import { beijingDate, beijingDateTime } from '../../platform/time.js';
import { loadQcContext } from '../qc/context.js';
import { describeFinding, parseWhen, runQc, type QcFinding, type QcReport } from '../qc/engine.js';
import { QC_RULES, type QcRule } from '../qc/rules.js';
import { ROW_NODES, type ListRow, type SetlListInput } from './fields.js';
import type { SettlementLookup } from './settlement-hook.js';
import { STAS_NAMES, type SetlListStas } from './types.js';

/** Who uploads or changes a list, and through which request. */
export interface ListCaller {
  db: Db;
  actor: Actor;
  /** The institution calling (the envelope's fixmedins_code). */
  fixmedins_code: string;
  /** The request's msgid (null outside the gateway). */
  msgid: string | null;
  /** Area used for the setl_list_id (the node's area). */
  admdvs: string;
  at: Date;
}

export interface UploadOptions {
  /** 4101 (default) or 4101A. */
  infno?: string;
  rules?: readonly QcRule[];
  /** How the settlement is found (default: the settlement tables); null = shape only. */
  settlementLookup?: SettlementLookup | null;
}

export interface UploadResult {
  setl_list_id: string;
  setl_id: string;
  ver_no: number;
  /** 0 通过 1 通过但有警告 */
  qc_rslt: '0' | '1';
  warnings: QcFinding[];
  /** The warnings in one Chinese line (null without any). */
  warn_msg: string | null;
}

/** An upload refused by quality control: a VALIDATION error whose problems are the blocking findings. */
export class SetlListQcError extends YibaoError {
  readonly report: QcReport;
  constructor(report: QcReport) {
    const w = report.warnings.length ? `，另有 ${report.warnings.length} 项警告` : '';
    super('VALIDATION', `结算清单质控不通过：${report.errors.length} 项错误${w}`, report.errors.map(toProblem));
    this.name = 'SetlListQcError';
    this.report = report;
  }
}

function toProblem(x: QcFinding): FieldProblem {
  return { ...(x.row !== null ? { row: x.row } : {}), field: x.field, message: `[${x.rule_id}] ${x.message}` };
}

export function warnMsgOf(warnings: readonly QcFinding[]): string | null {
  if (!warnings.length) return null;
  const text = `结算清单质控警告 ${warnings.length} 项：${warnings.map(describeFinding).join('；')}`;
  return text.length > 2000 ? `${text.slice(0, 1997)}…` : text;
}

/** Beijing wall time 'yyyy-MM-dd[ HH:mm:ss]' → an instant (null when unreadable). */
function instant(text: string | undefined): Date | null {
  const w = parseWhen(text);
  return w ? new Date(`${w.date}T${w.time ?? '00:00:00'}+08:00`) : null;
}
const dateOf = (text: string | undefined): string | null => parseWhen(text)?.date ?? null;
const intOf = (text: string | undefined): number | null => (text !== undefined && /^\d+(\.0*)?$/.test(text) ? Math.trunc(Number(text)) : null);
const yuan = (text: string | undefined, field: string): string | null => (text === undefined ? null : fenToYuan(yuanToFen(text, field)));
const isWestern = (r: ListRow) => r.diag_type === undefined || r.diag_type === '1';
const isMainOprn = (r: ListRow) => r.main_oprn_flag === '1' || r.oprn_oprt_type === '1';

/** The main procedure of a list: the row marked main, else the first. */
export function mainOprnOf(list: SetlListInput): ListRow | null {
  const rows = list.oprninfo ?? [];
  return rows.find(isMainOprn) ?? rows[0] ?? null;
}
export function principalOf(list: SetlListInput): ListRow | null {
  return (list.diseinfo ?? []).find((r) => isWestern(r) && r.maindiag_flag === '1') ?? null;
}

/** Drops empty nodes so the stored content is what was meaningfully sent. */
function contentOf(list: SetlListInput): SetlListInput {
  const out: SetlListInput = { setlinfo: list.setlinfo };
  for (const n of ROW_NODES) out[n] = list[n] ?? [];
  return out;
}

async function recordQc(exec: Db['k'] | Transaction<Tables>, c: ListCaller, infno: string, setl_id: string | null, report: QcReport, setl_list_id: string | null): Promise<void> {
  await exec
    .insertInto('setl_list_qc')
    .values({
      setl_id,
      fixmedins_code: c.fixmedins_code,
      infno,
      msgid: c.msgid,
      accepted: report.passed,
      setl_list_id,
      err_cnt: report.errors.length,
      warn_cnt: report.warnings.length,
      report: JSON.stringify([...report.errors, ...report.warnings]),
    })
    .execute();
}

/**
 * 4101 / 4101A: quality control, then a new version of the settlement's list. Blocking findings refuse the upload
 * with a SetlListQcError (the run is recorded); warnings are returned with the accepted version.
 */
export async function uploadSetlList(c: ListCaller, list: SetlListInput, opts: UploadOptions = {}): Promise<UploadResult> {
  const { db } = c;
  const infno = opts.infno ?? '4101';
  const today = beijingDate(c.at);
  const ctx = await loadQcContext(db, list, { caller: c.fixmedins_code, settlementLookup: opts.settlementLookup, today });
  const report = runQc(list, ctx, opts.rules ?? QC_RULES);
  const s = list.setlinfo;
  if (!report.passed) {
    await recordQc(db.k, c, infno, s.setl_id ?? null, report, null);
    throw new SetlListQcError(report);
  }
  // quality control guarantees these (rules 2005-setl_id / 2005-mdtrt_id, 2129 money); a custom rule list may not
  const setl_id = s.setl_id;
  const mdtrt_id = s.mdtrt_id;
  if (!setl_id || !mdtrt_id) throw validationError('结算清单缺少结算ID或就诊ID', [{ field: setl_id ? 'setlinfo.mdtrt_id' : 'setlinfo.setl_id', message: '缺少必填项' }]);

  const items = list.iteminfo ?? [];
  const pays = list.payinfo ?? [];
  const medfee = sumFen(items.map((r, i) => yuanToFen(r.amt ?? '0', `iteminfo[${i + 1}].amt`)));
  const fundSum = sumFen(pays.map((r, i) => yuanToFen(r.fund_payamt ?? '0', `payinfo[${i + 1}].fund_payamt`)));
  const setl_list_id = formatDatedId(c.admdvs, c.at, await nextSerial(db, 'general'));
  const principal = principalOf(list);
  const mainOprn = mainOprnOf(list);
  const psn_no = ctx.settlement?.psn_no ?? null;

  const ver_no = await db.k.transaction().execute(async (trx) => {
    const head = await trx.selectFrom('setl_list').selectAll().where('setl_id', '=', setl_id).forUpdate().executeTakeFirst();
    if (head && head.fixmedins_code !== c.fixmedins_code) throw forbidden(`结算ID ${setl_id} 的结算清单属于机构 ${head.fixmedins_code}，不能由本机构上传`);
    if (head?.stas_type === '2') throw conflict(`结算ID ${setl_id} 的结算清单已被医保经办机构锁定，不能重新上传；如需修改请联系经办机构解锁`);
    if (head && head.mdtrt_id !== mdtrt_id) throw conflict(`结算ID ${setl_id} 的结算清单此前以就诊ID ${head.mdtrt_id} 上传，与本次的 ${mdtrt_id} 不符`, [{ field: 'setlinfo.mdtrt_id', message: '与已上传的就诊ID不符' }]);
    const ver = (head?.cur_ver ?? 0) + 1;
    if (!head) {
      await trx.insertInto('setl_list').values({ setl_id, fixmedins_code: c.fixmedins_code, mdtrt_id, psn_no, cur_ver: ver, setl_list_id, stas_type: '1', stas_time: c.at }).execute();
    }
    await trx
      .insertInto('setl_list_ver')
      .values({
        setl_list_id,
        setl_id,
        ver_no: ver,
        infno,
        msgid: c.msgid,
        fixmedins_code: c.fixmedins_code,
        mdtrt_id,
        psn_name: s.psn_name ?? null,
        certno: s.certno ?? null,
        gend: s.gend ?? null,
        brdy: dateOf(s.brdy),
        age: s.age ?? null,
        nwb_age: intOf(s.nwb_age),
        hi_type: s.hi_type ?? null,
        insuplc: s.insuplc ?? null,
        ipt_med_type: s.ipt_med_type ?? null,
        adm_time: instant(s.adm_time),
        dscg_time: instant(s.dscg_time),
        dscg_date: dateOf(s.dscg_time) ?? dateOf(s.setl_end_date),
        act_ipt_days: intOf(s.act_ipt_days),
        dscg_way: s.dscg_way ?? null,
        hi_paymtd: s.hi_paymtd ?? null,
        main_diag_code: principal?.diag_code ?? null,
        main_oprn_code: mainOprn?.oprn_oprt_code ?? null,
        medfee_sumamt: fenToYuan(medfee),
        psn_selfpay: yuan(s.psn_selfpay, 'setlinfo.psn_selfpay'),
        psn_ownpay: yuan(s.psn_ownpay, 'setlinfo.psn_ownpay'),
        acct_pay: yuan(s.acct_pay, 'setlinfo.acct_pay'),
        psn_cashpay: yuan(s.psn_cashpay, 'setlinfo.psn_cashpay'),
        fund_pay_sumamt: fenToYuan(fundSum),
        content: JSON.stringify(contentOf(list)),
        qc_rslt: report.warnings.length ? '1' : '0',
        qc_report: JSON.stringify(report.warnings),
        opter: c.actor.id,
        opter_name: c.actor.name,
      })
      .execute();
    const dise = list.diseinfo ?? [];
    if (dise.length) {
      await trx
        .insertInto('setl_list_diag')
        .values(dise.map((r, i) => ({ setl_list_id, seq: i + 1, diag_type: r.diag_type ?? '1', diag_code: r.diag_code ?? '', diag_name: r.diag_name ?? null, adm_cond_type: r.adm_cond_type ?? null, maindiag_flag: r.maindiag_flag === '1' ? '1' : '0' })))
        .execute();
    }
    const oprn = list.oprninfo ?? [];
    if (oprn.length) {
      await trx
        .insertInto('setl_list_oprn')
        .values(
          oprn.map((r, i) => ({
            setl_list_id,
            seq: i + 1,
            oprn_oprt_type: r.oprn_oprt_type ?? null,
            oprn_oprt_code: r.oprn_oprt_code ?? '',
            oprn_oprt_name: r.oprn_oprt_name ?? null,
            oprn_oprt_date: dateOf(r.oprn_oprt_date),
            anst_way: r.anst_way ?? null,
            oper_dr_code: r.oper_dr_code ?? null,
            anst_dr_code: r.anst_dr_code ?? null,
            main_flag: r === mainOprn ? '1' : '0',
          })),
        )
        .execute();
    }
    if (items.length) {
      await trx
        .insertInto('setl_list_item')
        .values(
          items.map((r, i) => ({
            setl_list_id,
            seq: i + 1,
            med_chrgitm: r.med_chrgitm ?? '',
            amt: fenToYuan(yuanToFen(r.amt ?? '0')),
            claa_sumfee: yuan(r.claa_sumfee, 'iteminfo.claa_sumfee'),
            clab_amt: yuan(r.clab_amt, 'iteminfo.clab_amt'),
            fulamt_ownpay_amt: yuan(r.fulamt_ownpay_amt, 'iteminfo.fulamt_ownpay_amt'),
            oth_amt: yuan(r.oth_amt, 'iteminfo.oth_amt'),
          })),
        )
        .execute();
    }
    if (pays.length) {
      await trx
        .insertInto('setl_list_pay')
        .values(pays.map((r, i) => ({ setl_list_id, seq: i + 1, fund_pay_type: r.fund_pay_type ?? '', fund_payamt: fenToYuan(yuanToFen(r.fund_payamt ?? '0')) })))
        .execute();
    }
    const icu = list.icuinfo ?? [];
    if (icu.length) {
      await trx
        .insertInto('setl_list_icu')
        .values(icu.map((r, i) => ({ setl_list_id, seq: i + 1, scs_cutd_ward_type: r.scs_cutd_ward_type ?? null, scs_cutd_inpool_time: instant(r.scs_cutd_inpool_time), scs_cutd_exit_time: instant(r.scs_cutd_exit_time), scs_cutd_sum_dura: r.scs_cutd_sum_dura ?? null })))
        .execute();
    }
    if (head) {
      await trx
        .updateTable('setl_list')
        .set({ cur_ver: ver, setl_list_id, stas_type: '1', ...(head.stas_type !== '1' ? { stas_time: c.at } : {}), ...(psn_no && !head.psn_no ? { psn_no } : {}), updt_time: c.at })
        .where('setl_id', '=', setl_id)
        .execute();
    }
    if (!head || head.stas_type !== '1') {
      await trx.insertInto('setl_list_stas').values({ setl_id, from_stas: head?.stas_type ?? null, to_stas: '1', ver_no: ver, msgid: c.msgid, opter: c.actor.id, opter_name: c.actor.name, memo: `${infno} 上传第 ${ver} 版` }).execute();
    }
    await recordQc(trx, c, infno, setl_id, report, setl_list_id);
    await recordOperation(trx, c.actor, {
      action: 'setl_list.upload',
      target_type: 'setl_list',
      target_id: setl_id,
      before: head ? { ver_no: head.cur_ver, setl_list_id: head.setl_list_id, stas_type: head.stas_type } : undefined,
      after: { ver_no: ver, setl_list_id, infno, msgid: c.msgid, qc_warnings: report.warnings.length, medfee_sumamt: fenToYuan(medfee) },
    });
    return ver;
  });
  return { setl_list_id, setl_id, ver_no, qc_rslt: report.warnings.length ? '1' : '0', warnings: report.warnings, warn_msg: warnMsgOf(report.warnings) };
}

// ---------- status ----------

export interface StatusChange {
  setl_id: string;
  psn_no?: string;
  /** 0 撤回 1 提交 */
  stas_type: string;
}

export interface StatusResult {
  setl_id: string;
  stas_type: SetlListStas;
  stas_name: string;
  ver_no: number;
  setl_list_id: string;
}

/**
 * 4102: the institution withdraws (0) or submits again (1) its lists, all in one transaction (all-or-nothing).
 * A locked list (2) cannot be changed; asking for the status a list already has changes nothing.
 */
export async function changeSetlListStatus(c: ListCaller, changes: readonly StatusChange[]): Promise<StatusResult[]> {
  if (!changes.length) throw validationError('状态修改信息（stastinfo）不能为空', [{ field: 'stastinfo', message: '至少一行' }]);
  const seen = new Set<string>();
  changes.forEach((ch, i) => {
    if (ch.stas_type !== '0' && ch.stas_type !== '1') throw validationError(`第${i + 1}行状态类型“${ch.stas_type}”无效：0 撤回，1 提交（锁定由医保经办机构办理）`, [{ row: i + 1, field: 'stas_type', message: '应为 0 或 1' }]);
    if (seen.has(ch.setl_id)) throw validationError(`结算ID ${ch.setl_id} 重复`, [{ row: i + 1, field: 'setl_id', message: '重复' }]);
    seen.add(ch.setl_id);
  });
  return c.db.k.transaction().execute(async (trx) => {
    const out: StatusResult[] = [];
    for (const [i, ch] of changes.entries()) {
      const head = await trx.selectFrom('setl_list').selectAll().where('setl_id', '=', ch.setl_id).forUpdate().executeTakeFirst();
      if (!head || head.fixmedins_code !== c.fixmedins_code) throw notFound(`第${i + 1}行：本机构没有结算ID ${ch.setl_id} 的结算清单`);
      if (ch.psn_no && head.psn_no && ch.psn_no !== head.psn_no) throw validationError(`第${i + 1}行：人员编号 ${ch.psn_no} 与结算ID ${ch.setl_id} 的结算不符`, [{ row: i + 1, field: 'psn_no', message: '与结算不符' }]);
      if (head.stas_type === '2') throw conflict(`第${i + 1}行：结算ID ${ch.setl_id} 的结算清单已被医保经办机构锁定，不能修改状态`);
      const to = ch.stas_type as SetlListStas;
      if (head.stas_type !== to) {
        await trx.updateTable('setl_list').set({ stas_type: to, stas_time: c.at, updt_time: c.at }).where('setl_id', '=', ch.setl_id).execute();
        await trx.insertInto('setl_list_stas').values({ setl_id: ch.setl_id, from_stas: head.stas_type, to_stas: to, ver_no: head.cur_ver, msgid: c.msgid, opter: c.actor.id, opter_name: c.actor.name, memo: '4102 状态修改' }).execute();
        await recordOperation(trx, c.actor, { action: 'setl_list.status', target_type: 'setl_list', target_id: ch.setl_id, before: { stas_type: head.stas_type }, after: { stas_type: to, msgid: c.msgid } });
      }
      out.push({ setl_id: ch.setl_id, stas_type: to, stas_name: STAS_NAMES[to], ver_no: head.cur_ver, setl_list_id: head.setl_list_id });
    }
    return out;
  });
}

/** The insurer locks a submitted list (for grouping and payment) or unlocks a locked one. */
export async function lockSetlList(db: Db, actor: Actor, setl_id: string, lock: boolean, memo: string | null = null): Promise<StatusResult> {
  return db.k.transaction().execute(async (trx) => {
    const head = await trx.selectFrom('setl_list').selectAll().where('setl_id', '=', setl_id).forUpdate().executeTakeFirst();
    if (!head) throw notFound(`没有结算ID ${setl_id} 的结算清单`);
    const from = head.stas_type;
    if (lock && from !== '1') throw conflict(`结算ID ${setl_id} 的结算清单状态为“${STAS_NAMES[from]}”，只有已提交的结算清单可以锁定`);
    if (!lock && from !== '2') throw conflict(`结算ID ${setl_id} 的结算清单未锁定`);
    const to: SetlListStas = lock ? '2' : '1';
    const now = new Date();
    await trx.updateTable('setl_list').set({ stas_type: to, stas_time: now, updt_time: now }).where('setl_id', '=', setl_id).execute();
    await trx.insertInto('setl_list_stas').values({ setl_id, from_stas: from, to_stas: to, ver_no: head.cur_ver, msgid: null, opter: actor.id, opter_name: actor.name, memo: memo ?? (lock ? '经办机构锁定' : '经办机构解锁') }).execute();
    await recordOperation(trx, actor, { action: lock ? 'setl_list.lock' : 'setl_list.unlock', target_type: 'setl_list', target_id: setl_id, before: { stas_type: from }, after: { stas_type: to }, memo });
    return { setl_id, stas_type: to, stas_name: STAS_NAMES[to], ver_no: head.cur_ver, setl_list_id: head.setl_list_id };
  });
}

// ---------- queries ----------

export interface ListQuery {
  /** Only this institution's lists (the gateway passes the caller; staff tools may pass undefined = all). */
  fixmedins_code?: string;
  setl_id?: string;
  mdtrt_id?: string;
  psn_no?: string;
  /** discharge date range (inclusive) */
  begndate?: string;
  enddate?: string;
  stas_type?: string;
  qc_rslt?: string;
  page_num: number;
  page_size: number;
}

export interface ListSummary {
  setl_id: string;
  setl_list_id: string;
  ver_no: number;
  mdtrt_id: string;
  psn_no: string | null;
  psn_name: string | null;
  fixmedins_code: string;
  stas_type: SetlListStas;
  stas_name: string;
  stas_time: string;
  dscg_date: string | null;
  main_diag_code: string | null;
  main_oprn_code: string | null;
  medfee_sumamt: string;
  qc_rslt: '0' | '1';
  upld_time: string;
}

export async function querySetlLists(db: Db, q: ListQuery): Promise<{ total: number; list: ListSummary[] }> {
  let base = db.k.selectFrom('setl_list as h').innerJoin('setl_list_ver as v', 'v.setl_list_id', 'h.setl_list_id');
  if (q.fixmedins_code) base = base.where('h.fixmedins_code', '=', q.fixmedins_code);
  if (q.setl_id) base = base.where('h.setl_id', '=', q.setl_id);
  if (q.mdtrt_id) base = base.where('h.mdtrt_id', '=', q.mdtrt_id);
  if (q.psn_no) base = base.where('h.psn_no', '=', q.psn_no);
  if (q.stas_type) base = base.where('h.stas_type', '=', q.stas_type as SetlListStas);
  if (q.qc_rslt) base = base.where('v.qc_rslt', '=', q.qc_rslt as '0' | '1');
  if (q.begndate) base = base.where('v.dscg_date', '>=', q.begndate);
  if (q.enddate) base = base.where('v.dscg_date', '<=', q.enddate);
  const count = await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select(['h.setl_id', 'h.setl_list_id', 'h.cur_ver', 'h.mdtrt_id', 'h.psn_no', 'v.psn_name', 'h.fixmedins_code', 'h.stas_type', 'h.stas_time', 'v.dscg_date', 'v.main_diag_code', 'v.main_oprn_code', 'v.medfee_sumamt', 'v.qc_rslt', 'v.upld_time'])
    .orderBy('v.upld_time', 'desc')
    .orderBy('h.setl_id')
    .limit(q.page_size)
    .offset((q.page_num - 1) * q.page_size)
    .execute();
  return {
    total: Number(count.n),
    list: rows.map((r) => ({
      setl_id: r.setl_id,
      setl_list_id: r.setl_list_id,
      ver_no: r.cur_ver,
      mdtrt_id: r.mdtrt_id,
      psn_no: r.psn_no,
      psn_name: r.psn_name,
      fixmedins_code: r.fixmedins_code,
      stas_type: r.stas_type,
      stas_name: STAS_NAMES[r.stas_type],
      stas_time: beijingDateTime(r.stas_time),
      dscg_date: r.dscg_date,
      main_diag_code: r.main_diag_code,
      main_oprn_code: r.main_oprn_code,
      medfee_sumamt: r.medfee_sumamt,
      qc_rslt: r.qc_rslt,
      upld_time: beijingDateTime(r.upld_time),
    })),
  };
}

export interface ListVersionInfo {
  ver_no: number;
  setl_list_id: string;
  infno: string;
  msgid: string | null;
  qc_rslt: '0' | '1';
  upld_time: string;
}

export interface ListDetail {
  setl_id: string;
  /** null when no upload was ever accepted (only refused ones: see qc) */
  stas_type: SetlListStas | null;
  cur_ver: number | null;
  /** The version asked for (default: the current one). */
  ver_no: number | null;
  setl_list_id: string | null;
  content: SetlListInput | null;
  versions: ListVersionInfo[];
  stas_history: { from_stas: string | null; to_stas: string; ver_no: number; chg_time: string; memo: string | null; opter_name: string | null }[];
  /** The last quality-control run (accepted or refused). */
  qc: { accepted: boolean; qc_time: string; infno: string; msgid: string | null; findings: QcFinding[] } | null;
}

/** One settlement's list: the asked (or current) version's content, the version list, status history and last QC run. */
export async function getSetlListDetail(db: Db, setl_id: string, opts: { fixmedins_code?: string; ver_no?: number } = {}): Promise<ListDetail | null> {
  const head = await db.k.selectFrom('setl_list').selectAll().where('setl_id', '=', setl_id).executeTakeFirst();
  if (head && opts.fixmedins_code && head.fixmedins_code !== opts.fixmedins_code) return null;
  let qcQ = db.k.selectFrom('setl_list_qc').selectAll().where('setl_id', '=', setl_id);
  if (opts.fixmedins_code) qcQ = qcQ.where('fixmedins_code', '=', opts.fixmedins_code);
  const qc = await qcQ.orderBy('qc_id', 'desc').limit(1).executeTakeFirst();
  if (!head && !qc) return null;
  const versions = head ? await db.k.selectFrom('setl_list_ver').select(['ver_no', 'setl_list_id', 'infno', 'msgid', 'qc_rslt', 'upld_time']).where('setl_id', '=', setl_id).orderBy('ver_no').execute() : [];
  const want = opts.ver_no ?? head?.cur_ver;
  const ver = want === undefined ? undefined : await db.k.selectFrom('setl_list_ver').select(['ver_no', 'setl_list_id', 'content']).where('setl_id', '=', setl_id).where('ver_no', '=', want).executeTakeFirst();
  if (opts.ver_no !== undefined && !ver) throw notFound(`结算ID ${setl_id} 的结算清单没有第 ${opts.ver_no} 版`);
  const hist = head ? await db.k.selectFrom('setl_list_stas').selectAll().where('setl_id', '=', setl_id).orderBy('stas_id').execute() : [];
  const parse = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
  return {
    setl_id,
    stas_type: head?.stas_type ?? null,
    cur_ver: head?.cur_ver ?? null,
    ver_no: ver?.ver_no ?? null,
    setl_list_id: ver?.setl_list_id ?? null,
    content: ver ? parse<SetlListInput>(ver.content) : null,
    versions: versions.map((v) => ({ ver_no: v.ver_no, setl_list_id: v.setl_list_id, infno: v.infno, msgid: v.msgid, qc_rslt: v.qc_rslt, upld_time: beijingDateTime(v.upld_time) })),
    stas_history: hist.map((h) => ({ from_stas: h.from_stas, to_stas: h.to_stas, ver_no: h.ver_no, chg_time: beijingDateTime(h.chg_time), memo: h.memo, opter_name: h.opter_name })),
    qc: qc ? { accepted: qc.accepted, qc_time: beijingDateTime(qc.qc_time), infno: qc.infno, msgid: qc.msgid, findings: parse<QcFinding[]>(qc.report) } : null,
  };
}
