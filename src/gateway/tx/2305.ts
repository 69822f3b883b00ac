/** 2305 住院结算撤销 (reference §3.9 / §3.7): reverses an inpatient settlement; amounts negative. */
import { reverseSettlementOf } from '../../settlement/index.js';
import { defineTx } from '../types.js';
import { InputReversal } from './2208.js';
import { callerOf, ReversalOut } from './settlement-common.js';

export const tx2305 = defineTx({
  infno: '2305',
  name: '住院结算撤销',
  input: InputReversal,
  output: ReversalOut,
  needsSignIn: true,
  async handler({ data }, ctx) {
    return reverseSettlementOf(callerOf(ctx), '2', { setl_id: data.setl_id, mdtrt_id: data.mdtrt_id, psn_no: data.psn_no });
  },
});
