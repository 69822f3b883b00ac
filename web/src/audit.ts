/**
 * What the smart-audit pages share: the Chinese names of the audit codes (the server's own tables in src/audit),
 * the shapes of /api/audit answers as the pages read them, and the names of the review workflow's actions.
 */
export { AMT_FORMULAS, DSPO_WAYS, RULE_CLS, SEV_DEG, STAGES, TIME_WINDOWS, TRIG_SCENES, VOLA_BHVR_TYPES } from '../../src/audit/types.js';
export { CASE_STAS, SUSPECT_STAS } from '../../src/audit/cases/types.js';
import type { SuspectColumns } from '../../src/audit/cases/types.js';

export const SEV_COLOR: Record<string, string> = { '1': 'red', '2': 'orange', '3': 'gold' };
export const SUSPECT_STAS_COLOR: Record<string, string> = { '0': 'default', '1': 'processing', '2': 'error', '3': 'success' };
export const CASE_STAS_COLOR: Record<string, string> = { '10': 'blue', '20': 'geekblue', '30': 'purple', '40': 'orange', '50': 'volcano', '60': 'success', '90': 'default' };

/** The workflow's actions (src/audit/cases/workflow.ts STEPS) as the console names them. */
export const CASE_ACTION_NAMES: Record<string, string> = {
  assign: '分配审核人',
  first_review: '初审',
  second_review: '复审',
  appeal: '机构申诉',
  accept: '机构认可',
  close_appeal: '申诉期满',
  investigate: '调查核实',
  dispose: '违规处理',
  recovered: '追回到账',
};
/** Actions that decide (a conclusion: confirm / exclude). */
export const DECIDING = new Set(['first_review', 'second_review', 'investigate']);
/** Actions that need an opinion. */
export const NEEDS_OPINION = new Set(['first_review', 'second_review', 'appeal', 'investigate', 'dispose']);

export interface RuleDef {
  rule_id: string;
  rule_name: string;
  rule_cls: string;
  rule_ver: number;
  rslt_type: string;
  time_window: string;
  medins_lv: string[];
  medins_type: string[];
  scenes: string[];
  fund_type: string;
  stages: string[];
  insutypes: string[];
  sev_deg: string;
  vola_bhvr_type: string;
  vola_evid: string;
  vola_amt_formula: string;
  knowledge_refs: string[];
  logic_dscr: string;
  params: Record<string, unknown>;
  enabled: boolean;
  memo: string | null;
  begndate: string;
  enddate: string | null;
  paramErr?: string;
}

/** A suspect as listed: audit_suspect's columns (amounts as yuan numbers, time as Beijing text) with its case. */
export type SuspectRow = Omit<SuspectColumns, 'rule_ver' | 'mdtrt_ids' | 'vola_amt' | 'vola_amt_stas' | 'evidence' | 'dedup_key' | 'crte_time'> & {
  vola_amt: number;
  stas_name: string;
  crte_time: string;
  case_id: string | null;
  cnfm_amt: number | null;
};

export interface SuspectDetail extends SuspectRow {
  rule_ver: number;
  mdtrt_ids: string;
  evidence: unknown;
  case: { case_id: string; cnfm_amt: number | null; rslt: string | null } | null;
}

export interface CaseRow {
  case_id: string;
  admdvs: string;
  fixmedins_code: string;
  rule_ids: string;
  case_stas: string;
  case_stas_name: string;
  step_begn_date: string;
  due_date: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  suspect_cnt: number;
  vola_amt: number;
  cnfm_amt: number;
  dspo_type: string | null;
  dspo_type_name: string | null;
  memo: string | null;
  crter_name: string;
  crte_time: string;
  updt_time: string;
  close_time: string | null;
  overdue: boolean;
  actions: string[];
}

export interface CaseDetail {
  case: CaseRow;
  suspects: (Omit<SuspectDetail, 'case' | 'crte_time' | 'admdvs' | 'fixmedins_code' | 'stage' | 'run_id' | 'case_id' | 'rule_ver' | 'mdtrt_ids'> & { rslt: string | null })[];
  history: { hist_id: number; action: string; action_name: string; from_stas_name: string | null; to_stas_name: string; opter_name: string; opter_role: string; opinion: string | null; amt: number | null; attachments: string | null; crte_time: string }[];
  recoveries: { rcv_id: number; suspect_id: string; dspo_type_name: string; amt: number; rcv_stas: string; rcv_date: string | null }[];
}

/** Short names of the doctors' dispositions (3103 warn_dspo_way) for tags; DSPO_WAYS has the full ones. */
export const DSPO_SHORT: Record<string, string> = { '1': '采纳修改', '2': '坚持执行', '3': '已知晓' };
export const DSPO_COLOR: Record<string, string> = { '1': 'success', '2': 'warning', '3': 'default' };

/** A masked patient of the evaluation log (/api/audit/evaluations). */
export interface MaskedPatient {
  patn_id: string;
  psn_name: string | null;
}

/** One 3101/3102 call as /api/audit/evaluations lists it. */
export interface EvaluationRow {
  eval_id: string;
  infno: string;
  trig_scen: string | null;
  med_type: string | null;
  fixmedins_code: string | null;
  fixmedins_name: string | null;
  patients: MaskedPatient[];
  reqt_time: string;
  ana_dura: number;
  rule_cnt: number;
  hit_cnt: number;
  hit_rule_ids: string[];
  err_rule_ids: string[];
  medfee_sumamt: number;
  vola_amt: number;
  dspo: { warnings: number; disposed: number; ways: Record<string, number> };
}

/** One result[] item (事前提醒结果) with its details and every disposition. */
export interface EvaluationResult {
  warn_rslt_id: string;
  rule_id: string;
  rule_ver: number;
  rule_name: string;
  rule_sev_deg: string;
  vola_bhvr_type: string;
  warn_cont: string;
  patn_id: string;
  mdtrt_id: string | null;
  vola_amt: number;
  vola_amt_stas: string;
  detail: Record<string, unknown>[];
  warn_dspo_way: string | null;
  dspo_dscr: string | null;
  dspo_time: string | null;
  dispositions: { dspo_id: number; warn_dspo_way: string; dspo_dscr: string | null; dr_codg: string | null; dr_name: string | null; dspo_time: string }[];
}

export interface EvaluationDetail {
  evaluation: Omit<EvaluationRow, 'hit_rule_ids' | 'dspo'> & {
    task_id: string | null;
    syscode: string | null;
    msgid: string | null;
    rsp_time: string;
    warn_msg: string | null;
    hist_src: string;
    requested_rule_ids: string[];
    rules_run: string[];
  };
  result: EvaluationResult[];
}
