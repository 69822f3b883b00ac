/**
 * 2201 门诊挂号 (reference §3.3): opens an outpatient visit — or, at a retail pharmacy, a purchase (med_type 41) —
 * and returns the mdtrt_id every later transaction of the visit carries.
 */
import { Type } from '@sinclair/typebox';
import { registerEncounter } from '../../settlement/index.js';
import { C, DT, ExpContent, OptC } from '../schema.js';
import { defineTx } from '../types.js';
import { callerOf } from './settlement-common.js';

export const Input2201 = Type.Object({
  data: Type.Object({
    psn_no: C(30, '人员编号'),
    insutype: C(6, '险种类型'),
    begntime: DT('开始时间（挂号时间）'),
    mdtrt_cert_type: C(3, '就诊凭证类型'),
    mdtrt_cert_no: OptC(50, '就诊凭证编号'),
    ipt_otp_no: C(30, '住院/门诊号'),
    atddr_no: C(30, '医师编码（医保医师代码）'),
    dr_name: OptC(50, '医师姓名'),
    dept_code: OptC(30, '科室编码'),
    dept_name: OptC(100, '科室名称'),
    caty: OptC(6, '科别'),
    exp_content: ExpContent,
  }),
});

export const Output2201 = Type.Object({
  data: Type.Object({ mdtrt_id: C(30, '就诊ID'), psn_no: C(30, '人员编号'), ipt_otp_no: C(30, '住院/门诊号'), exp_content: Type.Null() }),
});

export const tx2201 = defineTx({
  infno: '2201',
  name: '门诊挂号',
  input: Input2201,
  output: Output2201,
  needsSignIn: true,
  async handler({ data }, ctx) {
    const { exp_content: _e, ...d } = data;
    const r = await registerEncounter(callerOf(ctx), { ...d, ipt_otp_flag: '1' });
    return { data: { ...r, exp_content: null } };
  },
});
