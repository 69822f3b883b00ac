/**
 * The real-time (事前/事中) audit engine. Input exactly as 3101/3102 carry it (patients → encounters → diagnoses /
 * orders / operations, history as encounters and orders with curr_drord_flag 0); output the national result[]
 * (jr_id, rule_id, vola_cont, amounts, sev_deg, details marking 违规项/涉及项 lines). The rules that run are those
 * in force and enabled whose stages match the trigger scenes (or the rule_ids asked for) and whose scenes,
 * institution levels/types and insurance types fit each current encounter. A rule that throws is reported in
 * rule_errs / warn_msg and its hits dropped; the others still answer. When a patient comes without history,
 * an optional HistoryProvider pulls it. Pure over its inputs apart from that: no database access while rules run.
 */
import { randomBytes } from 'node:crypto';
import { validationError } from '../../platform/errors.js';
import { fenToYuanNumber, type Fen } from '../../platform/money.js';
import { beijingDate } from '../../platform/time.js';
import type { Knowledge } from '../kb/knowledge.js';
import { RULE_IMPLS, type RuleImpls } from '../rules/index.js';
import type { RuleBase } from '../rules/store.js';
import type { Hit, HitItem, RuleDef, RuleRun } from '../rules/types.js';
import { TRIG_SCENES, type AuditRequest, type AuditResponse, type EncounterDto, type JudgeDetail, type JudgeResult, type RuleError, type Stage } from '../types.js';
import { prepareClaim, type Claim, type Enc, type Patient } from './claim.js';
import type { HistoryProvider } from './history.js';

export interface EngineOptions {
  kb: Knowledge;
  rules: RuleBase;
  impls?: RuleImpls;
  /** Evaluation date (Beijing); default today. Rule versions in force on it apply. */
  today?: string;
  history?: HistoryProvider;
  /** Days of history the provider is asked for (default 366). */
  historyDays?: number;
  /** Ids of results (default random 32 hex digits). */
  newId?: () => string;
}

export interface Evaluation {
  response: AuditResponse;
  claim: Claim;
  /** Rule ids that ran (for 规则活跃度). */
  rulesRun: string[];
  /** rule_ver of each result's rule, by jr_id. */
  ruleVers: Map<string, number>;
  /** 0 no history, 1 sent in the request, 2 pulled by the provider. */
  histSrc: '0' | '1' | '2';
  /** Σ sumamt of the current lines. */
  medfeeFen: Fen;
  volaFen: Fen;
  reqtTime: Date;
  rspTime: Date;
  anaMs: number;
}

const MAX_CONT = 500;
/** Result ids: 16 random hex digits per process + a 16-digit hex counter (32 characters, unique, cheap). */
const ID_PREFIX = randomBytes(8).toString('hex');
let idSeq = 0;
const newHexId = () => ID_PREFIX + (++idSeq).toString(16).padStart(16, '0');

function amountOf(formula: RuleDef['vola_amt_formula'], it: HitItem): Fen {
  if (it.type !== '1') return 0;
  switch (formula) {
    case '0':
      return 0;
    case '1':
      return it.line.sumamt;
    case '2':
      return it.excess ?? it.line.sumamt;
    default:
      return Math.min(it.line.fundable, it.excess ?? it.line.sumamt);
  }
}

function applies(rule: RuleDef, enc: Enc): boolean {
  if (rule.scenes.length && !rule.scenes.includes(enc.scene) && !(enc.remote && rule.scenes.includes('5'))) return false;
  if (rule.medins_lv.length && (!enc.lv || !rule.medins_lv.includes(enc.lv))) return false;
  if (rule.medins_type.length && !rule.medins_type.includes(enc.medins_type)) return false;
  if (rule.insutypes.length && !rule.insutypes.includes(enc.insutype)) return false;
  return true;
}

function toResult(rule: RuleDef, p: Patient, enc: Enc, h: Hit, task_id: string | null, newId: () => string): { r: JudgeResult; fen: Fen } {
  const jr_id = newId();
  const details: JudgeDetail[] = [];
  let total = 0;
  const seen = new Set<number>();
  for (const it of h.items) {
    if (seen.has(it.line.idx)) continue;
    seen.add(it.line.idx);
    const amt = amountOf(rule.vola_amt_formula, it);
    total += amt;
    details.push({ jrd_id: `${jr_id}-${details.length + 1}`, patn_id: p.patn_id, mdtrt_id: it.line.enc.mdtrt_id, rx_id: it.line.rx_id, vola_item_type: it.type, vola_amt: fenToYuanNumber(amt) });
  }
  for (const e of h.encs ?? []) details.push({ jrd_id: `${jr_id}-${details.length + 1}`, patn_id: p.patn_id, mdtrt_id: e.enc.mdtrt_id, rx_id: null, vola_item_type: e.type, vola_amt: 0 });
  const cont = h.cont.length > MAX_CONT ? `${h.cont.slice(0, MAX_CONT - 1)}…` : h.cont;
  return {
    fen: total,
    r: {
      jr_id,
      rule_id: rule.rule_id,
      rule_name: rule.rule_name,
      vola_cont: cont,
      patn_id: p.patn_id,
      mdtrt_id: enc.mdtrt_id,
      judge_result_detail_dtos: details,
      vola_amt: fenToYuanNumber(total),
      vola_amt_stas: rule.vola_amt_formula === '0' ? '2' : '1',
      sev_deg: h.sev ?? rule.sev_deg,
      vola_evid: rule.vola_evid,
      vola_bhvr_type: rule.vola_bhvr_type,
      task_id,
    },
  };
}

type Selection = { selected: (RuleDef & { paramErr?: string })[]; missing: string[] };
const selections = new WeakMap<RuleBase, Map<string, Selection>>();

/** The rules that run for a date, trigger scenes and rule_ids (memoised per rule base for the default registry). */
function selectRules(rules: RuleBase, impls: RuleImpls, today: string, trig: string[], stages: Set<Stage>, ruleIds: string[] | undefined): Selection {
  const key = `${today}|${trig.join(',')}|${ruleIds?.join(',') ?? ''}`;
  let memo = impls === RULE_IMPLS ? selections.get(rules) : undefined;
  const hit = memo?.get(key);
  if (hit) return hit;
  const ids = ruleIds?.length ? new Set(ruleIds) : null;
  const inForce = rules.inForce(today);
  let missing: string[] = [];
  if (ids) {
    const known = new Set(inForce.filter((r) => r.enabled).map((r) => r.rule_id));
    missing = [...ids].filter((id) => !known.has(id));
  }
  const selected = inForce.filter((r) => r.enabled && (!ids || ids.has(r.rule_id)) && (!stages.size || r.stages.some((s) => stages.has(s))) && impls.has(r.rule_id));
  const sel = { selected, missing };
  if (impls === RULE_IMPLS) {
    if (!memo) selections.set(rules, (memo = new Map()));
    if (memo.size > 1000) memo.clear();
    memo.set(key, sel);
  }
  return sel;
}

export interface CoreResult {
  response: AuditResponse;
  rulesRun: string[];
  ruleVers: Map<string, number>;
  volaFen: Fen;
}

/** Runs the selected rules over a prepared claim. Synchronous; never throws for a rule's failure. */
export function runRules(claim: Claim, opts: Pick<EngineOptions, 'kb' | 'rules' | 'impls' | 'newId'>): CoreResult {
  const impls = opts.impls ?? RULE_IMPLS;
  const newId = opts.newId ?? newHexId;
  const req = claim.req;
  const stages = new Set<Stage>(claim.trig.map((t) => TRIG_SCENES[t]!.stage));
  const { selected, missing } = selectRules(opts.rules, impls, claim.today, claim.trig, stages, req.rule_ids);
  const warns: string[] = [];
  if (missing.length) warns.push(`规则 ${missing.join('、')} 不存在或未启用`);
  const result: JudgeResult[] = [];
  const ruleErrs: RuleError[] = [];
  const ruleVers = new Map<string, number>();
  const rulesRun: string[] = [];
  const task_id = req.task_id ?? null;
  let volaFen = 0;
  for (const rule of selected) {
    if (rule.paramErr) {
      ruleErrs.push({ rule_id: rule.rule_id, rule_name: rule.rule_name, err_msg: rule.paramErr });
      continue;
    }
    const impl = impls.get(rule.rule_id)!;
    rulesRun.push(rule.rule_id);
    const mine: { r: JudgeResult; fen: Fen }[] = [];
    try {
      for (const p of claim.patients) {
        for (const enc of p.currEncs) {
          if (!applies(rule, enc)) continue;
          const run: RuleRun<Record<string, unknown>> = { p, enc, kb: opts.kb, params: rule.params, rule, today: claim.today, stages, trig: claim.trig };
          for (const h of impl.run(run as RuleRun<never>)) mine.push(toResult(rule, p, enc, h, task_id, newId));
        }
      }
    } catch (e) {
      ruleErrs.push({ rule_id: rule.rule_id, rule_name: rule.rule_name, err_msg: `规则执行异常：${e instanceof Error ? e.message : String(e)}` });
      continue;
    }
    for (const m of mine) {
      result.push(m.r);
      ruleVers.set(m.r.jr_id, rule.rule_ver);
      volaFen += m.fen;
    }
  }
  if (ruleErrs.length) warns.unshift(`以下规则执行异常已跳过，其余规则结果有效：${ruleErrs.map((e) => `${e.rule_id}（${e.err_msg}）`).join('；')}`);
  return { response: { result, warn_msg: warns.length ? warns.join('；') : null, rule_errs: ruleErrs }, rulesRun, ruleVers, volaFen };
}

const sentHistory = (p: AuditRequest['patient_dtos'][number]) => (p.fsi_encounter_dtos ?? []).length > 1 || (p.fsi_encounter_dtos ?? []).some((e) => (e.fsi_order_dtos ?? []).some((o) => o.curr_drord_flag === '0'));

/** Evaluates one 3101/3102 request (data node). Throws a VALIDATION error for an unreadable request only. */
export async function evaluate(req: AuditRequest, opts: EngineOptions): Promise<Evaluation> {
  const reqtTime = new Date();
  const t0 = performance.now();
  const today = opts.today ?? beijingDate(reqtTime);
  if (!req.trig_scen && !req.rule_ids?.length) throw validationError('触发场景 trig_scen 与规则标识 rule_ids 至少填写一项');
  let histSrc: Evaluation['histSrc'] = (req.patient_dtos ?? []).some(sentHistory) ? '1' : '0';
  const warns: string[] = [];
  let input = req;
  if (opts.history && (req.patient_dtos ?? []).some((p) => !sentHistory(p))) {
    const patients = [];
    for (const p of req.patient_dtos) {
      if (sentHistory(p)) {
        patients.push(p);
        continue;
      }
      let extra: EncounterDto[] = [];
      try {
        extra = await opts.history.history({ patn_id: p.patn_id, until: today, days: opts.historyDays ?? 366, exclude: (p.fsi_encounter_dtos ?? []).map((e) => e.mdtrt_id) });
      } catch (e) {
        warns.push(`参保人 ${p.patn_id} 的历史就诊获取失败（${e instanceof Error ? e.message : String(e)}），跨就诊规则仅依据本次数据`);
      }
      if (extra.length) histSrc = '2';
      patients.push(extra.length ? { ...p, fsi_encounter_dtos: [...(p.fsi_encounter_dtos ?? []), ...extra] } : p);
    }
    input = { ...req, patient_dtos: patients };
  }
  const claim = prepareClaim(input, opts.kb, today);
  const core = runRules(claim, opts);
  if (warns.length) core.response.warn_msg = [core.response.warn_msg, ...warns].filter(Boolean).join('；');
  let medfeeFen = 0;
  for (const p of claim.patients) for (const l of p.lines) if (l.curr) medfeeFen += l.sumamt;
  const anaMs = performance.now() - t0;
  return { response: core.response, claim, rulesRun: core.rulesRun, ruleVers: core.ruleVers, histSrc, medfeeFen, volaFen: core.volaFen, reqtTime, rspTime: new Date(), anaMs };
}
