/**
 * 2208 门诊结算撤销 (reference §3.7): reverses a settlement with compensating rows; the answer carries the
 * reversal's setl_id and negative amounts (psn_cash_pay also as pdn_cash_pay, the spec table's spelling).
 */
import { Type } from '@sinclair/typebox';
import { reverseSettlementOf } from '../../settlement/index.js';
import { C, ExpContent } from '../schema.js';
import { defineTx } from '../types.js';
import { callerOf, ReversalOut } from './settlement-common.js';

export const InputReversal = Type.Object({
  data: Type.Object({ setl_id: C(30, '结算ID'), mdtrt_id: C(30, '就诊ID'), psn_no: C(30, '人员编号'), exp_content: ExpContent }),
});

export const tx2208 = defineTx({
  infno: '2208',
  name: '门诊结算撤销',
  input: InputReversal,
  output: ReversalOut,
  needsSignIn: true,
  async handler({ data }, ctx) {
    return reverseSettlementOf(callerOf(ctx), '1', { setl_id: data.setl_id, mdtrt_id: data.mdtrt_id, psn_no: data.psn_no });
  },
});
