/**
 * 2504 人员慢特病备案撤销 (reference §3.11): cancels a filing of 2503 by `trt_dcla_detl_sn` and `psn_no`. Only the
 * institution that filed may cancel; the filing stays on record as cancelled. No output.
 */
import { Type } from '@sinclair/typebox';
import { cancelOpsp } from '../../settlement/opsp.js';
import { C, ExpContent, OptC } from '../schema.js';
import { defineTx } from '../types.js';
import { callerOf, NoOutput } from './settlement-common.js';

export const Input2504 = Type.Object({
  data: Type.Object({
    trt_dcla_detl_sn: C(30, '待遇申报明细流水号'),
    psn_no: C(30, '人员编号'),
    memo: OptC(500, '备注（撤销原因）'),
    exp_content: ExpContent,
  }),
});

export const tx2504 = defineTx({
  infno: '2504',
  name: '人员慢特病备案撤销',
  input: Input2504,
  output: NoOutput,
  needsSignIn: true,
  async handler({ data }, ctx) {
    await cancelOpsp(callerOf(ctx), { trt_dcla_detl_sn: data.trt_dcla_detl_sn, psn_no: data.psn_no, ...(data.memo ? { memo: data.memo } : {}) });
    return {};
  },
});
