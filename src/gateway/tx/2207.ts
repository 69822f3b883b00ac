/**
 * 2207 门诊结算 (reference §3.6): settles the visit's uploaded lines in one transaction — settlement, fund rows,
 * accumulators, personal and family accounts, fund ledger — and answers `setlinfo` (with setl_id and
 * medins_setl_id = this msgid) and `setldetail[]`. The four split amounts, when sent, must equal the computation.
 */
import { Type } from '@sinclair/typebox';
import { settleEncounter } from '../../settlement/index.js';
import { defineTx } from '../types.js';
import { Data2206, outpatientRequest } from './2206.js';
import { callerOf, SettleOut, settleOut } from './settlement-common.js';

export const Input2207 = Type.Object({ data: Data2206 });

export const tx2207 = defineTx({
  infno: '2207',
  name: '门诊结算',
  input: Input2207,
  output: SettleOut,
  needsSignIn: true,
  async handler({ data }, ctx) {
    return settleOut(await settleEncounter(callerOf(ctx), '1', outpatientRequest(data)), ctx);
  },
});
