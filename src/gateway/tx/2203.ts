/**
 * 2203 门诊就诊信息上传 (reference §3.4): the visit's med_type, condition and diagnoses; the diagnoses sent replace
 * the previous set. 2203A (tx/2203A.ts) is the same with the maternity fields.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { TxContext } from '../types.js';
import { uploadVisitInfo } from '../../settlement/index.js';
import { C, D, DT, ExpContent, N, OptC } from '../schema.js';
import { defineTx } from '../types.js';
import { callerOf, diagnoses, NoOutput, OptDiseinfo } from './settlement-common.js';

export const MdtrtinfoOpt = Type.Object({
  mdtrt_id: C(30, '就诊ID'),
  psn_no: C(30, '人员编号'),
  med_type: C(6, '医疗类别'),
  begntime: Type.Optional(DT('开始时间')),
  main_cond_dscr: OptC(1000, '主要病情描述'),
  dise_codg: OptC(30, '病种编码'),
  dise_name: OptC(500, '病种名称'),
  birctrl_type: OptC(6, '计划生育手术类别'),
  birctrl_matn_date: Type.Optional(D('计划生育手术或生育日期')),
  matn_type: OptC(6, '生育类别（2203A）'),
  geso_val: Type.Optional(N('孕周数（2203A）')),
  exp_content: ExpContent,
});

export const Input2203 = Type.Object({ mdtrtinfo: MdtrtinfoOpt, diseinfo: Type.Array(OptDiseinfo) });

export async function visitInfo(input: Static<typeof Input2203>, ctx: TxContext): Promise<Record<string, never>> {
  const { exp_content: _e, ...m } = input.mdtrtinfo;
  await uploadVisitInfo(callerOf(ctx), { ...m, diseinfo: diagnoses(input.diseinfo, true) });
  return {};
}

export const tx2203 = defineTx({
  infno: '2203',
  name: '门诊就诊信息上传',
  input: Input2203,
  output: NoOutput,
  needsSignIn: true,
  handler: visitInfo,
});
