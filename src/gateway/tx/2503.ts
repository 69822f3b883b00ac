/**
 * 2503 人员慢特病备案 (reference §3.11): files a person for one chronic / special outpatient disease (门慢特病) from
 * `begndate`, identified by an institution and a doctor. Answers `result.trt_dcla_detl_sn`, the id 2504 cancels
 * and 5301 lists. The rules are src/settlement/opsp.ts.
 */
import { Type } from '@sinclair/typebox';
import { fileOpsp } from '../../settlement/opsp.js';
import { C, D, ExpContent, OptC } from '../schema.js';
import { defineTx } from '../types.js';
import { callerOf } from './settlement-common.js';

export const Input2503 = Type.Object({
  data: Type.Object({
    psn_no: C(30, '人员编号'),
    insutype: OptC(6, '险种类型（不传时取备案开始日期有效的参保险种）'),
    opsp_dise_code: C(30, '门慢门特病种目录代码'),
    opsp_dise_name: C(300, '门慢门特病种名称'),
    tel: OptC(50, '联系电话'),
    addr: OptC(200, '联系地址'),
    insu_optins: C(6, '参保机构医保区划'),
    ide_fixmedins_no: C(30, '鉴定定点医药机构编号'),
    ide_fixmedins_name: C(200, '鉴定定点医药机构名称'),
    hosp_ide_date: D('医院鉴定日期'),
    diag_dr_codg: C(30, '诊断医师编码'),
    diag_dr_name: C(50, '诊断医师姓名'),
    begndate: D('开始日期'),
    enddate: Type.Optional(D('结束日期')),
    exp_content: ExpContent,
  }),
});

export const Output2503 = Type.Object({ result: Type.Object({ trt_dcla_detl_sn: Type.String({ description: '待遇申报明细流水号' }) }) });

export const tx2503 = defineTx({
  infno: '2503',
  name: '人员慢特病备案',
  input: Input2503,
  output: Output2503,
  needsSignIn: true,
  async handler({ data }, ctx) {
    const { exp_content: _e, ...input } = data;
    return { result: { trt_dcla_detl_sn: await fileOpsp(callerOf(ctx), input) } };
  },
});
