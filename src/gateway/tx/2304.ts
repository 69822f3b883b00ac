/** 2304 住院结算 (reference §3.9): settles the admission's lines in one transaction, as 2207 does for a visit. */
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
    return settleOut(await settleEncounter(callerOf(ctx), '2', inpatientRequest(data)));
  },
});
