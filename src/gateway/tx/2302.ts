/**
 * 2302 住院费用明细撤销 (reference §3.8): cancels un-settled lines by feedetl_sn ("0000" = all). `data` is an
 * object, or — in some clients — an array of them (several lines of one admission).
 */
import { Type } from '@sinclair/typebox';
import { validationError } from '../../platform/errors.js';
import { cancelFees } from '../../settlement/index.js';
import { C, ExpContent } from '../schema.js';
import { defineTx } from '../types.js';
import { callerOf, NoOutput } from './settlement-common.js';

const Line = Type.Object({ feedetl_sn: C(30, '费用明细流水号（0000 为全部）'), mdtrt_id: C(30, '就诊ID'), psn_no: C(30, '人员编号'), exp_content: ExpContent });
export const Input2302 = Type.Object({ data: Type.Union([Line, Type.Array(Line, { minItems: 1 })]) });

export const tx2302 = defineTx({
  infno: '2302',
  name: '住院费用明细撤销',
  input: Input2302,
  output: NoOutput,
  needsSignIn: true,
  async handler({ data }, ctx) {
    const list = Array.isArray(data) ? data : [data];
    const first = list[0]!;
    if (list.some((l) => l.mdtrt_id !== first.mdtrt_id || l.psn_no !== first.psn_no)) throw validationError('一次撤销的费用明细应属于同一就诊和参保人', [{ field: 'data', message: '就诊ID或人员编号不一致' }]);
    await cancelFees(callerOf(ctx), '2', { mdtrt_id: first.mdtrt_id, psn_no: first.psn_no }, list.map((l) => ({ feedetl_sn: l.feedetl_sn })));
    return {};
  },
});
