/**
 * 2403 住院信息变更 (reference §3.10): changes what 2401 said (only the fields sent) and, when diseinfo is sent, the
 * admission diagnoses. Refused once the admission is settled.
 */
import { Type } from '@sinclair/typebox';
import { changeAdmission } from '../../settlement/index.js';
import { C, DT, OptC } from '../schema.js';
import { defineTx } from '../types.js';
import { AdmissionFields } from './2401.js';
import { callerOf, diagnoses, IptDiseinfo, NoOutput } from './settlement-common.js';

export const Input2403 = Type.Object({
  adminfo: Type.Object({
    mdtrt_id: C(30, '就诊ID'),
    psn_no: C(30, '人员编号'),
    insutype: OptC(6, '险种类型'),
    begntime: Type.Optional(DT('开始时间（入院时间）')),
    endtime: Type.Optional(DT('结束时间')),
    mdtrt_cert_type: OptC(3, '就诊凭证类型'),
    med_type: OptC(6, '医疗类别'),
    ipt_otp_no: OptC(30, '住院号'),
    atddr_no: OptC(30, '主治医生编码'),
    ...AdmissionFields,
  }),
  diseinfo: Type.Optional(Type.Array(IptDiseinfo)),
});

export const tx2403 = defineTx({
  infno: '2403',
  name: '住院信息变更',
  input: Input2403,
  output: NoOutput,
  needsSignIn: true,
  async handler({ adminfo, diseinfo }, ctx) {
    const { exp_content: _e, insutype: _i, endtime: _t, mdtrt_cert_type: _c, mdtrt_cert_no: _n, dscg_maindiag_code: _m, dscg_maindiag_name: _mn, ...a } = adminfo;
    await changeAdmission(callerOf(ctx), { ...a, diseinfo: diagnoses(diseinfo ?? []) });
    return {};
  },
});
