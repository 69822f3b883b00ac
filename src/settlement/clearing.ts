/**
 * 月度清算 (monthly clearing) for the console: per designated institution and Beijing month of a year, what the
 * agency owes the institution for its settlements — read from the fund ledger, the rows the settlements and
 * reversals really wrote (a reversal's negative rows fall in the month of the reversal, as in 3201/3202, so a
 * month is net of its reversals):
 *   fund_pay_sumamt  Σ ledger rows of the pooled funds (every fund_pay_type but the personal account 310200)
 *   acct_pay         Σ ledger rows of the personal account (310200): also paid to the institution by the agency
 *   clr_amt          fund_pay_sumamt + acct_pay — 应拨付 (the amount to transfer)
 *   by_fund          the same per fund_pay_type
 * with, from the settlement rows of the month, the count of settlements and of reversals and the net medical
 * fees. Where a DRG/DIP year run (payment/pay) of the year exists, the institution's monthly pre-payment of the
 * latest run of each region and payment type is attached as it was computed there (pay_prepay) — shown beside,
 * never added: it is a different basis (points), not a ledger figure.
 * Read-only. Scope is the caller's (`within(alias)` on a row with fixmedins_code). Money: fen inside, yuan out.
 */
import { sql } from 'kysely';
import type { Db } from '../platform/db.js';
import { fenToYuan, yuanToFen, type Fen } from '../platform/money.js';
import type { ScopeSql } from './encounter-list.js';
import { ACCOUNT_FUND } from './policy/funds.js';

export interface ClearingQuery {
  year: number;
  /** 1–12; all months when absent. */
  month?: number;
  fixmedins_code?: string;
  page_num?: number;
  page_size?: number;
}

export interface ClearingRow {
  fixmedins_code: string;
  fixmedins_name: string | null;
  month: number;
  setl_cnt: number;
  rev_cnt: number;
  medfee_sumamt: string;
  fund_pay_sumamt: string;
  acct_pay: string;
  clr_amt: string;
  by_fund: Record<string, string>;
  /** DRG/DIP monthly pre-payments of the latest year runs (payment/pay), for reference. */
  prepay: { pay_type: string; run_id: string; amount_due: string; prepaid: string }[];
}

/** Start of a Beijing month as an instant (month 13 = January of the next year). */
const monthStart = (year: number, month: number) => {
  const y = year + Math.floor((month - 1) / 12);
  const m = ((month - 1) % 12) + 1;
  return new Date(`${y}-${String(m).padStart(2, '0')}-01T00:00:00+08:00`);
};

interface Acc {
  fixmedins_code: string;
  month: number;
  setl_cnt: number;
  rev_cnt: number;
  medfee: Fen;
  fund: Fen;
  acct: Fen;
  by_fund: Map<string, Fen>;
}

export async function clearingByMonth(db: Db, within: ScopeSql, q: ClearingQuery) {
  const page_num = Math.max(1, q.page_num ?? 1);
  const page_size = Math.min(Math.max(1, q.page_size ?? 20), 500);
  const from = monthStart(q.year, q.month ?? 1);
  const to = monthStart(q.year, q.month ? q.month + 1 : 13);
  const inst = q.fixmedins_code ? sql`and x.fixmedins_code = ${q.fixmedins_code}` : sql``;
  const month = sql<number>`extract(month from x.setl_time at time zone 'Asia/Shanghai')::int`;
  // the range on setl_time keeps the (fixmedins_code, setl_time) indexes of both tables usable
  const ledger = await sql<{ fixmedins_code: string; m: number; fund_pay_type: string; amt: string }>`
    select x.fixmedins_code, ${month} as m, x.fund_pay_type, sum(x.amt)::text as amt
    from fund_ledger x where x.setl_time >= ${from} and x.setl_time < ${to} and ${within('x')} ${inst}
    group by 1, 2, 3`.execute(db.k);
  const setls = await sql<{ fixmedins_code: string; m: number; setl_cnt: number; rev_cnt: number; medfee: string }>`
    select x.fixmedins_code, ${month} as m, count(*) filter (where x.refd_setl_flag = '0')::int8 as setl_cnt,
           count(*) filter (where x.refd_setl_flag = '1')::int8 as rev_cnt, sum(x.medfee_sumamt)::text as medfee
    from setl x where x.setl_time >= ${from} and x.setl_time < ${to} and ${within('x')} ${inst}
    group by 1, 2`.execute(db.k);

  const rows = new Map<string, Acc>();
  const at = (code: string, m: number): Acc => {
    const k = `${code}|${m}`;
    let a = rows.get(k);
    if (!a) rows.set(k, (a = { fixmedins_code: code, month: Number(m), setl_cnt: 0, rev_cnt: 0, medfee: 0, fund: 0, acct: 0, by_fund: new Map() }));
    return a;
  };
  for (const s of setls.rows) {
    const a = at(s.fixmedins_code, s.m);
    a.setl_cnt = Number(s.setl_cnt);
    a.rev_cnt = Number(s.rev_cnt);
    a.medfee = yuanToFen(s.medfee);
  }
  for (const l of ledger.rows) {
    const a = at(l.fixmedins_code, l.m);
    const fen = yuanToFen(l.amt);
    if (l.fund_pay_type === ACCOUNT_FUND) a.acct += fen;
    else a.fund += fen;
    a.by_fund.set(l.fund_pay_type, (a.by_fund.get(l.fund_pay_type) ?? 0) + fen);
  }
  const all = [...rows.values()].sort((x, y) => y.month - x.month || x.fixmedins_code.localeCompare(y.fixmedins_code));
  const totals = all.reduce((t, a) => ({ setl_cnt: t.setl_cnt + a.setl_cnt, rev_cnt: t.rev_cnt + a.rev_cnt, medfee: t.medfee + a.medfee, fund: t.fund + a.fund, acct: t.acct + a.acct }), { setl_cnt: 0, rev_cnt: 0, medfee: 0, fund: 0, acct: 0 });
  const page = all.slice((page_num - 1) * page_size, page_num * page_size);
  const [names, prepays] = await Promise.all([institutionNames(db, page), prepaysOf(db, q.year, page)]);
  const list: ClearingRow[] = page.map((a) => ({
    fixmedins_code: a.fixmedins_code,
    fixmedins_name: names.get(a.fixmedins_code) ?? null,
    month: a.month,
    setl_cnt: a.setl_cnt,
    rev_cnt: a.rev_cnt,
    medfee_sumamt: fenToYuan(a.medfee),
    fund_pay_sumamt: fenToYuan(a.fund),
    acct_pay: fenToYuan(a.acct),
    clr_amt: fenToYuan(a.fund + a.acct),
    by_fund: Object.fromEntries([...a.by_fund].sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => [k, fenToYuan(v)])),
    prepay: prepays.get(`${a.fixmedins_code}|${a.month}`) ?? [],
  }));
  return {
    year: q.year,
    page_num,
    page_size,
    total: all.length,
    totals: { setl_cnt: totals.setl_cnt, rev_cnt: totals.rev_cnt, medfee_sumamt: fenToYuan(totals.medfee), fund_pay_sumamt: fenToYuan(totals.fund), acct_pay: fenToYuan(totals.acct), clr_amt: fenToYuan(totals.fund + totals.acct) },
    list,
  };
}

async function institutionNames(db: Db, page: readonly Acc[]): Promise<Map<string, string>> {
  const codes = [...new Set(page.map((a) => a.fixmedins_code))];
  if (!codes.length) return new Map();
  // the latest version of each institution (effective-dated)
  const rows = await db.k.selectFrom('fixmedins').select(['fixmedins_code', 'fixmedins_name']).where('fixmedins_code', 'in', codes).orderBy('fixmedins_code').orderBy('begndate').execute();
  return new Map(rows.map((r) => [r.fixmedins_code, r.fixmedins_name]));
}

/** The page's monthly pre-payments from the latest DRG/DIP run of each region and payment type of the year. */
async function prepaysOf(db: Db, year: number, page: readonly Acc[]): Promise<Map<string, ClearingRow['prepay']>> {
  const codes = [...new Set(page.map((a) => a.fixmedins_code))];
  const out = new Map<string, ClearingRow['prepay']>();
  if (!codes.length) return out;
  const rows = await sql<{ run_id: string; pay_type: string; fixmedins_code: string; setl_month: number; amount_due: string; prepaid: string }>`
    with latest as (
      select distinct on (admdvs, pay_type) run_id, pay_type from pay_run where setl_year = ${year}
      order by admdvs, pay_type, crte_time desc, run_id desc)
    select l.run_id, l.pay_type, p.fixmedins_code, p.setl_month, p.amount_due::text as amount_due, p.prepaid::text as prepaid
    from latest l join pay_prepay p on p.run_id = l.run_id
    where p.fixmedins_code in (${sql.join(codes)})
    order by p.fixmedins_code, p.setl_month, l.pay_type`.execute(db.k);
  for (const r of rows.rows) {
    const k = `${r.fixmedins_code}|${Number(r.setl_month)}`;
    out.set(k, [...(out.get(k) ?? []), { pay_type: r.pay_type, run_id: r.run_id, amount_due: r.amount_due, prepaid: r.prepaid }]);
  }
  return out;
}
