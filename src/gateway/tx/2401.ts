/**
 * 2401 入院办理 (reference §3.10): admits the insured person with the admission diagnoses and returns the mdtrt_id
 * in `result`.
 */
import { Type } from '@sinclair/typebox';
import { registerEncounter } from '../../settlement/index.js';
import { C, D, DT, ExpContent, N, OptC } from '../schema.js';
import { defineTx } from '../types.js';
import { callerOf, diagnoses, IptDiseinfo } from './settlement-common.js';

/** Admission facts shared by 2401 mdtrtinfo and 2403 adminfo. */
export const AdmissionFields = {
  coner_name: OptC(50, '联系人姓名'),
  tel: OptC(50, '联系电话'),
  mdtrt_cert_no: OptC(50, '就诊凭证编号'),
  medrcdno: OptC(30, '病历号'),
  chfpdr_name: OptC(50, '主诊医师姓名'),
  adm_diag_dscr: OptC(200, '入院诊断描述'),
  adm_dept_codg: OptC(30, '入院科室编码'),
  adm_dept_name: OptC(100, '入院科室名称'),
  adm_bed: OptC(30, '入院床位'),
  dscg_maindiag_code: OptC(20, '住院主诊断代码'),
  dscg_maindiag_name: OptC(300, '住院主诊断名称'),
  main_cond_dscr: OptC(1000, '主要病情描述'),
  dise_codg: OptC(30, '病种编码'),
  dise_name: OptC(500, '病种名称'),
  oprn_oprt_code: OptC(30, '手术操作代码'),
  oprn_oprt_name: OptC(500, '手术操作名称'),
  fpsc_no: OptC(50, '计划生育服务证号'),
  matn_type: OptC(6, '生育类别'),
  birctrl_type: OptC(6, '计划生育手术类别'),
  latechb_flag: OptC(3, '晚育标志'),
  geso_val: Type.Optional(N('孕周数')),
  fetts: Type.Optional(N('胎次')),
  fetus_cnt: Type.Optional(N('胎儿数')),
  pret_flag: OptC(3, '早产标志'),
  birctrl_matn_date: Type.Optional(D('计划生育手术或生育日期')),
  dise_type_code: OptC(6, '病种类型'),
  exp_content: ExpContent,
};

export const Input2401 = Type.Object({
  mdtrtinfo: Type.Object({
    psn_no: C(30, '人员编号'),
    insutype: C(6, '险种类型'),
    begntime: DT('开始时间（入院时间）'),
    mdtrt_cert_type: C(3, '就诊凭证类型'),
    med_type: C(6, '医疗类别'),
    ipt_no: C(30, '住院号'),
    atddr_no: C(30, '主治医生编码'),
    ...AdmissionFields,
  }),
  diseinfo: Type.Array(IptDiseinfo, { minItems: 1 }),
});

export const Output2401 = Type.Object({ result: Type.Object({ mdtrt_id: C(30, '就诊ID') }) });

export const tx2401 = defineTx({
  infno: '2401',
  name: '入院办理',
  input: Input2401,
  output: Output2401,
  needsSignIn: true,
  async handler({ mdtrtinfo: m, diseinfo }, ctx) {
    const { exp_content: _e, ipt_no, chfpdr_name, adm_dept_codg, adm_dept_name, dscg_maindiag_code: _c, dscg_maindiag_name: _n, ...rest } = m;
    const r = await registerEncounter(callerOf(ctx), {
      ...rest,
      ipt_otp_flag: '2',
      ipt_otp_no: ipt_no,
      ...(chfpdr_name ? { dr_name: chfpdr_name } : {}),
      ...(adm_dept_codg ? { dept_code: adm_dept_codg } : {}),
      ...(adm_dept_name ? { dept_name: adm_dept_name } : {}),
      diseinfo: diagnoses(diseinfo),
    });
    return { result: { mdtrt_id: r.mdtrt_id } };
  },
});
