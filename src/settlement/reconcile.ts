/**
 * Reconciliation (对账) of an institution's settlements, 3201 对总账: the platform's totals over the settlement
 * rows of the institution in a period — computed in SQL as sums of the numeric columns, exact to the 分 — are
 * compared with the totals the institution sends, and the run is recorded (table stmt_run of migration 0014) with
 * who asked, the filter, both sides and the result. The detail comparison of 3202 is in reconcile-detail.ts and
 * shares the filter, the totals and the run record from here.
 *
 * Which rows count (national rule, REFD_SETL_FLAG of 3201/3202): a settlement and its reversal are separate rows
 * dated by their own setl_time. With refd_setl_flag 1 (or absent) the period's reversal rows count too — as one
 * 笔 each, with their negative amounts — so a settlement reversed within the period nets to zero money and two
 * 笔; with refd_setl_flag 0 only settlement rows (refd_setl_flag 0) count, including ones reversed later.
 * Owns stmt_run and stmt_dif; reads setl; must not write settlements.
 */
import { sql, type Generated, type Insertable, type Transaction } from 'kysely';
import type { Db, Tables } from '../platform/db.js';
import { validationError } from '../platform/errors.js';
import { formatDatedId, nextSerial } from '../platform/ids.js';
import { fenToYuan, yuanToFen, type Fen } from '../platform/money.js';
import type { Actor } from '../platform/oplog.js';
import { recordOperation } from '../platform/oplog.js';
import { beijingDayEnd, beijingDayStart, isIsoDate } from '../platform/time.js';
import { requireDictValue } from '../standards/dict.js';
import type { Exec } from './types.js';

export interface StmtRunTable {
  stmt_id: string;
  infno: '3201' | '3202';
  fixmedins_code: string;
  opter_id: string;
  opter_name: string;
  msgid: string;
  insutype: string | null;
  clr_type: string | null;
  setl_optins: string;
  stmt_begndate: string;
  stmt_enddate: string;
  refd_setl_flag: '0' | '1';
  file_qury_no: string | null;
  medins_medfee_sumamt: string;
  medins_fund_pay_sumamt: string;
  medins_acct_pay: string | null;
  medins_cash_payamt: string | null;
  medins_setl_cnt: number;
  medfee_sumamt: string;
  fund_pay_sumamt: string;
  acct_pay: string;
  cash_payamt: string;
  setl_cnt: number;
  file_row_cnt: number | null;
  dif_cnt: Generated<number>;
  stmt_rslt: '0' | '1';
  stmt_rslt_dscr: string;
  rslt_file_qury_no: string | null;
  crte_time: Generated<Date>;
}

export interface StmtDifTable {
  stmt_id: string;
  seq: number;
  dif_type: '1' | '2' | '3';
  setl_id: string;
  mdtrt_id: string | null;
  psn_no: string | null;
  msgid: string | null;
  refd_setl_flag: string | null;
  medins_medfee_sumamt: string | null;
  medins_fund_pay_sumamt: string | null;
  medins_acct_pay: string | null;
  medfee_sumamt: string | null;
  fund_pay_sumamt: string | null;
  acct_pay: string | null;
  memo: string;
}

declare module '../platform/db.js' {
  interface Tables {
    stmt_run: StmtRunTable;
    stmt_dif: StmtDifTable;
  }
}

/** 对账结果 (code table stmt_rslt, migration 0014). */
export const STMT_RSLT = { balanced: '0', unbalanced: '1' } as const;

/** Which settlement rows a reconciliation covers. */
export interface StmtFilter {
  fixmedins_code: string;
  /** 结算经办机构: the settlements' clr_optins. */
  setl_optins: string;
  stmt_begndate: string;
  stmt_enddate: string;
  insutype?: string;
  clr_type?: string;
  /** '1': reversal rows count (negative, one 笔 each); '0': settlement rows only. */
  refd_setl_flag: '0' | '1';
}

export interface StmtTotals {
  medfee_sumamt: Fen;
  fund_pay_sumamt: Fen;
  acct_pay: Fen;
  /** psn_cash_pay (现金支付). */
  cash_payamt: Fen;
  setl_cnt: number;
}

/** Who asks and with which request; the gateway fills it from the envelope. */
export interface StmtRequester {
  db: Db;
  actor: Actor;
  msgid: string;
  opter_id: string;
  opter_name: string;
  at: Date;
  /** Area of the ids (the node's or the institution's pool). */
  admdvs: string;
}


/** The settlement rows of the filter (Beijing dates of setl_time, both ends inclusive). */
export function filteredSettlements(k: Exec, f: StmtFilter) {
  let q = k
    .selectFrom('setl')
    .where('fixmedins_code', '=', f.fixmedins_code)
    .where('clr_optins', '=', f.setl_optins)
    .where('setl_time', '>=', beijingDayStart(f.stmt_begndate))
    .where('setl_time', '<', beijingDayEnd(f.stmt_enddate));
  if (f.insutype) q = q.where('insutype', '=', f.insutype);
  if (f.clr_type) q = q.where('clr_type', '=', f.clr_type);
  if (f.refd_setl_flag === '0') q = q.where('refd_setl_flag', '=', '0');
  return q;
}

/** The platform's totals over the filter's rows: sums of numeric(16,2) in SQL, read as exact text. */
export async function platformTotals(k: Exec, f: StmtFilter): Promise<StmtTotals> {
  const sum = (col: 'medfee_sumamt' | 'fund_pay_sumamt' | 'acct_pay' | 'psn_cash_pay') => sql<string>`coalesce(sum(${sql.ref(col)}), 0)::numeric(18,2)::text`;
  const r = await filteredSettlements(k, f)
    .select([sql<number>`count(*)::int8`.as('setl_cnt'), sum('medfee_sumamt').as('medfee_sumamt'), sum('fund_pay_sumamt').as('fund_pay_sumamt'), sum('acct_pay').as('acct_pay'), sum('psn_cash_pay').as('cash_payamt')])
    .executeTakeFirstOrThrow();
  return { medfee_sumamt: yuanToFen(r.medfee_sumamt), fund_pay_sumamt: yuanToFen(r.fund_pay_sumamt), acct_pay: yuanToFen(r.acct_pay), cash_payamt: yuanToFen(r.cash_payamt), setl_cnt: Number(r.setl_cnt) };
}

/** Checks the period and the coded filter fields; nothing is written before this passes. */
export async function checkFilter(db: Db, f: StmtFilter): Promise<void> {
  const problems: { field: string; message: string }[] = [];
  if (!isIsoDate(f.stmt_begndate)) problems.push({ field: 'stmt_begndate', message: '不是有效日期' });
  if (!isIsoDate(f.stmt_enddate)) problems.push({ field: 'stmt_enddate', message: '不是有效日期' });
  if (!problems.length && f.stmt_enddate < f.stmt_begndate) problems.push({ field: 'stmt_enddate', message: `对账结束日期 ${f.stmt_enddate} 早于开始日期 ${f.stmt_begndate}` });
  if (problems.length) throw validationError(`对账期间有误：${problems.map((p) => p.message).join('；')}`, problems);
  if (f.insutype) await requireDictValue(db, 'insutype', f.insutype, 'insutype');
  if (f.clr_type) await requireDictValue(db, 'clr_type', f.clr_type, 'clr_type');
}

/** One compared figure: its Chinese name, the institution's and the platform's value, and whether it is money. */
export interface Figure {
  name: string;
  medins: number;
  centre: number;
  money: boolean;
}

const show = (f: Figure, v: number) => (f.money ? `${fenToYuan(v)} 元` : `${v} 笔`);

/** stmt_rslt and its description (C(200)): what differs, the institution's value against the platform's. */
export function judge(figures: readonly Figure[], extra: string[] = []): { stmt_rslt: '0' | '1'; stmt_rslt_dscr: string } {
  const off = figures.filter((f) => f.medins !== f.centre).map((f) => `${f.name}机构${show(f, f.medins)}、中心${show(f, f.centre)}`);
  const all = [...off, ...extra];
  if (!all.length) {
    const cnt = figures.find((f) => !f.money);
    return { stmt_rslt: STMT_RSLT.balanced, stmt_rslt_dscr: `对账平${cnt ? `：共${show(cnt, cnt.centre)}` : ''}` };
  }
  const text = `对账不平：${all.join('；')}`;
  return { stmt_rslt: STMT_RSLT.unbalanced, stmt_rslt_dscr: text.length > 200 ? `${text.slice(0, 199)}…` : text };
}

/** A new stmt_id (drawn outside the write transaction, like settlement ids). */
export async function newStmtId(r: StmtRequester): Promise<string> {
  return formatDatedId(r.admdvs, r.at, await nextSerial(r.db, 'general'));
}

/** Writes a run and its operation-log row inside the caller's transaction. */
export async function recordRun(trx: Transaction<Tables>, r: StmtRequester, run: Insertable<StmtRunTable>): Promise<void> {
  await trx.insertInto('stmt_run').values(run).execute();
  await recordOperation(trx, r.actor, {
    action: `stmt.${run.infno}`,
    target_type: 'stmt_run',
    target_id: run.stmt_id,
    after: { infno: run.infno, stmt_begndate: run.stmt_begndate, stmt_enddate: run.stmt_enddate, stmt_rslt: run.stmt_rslt, dif_cnt: run.dif_cnt ?? 0 },
  });
}

/** The columns a run stores for a filter and the platform's totals. */
export function runColumns(f: StmtFilter, t: StmtTotals) {
  return {
    fixmedins_code: f.fixmedins_code,
    insutype: f.insutype ?? null,
    clr_type: f.clr_type ?? null,
    setl_optins: f.setl_optins,
    stmt_begndate: f.stmt_begndate,
    stmt_enddate: f.stmt_enddate,
    refd_setl_flag: f.refd_setl_flag,
    medfee_sumamt: fenToYuan(t.medfee_sumamt),
    fund_pay_sumamt: fenToYuan(t.fund_pay_sumamt),
    acct_pay: fenToYuan(t.acct_pay),
    cash_payamt: fenToYuan(t.cash_payamt),
    setl_cnt: t.setl_cnt,
  };
}

/** 3201 input: the filter and the institution's totals (in fen). */
export interface TotalsInput extends StmtFilter {
  insutype: string;
  clr_type: string;
  medfee_sumamt: Fen;
  fund_pay_sumamt: Fen;
  acct_pay: Fen;
  fixmedins_setl_cnt: number;
}

export interface StmtResult {
  stmt_id: string;
  stmt_rslt: '0' | '1';
  stmt_rslt_dscr: string;
  /** The platform's totals over the same rows. */
  centre: StmtTotals;
}

/** 3201 对总账: compares and records the run (one transaction); returns the result and the platform's totals. */
export async function reconcileTotals(r: StmtRequester, input: TotalsInput): Promise<StmtResult> {
  await checkFilter(r.db, input);
  const stmt_id = await newStmtId(r);
  return r.db.k.transaction().execute(async (trx) => {
    const centre = await platformTotals(trx, input);
    const verdict = judge([
      { name: '医疗费总额', medins: input.medfee_sumamt, centre: centre.medfee_sumamt, money: true },
      { name: '基金支付总额', medins: input.fund_pay_sumamt, centre: centre.fund_pay_sumamt, money: true },
      { name: '个人账户支付金额', medins: input.acct_pay, centre: centre.acct_pay, money: true },
      { name: '结算笔数', medins: input.fixmedins_setl_cnt, centre: centre.setl_cnt, money: false },
    ]);
    await recordRun(trx, r, {
      stmt_id,
      infno: '3201',
      opter_id: r.opter_id,
      opter_name: r.opter_name,
      msgid: r.msgid,
      file_qury_no: null,
      ...runColumns(input, centre),
      medins_medfee_sumamt: fenToYuan(input.medfee_sumamt),
      medins_fund_pay_sumamt: fenToYuan(input.fund_pay_sumamt),
      medins_acct_pay: fenToYuan(input.acct_pay),
      medins_cash_payamt: null,
      medins_setl_cnt: input.fixmedins_setl_cnt,
      file_row_cnt: null,
      rslt_file_qury_no: null,
      ...verdict,
    });
    return { stmt_id, ...verdict, centre };
  });
}
