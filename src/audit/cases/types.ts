/**
 * Review workflow (疑点审核案件) types: the tables of migration 0018 (declared into the shared Tables), the view of
 * audit_suspect (0013) this module reads, the case states with their Chinese names, and who is acting (Access).
 * audit_suspect's own table type belongs to the batch engine; this module reaches it through `withSuspects`, an
 * extension of the query builder, so the two declarations never clash.
 */
import type { Generated, Kysely, Transaction } from 'kysely';
import type { Tables } from '../../platform/db.js';
import type { Actor } from '../../platform/oplog.js';

/** 10 待初审 20 待复审 30 待机构申诉 40 调查核实 50 待违规处理 60 已处理 90 已排除. */
export type CaseStas = '10' | '20' | '30' | '40' | '50' | '60' | '90';
export const CASE_STAS: Record<CaseStas, string> = {
  '10': '待初审',
  '20': '待复审',
  '30': '待机构申诉',
  '40': '调查核实',
  '50': '待违规处理',
  '60': '已处理',
  '90': '已排除',
};
export const OPEN_STAS: readonly CaseStas[] = ['10', '20', '30', '40', '50'];
/** 1 拒付 (withheld from a payment not yet made) 2 追回 (recovered from money already paid). */
export type DspoType = '1' | '2';
export const DSPO_TYPES: Record<DspoType, string> = { '1': '拒付', '2': '追回' };
/** audit_suspect.stas: 0 待处理 1 审核中 2 已确认违规 3 已排除. */
export const SUSPECT_STAS: Record<string, string> = { '0': '待处理', '1': '审核中', '2': '已确认违规', '3': '已排除' };

export interface AuditCaseLimitTable {
  case_stas: CaseStas;
  step_name: string;
  limit_days: number;
  day_type: 'W' | 'C';
  opter_id: Generated<string>;
  updt_time: Generated<Date>;
}

export interface AuditCaseTable {
  case_id: string;
  admdvs: string;
  fixmedins_code: string;
  rule_ids: string;
  case_stas: CaseStas;
  step_begn_date: string;
  due_date: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  suspect_cnt: number;
  vola_amt: string;
  cnfm_amt: Generated<string>;
  dspo_type: DspoType | null;
  memo: string | null;
  crter_id: string;
  crter_name: string;
  crte_time: Generated<Date>;
  updt_time: Generated<Date>;
  close_time: Date | null;
}

export interface AuditCaseSuspectTable {
  suspect_id: string;
  case_id: string;
  vola_amt: string;
  cnfm_amt: string | null;
  rslt: '2' | '3' | null;
}

export interface AuditCaseHistTable {
  hist_id: Generated<number>;
  case_id: string;
  action: string;
  from_stas: CaseStas | null;
  to_stas: CaseStas;
  opter_id: string;
  opter_name: string;
  opter_role: string;
  opinion: string | null;
  amt: string | null;
  attachments: string | null;
  detail: unknown;
  crte_time: Generated<Date>;
}

export interface AuditCaseRcvTable {
  rcv_id: Generated<number>;
  case_id: string;
  suspect_id: string;
  setl_id: string | null;
  mdtrt_id: string | null;
  psn_no: string;
  fixmedins_code: string;
  insu_admdvs: string | null;
  dspo_type: DspoType;
  amt: string;
  rcv_stas: Generated<'0' | '1'>;
  rcv_date: string | null;
  crte_time: Generated<Date>;
}

declare module '../../platform/db.js' {
  interface Tables {
    audit_case_limit: AuditCaseLimitTable;
    audit_case: AuditCaseTable;
    audit_case_suspect: AuditCaseSuspectTable;
    audit_case_hist: AuditCaseHistTable;
    audit_case_rcv: AuditCaseRcvTable;
  }
}

/** The columns of audit_suspect (migration 0013) this module reads and the one it moves (stas). */
export interface SuspectColumns {
  suspect_id: string;
  run_id: string | null;
  stage: string;
  rule_id: string;
  rule_ver: number;
  rule_name: string;
  sev_deg: string;
  vola_bhvr_type: string;
  admdvs: string;
  fixmedins_code: string;
  psn_no: string;
  mdtrt_id: string | null;
  setl_id: string | null;
  mdtrt_ids: string;
  vola_cont: string;
  vola_amt: string;
  vola_amt_stas: string;
  evidence: unknown;
  dedup_key: string;
  stas: string;
  crte_time: Date;
}
export type WithSuspects = Tables & { audit_suspect: SuspectColumns };

/** The query builder with audit_suspect typed for this module. */
export function withSuspects(k: Kysely<Tables>): Kysely<WithSuspects>;
export function withSuspects(k: Transaction<Tables>): Transaction<WithSuspects>;
export function withSuspects(k: Kysely<Tables> | Transaction<Tables>): Kysely<WithSuspects> | Transaction<WithSuspects> {
  return k.$extendTables<{ audit_suspect: SuspectColumns }>() as Kysely<WithSuspects> | Transaction<WithSuspects>;
}

/** What a participant may do in the workflow (the server derives it from the role's permissions). */
export type CaseCap = 'review' | 'investigate' | 'appeal';

/** Who is acting and what they may see: staff by area prefixes, an institution user by its own code. */
export interface Access {
  actor: Actor;
  /** Role name for the trail (审核员, 稽核员, 机构用户 …). */
  role_name: string;
  caps: ReadonlySet<CaseCap>;
  /** Area-code prefixes covered ('9901'); empty = every area. */
  prefixes: readonly string[];
  /** An institution user: only this institution's cases. */
  fixmedins_code: string | null;
}
