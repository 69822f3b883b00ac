/**
 * Demo fund income (演示基金收入): income entries and opening balances for the demo region that are plausible next to
 * what its funds pay out, so that the console's 基金收支 chart and 可支付月数 look like a real prefecture's:
 *  - per fund (insu_admdvs × insutype × fund_pay_type) and year, the months from the fund ledger's first to its last
 *    month of that year get income = the year's mean monthly expenditure × 1.06 (a fund with a small surplus), spread
 *    by season (居民 contributions are collected in the first quarter; the others evenly) and split by kind:
 *    职工 and the other employer-funded funds 97 % 征缴, 1.5 % 利息, 1.5 % 其他; 居民 (390/392) 35 % 个人征缴,
 *    63 % 财政补助, 2 % 利息;
 *  - the fund's first year gets an opening balance of 9 months of its mean expenditure (a reserve inside the usual
 *    6–9 month band); later years carry it forward (src/fund/overview.ts).
 * Without any ledger rows (a region loaded but not yet generated) the expenditure is estimated from the enrolled
 * persons instead — 职工 统筹 2,400 元, 个人账户 1,200 元, 居民 900 元 per person and year — for the months of `year`
 * up to `throughMonth`.
 * Deterministic (no randomness); written in one transaction with one log row; skipped when demo entries exist.
 */
import { sql } from 'kysely';
import type { Db } from '../platform/db.js';
import { fenToYuan, yuanToFen, type Fen } from '../platform/money.js';
import { recordOperation, SYSTEM_ACTOR, type Actor } from '../platform/oplog.js';
import '../fund/types.js';

const ACTOR: Actor = { ...SYSTEM_ACTOR, name: '系统（演示数据）' };
export const DEMO_FUND_MEMO = '演示数据';

/** Per person and year, in fen, when there is no ledger to go by. */
const PER_CAPITA: Record<string, { fund: string; fen: Fen }[]> = {
  '310': [
    { fund: '310100', fen: 240_000 },
    { fund: '310200', fen: 120_000 },
  ],
  '390': [{ fund: '390100', fen: 90_000 }],
};

const RESIDENT = new Set(['390', '391', '392']);
/** Relative weight of each month (sums to 12): 居民 contributions come in January–March. */
const SEASON_RESIDENT = [3, 2.4, 1.2, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6];

interface Spend {
  admdvs: string;
  insutype: string;
  fund_pay_type: string;
  year: number;
  /** month → fen */
  months: Map<number, Fen>;
}

export interface DemoFundResult {
  entries: number;
  openings: number;
  source: 'ledger' | 'enrollment' | 'skipped';
}

/** The kinds an amount is split into (fen; the last kind takes the rounding). */
function split(insutype: string, total: Fen): { clct_inc: Fen; fin_subs_inc: Fen; int_inc: Fen; oth_inc: Fen } {
  if (RESIDENT.has(insutype)) {
    const clct = Math.round(total * 0.35);
    const subs = Math.round(total * 0.63);
    return { clct_inc: clct, fin_subs_inc: subs, int_inc: total - clct - subs, oth_inc: 0 };
  }
  const clct = Math.round(total * 0.97);
  const int = Math.round(total * 0.015);
  return { clct_inc: clct, fin_subs_inc: 0, int_inc: int, oth_inc: total - clct - int };
}

async function ledgerSpend(db: Db, prefix: string): Promise<Spend[]> {
  const rows = await sql<{ admdvs: string; insutype: string; fund_pay_type: string; y: number; m: number; amt: string }>`
    select insu_admdvs as admdvs, insutype, fund_pay_type,
           extract(year from setl_time at time zone 'Asia/Shanghai')::int as y, extract(month from setl_time at time zone 'Asia/Shanghai')::int as m,
           sum(amt)::text as amt
    from fund_ledger where insu_admdvs like ${`${prefix}%`} group by 1, 2, 3, 4, 5`.execute(db.k);
  const out = new Map<string, Spend>();
  for (const r of rows.rows) {
    const key = `${r.admdvs}|${r.insutype}|${r.fund_pay_type}|${r.y}`;
    const s = out.get(key) ?? { admdvs: r.admdvs, insutype: r.insutype, fund_pay_type: r.fund_pay_type, year: Number(r.y), months: new Map() };
    s.months.set(Number(r.m), yuanToFen(r.amt));
    out.set(key, s);
  }
  return [...out.values()].filter((s) => [...s.months.values()].some((v) => v > 0));
}

async function enrollmentSpend(db: Db, prefix: string, year: number, throughMonth: number): Promise<Spend[]> {
  const rows = await sql<{ admdvs: string; insutype: string; n: number }>`
    select insuplc_admdvs as admdvs, insutype, count(distinct psn_no)::int8 as n from psn_insu
    where insuplc_admdvs like ${`${prefix}%`} and psn_insu_stas = '1' and enddate is null group by 1, 2`.execute(db.k);
  const out: Spend[] = [];
  for (const r of rows.rows) {
    for (const { fund, fen } of PER_CAPITA[r.insutype] ?? []) {
      const monthly = Math.round((Number(r.n) * fen) / 12);
      if (monthly <= 0) continue;
      out.push({ admdvs: r.admdvs, insutype: r.insutype, fund_pay_type: fund, year, months: new Map(Array.from({ length: throughMonth }, (_, i) => [i + 1, monthly])) });
    }
  }
  return out;
}

/**
 * Seeds the demo income of the region under `prefix` (default the demo province '99'). `year` and `throughMonth`
 * only matter without ledger rows (default: the current Beijing year and month).
 */
export async function seedDemoFundIncome(db: Db, opts: { prefix?: string; year?: number; throughMonth?: number } = {}): Promise<DemoFundResult> {
  const prefix = opts.prefix ?? '99';
  const seeded = await db.k.selectFrom('fund_income').select('fund_inc_id').where('memo', '=', DEMO_FUND_MEMO).where('admdvs', 'like', `${prefix}%`).limit(1).executeTakeFirst();
  if (seeded) return { entries: 0, openings: 0, source: 'skipped' };
  const now = new Date(Date.now() + 8 * 3600_000);
  let spends = await ledgerSpend(db, prefix);
  let source: DemoFundResult['source'] = 'ledger';
  if (!spends.length) {
    spends = await enrollmentSpend(db, prefix, opts.year ?? now.getUTCFullYear(), opts.throughMonth ?? now.getUTCMonth() + 1);
    source = 'enrollment';
  }
  const entries: { admdvs: string; insutype: string; fund_pay_type: string; inc_year: number; inc_month: number; clct_inc: string; fin_subs_inc: string; int_inc: string; oth_inc: string; memo: string; opter_id: string; opter_name: string }[] = [];
  const openings = new Map<string, { admdvs: string; insutype: string; fund_pay_type: string; balc_year: number; open_balc: string; opter_id: string; opter_name: string }>();
  for (const s of spends.sort((a, b) => a.year - b.year)) {
    const ms = [...s.months.keys()];
    const first = Math.min(...ms);
    const last = Math.max(...ms);
    const total = [...s.months.values()].reduce((a, b) => a + b, 0);
    const mean = total / (last - first + 1);
    for (let m = first; m <= last; m++) {
      const weight = RESIDENT.has(s.insutype) ? SEASON_RESIDENT[m - 1]! : 1;
      const amount = Math.round(mean * 1.06 * weight);
      if (amount <= 0) continue;
      const k = split(s.insutype, amount);
      entries.push({ admdvs: s.admdvs, insutype: s.insutype, fund_pay_type: s.fund_pay_type, inc_year: s.year, inc_month: m, clct_inc: fenToYuan(k.clct_inc), fin_subs_inc: fenToYuan(k.fin_subs_inc), int_inc: fenToYuan(k.int_inc), oth_inc: fenToYuan(k.oth_inc), memo: DEMO_FUND_MEMO, opter_id: ACTOR.id, opter_name: ACTOR.name });
    }
    const key = `${s.admdvs}|${s.insutype}|${s.fund_pay_type}`;
    if (!openings.has(key)) openings.set(key, { admdvs: s.admdvs, insutype: s.insutype, fund_pay_type: s.fund_pay_type, balc_year: s.year, open_balc: fenToYuan(Math.round(mean * 9)), opter_id: ACTOR.id, opter_name: ACTOR.name });
  }
  if (!entries.length) return { entries: 0, openings: 0, source };
  await db.k.transaction().execute(async (trx) => {
    for (let i = 0; i < entries.length; i += 500) await trx.insertInto('fund_income').values(entries.slice(i, i + 500)).execute();
    await trx
      .insertInto('fund_open_balc')
      .values([...openings.values()])
      .onConflict((oc) => oc.columns(['admdvs', 'insutype', 'fund_pay_type', 'balc_year']).doNothing())
      .execute();
    await recordOperation(trx, ACTOR, { action: 'fund.demo.seed', target_type: 'fund_income', admdvs: null, after: { prefix, source, entries: entries.length, openings: openings.size } });
  });
  return { entries: entries.length, openings: openings.size, source };
}
