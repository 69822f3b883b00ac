/**
 * 统筹基金 (settlement-policy.md §2.2): pays the banded ratio of the in-scope amount above the deductible,
 * capped by what is left of the annual limit of the policy's accumulator group. Bands start at 0 in each
 * settlement, or (basis 'year') at the in-scope base the person accumulated earlier in the year.
 */
import type { Fen } from '../../platform/money.js';
import { groupOf } from './accumulators.js';
import { walkBands, type BandWalk } from './bands.js';
import { describeLimit, describeWalk } from './band-text.js';
import type { DeductibleResult } from './deductible.js';
import { fundName } from './funds.js';
import { yuan } from './text.js';
import type { Accumulators, Policy, SetlDetail } from './types.js';

export interface PooledResult {
  pay: Fen;
  /** In-scope amount above the deductible (this settlement's base). */
  base: Fen;
  walk: BandWalk;
  detail: SetlDetail;
}

/** `priorBase`: the base earlier 中途结算 of the same admission already walked (basis 'settlement' goes on from it). */
export function pooled(policy: Policy, acc: Accumulators, inscp: Fen, dedc: DeductibleResult, priorBase: Fen = 0): PooledResult {
  const rule = policy.pool;
  const grp = groupOf(acc, policy.acc_grp);
  const base = inscp - dedc.act;
  const from = rule.basis === 'year' ? grp.pool_base : priorBase;
  const room = Math.max(0, rule.lmt - grp.pool_paid);
  const walk = walkBands(rule.bands, from, base, room);
  const info = [
    `政策范围内费用${yuan(inscp)}`,
    dedc.info,
    `进入统筹部分 ${yuan(inscp)} − ${yuan(dedc.act)} = ${yuan(base)}`,
    ...(rule.basis === 'year' ? [`按年度累计分段，本年此前已进入统筹${yuan(from)}`] : priorBase > 0 ? [`本次住院中途结算已进入统筹${yuan(from)}，分段接续计算`] : []),
    describeWalk(walk),
    describeLimit(rule.lmt, grp.pool_paid, room, walk),
    `${fundName(rule.fund)}支付${yuan(walk.pay)}`,
  ].join('；');
  return {
    pay: walk.pay,
    base,
    walk,
    detail: { fund_pay_type: rule.fund, fund_pay_type_name: fundName(rule.fund), inscp_scp_amt: inscp, crt_payb_lmt_amt: room, fund_payamt: walk.pay, setl_proc_info: info },
  };
}
