/** 2205 门诊费用明细信息撤销 (reference §3.5): cancels a batch's un-settled lines; chrg_bchno "0000" = all. */
import { Type } from '@sinclair/typebox';
import { cancelFees } from '../../settlement/index.js';
import { C, ExpContent } from '../schema.js';
import { defineTx } from '../types.js';
import { callerOf, NoOutput } from './settlement-common.js';

export const Input2205 = Type.Object({
  data: Type.Object({ mdtrt_id: C(30, '就诊ID'), chrg_bchno: C(30, '收费批次号（0000 为全部）'), psn_no: C(30, '人员编号'), exp_content: ExpContent }),
});

export const tx2205 = defineTx({
  infno: '2205',
  name: '门诊费用明细信息撤销',
  input: Input2205,
  output: NoOutput,
  needsSignIn: true,
  async handler({ data }, ctx) {
    await cancelFees(callerOf(ctx), '1', data, [{ chrg_bchno: data.chrg_bchno }]);
    return {};
  },
});
