/**
 * 2301 住院费用明细上传 (reference §3.8): a batch of an admission's fee lines, validated and stored as a whole, each
 * line's split returned in `result[]` (same 19 fields as 2204). Large stays are uploaded in several batches.
 */
import { Type } from '@sinclair/typebox';
import { uploadFees } from '../../settlement/index.js';
import { defineTx } from '../types.js';
import { callerOf, FeeDetailIn, feeLineOf, feeResult, FeeResultOut } from './settlement-common.js';

export const Input2301 = Type.Object({ feedetail: Type.Array(FeeDetailIn, { minItems: 1 }) });
export const Output2301 = Type.Object({ result: Type.Array(FeeResultOut) });

export const tx2301 = defineTx({
  infno: '2301',
  name: '住院费用明细上传',
  input: Input2301,
  output: Output2301,
  needsSignIn: true,
  async handler({ feedetail }, ctx) {
    const splits = await uploadFees(callerOf(ctx), '2', feedetail.map(feeLineOf));
    return { result: splits.map(feeResult) };
  },
});
