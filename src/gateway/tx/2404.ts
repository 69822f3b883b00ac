/** 2404 入院办理撤销 (reference §3.10): cancels an admission with no settlement, no valid fee lines, not discharged. */
import { Type } from '@sinclair/typebox';
import { cancelEncounter } from '../../settlement/index.js';
import { C, ExpContent } from '../schema.js';
import { defineTx } from '../types.js';
import { callerOf, NoOutput } from './settlement-common.js';

export const InputMdtrtPsn = Type.Object({ data: Type.Object({ mdtrt_id: C(30, '就诊ID'), psn_no: C(30, '人员编号'), exp_content: ExpContent }) });

export const tx2404 = defineTx({
  infno: '2404',
  name: '入院办理撤销',
  input: InputMdtrtPsn,
  output: NoOutput,
  needsSignIn: true,
  async handler({ data }, ctx) {
    await cancelEncounter(callerOf(ctx), '2', { mdtrt_id: data.mdtrt_id, psn_no: data.psn_no });
    return {};
  },
});
