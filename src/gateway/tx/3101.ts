/**
 * 3101 明细审核事前分析服务 (reference national-interface §3.12, audit-rules §2): the HIS sends the patient, the
 * current encounter with its orders (curr_drord_flag 1) and history (other encounters, orders with flag 0); the
 * smart-audit engine answers result[] — one element per violation, an empty array when there is none. The schemas
 * here are shared with 3102 (事中, identical structure). yibao adds `warn_msg` and `rule_errs` to the output: rules
 * that failed and were skipped (the answer is still a success); the same text goes to the envelope's warn_msg.
 */
import { Type } from '@sinclair/typebox';
import { auditRealtime } from '../../audit/service.js';
import type { AuditRequest } from '../../audit/types.js';
import { C, D, DT, Nullable, OptC } from '../schema.js';
import { defineTx, type TxContext } from '../types.js';

const Num = (description: string) => Type.Number({ description });
const OptNum = (description: string) => Type.Optional(Num(description));
const OptDT = (description: string) => Type.Optional(DT(description));

const Diagnose = Type.Object({
  dise_id: OptC(50, '诊断标识'),
  inout_dise_type: OptC(3, '出入院诊断类别'),
  maindise_flag: OptC(3, '主诊断标志'),
  dias_srt_no: OptNum('诊断排序号'),
  dise_codg: OptC(50, '诊断编码'),
  dise_name: OptC(200, '诊断名称'),
  dise_date: OptDT('诊断日期'),
});

const Order = Type.Object({
  rx_id: C(50, '处方(医嘱)标识'),
  rxno: OptC(50, '处方号'),
  grpno: OptC(20, '组编号'),
  long_drord_flag: OptC(3, '长期医嘱标志'),
  hilist_type: OptC(3, '目录类别'),
  chrg_type: OptC(3, '收费类别'),
  drord_bhvr: OptC(3, '医嘱行为'),
  hilist_code: C(50, '医保目录编码'),
  hilist_name: OptC(200, '医保目录名称'),
  hilist_dosform: OptC(50, '医保目录剂型'),
  hilist_lv: OptC(3, '医保目录等级'),
  hilist_pric: OptNum('医保目录价格'),
  lv1_hosp_item_pric: OptNum('一级医院目录价格'),
  lv2_hosp_item_pric: OptNum('二级医院目录价格'),
  lv3_hosp_item_pric: OptNum('三级医院目录价格'),
  hilist_memo: OptC(500, '医保目录备注'),
  hosplist_code: OptC(50, '医院目录代码'),
  hosplist_name: OptC(200, '医院目录名称'),
  hosplist_dosform: OptC(50, '医院目录剂型'),
  cnt: Num('数量'),
  pric: Num('单价'),
  sumamt: Num('总费用'),
  ownpay_amt: OptNum('自费金额'),
  selfpay_amt: OptNum('自付金额'),
  spec: OptC(200, '规格'),
  spec_unt: OptC(20, '数量单位'),
  drord_begn_date: OptDT('医嘱开始日期'),
  drord_stop_date: OptDT('医嘱停止日期'),
  drord_dept_codg: OptC(30, '下达医嘱的科室标识'),
  drord_dept_name: OptC(100, '下达医嘱科室名称'),
  drord_dr_codg: OptC(30, '开处方(医嘱)医生标识'),
  drord_dr_name: OptC(50, '开处方(医嘱)医生姓名'),
  drord_dr_profttl: OptC(3, '开处方(医嘱)医职称'),
  curr_drord_flag: OptC(3, '是否当前处方(医嘱)：1 本次 0 历史'),
  mdfr_codg: OptC(10, 'yibao 扩展：修饰符（如 59、XS），用于可豁免的项目对'),
});

const Operation = Type.Object({
  setl_list_oprn_id: OptC(30, '手术操作ID'),
  oprn_code: OptC(30, '手术操作代码'),
  oprn_name: OptC(500, '手术操作名称'),
  main_oprn_flag: OptC(3, '主手术操作标志'),
  oprn_date: OptDT('手术操作日期'),
  anst_way: OptC(30, '麻醉方式'),
  oper_dr_name: OptC(50, '术者医师姓名'),
  oper_dr_code: OptC(30, '术者医师代码'),
  anst_dr_name: OptC(50, '麻醉医师姓名'),
  anst_dr_code: OptC(30, '麻醉医师代码'),
});

const Encounter = Type.Object({
  mdtrt_id: C(50, '就诊标识'),
  medins_id: OptC(50, '医疗服务机构标识'),
  medins_name: OptC(200, '医疗机构名称'),
  medins_admdvs: OptC(6, '医疗机构行政区划编码'),
  medins_type: OptC(10, '医疗服务机构类型'),
  medins_lv: OptC(3, '医疗机构等级'),
  wardarea_codg: OptC(20, '病区标识'),
  wardno: OptC(20, '病房号'),
  bedno: OptC(20, '病床号'),
  adm_date: OptDT('入院日期'),
  dscg_date: OptDT('出院日期'),
  dscg_main_dise_codg: OptC(50, '主诊断编码'),
  dscg_main_dise_name: OptC(200, '主诊断名称'),
  fsi_diagnose_dtos: Type.Optional(Type.Array(Diagnose, { description: '诊断信息' })),
  dr_codg: OptC(30, '医师标识'),
  adm_dept_codg: OptC(30, '入院科室标识'),
  adm_dept_name: OptC(100, '入院科室名称'),
  dscg_dept_codg: OptC(30, '出院科室标识'),
  dscg_dept_name: OptC(100, '出院科室名称'),
  med_mdtrt_type: OptC(3, '就诊类型'),
  med_type: OptC(6, '医疗类别'),
  fsi_order_dtos: Type.Optional(Type.Array(Order, { description: '处方(医嘱)信息' })),
  matn_stas: OptC(3, '生育状态'),
  medfee_sumamt: OptNum('总费用'),
  ownpay_amt: OptNum('自费金额'),
  selfpay_amt: OptNum('自付金额'),
  acct_payamt: OptNum('个人账户支付金额'),
  ma_amt: OptNum('救助金支付金额'),
  hifp_payamt: OptNum('统筹金支付金额'),
  setl_totlnum: OptNum('结算总次数'),
  insutype: OptC(6, '险种'),
  reim_flag: OptC(3, '报销标志'),
  out_setl_flag: OptC(3, '异地结算标志'),
  fsi_operation_dtos: Type.Optional(Type.Array(Operation, { description: '手术操作集合' })),
});

const Patient = Type.Object({
  patn_id: C(50, '参保人标识（psn_no）'),
  patn_name: OptC(50, '姓名'),
  gend: C(3, '性别'),
  brdy: D('出生日期'),
  poolarea: OptC(10, '统筹区编码'),
  curr_mdtrt_id: OptC(50, '当前就诊标识'),
  fsi_encounter_dtos: Type.Array(Encounter, { minItems: 1, description: '就诊信息集合' }),
  fsi_his_data_dto: Type.Optional(Type.Unknown({ description: '医院数据（不使用）' })),
});

export const InputAudit = Type.Object({
  data: Type.Object({
    syscode: OptC(10, '调用方系统标识'),
    rule_ids: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { description: '规则标识集合' })),
    task_id: OptC(50, '任务ID'),
    trig_scen: OptC(30, '触发场景（可逗号分隔多个）：1–5 事前，6–10 事中'),
    patient_dtos: Type.Array(Patient, { minItems: 1, description: '参保人信息集合' }),
  }),
});

const JudgeDetail = Type.Object({
  jrd_id: C(50, '违规明细标识'),
  patn_id: C(50, '参保人ID'),
  mdtrt_id: Nullable(C(50, '就诊ID')),
  rx_id: Nullable(C(50, '处方(医嘱)标识；就诊层面的明细为 null')),
  vola_item_type: C(3, '违规项目类型：1 违规项 2 涉及项'),
  vola_amt: Type.Number({ description: '违规金额' }),
});

export const OutputAudit = Type.Object({
  result: Type.Array(
    Type.Object({
      jr_id: C(50, '违规标识'),
      rule_id: C(50, '规则ID'),
      rule_name: C(200, '规则名称'),
      vola_cont: C(500, '违规内容'),
      patn_id: C(50, '参保人ID'),
      mdtrt_id: Nullable(C(50, '就诊ID')),
      judge_result_detail_dtos: Type.Array(JudgeDetail),
      vola_amt: Type.Number({ description: '违规金额' }),
      vola_amt_stas: C(3, '违规金额计算状态：1 已计算 2 不涉及金额'),
      sev_deg: C(3, '严重程度：1 明确违规 2 高度可疑 3 可疑'),
      vola_evid: C(500, '违规依据'),
      vola_bhvr_type: C(3, '违规行为分类'),
      task_id: Nullable(Type.String({ description: '任务ID' })),
    }),
  ),
  warn_msg: Nullable(Type.String({ description: 'yibao 扩展：有规则执行异常被跳过等情况时的说明' })),
  rule_errs: Type.Array(Type.Object({ rule_id: C(50), rule_name: C(200), err_msg: Type.String() }), { description: 'yibao 扩展：执行异常被跳过的规则' }),
});

/** The shared handler of 3101 and 3102: evaluate, log like 事前提醒结果, answer. */
export function auditHandler(infno: '3101' | '3102') {
  return async ({ data }: { data: AuditRequest }, ctx: TxContext) => {
    const { response } = await auditRealtime(ctx.db, data, { infno, fixmedins_code: ctx.envelope.fixmedins_code, msgid: ctx.envelope.msgid }, { today: ctx.today });
    // skipped rules, unknown rule_ids, history not available: also in the envelope's warn_msg
    if (response.warn_msg) ctx.warnings.push(response.warn_msg);
    return response;
  };
}

export const tx3101 = defineTx({
  infno: '3101',
  name: '明细审核事前分析服务',
  input: InputAudit,
  output: OutputAudit,
  needsSignIn: true,
  handler: auditHandler('3101'),
});
