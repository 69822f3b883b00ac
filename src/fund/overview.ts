/**
 * Fund income vs expenditure by month (基金收支月报) for an area scope and a year, with the balance and the months of
 * reserve (累计结存可支付月数):
 *   income        Σ fund_income entries of the month (征缴 + 财政补助 + 利息 + 其他), by kind
 *   expenditure   Σ fund_ledger.amt of the month (Beijing time of setl_time; reversals are negative rows), the
 *                 rows of the insured region (insu_admdvs) in the scope — what the settlements paid out
 *   balance       opening balance of the year + Σ (income − expenditure) through the month (累计结存). The opening
 *                 balance of a fund is its fund_open_balc row of the year, else the latest earlier row carried forward
 *                 with the flows of the years between; a fund without any row starts the year at 0.
 *   reserve       balance at the end of the month ÷ the mean monthly expenditure of the 12 months ending with it —
 *                 counting only months since the ledger's first month in the scope, so a region that started
 *                 settling recently is not credited with months in which nothing could be paid; null without
 *                 expenditure. One decimal, rounded half up, computed in integers.
 *   growth        基金支出 同比 (the same month a year earlier) and 环比 (the month before, December of the year before
 *                 for January) in percent with one decimal; null without expenditure to compare with.
 *   warnings      months with 可支付月数 < 6 or 同比 growth above the threshold (warnings.ts).
 *   by_fund       per insutype × fund_pay_type: opening balance, income, expenditure, net and year-end balance.
 * Filters: insutype and fund_pay_type (both optional). Money is integer fen inside, yuan strings out.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../platform/db.js';
import { fenToYuan, yuanToFen, type Fen } from '../platform/money.js';
import { INCOME_KIND_CODES, type IncomeKind } from './types.js';
import { divRoundHalfAway } from '../platform/decimal.js';
import { growthPct, tenthsText } from './tenths.js';
import { DEFAULT_GROWTH_THRESHOLD_PCT, fundWarnings, RESERVE_AMBER_MONTHS, RESERVE_RED_MONTHS, throughMonth, type FundWarning } from './warnings.js';
import './types.js';

export interface OverviewQuery {
  year: number;
  /** area-code prefixes ('9901'); empty = every area */
  prefixes: string[];
  insutype?: string;
  fund_pay_type?: string;
  /** 同比 growth of monthly expenditure (percent) above which a month is a warning; default 15 */
  growth_threshold_pct?: number;
}

export interface MonthFigures {
  month: number;
  income: string;
  by_kind: Record<IncomeKind, string>;
  expenditure: string;
  /** income − expenditure */
  net: string;
  /** 累计结存 at the end of the month */
  balance: string;
  /** 可支付月数 at the end of the month; null without expenditure in the window */
  months_of_reserve: string | null;
  /** 基金支出 of the same month a year earlier */
  expenditure_prev_year: string;
  /** 同比 growth of expenditure, percent with one decimal; null when the month a year earlier spent nothing */
  expenditure_yoy: string | null;
  /** 环比 growth of expenditure over the month before, percent; null when that month spent nothing */
  expenditure_mom: string | null;
}

export interface FundBalance {
  insutype: string;
  fund_pay_type: string;
  opening_balance: string;
  income: string;
  expenditure: string;
  net: string;
  /** opening + income − expenditure of the year */
  balance: string;
}

export interface FundOverview {
  year: number;
  opening_balance: string;
  months: MonthFigures[];
  totals: {
    income: string;
    expenditure: string;
    net: string;
    by_kind: Record<IncomeKind, string>;
    /** expenditure of the same months (1 … through_month) a year earlier, and the 同比 growth over them */
    expenditure_prev_year: string;
    expenditure_yoy: string | null;
  };
  /** the latest month of the year with any income or expenditure; null when there is none */
  through_month: number | null;
  /** the figures per fund (insutype × fund_pay_type) for the year */
  by_fund: FundBalance[];
  warnings: FundWarning[];
  /** the lines the warnings and the page's colours use */
  thresholds: { growth_pct: number; reserve_red_months: number; reserve_amber_months: number };
}

const like = (col: string, prefixes: string[]): RawBuilder<boolean> =>
  prefixes.length ? sql<boolean>`(${sql.join(prefixes.map((p) => sql`${sql.ref(col)} like ${`${p}%`}`), sql` or `)})` : sql<boolean>`true`;

/** Start of a Beijing month as an instant (month may be 13 = January of the next year). */
const monthStart = (year: number, month: number) => {
  const y = year + Math.floor((month - 1) / 12);
  const m = ((month - 1) % 12) + 1;
  return `${y}-${String(m).padStart(2, '0')}-01T00:00:00+08:00`;
};

const keyOf = (r: { insutype: string; fund_pay_type: string }) => `${r.insutype}|${r.fund_pay_type}`;

interface Flows {
  /** month index (year × 12 + month − 1) → fen */
  income: Map<number, Fen>;
  byKind: Map<number, Record<IncomeKind, Fen>>;
  spend: Map<number, Fen>;
  /** per fund key over the asked year */
  fundIncome: Map<string, Fen>;
  fundSpend: Map<string, Fen>;
}

const idx = (y: number, m: number) => y * 12 + (m - 1);
const add = <K>(m: Map<K, Fen>, k: K, v: Fen) => m.set(k, (m.get(k) ?? 0) + v);

/** The opening balance of the scope's funds on 1 January of `year` (see the header), per insutype × fund_pay_type. */
async function openingBalances(db: Db, q: OverviewQuery): Promise<Map<string, Fen>> {
  const filters = sql`${like('admdvs', q.prefixes)} ${q.insutype ? sql`and insutype = ${q.insutype}` : sql``} ${q.fund_pay_type ? sql`and fund_pay_type = ${q.fund_pay_type}` : sql``}`;
  const rows = await sql<{ admdvs: string; insutype: string; fund_pay_type: string; balc_year: number; open_balc: string }>`
    select distinct on (admdvs, insutype, fund_pay_type) admdvs, insutype, fund_pay_type, balc_year, open_balc::text as open_balc
    from fund_open_balc where balc_year <= ${q.year} and ${filters}
    order by admdvs, insutype, fund_pay_type, balc_year desc`.execute(db.k);
  const byFund = new Map<string, Fen>();
  for (const r of rows.rows) {
    add(byFund, keyOf(r), yuanToFen(r.open_balc));
    const from = Number(r.balc_year);
    if (from >= q.year) continue;
    // carried forward: the flows of this fund from its opening year to the end of the year before
    const inc = await sql<{ amt: string | null }>`
      select sum(clct_inc + fin_subs_inc + int_inc + oth_inc)::text as amt from fund_income
      where admdvs = ${r.admdvs} and insutype = ${r.insutype} and fund_pay_type = ${r.fund_pay_type} and inc_year >= ${from} and inc_year < ${q.year}`.execute(db.k);
    const out = await sql<{ amt: string | null }>`
      select sum(amt)::text as amt from fund_ledger
      where insu_admdvs = ${r.admdvs} and insutype = ${r.insutype} and fund_pay_type = ${r.fund_pay_type}
        and setl_time >= ${monthStart(from, 1)}::timestamptz and setl_time < ${monthStart(q.year, 1)}::timestamptz`.execute(db.k);
    add(byFund, keyOf(r), yuanToFen(inc.rows[0]?.amt ?? '0') - yuanToFen(out.rows[0]?.amt ?? '0'));
  }
  return byFund;
}

/** Income and expenditure by month for the year before and the year asked (the reserve looks back 12 months). */
async function flows(db: Db, q: OverviewQuery): Promise<Flows & { firstSpend: number | null }> {
  const incFilter = sql`${like('admdvs', q.prefixes)} ${q.insutype ? sql`and insutype = ${q.insutype}` : sql``} ${q.fund_pay_type ? sql`and fund_pay_type = ${q.fund_pay_type}` : sql``}`;
  const spendFilter = sql`${like('insu_admdvs', q.prefixes)} ${q.insutype ? sql`and insutype = ${q.insutype}` : sql``} ${q.fund_pay_type ? sql`and fund_pay_type = ${q.fund_pay_type}` : sql``}`;
  const inc = await sql<{ y: number; m: number; insutype: string; fund_pay_type: string; clct_inc: string; fin_subs_inc: string; int_inc: string; oth_inc: string }>`
    select inc_year as y, inc_month as m, insutype, fund_pay_type,
           sum(clct_inc)::text as clct_inc, sum(fin_subs_inc)::text as fin_subs_inc, sum(int_inc)::text as int_inc, sum(oth_inc)::text as oth_inc
    from fund_income where inc_year between ${q.year - 1} and ${q.year} and ${incFilter}
    group by 1, 2, 3, 4`.execute(db.k);
  // Beijing month of each ledger row; the range on setl_time keeps the index on (insu_admdvs, fund_pay_type, setl_time) usable
  const spend = await sql<{ y: number; m: number; insutype: string; fund_pay_type: string; amt: string }>`
    select extract(year from setl_time at time zone 'Asia/Shanghai')::int as y, extract(month from setl_time at time zone 'Asia/Shanghai')::int as m,
           insutype, fund_pay_type, sum(amt)::text as amt
    from fund_ledger where setl_time >= ${monthStart(q.year - 1, 1)}::timestamptz and setl_time < ${monthStart(q.year, 13)}::timestamptz and ${spendFilter}
    group by 1, 2, 3, 4`.execute(db.k);
  const first = await sql<{ t: Date | null }>`select min(setl_time) as t from fund_ledger where ${spendFilter}`.execute(db.k);
  const f: Flows = { income: new Map(), byKind: new Map(), spend: new Map(), fundIncome: new Map(), fundSpend: new Map() };
  for (const r of inc.rows) {
    const i = idx(Number(r.y), Number(r.m));
    const kinds = f.byKind.get(i) ?? { clct_inc: 0, fin_subs_inc: 0, int_inc: 0, oth_inc: 0 };
    let sum: Fen = 0;
    for (const k of INCOME_KIND_CODES) {
      const v = yuanToFen(r[k]);
      kinds[k] += v;
      sum += v;
    }
    f.byKind.set(i, kinds);
    add(f.income, i, sum);
    if (Number(r.y) === q.year) add(f.fundIncome, keyOf(r), sum);
  }
  for (const r of spend.rows) {
    const i = idx(Number(r.y), Number(r.m));
    const v = yuanToFen(r.amt);
    add(f.spend, i, v);
    if (Number(r.y) === q.year) add(f.fundSpend, keyOf(r), v);
  }
  const t = first.rows[0]?.t ?? null;
  let firstSpend: number | null = null;
  if (t) {
    const bj = new Date(new Date(t).getTime() + 8 * 3600_000);
    firstSpend = idx(bj.getUTCFullYear(), bj.getUTCMonth() + 1);
  }
  return { ...f, firstSpend };
}

/** balance ÷ (Σ spend ÷ n) to one decimal, half up, in integers; null when nothing was spent. */
export function monthsOfReserve(balance: Fen, spendSum: Fen, months: number): string | null {
  if (spendSum <= 0 || months <= 0) return null;
  // tenths = balance × n × 10 ÷ Σ, rounded half away from zero
  return tenthsText(divRoundHalfAway(BigInt(balance) * BigInt(months) * 10n, BigInt(spendSum)));
}

export async function fundOverview(db: Db, q: OverviewQuery): Promise<FundOverview> {
  const openings = await openingBalances(db, q);
  const opening = [...openings.values()].reduce((s, v) => s + v, 0);
  const f = await flows(db, q);
  const months: MonthFigures[] = [];
  const fen: { month: number; income: Fen; expenditure: Fen; expenditure_prev_year: Fen; months_of_reserve: string | null }[] = [];
  let balance = opening;
  const total = { income: 0, expenditure: 0, by_kind: { clct_inc: 0, fin_subs_inc: 0, int_inc: 0, oth_inc: 0 } as Record<IncomeKind, Fen> };
  for (let m = 1; m <= 12; m++) {
    const i = idx(q.year, m);
    const income = f.income.get(i) ?? 0;
    const spend = f.spend.get(i) ?? 0;
    const kinds = f.byKind.get(i) ?? { clct_inc: 0, fin_subs_inc: 0, int_inc: 0, oth_inc: 0 };
    balance += income - spend;
    total.income += income;
    total.expenditure += spend;
    for (const k of INCOME_KIND_CODES) total.by_kind[k] += kinds[k];
    // the 12 months ending with this one, from the ledger's first month on
    let sum: Fen = 0;
    let n = 0;
    if (f.firstSpend !== null) {
      for (let j = Math.max(i - 11, f.firstSpend); j <= i; j++) {
        sum += f.spend.get(j) ?? 0;
        n++;
      }
    }
    const prevYear = f.spend.get(i - 12) ?? 0;
    const reserve = monthsOfReserve(balance, sum, n);
    fen.push({ month: m, income, expenditure: spend, expenditure_prev_year: prevYear, months_of_reserve: reserve });
    months.push({
      month: m,
      income: fenToYuan(income),
      by_kind: Object.fromEntries(INCOME_KIND_CODES.map((k) => [k, fenToYuan(kinds[k])])) as Record<IncomeKind, string>,
      expenditure: fenToYuan(spend),
      net: fenToYuan(income - spend),
      balance: fenToYuan(balance),
      months_of_reserve: reserve,
      expenditure_prev_year: fenToYuan(prevYear),
      expenditure_yoy: growthPct(spend, prevYear),
      expenditure_mom: growthPct(spend, f.spend.get(i - 1) ?? 0),
    });
  }
  const through = throughMonth(fen);
  // 同比 of the year so far: the same months a year earlier
  let ytd: Fen = 0;
  let ytdPrev: Fen = 0;
  for (const m of fen) {
    if (through === null || m.month > through) break;
    ytd += m.expenditure;
    ytdPrev += m.expenditure_prev_year;
  }
  const growth = q.growth_threshold_pct ?? DEFAULT_GROWTH_THRESHOLD_PCT;
  const keys = [...new Set([...openings.keys(), ...f.fundIncome.keys(), ...f.fundSpend.keys()])].sort();
  return {
    year: q.year,
    opening_balance: fenToYuan(opening),
    months,
    totals: {
      income: fenToYuan(total.income),
      expenditure: fenToYuan(total.expenditure),
      net: fenToYuan(total.income - total.expenditure),
      by_kind: Object.fromEntries(INCOME_KIND_CODES.map((k) => [k, fenToYuan(total.by_kind[k])])) as Record<IncomeKind, string>,
      expenditure_prev_year: fenToYuan(ytdPrev),
      expenditure_yoy: growthPct(ytd, ytdPrev),
    },
    through_month: through,
    by_fund: keys.map((k) => {
      const [insutype, fund_pay_type] = k.split('|') as [string, string];
      const open = openings.get(k) ?? 0;
      const inc = f.fundIncome.get(k) ?? 0;
      const out = f.fundSpend.get(k) ?? 0;
      return { insutype, fund_pay_type, opening_balance: fenToYuan(open), income: fenToYuan(inc), expenditure: fenToYuan(out), net: fenToYuan(inc - out), balance: fenToYuan(open + inc - out) };
    }),
    warnings: fundWarnings(q.year, fen, growth),
    thresholds: { growth_pct: growth, reserve_red_months: RESERVE_RED_MONTHS, reserve_amber_months: RESERVE_AMBER_MONTHS },
  };
}
