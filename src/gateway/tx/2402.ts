/** 2402 出院办理 (reference §3.10): discharge time, way and discharge diagnoses of an admission. */
import { Type } from '@sinclair/typebox';
import { discharge } from '../../settlement/index.js';
import { C, D, DT, ExpContent, N, OptC } from '../schema.js';
import { defineTx } from '../types.js';
import { callerOf, diagnoses, IptDiseinfo, NoOutput } from './settlement-common.js';

export const Input2402 = Type.Object({
  dscginfo: Type.Object({
    mdtrt_id: C(30, '就诊ID'),
    psn_no: C(30, '人员编号'),
    insutype: C(6, '险种类型'),
    endtime: DT('结束时间（出院时间）'),
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
    cop_flag: OptC(3, '伴有并发症标志'),
    dscg_dept_codg: OptC(30, '出院科室编码'),
    dscg_dept_name: OptC(100, '出院科室名称'),
    dscg_bed: OptC(30, '出院床位'),
    dscg_way: C(3, '离院方式'),
    die_date: Type.Optional(D('死亡日期')),
    exp_content: ExpContent,
  }),
  diseinfo: Type.Array(IptDiseinfo, { minItems: 1 }),
});

export const tx2402 = defineTx({
  infno: '2402',
  name: '出院办理',
  input: Input2402,
  output: NoOutput,
  needsSignIn: true,
  async handler({ dscginfo, diseinfo }, ctx) {
    const { exp_content: _e, ...d } = dscginfo;
    await discharge(callerOf(ctx), { ...d, diseinfo: diagnoses(diseinfo) });
    return {};
  },
});
