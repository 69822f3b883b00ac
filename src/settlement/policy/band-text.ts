/**
 * The Chinese trace of a band walk, shared by the pooled fund and the large-amount layer so both explain
 * themselves the same way: "0.00–50000.00元段 8800.00元 × 85% = 7480.00元".
 */
import type { BandWalk } from './bands.js';
import { pct, range, yuan } from './text.js';

export function describeWalk(walk: BandWalk): string {
  if (!walk.steps.length) return '无可支付金额';
  return walk.steps
    .map((s) => `${range(s.lo, s.hi)}段 ${yuan(s.amount)} × ${pct(s.bp)} ${s.limited ? `受限额限制支付${yuan(s.pay)}` : `= ${yuan(s.pay)}`}`)
    .join('；');
}

export function describeLimit(lmt: number, paid: number, room: number, walk: BandWalk): string {
  const head = `年度最高支付限额${yuan(lmt)}，本年已支付${yuan(paid)}，本次可支付${yuan(room)}`;
  return walk.limited ? `${head}，已达限额，超出限额的${yuan(walk.uncovered)}本基金不予支付` : head;
}
