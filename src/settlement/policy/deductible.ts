/**
 * 起付线 (settlement-policy.md §2.1): how much of the in-scope amount the person pays before the pooled fund
 * starts. A year-scope deductible is paid once per year and accumulator group (what was paid earlier this
 * year counts); an admission-scope one is paid in full by every settlement of its kind, with a lower amount
 * for the 2nd and later admissions of the year when the policy says so. A stay settled in parts (中途结算) keeps
 * the standard of its first part.
 */
import type { Fen } from '../../platform/money.js';
import { groupOf } from './accumulators.js';
import { yuan } from './text.js';
import type { Accumulators, Continuation, Policy } from './types.js';

export interface DeductibleResult {
  /** The deductible standard that applied (起付标准). */
  std: Fen;
  /** Year scope: already paid this year before this settlement. */
  used_before: Fen;
  /** act_pay_dedc. */
  act: Fen;
  info: string;
}

/**
 * A continuation that also carries the 起付标准 of the stay's first settlement. The stay's place among the year's
 * admissions (1st or a later one, which may have a lower standard) is fixed when the stay is first counted;
 * admissions counted or reversed since must not change it. Absent (rows written before migration 0020), the
 * stay is taken to be the latest admission counted this year.
 */
export interface StayContinuation extends Continuation {
  dedc_std?: Fen;
}

export function deductible(policy: Policy, acc: Accumulators, inscp: Fen, cont?: StayContinuation): DeductibleResult {
  const rule = policy.dedc;
  if (rule.scope === 'year') {
    const used = groupOf(acc, policy.acc_grp).dedc_used;
    const act = Math.min(Math.max(0, rule.amt - used), inscp);
    return { std: rule.amt, used_before: used, act, info: `年度起付线${yuan(rule.amt)}，本年已付${yuan(used)}，本次支付起付线${yuan(act)}` };
  }
  const inpatient = policy.med_type_fam === '21';
  const used = cont?.dedc_paid ?? 0;
  if (cont?.dedc_std !== undefined) {
    const std = cont.dedc_std;
    const act = Math.min(Math.max(0, std - used), inscp);
    return { std, used_before: used, act, info: `本次住院起付线${yuan(std)}（沿用本次住院首次结算的起付标准），本次住院中途结算已付${yuan(used)}，本次支付起付线${yuan(act)}` };
  }
  // a continued admission (中途结算 before) is already counted in acc.admissions
  const nth = cont ? Math.max(1, acc.admissions) : acc.admissions + 1;
  const std = inpatient && nth >= 2 && rule.amt_next !== null ? rule.amt_next : rule.amt;
  const act = Math.min(Math.max(0, std - used), inscp);
  const which = inpatient ? `本年第${nth}次住院起付线` : '每次起付线';
  const before = cont ? `，本次住院中途结算已付${yuan(used)}` : '';
  return { std, used_before: used, act, info: `${which}${yuan(std)}${before}，本次支付起付线${yuan(act)}` };
}
