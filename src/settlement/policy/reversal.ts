/**
 * Reversal (2208 / 2305): the exact negation of a settlement. Every amount changes sign; the accumulator
 * delta is negated, so before + delta + (−delta) = before to the fen; account balances come back by what
 * the settlement took. The ratio and the traces are kept (prefixed), since they describe the original.
 */
import type { Fen } from '../../platform/money.js';
import { applyDelta, neg, negateDelta } from './accumulators.js';
import { SETLINFO_AMOUNT_FIELDS } from './invariants.js';
import type { Accumulators, SetlInfo, Settlement } from './types.js';

export interface ReversalState {
  /** The person's accumulators now (default: right after the original settlement). */
  acc?: Accumulators;
  /** The patient's account balance now (default: the balance the original left). */
  balc?: Fen;
  /** Family members' balances now, by psn_no (default: what the original left). */
  family?: Record<string, Fen>;
}

export function reverseSettlement(s: Settlement, now: ReversalState = {}): Settlement {
  const setlinfo = { ...s.setlinfo } as SetlInfo;
  for (const f of SETLINFO_AMOUNT_FIELDS) setlinfo[f] = neg(s.setlinfo[f]);
  setlinfo.balc = (now.balc ?? s.setlinfo.balc) + s.setlinfo.acct_pay;
  const delta = negateDelta(s.delta);
  return {
    setlinfo,
    setldetail: s.setldetail.map((d) => ({
      ...d,
      inscp_scp_amt: neg(d.inscp_scp_amt),
      crt_payb_lmt_amt: neg(d.crt_payb_lmt_amt),
      fund_payamt: neg(d.fund_payamt),
      setl_proc_info: `冲销原结算：${d.setl_proc_info}`,
    })),
    mulaid: s.mulaid.map((m) => ({ psn_no: m.psn_no, amt: neg(m.amt), balc: (now.family?.[m.psn_no] ?? m.balc) + m.amt })),
    delta,
    after: applyDelta(now.acc ?? s.after, delta),
  };
}
