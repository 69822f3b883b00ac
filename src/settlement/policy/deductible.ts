/**
 * 起付线 (settlement-policy.md §2.1): how much of the in-scope amount the person pays before the pooled fund
 * starts. A year-scope deductible is paid once per year and accumulator group (what was paid earlier this
 * year counts); an admission-scope one is paid in full by every settlement of its kind, with a lower amount
 * for the 2nd and later admissions of the year when the policy says so.
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

export function deductible(policy: Policy, acc: Accumulators, inscp: Fen, cont?: Continuation): DeductibleResult {
  const rule = policy.dedc;
  if (rule.scope === 'year') {
    const used = groupOf(acc, policy.acc_grp).dedc_used;
    const act = Math.min(Math.max(0, rule.amt - used), inscp);
    return { std: rule.amt, used_before: used, act, info: `年度起付线${yuan(rule.amt)}，本年已付${yuan(used)}，本次支付起付线${yuan(act)}` };
  }
  const inpatient = policy.med_type_fam === '21';
  // a continued admission (中途结算 before) is already counted in acc.admissions
  const nth = cont ? Math.max(1, acc.admissions) : acc.admissions + 1;
  const std = inpatient && nth >= 2 && rule.amt_next !== null ? rule.amt_next : rule.amt;
  const used = cont?.dedc_paid ?? 0;
  const act = Math.min(Math.max(0, std - used), inscp);
  const which = inpatient ? `本年第${nth}次住院起付线` : '每次起付线';
  const before = cont ? `，本次住院中途结算已付${yuan(used)}` : '';
  return { std, used_before: used, act, info: `${which}${yuan(std)}${before}，本次支付起付线${yuan(act)}` };
}
