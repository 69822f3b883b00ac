/**
 * 2304 住院结算 (reference §3.9): settles the admission's unsettled lines in one transaction, as 2207 does for a visit.
 * mid_setl_flag 1 = 中途结算: the lines so far (up to dscgTime when sent) settle and the stay stays open; the final
 * settlement takes the rest, the admission's deductible paid once. 事中 audit hits warn or refuse fund payment.
 */
import { Type } from '@sinclair/typebox';
import { settleEncounter } from '../../settlement/index.js';
import { defineTx } from '../types.js';
import { Data2303, inpatientRequest } from './2303.js';
import { callerOf, SettleOut, settleOut } from './settlement-common.js';

export const Input2304 = Type.Object({ data: Data2303 });

export const tx2304 = defineTx({
  infno: '2304',
  name: '住院结算',
  input: Input2304,
  output: SettleOut,
  needsSignIn: true,
  async handler({ data }, ctx) {
    return settleOut(await settleEncounter(callerOf(ctx), '2', inpatientRequest(data)), ctx);
  },
});
