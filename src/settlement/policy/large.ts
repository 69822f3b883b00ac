/**
 * Large-amount layer (settlement-policy.md §2.3): 职工大额医疗费用补助 (330100) pays the in-scope amount the
 * pooled fund left above its annual limit; 城乡居民大病保险 (390200) pays the year's accumulated in-scope
 * personal burden above a threshold. Both accumulate their basis across the year (so a threshold is crossed
 * once, whichever settlement crosses it), pay by bands measured from the threshold, and stop at an annual cap.
 */
import type { Fen } from '../../platform/money.js';
import { walkBands, type BandWalk } from './bands.js';
import { describeLimit, describeWalk } from './band-text.js';
import { fundName } from './funds.js';
import { yuan } from './text.js';
import type { Accumulators, LargeRule, SetlDetail } from './types.js';

export interface LargeResult {
  pay: Fen;
  /** This settlement's basis (added to the year's large_base). */
  base: Fen;
  walk: BandWalk;
  detail: SetlDetail;
}

/**
 * @param overLimit in-scope amount above the deductible that the pooled fund's limit left unpaid
 * @param burden in-scope personal burden after the pooled fund (deductible + co-insurance + over-limit part)
 */
export function largeAmount(rule: LargeRule, acc: Accumulators, overLimit: Fen, burden: Fen): LargeResult {
  const base = rule.basis === 'over_limit' ? overLimit : burden;
  const from = acc.large_base;
  const aboveFrom = Math.max(0, from - rule.threshold);
  const eligible = Math.max(0, from + base - Math.max(from, rule.threshold));
  const room = Math.max(0, rule.lmt - acc.large_paid);
  const walk = walkBands(rule.bands, aboveFrom, eligible, room);
  const what = rule.basis === 'over_limit' ? '超过统筹基金最高支付限额的政策范围内费用' : '政策范围内个人负担';
  const info = [
    `${what}：本次${yuan(base)}，本年累计${yuan(from + base)}`,
    `起付标准${yuan(rule.threshold)}，本次超过起付标准部分${yuan(eligible)}`,
    describeWalk(walk),
    describeLimit(rule.lmt, acc.large_paid, room, walk),
    `${fundName(rule.fund)}支付${yuan(walk.pay)}`,
  ].join('；');
  return {
    pay: walk.pay,
    base,
    walk,
    detail: { fund_pay_type: rule.fund, fund_pay_type_name: fundName(rule.fund), inscp_scp_amt: base, crt_payb_lmt_amt: room, fund_payamt: walk.pay, setl_proc_info: info },
  };
}
