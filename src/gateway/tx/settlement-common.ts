/**
 * Shared pieces of the settlement transactions (22xx, 23xx, 24xx, 2601): the Caller the settlement service takes,
 * money fields read as the exact text sent (numbers arrive as JSON numbers or strings; the service refuses more
 * than 2 decimals by name), the diagnosis, fee-line and settlement nodes with the national field names.
 */
import { Type, type Static } from '@sinclair/typebox';
import { validationError } from '../../platform/errors.js';
import { yuanToFen } from '../../platform/money.js';
import type { Caller, DiagInput, FeeLineInput, LineSplit, SettleOutput } from '../../settlement/index.js';
import { lineToWire } from '../../settlement/policy/index.js';
import { C, Code, D, DT, ExpContent, N, Nullable, OptC } from '../schema.js';
import type { TxContext } from '../types.js';

/** The settlement service's view of a gateway request. */
export function callerOf(ctx: TxContext): Caller {
  return {
    db: ctx.db,
    actor: ctx.actor,
    institution: ctx.institution,
    msgid: ctx.envelope.msgid,
    at: ctx.receivedAt,
    today: ctx.today,
    mdtrtarea_admvs: ctx.envelope.mdtrtarea_admvs ?? ctx.config.nodeAdmdvs,
    ...(ctx.envelope.insuplc_admdvs ? { insuplc_admdvs: ctx.envelope.insuplc_admdvs } : {}),
  };
}

/** N(16,2) money as sent: a decimal text (JSON numbers are turned into their text); checked by the service. */
export const Amt = (description: string) => Type.String({ maxLength: 20, pattern: '^-?\\d+(\\.\\d+)?$', description });
export const OptAmt = (description: string) => Type.Optional(Amt(description));
/** A decimal quantity / price as sent (cnt N(16,4), pric N(16,6)). */
export const Dec = (description: string) => Type.String({ maxLength: 24, pattern: '^-?\\d+(\\.\\d+)?$', description });

const LABELS: Record<string, string> = {
  medfee_sumamt: '医疗费总额',
  fulamt_ownpay_amt: '全自费金额',
  overlmt_selfpay: '超限价金额',
  preselfpay_amt: '先行自付金额',
  inscp_scp_amt: '符合政策范围金额',
};

/** Money text → fen; more than 2 decimals is refused naming the field (data.medfee_sumamt → 医疗费总额). */
export function fen(v: string, field: string): number {
  try {
    return yuanToFen(v, field);
  } catch {
    const name = LABELS[field.replace(/^.*\./, '')] ?? field;
    throw validationError(`${name}“${v}”应为最多两位小数的金额`, [{ field, message: '应为最多两位小数的金额' }]);
  }
}
export const optFen = (v: string | undefined, field: string) => (v === undefined ? undefined : fen(v, field));

/** diseinfo[] of 2203 (outpatient: no maindiag_flag in the spec — the first by diag_srt_no is the main one). */
export const OptDiseinfo = Type.Object({
  diag_type: C(3, '诊断类别：1 西医 2 中医主病 3 中医主证'),
  diag_srt_no: N('诊断排序号'),
  diag_code: C(20, '诊断代码'),
  diag_name: C(100, '诊断名称'),
  diag_dept: OptC(50, '诊断科室'),
  dise_dor_no: OptC(30, '诊断医生编码'),
  dise_dor_name: OptC(50, '诊断医生姓名'),
  diag_time: Type.Optional(DT('诊断时间')),
  vali_flag: Type.Optional(Code(['0', '1'], '有效标志')),
  maindiag_flag: Type.Optional(Code(['0', '1'], '主诊断标志')),
});

/** diseinfo[] of 2401 / 2402 / 2403. */
export const IptDiseinfo = Type.Object({
  mdtrt_id: OptC(30, '就诊ID'),
  psn_no: OptC(30, '人员编号'),
  diag_type: C(3, '诊断类别'),
  maindiag_flag: Code(['0', '1'], '主诊断标志'),
  diag_srt_no: N('诊断排序号'),
  diag_code: C(20, '诊断代码'),
  diag_name: C(100, '诊断名称'),
  adm_cond: OptC(500, '入院病情'),
  diag_dept: OptC(50, '诊断科室'),
  dise_dor_no: OptC(30, '诊断医生编码'),
  dise_dor_name: OptC(50, '诊断医生姓名'),
  diag_time: Type.Optional(DT('诊断时间')),
  vali_flag: Type.Optional(Code(['0', '1'], '有效标志')),
});

type AnyDise = Static<typeof OptDiseinfo> | Static<typeof IptDiseinfo>;

/** The diagnoses sent (vali_flag 0 rows dropped); for outpatient without a main flag the first is main. */
export function diagnoses(list: readonly AnyDise[], firstIsMain = false): DiagInput[] {
  const valid = list.filter((d) => d.vali_flag !== '0');
  const anyMain = valid.some((d) => d.maindiag_flag === '1');
  const first = Math.min(...valid.map((d) => d.diag_srt_no));
  return valid.map((d) => ({
    diag_type: d.diag_type,
    diag_srt_no: d.diag_srt_no,
    diag_code: d.diag_code,
    diag_name: d.diag_name,
    maindiag_flag: d.maindiag_flag ?? (firstIsMain && !anyMain && d.diag_srt_no === first ? '1' : '0'),
    ...(d.diag_dept ? { diag_dept: d.diag_dept } : {}),
    ...(d.dise_dor_no ? { dise_dor_no: d.dise_dor_no } : {}),
    ...(d.dise_dor_name ? { dise_dor_name: d.dise_dor_name } : {}),
    ...(d.diag_time ? { diag_time: d.diag_time } : {}),
    ...('adm_cond' in d && d.adm_cond ? { adm_cond: d.adm_cond } : {}),
  }));
}

/** One element of feedetail[] (2204; 2301 adds the inpatient fields). */
export const FeeDetailIn = Type.Object({
  feedetl_sn: C(30, '费用明细流水号'),
  init_feedetl_sn: OptC(30, '原费用流水号'),
  mdtrt_id: C(30, '就诊ID'),
  drord_no: OptC(30, '医嘱号'),
  psn_no: C(30, '人员编号'),
  med_type: OptC(6, '医疗类别'),
  chrg_bchno: OptC(30, '收费批次号'),
  dise_codg: OptC(30, '病种编码'),
  rxno: OptC(30, '处方号'),
  rx_circ_flag: OptC(3, '外购处方标志'),
  fee_ocur_time: DT('费用发生时间'),
  med_list_codg: C(50, '医疗目录编码'),
  medins_list_codg: C(150, '医药机构目录编码'),
  det_item_fee_sumamt: Amt('明细项目费用总额'),
  cnt: Dec('数量'),
  pric: Dec('单价'),
  sin_dos_dscr: OptC(200, '单次剂量描述'),
  used_frqu_dscr: OptC(200, '使用频次描述'),
  prd_days: Type.Optional(Dec('周期天数')),
  medc_way_dscr: OptC(200, '用药途径描述'),
  bilg_dept_codg: OptC(30, '开单科室编码'),
  bilg_dept_name: OptC(100, '开单科室名称'),
  bilg_dr_codg: OptC(30, '开单医生编码'),
  bilg_dr_name: OptC(50, '开单医师姓名'),
  acord_dept_codg: OptC(30, '受单科室编码'),
  acord_dept_name: OptC(100, '受单科室名称'),
  orders_dr_code: OptC(30, '受单医生编码'),
  orders_dr_name: OptC(50, '受单医生姓名'),
  hosp_appr_flag: OptC(3, '医院审批标志'),
  tcmdrug_used_way: OptC(6, '中药使用方式'),
  etip_flag: OptC(3, '外检标志'),
  etip_hosp_code: OptC(30, '外检医院编码'),
  dscg_tkdrug_flag: OptC(3, '出院带药标志'),
  matn_fee_flag: OptC(6, '生育费用标志'),
  tcmherb_prov_code: OptC(50, '草药省码'),
  mcs_prov_code: OptC(50, '耗材省码'),
  memo: OptC(500, '备注'),
  exp_content: ExpContent,
});

/** A fee line as the service takes it; a 药品追溯码 may come in exp_content (drug_trac_codg / trac_codg). */
export function feeLineOf(l: Static<typeof FeeDetailIn>): FeeLineInput {
  const { exp_content, memo: _memo, dise_codg: _d, ...rest } = l;
  const exp = (exp_content && typeof exp_content === 'object' ? exp_content : {}) as Record<string, unknown>;
  const trac = exp.drug_trac_codg ?? exp.trac_codg;
  return { ...rest, ...(typeof trac === 'string' && trac ? { drug_trac_codg: trac.slice(0, 500) } : {}) };
}

/** One row of the 2204 / 2301 output `result[]` (19 fields, as the reference lists them). */
export const FeeResultOut = Type.Object({
  feedetl_sn: Type.String(),
  det_item_fee_sumamt: Type.Number(),
  cnt: Type.Number(),
  pric: Type.Number(),
  pric_uplmt_amt: Type.Number(),
  selfpay_prop: Type.Number(),
  fulamt_ownpay_amt: Type.Number(),
  overlmt_amt: Type.Number(),
  preselfpay_amt: Type.Number(),
  inscp_scp_amt: Type.Number(),
  chrgitm_lv: Type.String(),
  med_chrgitm_type: Nullable(Type.String()),
  bas_medn_flag: Nullable(Type.String()),
  hi_nego_drug_flag: Nullable(Type.String()),
  chld_medc_flag: Nullable(Type.String()),
  list_sp_item_flag: Nullable(Type.String()),
  lmt_used_flag: Type.String(),
  drt_reim_flag: Nullable(Type.String()),
  memo: Nullable(Type.String()),
});

export function feeResult(s: LineSplit): Static<typeof FeeResultOut> {
  const w = lineToWire(s.line);
  return {
    feedetl_sn: w.feedetl_sn,
    det_item_fee_sumamt: w.det_item_fee_sumamt,
    cnt: w.cnt,
    // the exact price as sent (up to 6 decimals), not its nearest fen
    pric: Number(s.pric),
    pric_uplmt_amt: w.pric_uplmt_amt,
    selfpay_prop: w.selfpay_prop,
    fulamt_ownpay_amt: w.fulamt_ownpay_amt,
    overlmt_amt: w.overlmt_amt,
    preselfpay_amt: w.preselfpay_amt,
    inscp_scp_amt: w.inscp_scp_amt,
    chrgitm_lv: w.chrgitm_lv,
    med_chrgitm_type: w.med_chrgitm_type,
    bas_medn_flag: null,
    hi_nego_drug_flag: null,
    chld_medc_flag: null,
    list_sp_item_flag: null,
    lmt_used_flag: w.lmt_used_flag,
    drt_reim_flag: null,
    memo: w.memo,
  };
}

const Num = Type.Number();
const S = Type.String();

/** `setlinfo` of 2206 / 2207 / 2303 / 2304 (setl_id absent in pre-settlement). */
export const SetlinfoOut = Type.Object({
  mdtrt_id: S,
  setl_id: Type.Optional(S),
  psn_no: S,
  psn_name: S,
  psn_cert_type: S,
  certno: S,
  gend: S,
  naty: S,
  brdy: D(),
  age: Num,
  insutype: S,
  psn_type: S,
  cvlserv_flag: S,
  setl_time: DT(),
  mdtrt_cert_type: Nullable(S),
  med_type: S,
  medfee_sumamt: Num,
  fulamt_ownpay_amt: Num,
  overlmt_selfpay: Num,
  preselfpay_amt: Num,
  inscp_scp_amt: Num,
  act_pay_dedc: Num,
  hifp_pay: Num,
  pool_prop_selfpay: Num,
  cvlserv_pay: Num,
  hifes_pay: Num,
  hifmi_pay: Num,
  hifob_pay: Num,
  maf_pay: Num,
  oth_pay: Num,
  fund_pay_sumamt: Num,
  psn_part_amt: Num,
  acct_pay: Num,
  psn_cash_pay: Num,
  hosp_part_amt: Num,
  balc: Num,
  acct_mulaid_pay: Num,
  medins_setl_id: S,
  clr_optins: S,
  clr_way: S,
  clr_type: S,
  hifdm_pay: Num,
  exp_content: Type.Null(),
});

export const SetldetailOut = Type.Object({
  fund_pay_type: S,
  inscp_scp_amt: Num,
  crt_payb_lmt_amt: Num,
  fund_payamt: Num,
  fund_pay_type_name: S,
  setl_proc_info: S,
});

export const SettleOut = Type.Object({ setlinfo: SetlinfoOut, setldetail: Type.Array(SetldetailOut) });

/** `setlinfo` of 2208 / 2305: amounts negative; psn_cash_pay also as pdn_cash_pay (the spec table's typo). */
export const ReversalOut = Type.Object({
  setlinfo: Type.Object({
    mdtrt_id: S,
    setl_id: S,
    clr_optins: S,
    setl_time: DT(),
    medfee_sumamt: Num,
    fulamt_ownpay_amt: Num,
    overlmt_selfpay: Num,
    preselfpay_amt: Num,
    inscp_scp_amt: Num,
    act_pay_dedc: Num,
    hifp_pay: Num,
    pool_prop_selfpay: Num,
    cvlserv_pay: Num,
    hifes_pay: Num,
    hifmi_pay: Num,
    hifob_pay: Num,
    maf_pay: Num,
    oth_pay: Num,
    fund_pay_sumamt: Num,
    psn_part_amt: Num,
    acct_pay: Num,
    psn_cash_pay: Num,
    pdn_cash_pay: Num,
    hosp_part_amt: Num,
    balc: Num,
    acct_mulaid_pay: Num,
    medins_setl_id: S,
    hifdm_pay: Num,
  }),
  setldetail: Type.Array(SetldetailOut),
});

/**
 * The output of a settlement call, typed for the schema (the service builds exactly these fields); its warnings
 * (事中审核 hits that only warn, an audit that could not run) go to the envelope's warn_msg.
 */
export function settleOut(o: SettleOutput, ctx: TxContext): Static<typeof SettleOut> {
  if (o.warnings.length) ctx.warnings.push(...o.warnings);
  return { setlinfo: o.setlinfo, setldetail: o.setldetail } as Static<typeof SettleOut>;
}

/** A transaction without output (2202, 2203, 2205, 2302, 2402–2405, 2601): an empty object. */
export const NoOutput = Type.Object({});
