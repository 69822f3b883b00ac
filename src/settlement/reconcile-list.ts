/**
 * 对账记录 for the console: the reconciliation runs 3201 (对总账) and 3202 (对明细账) recorded by reconcile.ts and
 * reconcile-detail.ts — a paged search, one run with both sides' figures side by side, and a 3202 run's differing
 * rows. Read-only: a run is never updated after it is written.
 *
 * Both sides of a run: the institution's totals as sent (3201 sends 个人账户支付, 3202 现金支付 — the figure the
 * other one did not send is null) and the platform's totals over the same settlement rows. `figures` pairs them
 * with the difference in yuan, computed in fen. Scope is the caller's (`within(alias)` on a row with
 * fixmedins_code: the routes pass the institution scope).
 */
import { sql } from 'kysely';
import type { Db } from '../platform/db.js';
import { fenToYuan, yuanToFen } from '../platform/money.js';
import { toWireTime } from './common.js';
import type { ScopeSql } from './encounter-list.js';
import type { StmtRunTable } from './reconcile.js';
import { beijingDayEnd, beijingDayStart } from '../platform/time.js';

export const STMT_INFNOS = ['3201', '3202'] as const;

export interface RunQuery {
  fixmedins_code?: string;
  infno?: (typeof STMT_INFNOS)[number];
  /** '0' 对账平 (一致) / '1' 对账不平 (不一致). */
  stmt_rslt?: '0' | '1';
  /** Dates the runs were made (Beijing, crte_time), inclusive. */
  begndate?: string;
  enddate?: string;
  page_num?: number;
  page_size?: number;
}

const instName = sql<string | null>`(select f.fixmedins_name from fixmedins f where f.fixmedins_code = r.fixmedins_code order by f.begndate desc limit 1)`;

export async function searchRuns(db: Db, within: ScopeSql, query: RunQuery) {
  const page_num = Math.max(1, query.page_num ?? 1);
  const page_size = Math.min(Math.max(1, query.page_size ?? 20), 500);
  let base = db.k.selectFrom('stmt_run as r').where(within('r'));
  if (query.fixmedins_code) base = base.where('r.fixmedins_code', '=', query.fixmedins_code);
  if (query.infno) base = base.where('r.infno', '=', query.infno);
  if (query.stmt_rslt) base = base.where('r.stmt_rslt', '=', query.stmt_rslt);
  if (query.begndate) base = base.where('r.crte_time', '>=', beijingDayStart(query.begndate));
  if (query.enddate) base = base.where('r.crte_time', '<', beijingDayEnd(query.enddate));
  const total = Number((await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await base
    .select([
      'r.stmt_id',
      'r.infno',
      'r.fixmedins_code',
      'r.opter_name',
      'r.insutype',
      'r.clr_type',
      'r.setl_optins',
      'r.stmt_begndate',
      'r.stmt_enddate',
      'r.refd_setl_flag',
      'r.medins_medfee_sumamt',
      'r.medfee_sumamt',
      'r.medins_fund_pay_sumamt',
      'r.fund_pay_sumamt',
      'r.medins_setl_cnt',
      'r.setl_cnt',
      'r.dif_cnt',
      'r.stmt_rslt',
      'r.stmt_rslt_dscr',
      'r.crte_time',
    ])
    .select(instName.as('fixmedins_name'))
    .orderBy('r.crte_time', 'desc')
    .orderBy('r.stmt_id', 'desc')
    .limit(page_size)
    .offset((page_num - 1) * page_size)
    .execute();
  return { page_num, page_size, total, list: rows.map((r) => ({ ...r, crte_time: toWireTime(r.crte_time)! })) };
}

export async function runInScope(db: Db, within: ScopeSql, stmt_id: string): Promise<boolean> {
  return (await db.k.selectFrom('stmt_run as r').select('r.stmt_id').where('r.stmt_id', '=', stmt_id).where(within('r')).executeTakeFirst()) !== undefined;
}

export interface Figure {
  key: string;
  name: string;
  /** The institution's value as sent (null: this transaction does not send it). */
  medins: string | number | null;
  centre: string | number;
  /** medins − centre (yuan or 笔); null when the institution did not send it. */
  diff: string | number | null;
  money: boolean;
}

/** The compared figures of a run: what each side says and the difference. */
export function figuresOf(r: Pick<StmtRunTable, 'infno' | 'medins_medfee_sumamt' | 'medfee_sumamt' | 'medins_fund_pay_sumamt' | 'fund_pay_sumamt' | 'medins_acct_pay' | 'acct_pay' | 'medins_cash_payamt' | 'cash_payamt' | 'medins_setl_cnt' | 'setl_cnt'>): Figure[] {
  const money = (key: string, name: string, medins: string | null, centre: string): Figure => ({ key, name, medins, centre, diff: medins === null ? null : fenToYuan(yuanToFen(medins) - yuanToFen(centre)), money: true });
  const out = [money('medfee_sumamt', '医疗费总额', r.medins_medfee_sumamt, r.medfee_sumamt), money('fund_pay_sumamt', '基金支付总额', r.medins_fund_pay_sumamt, r.fund_pay_sumamt)];
  // 3201 compares the account, 3202 the cash; the platform keeps both totals, the institution sent one
  out.push(money('acct_pay', '个人账户支付', r.medins_acct_pay, r.acct_pay));
  out.push(money('cash_payamt', '现金支付', r.medins_cash_payamt, r.cash_payamt));
  out.push({ key: 'setl_cnt', name: '结算笔数', medins: r.medins_setl_cnt, centre: r.setl_cnt, diff: r.medins_setl_cnt - r.setl_cnt, money: false });
  return out;
}

/** One run with both sides and the counts of its differences by type; undefined when absent. */
export async function runDetail(db: Db, stmt_id: string) {
  const r = await db.k
    .selectFrom('stmt_run as r')
    .selectAll('r')
    .select(instName.as('fixmedins_name'))
    .where('r.stmt_id', '=', stmt_id)
    .executeTakeFirst();
  if (!r) return undefined;
  const byType = await db.k.selectFrom('stmt_dif').select(['dif_type', sql<number>`count(*)::int8`.as('n')]).where('stmt_id', '=', stmt_id).groupBy('dif_type').execute();
  const dif_by_type = { '1': 0, '2': 0, '3': 0 } as Record<'1' | '2' | '3', number>;
  for (const t of byType) dif_by_type[t.dif_type] = Number(t.n);
  return { run: { ...r, crte_time: toWireTime(r.crte_time)! }, figures: figuresOf(r), dif_by_type };
}

export interface DifQuery {
  dif_type?: '1' | '2' | '3';
  page_num?: number;
  page_size?: number;
}

/** A 3202 run's differing rows in the order they were found (file order, then the centre's missing rows). */
export async function runDifs(db: Db, stmt_id: string, query: DifQuery = {}) {
  const page_num = Math.max(1, query.page_num ?? 1);
  const page_size = Math.min(Math.max(1, query.page_size ?? 20), 500);
  let base = db.k.selectFrom('stmt_dif').where('stmt_id', '=', stmt_id);
  if (query.dif_type) base = base.where('dif_type', '=', query.dif_type);
  const total = Number((await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0);
  const list = await base
    .selectAll()
    .orderBy('seq')
    .limit(page_size)
    .offset((page_num - 1) * page_size)
    .execute();
  return { page_num, page_size, total, list };
}
