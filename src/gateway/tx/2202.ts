/** 2202 门诊挂号撤销 (reference §3.3): cancels a visit with no settlement and no valid fee lines. */
import { Type } from '@sinclair/typebox';
import { cancelEncounter } from '../../settlement/index.js';
import { C, ExpContent, OptC } from '../schema.js';
import { defineTx } from '../types.js';
import { callerOf, NoOutput } from './settlement-common.js';

export const Input2202 = Type.Object({
  data: Type.Object({ psn_no: C(30, '人员编号'), mdtrt_id: C(30, '就诊ID'), ipt_otp_no: OptC(30, '住院/门诊号'), exp_content: ExpContent }),
});

export const tx2202 = defineTx({
  infno: '2202',
  name: '门诊挂号撤销',
  input: Input2202,
  output: NoOutput,
  needsSignIn: true,
  async handler({ data }, ctx) {
    await cancelEncounter(callerOf(ctx), '1', { mdtrt_id: data.mdtrt_id, psn_no: data.psn_no, ...(data.ipt_otp_no ? { ipt_otp_no: data.ipt_otp_no } : {}) });
    return {};
  },
});
