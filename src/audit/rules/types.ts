/**
 * What a rule is: metadata and parameters as data (a row of audit_rule, `RuleDef`), logic as compiled TypeScript
 * (`RuleImpl`, registered by rule_id). An implementation reads the prepared claim and the knowledge snapshot and
 * returns hits; the engine turns hits into national results (amounts by the rule's formula, ids, details).
 */
import type { TSchema } from '@sinclair/typebox';
import type { FieldProblem } from '../../platform/errors.js';
import type { Fen } from '../../platform/money.js';
import type { Enc, Line, Patient } from '../engine/claim.js';
import type { Knowledge } from '../kb/knowledge.js';
import type { AmtFormula, AuditScene, RuleCls, SevDeg, Stage } from '../types.js';

/** A rule version as stored (lists split, params with defaults applied). */
export interface RuleDef {
  rule_id: string;
  rule_name: string;
  rule_cls: RuleCls;
  rule_ver: number;
  rslt_type: SevDeg;
  time_window: string;
  medins_lv: string[];
  medins_type: string[];
  scenes: AuditScene[];
  fund_type: string;
  stages: Stage[];
  insutypes: string[];
  sev_deg: SevDeg;
  vola_bhvr_type: string;
  vola_evid: string;
  vola_amt_formula: AmtFormula;
  knowledge_refs: string[];
  logic_dscr: string;
  params: Record<string, unknown>;
  enabled: boolean;
  memo: string | null;
  begndate: string;
  enddate: string | null;
}

export interface RuleRun<P> {
  p: Patient;
  /** The current encounter the rule looks at (its current lines are the ones that can offend). */
  enc: Enc;
  kb: Knowledge;
  params: P;
  rule: RuleDef;
  today: string;
  /** Stages of the request's trigger scenes (empty when only rule_ids were given). */
  stages: Set<Stage>;
  trig: string[];
}

export interface HitItem {
  line: Line;
  /** 1 违规项 (offending) 2 涉及项 (participating). */
  type: '1' | '2';
  /** The part beyond the limit (formula 2); the whole line when absent. */
  excess?: Fen;
}

export interface Hit {
  /** vola_cont: Chinese, naming the items. */
  cont: string;
  items: HitItem[];
  /** Encounter-level details (no rx_id): e.g. both stays of a 分解住院. */
  encs?: { enc: Enc; type: '1' | '2' }[];
  /** A severity other than the rule's default (e.g. escalated). */
  sev?: SevDeg;
}

export interface RuleImpl<P = Record<string, unknown>> {
  rule_id: string;
  /** TypeBox object schema of the parameters, with defaults; unknown keys are refused. */
  params: TSchema;
  /** Checks beyond the schema (ranges that depend on each other …), Chinese messages. */
  check?(params: P): FieldProblem[];
  /** Amount formulas the implementation supports (0 and 1 always make sense; 2 needs `excess`). */
  formulas: AmtFormula[];
  run(x: RuleRun<P>): Hit[];
}

/** Declares an implementation with its parameter type. */
export function defineRule<P>(impl: RuleImpl<P>): RuleImpl<P> {
  return impl;
}
