/**
 * Smart audit (智能审核), real-time side: table types of migration 0011 (declared into the shared Tables), the
 * codes the engine reasons with, and the request/response shapes of 3101/3102 as the engine takes and gives them.
 * Owns audit_kb_* (knowledge base), audit_rule (rule base), audit_eval / audit_warn_rslt / audit_warn_dspo (log).
 * The labels of every code here are rows of dict_item (migration 0011), published through 1901.
 */
import type { Generated } from 'kysely';

// ---------- tables ----------

interface KbRow {
  kb_ver: number;
  begndate: string;
  enddate: string | null;
}

export interface AuditKbLoadTable {
  kb_ver: Generated<number>;
  kb_kind: string;
  file: string | null;
  read_cnt: number;
  inserted_cnt: number;
  closed_cnt: number;
  unchanged_cnt: number;
  opter_id: string;
  opter_name: string;
  load_time: Generated<Date>;
}

export interface AuditKbItemTable extends KbRow {
  hilist_code: string;
  child_age_max: number | null;
  child_age_unit: 'Y' | 'D' | null;
  age_exempt_diag: string | null;
  dept_codes: string | null;
  indication_diag: string | null;
  daily_grp: '1' | '2' | '3' | null;
  not_paid: '0' | '1';
  memo: string | null;
}

export interface AuditKbPairTable extends KbRow {
  item_a: string;
  item_b: string;
  pair_type: '1' | '2' | '3' | '4';
  scope: '1' | '2' | '3';
  hit_side: 'B' | '2';
  bypass_flag: '0' | '1';
  memo: string | null;
}

export interface AuditKbFreqTable extends KbRow {
  hilist_code: string;
  period: 'D' | 'V' | 'N' | 'Y';
  period_days: number | null;
  /** numeric(12,4) as text. */
  max_cnt: string;
  mai: '1' | '2' | '3';
  los_scale: '0' | '1';
  memo: string | null;
}

export interface AuditKbDrugTable extends KbRow {
  hilist_code: string;
  ingr_code: string | null;
  std_daily_qty: string | null;
  max_daily_qty: string | null;
  max_days: number | null;
  memo: string | null;
}

export interface AuditKbHerbTable extends KbRow {
  hilist_code: string;
  memo: string | null;
}

export interface AuditKbCycleTable extends KbRow {
  cycle_type: '1' | '2' | '3' | '9';
  code_type: '1' | '2' | '3';
  code: string;
  memo: string | null;
}

export interface AuditRuleTable {
  rule_id: string;
  rule_name: string;
  rule_cls: RuleCls;
  rule_ver: number;
  rslt_type: SevDeg;
  time_window: string;
  medins_lv: string;
  medins_type: string;
  scenes: string;
  fund_type: string;
  stages: string;
  insutypes: string;
  sev_deg: SevDeg;
  vola_bhvr_type: string;
  vola_evid: string;
  vola_amt_formula: AmtFormula;
  knowledge_refs: string;
  logic_dscr: string;
  params: unknown;
  enabled: '0' | '1';
  memo: string | null;
  opter_id: string;
  updt_time: Generated<Date>;
  begndate: string;
  enddate: string | null;
}

export interface AuditEvalTable {
  eval_id: string;
  infno: string;
  task_id: string | null;
  syscode: string | null;
  fixmedins_code: string | null;
  msgid: string | null;
  trig_scen: string | null;
  rule_ids: string | null;
  med_type: string | null;
  patn_ids: string;
  mdtrt_ids: string;
  reqt_time: Date;
  rsp_time: Date;
  ana_dura: string;
  rules_run: string;
  rule_cnt: number;
  hit_cnt: number;
  err_rule_ids: string;
  warn_msg: string | null;
  medfee_sumamt: string;
  vola_amt: string;
  hist_src: '0' | '1' | '2';
}

export interface AuditWarnRsltTable {
  warn_rslt_id: string;
  eval_id: string;
  task_id: string | null;
  infno: string;
  trig_scen: string | null;
  med_type: string | null;
  fixmedins_code: string | null;
  patn_id: string;
  mdtrt_id: string | null;
  reqt_time: Date;
  rsp_time: Date;
  ana_dura: string;
  vola_flag: string;
  rule_id: string;
  rule_ver: number;
  rule_name: string;
  rule_sev_deg: SevDeg;
  vola_bhvr_type: string;
  warn_cont: string;
  medfee_sumamt: string;
  vola_amt: string;
  vola_amt_stas: string;
  detail: unknown;
  warn_dspo_way: DspoWay | null;
  dspo_dscr: string | null;
  dspo_time: Date | null;
}

export interface AuditWarnDspoTable {
  dspo_id: Generated<number>;
  warn_rslt_id: string;
  warn_dspo_way: DspoWay;
  dspo_dscr: string | null;
  dr_codg: string | null;
  dr_name: string | null;
  fixmedins_code: string;
  msgid: string | null;
  dspo_time: Generated<Date>;
}

declare module '../platform/db.js' {
  interface Tables {
    audit_kb_load: AuditKbLoadTable;
    audit_kb_item: AuditKbItemTable;
    audit_kb_pair: AuditKbPairTable;
    audit_kb_freq: AuditKbFreqTable;
    audit_kb_drug: AuditKbDrugTable;
    audit_kb_herb: AuditKbHerbTable;
    audit_kb_cycle: AuditKbCycleTable;
    audit_rule: AuditRuleTable;
    audit_eval: AuditEvalTable;
    audit_warn_rslt: AuditWarnRsltTable;
    audit_warn_dspo: AuditWarnDspoTable;
  }
}

// ---------- codes (labels in dict_item) ----------

/** 规则分类: 1 政策类 2 管理类 3 医疗类 4 大数据模型 (FWA). */
export type RuleCls = '1' | '2' | '3' | '4';
/** 严重程度 / 规则运行结果类型: 1 明确违规 2 高度可疑 3 可疑. */
export type SevDeg = '1' | '2' | '3';
/** 监管环节: 1 事前 2 事中 3 事后. */
export type Stage = '1' | '2' | '3';
/** Care setting of an encounter as rules see it: 1 门(急)诊 2 住院 3 购药 4 互联网 5 异地 (a flag on top of 1–3). */
export type AuditScene = '1' | '2' | '3' | '4' | '5';
/** 违规金额计算方式: 0 不计算 1 违规明细金额 2 超出部分 3 医保范围内金额. */
export type AmtFormula = '0' | '1' | '2' | '3';
/** 提醒处理方式: 1 采纳修改 2 坚持执行 3 已知晓. */
export type DspoWay = '1' | '2' | '3';

export const RULE_CLS: Record<RuleCls, string> = { '1': '政策类', '2': '管理类', '3': '医疗类', '4': '大数据模型' };
export const SEV_DEG: Record<SevDeg, string> = { '1': '明确违规', '2': '高度可疑', '3': '可疑' };
export const STAGES: Record<Stage, string> = { '1': '事前', '2': '事中', '3': '事后' };
export const AUDIT_SCENES: Record<AuditScene, string> = { '1': '门(急)诊', '2': '住院', '3': '购药', '4': '互联网诊疗', '5': '异地就医' };
export const AMT_FORMULAS: Record<AmtFormula, string> = { '0': '不计算金额', '1': '违规明细金额', '2': '超出部分金额', '3': '医保支付范围内金额' };
export const DSPO_WAYS: Record<DspoWay, string> = { '1': '采纳提醒（修改或撤销医嘱）', '2': '坚持执行（已说明理由）', '3': '已知晓' };
export const TIME_WINDOWS: Record<string, string> = {
  '0': '当次就诊', '1': '当次门诊', '2': '当次住院', '3': '自然日', '4': '单日', '5': '自然月', '6': '单月', '7': '每季度', '8': '自然年', '9': '医保年度', '99': '其他',
};
export const VOLA_BHVR_TYPES: Record<string, string> = {
  '1': '超医保支付范围', '2': '重复收费', '3': '超标准收费', '4': '分解收费/串换项目', '5': '超频次/超数量', '6': '不合理诊疗/用药',
  '7': '分解住院/挂床住院/虚假住院', '8': '冒名就医/身份异常', '9': '资格不符', '99': '其他',
};
/** 触发场景 → 监管环节: 1–5 事前 (3101), 6–10 事中 (3102). */
export const TRIG_SCENES: Record<string, { name: string; stage: Stage; scene: '1' | '2' | '3' }> = {
  '1': { name: '门诊挂号', stage: '1', scene: '1' },
  '2': { name: '门诊收费登记', stage: '1', scene: '1' },
  '3': { name: '住院登记', stage: '1', scene: '2' },
  '4': { name: '住院收费登记', stage: '1', scene: '2' },
  '5': { name: '住院执行医嘱', stage: '1', scene: '2' },
  '6': { name: '门诊结算', stage: '2', scene: '1' },
  '7': { name: '门诊预结算', stage: '2', scene: '1' },
  '8': { name: '住院结算', stage: '2', scene: '2' },
  '9': { name: '住院预结算', stage: '2', scene: '2' },
  '10': { name: '购药划卡', stage: '2', scene: '3' },
};

// ---------- the 3101/3102 request as the engine takes it (data node) ----------

/** A number as clients send it: a JSON number or a numeric string. */
export type Num = number | string;

export interface DiagnoseDto {
  dise_id?: string;
  inout_dise_type?: string;
  maindise_flag?: string;
  dias_srt_no?: Num;
  dise_codg?: string;
  dise_name?: string;
  dise_date?: string;
}

export interface OrderDto {
  rx_id: string;
  rxno?: string;
  grpno?: string;
  long_drord_flag?: string;
  hilist_type?: string;
  chrg_type?: string;
  drord_bhvr?: string;
  hilist_code: string;
  hilist_name?: string;
  hilist_dosform?: string;
  hilist_lv?: string;
  hilist_pric?: Num;
  lv1_hosp_item_pric?: Num;
  lv2_hosp_item_pric?: Num;
  lv3_hosp_item_pric?: Num;
  hilist_memo?: string;
  hosplist_code?: string;
  hosplist_name?: string;
  hosplist_dosform?: string;
  cnt: Num;
  pric: Num;
  sumamt: Num;
  ownpay_amt?: Num;
  selfpay_amt?: Num;
  spec?: string;
  spec_unt?: string;
  drord_begn_date?: string;
  drord_stop_date?: string;
  drord_dept_codg?: string;
  drord_dept_name?: string;
  drord_dr_codg?: string;
  drord_dr_name?: string;
  drord_dr_profttl?: string;
  /** 1 = an order of this request, 0 = history. */
  curr_drord_flag?: string;
  /** yibao extension: a modifier on the line (e.g. 59, XS) that bypasses a bypassable pair edit. */
  mdfr_codg?: string;
}

export interface OperationDto {
  setl_list_oprn_id?: string;
  oprn_code?: string;
  oprn_name?: string;
  main_oprn_flag?: string;
  oprn_date?: string;
  anst_way?: string;
  oper_dr_name?: string;
  oper_dr_code?: string;
  anst_dr_name?: string;
  anst_dr_code?: string;
}

export interface EncounterDto {
  mdtrt_id: string;
  medins_id?: string;
  medins_name?: string;
  medins_admdvs?: string;
  medins_type?: string;
  medins_lv?: string;
  wardarea_codg?: string;
  wardno?: string;
  bedno?: string;
  adm_date?: string;
  dscg_date?: string;
  dscg_main_dise_codg?: string;
  dscg_main_dise_name?: string;
  fsi_diagnose_dtos?: DiagnoseDto[];
  dr_codg?: string;
  adm_dept_codg?: string;
  adm_dept_name?: string;
  dscg_dept_codg?: string;
  dscg_dept_name?: string;
  med_mdtrt_type?: string;
  med_type?: string;
  fsi_order_dtos?: OrderDto[];
  matn_stas?: string;
  medfee_sumamt?: Num;
  ownpay_amt?: Num;
  selfpay_amt?: Num;
  acct_payamt?: Num;
  ma_amt?: Num;
  hifp_payamt?: Num;
  setl_totlnum?: Num;
  insutype?: string;
  reim_flag?: string;
  out_setl_flag?: string;
  fsi_operation_dtos?: OperationDto[];
}

export interface PatientDto {
  patn_id: string;
  patn_name?: string;
  gend: string;
  brdy: string;
  poolarea?: string;
  curr_mdtrt_id?: string;
  fsi_encounter_dtos: EncounterDto[];
  fsi_his_data_dto?: unknown;
}

export interface AuditRequest {
  syscode?: string;
  rule_ids?: string[];
  task_id?: string;
  trig_scen?: string;
  patient_dtos: PatientDto[];
}

// ---------- the response (output node) ----------

export interface JudgeDetail {
  jrd_id: string;
  patn_id: string;
  mdtrt_id: string | null;
  rx_id: string | null;
  /** 1 违规项 2 涉及项. */
  vola_item_type: '1' | '2';
  vola_amt: number;
}

export interface JudgeResult {
  jr_id: string;
  rule_id: string;
  rule_name: string;
  vola_cont: string;
  patn_id: string;
  mdtrt_id: string | null;
  judge_result_detail_dtos: JudgeDetail[];
  vola_amt: number;
  vola_amt_stas: '1' | '2';
  sev_deg: SevDeg;
  vola_evid: string;
  vola_bhvr_type: string;
  task_id: string | null;
}

export interface RuleError {
  rule_id: string;
  rule_name: string;
  err_msg: string;
}

export interface AuditResponse {
  result: JudgeResult[];
  /** Null when every selected rule ran; otherwise says which rules were skipped and why. */
  warn_msg: string | null;
  rule_errs: RuleError[];
}
