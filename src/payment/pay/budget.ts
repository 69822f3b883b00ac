/**
 * Regional global budget → point value → per-institution statement (总额预算、点数计算、按月预结、年度清算,
 * drg-dip.md §1.7, §2.5):
 *   pool            = budget (+ the year's patient payments of the paid cases, unless the budget already includes them)
 *   point value     = pool ÷ Σ points (元/点, 6 decimals, shown) — amounts are the pool apportioned by points to the
 *                     fen (largest remainder), so Σ amount_due = pool exactly and each is within 1 fen of points × value
 *   monthly         pool_m = budget ÷ 12 (apportioned to the fen) (+ the month's patient payments);
 *                   value_m = pool_m ÷ the month's points; an institution's month due = pool_m apportioned by points;
 *                   pre-payment = max(0, month due − the month's patient payments) × prepay_ratio
 *   year end        amount_due = pool apportioned by points; fund_due = amount_due − patient payments − penalties;
 *                   balance = fund_due − Σ pre-payments (> 0 补付, < 0 追回)
 * Pure: the caller brings the scored cases and the penalties.
 */
import { applyRatio, sumFen, type Fen } from '../../platform/money.js';
import { apportion, pointValueText } from './arith.js';
import type { CaseType, PayParams, Pt4 } from './types.js';

export interface PaidCase {
  fixmedins_code: string;
  month: number;
  psn_pay: Fen;
  cost: Fen;
  points: Pt4;
  case_type: CaseType;
  /** RW × 10,000 of a grouped case (for CMI); null otherwise */
  rw: number | null;
}

export interface MonthRow {
  setl_month: number;
  case_cnt: number;
  points: Pt4;
  pool: Fen;
  point_value: string | null;
}

export interface PrepayRow {
  fixmedins_code: string;
  setl_month: number;
  points: Pt4;
  amount_due: Fen;
  psn_pay: Fen;
  prepaid: Fen;
}

export interface StmtRow {
  fixmedins_code: string;
  case_cnt: number;
  grouped_cnt: number;
  high_cnt: number;
  low_cnt: number;
  special_cnt: number;
  ungrouped_cnt: number;
  rws: number[];
  points: Pt4;
  medfee_sumamt: Fen;
  amount_due: Fen;
  psn_pay: Fen;
  penalty: Fen;
  fund_due: Fen;
  prepaid: Fen;
  balance: Fen;
}

export interface Settlement {
  pool: Fen;
  points: Pt4;
  psn_pay: Fen;
  penalty: Fen;
  point_value: string | null;
  months: MonthRow[];
  prepays: PrepayRow[];
  stmts: StmtRow[];
}

export function settleYear(cases: readonly PaidCase[], p: Pick<PayParams, 'budget' | 'budget_includes_psn_pay' | 'prepay_ratio'>, penalties: ReadonlyMap<string, Fen>): Settlement {
  const codes = [...new Set([...cases.map((c) => c.fixmedins_code), ...penalties.keys()])].sort();
  const psn_pay = sumFen(cases.map((c) => c.psn_pay));
  const pool = p.budget + (p.budget_includes_psn_pay ? 0 : psn_pay);
  const points = cases.reduce((s, c) => s + c.points, 0);

  const stmt = new Map<string, StmtRow>(codes.map((code) => [code, { fixmedins_code: code, case_cnt: 0, grouped_cnt: 0, high_cnt: 0, low_cnt: 0, special_cnt: 0, ungrouped_cnt: 0, rws: [], points: 0, medfee_sumamt: 0, amount_due: 0, psn_pay: 0, penalty: penalties.get(code) ?? 0, fund_due: 0, prepaid: 0, balance: 0 }]));
  for (const c of cases) {
    const s = stmt.get(c.fixmedins_code)!;
    s.case_cnt++;
    if (c.case_type === 'ungrouped') s.ungrouped_cnt++;
    else s.grouped_cnt++;
    if (c.case_type === 'high') s.high_cnt++;
    if (c.case_type === 'low') s.low_cnt++;
    if (c.case_type === 'special') s.special_cnt++;
    if (c.rw !== null) s.rws.push(c.rw);
    s.points += c.points;
    s.medfee_sumamt += c.cost;
    s.psn_pay += c.psn_pay;
  }
  const rows = codes.map((code) => stmt.get(code)!);
  apportion(pool, rows.map((r) => r.points)).forEach((due, i) => (rows[i]!.amount_due = due));

  // monthly provisional settlement
  const monthBudget = apportion(p.budget, Array(12).fill(1) as number[]);
  const months: MonthRow[] = [];
  const prepays: PrepayRow[] = [];
  for (let m = 1; m <= 12; m++) {
    const inMonth = cases.filter((c) => c.month === m);
    const mPsn = sumFen(inMonth.map((c) => c.psn_pay));
    const mPoints = inMonth.reduce((s, c) => s + c.points, 0);
    const mPool = monthBudget[m - 1]! + (p.budget_includes_psn_pay ? 0 : mPsn);
    months.push({ setl_month: m, case_cnt: inMonth.length, points: mPoints, pool: mPool, point_value: pointValueText(mPool, mPoints) });
    if (!inMonth.length) continue;
    const byInst = new Map<string, { points: number; psn: Fen }>();
    for (const c of inMonth) {
      const e = byInst.get(c.fixmedins_code) ?? { points: 0, psn: 0 };
      e.points += c.points;
      e.psn += c.psn_pay;
      byInst.set(c.fixmedins_code, e);
    }
    const instCodes = [...byInst.keys()].sort();
    const dues = apportion(mPool, instCodes.map((k) => byInst.get(k)!.points));
    instCodes.forEach((code, i) => {
      const e = byInst.get(code)!;
      const prepaid = applyRatio(Math.max(0, dues[i]! - e.psn), p.prepay_ratio);
      prepays.push({ fixmedins_code: code, setl_month: m, points: e.points, amount_due: dues[i]!, psn_pay: e.psn, prepaid });
      stmt.get(code)!.prepaid += prepaid;
    });
  }
  for (const r of rows) {
    r.fund_due = r.amount_due - r.psn_pay - r.penalty;
    r.balance = r.fund_due - r.prepaid;
  }
  return { pool, points, psn_pay, penalty: sumFen(rows.map((r) => r.penalty)), point_value: pointValueText(pool, points), months, prepays, stmts: rows };
}
