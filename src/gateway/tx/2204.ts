/**
 * 2204 门诊费用明细信息上传 (reference §3.5): validates and stores a batch of fee lines of one visit and returns
 * each line's split (全自费 / 超限价 / 先行自付 / 符合政策范围) in `result[]`. All or nothing.
 */
import { Type } from '@sinclair/typebox';
import { uploadFees } from '../../settlement/index.js';
import { defineTx } from '../types.js';
import { callerOf, FeeDetailIn, feeLineOf, feeResult, FeeResultOut } from './settlement-common.js';

export const Input2204 = Type.Object({ feedetail: Type.Array(FeeDetailIn, { minItems: 1 }) });
export const Output2204 = Type.Object({ result: Type.Array(FeeResultOut) });

export const tx2204 = defineTx({
  infno: '2204',
  name: '门诊费用明细信息上传',
  input: Input2204,
  output: Output2204,
  needsSignIn: true,
  async handler({ feedetail }, ctx) {
    const splits = await uploadFees(callerOf(ctx), '1', feedetail.map(feeLineOf));
    return { result: splits.map(feeResult) };
  },
});
