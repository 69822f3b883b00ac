/**
 * 事中审核 inside settlement (issue 5): pre-settlement and settlement (2206 / 2207, 2303 / 2304) run the real-time
 * audit engine (trig_scen 7 / 6, 9 / 8; 10 at a pharmacy) on the lines they settle, with the patient's history from
 * the database (earlier encounters, and this admission's lines already settled by a 中途结算). What a hit does is
 * configuration (table setl_audit_cfg, migration 0015: per insured region, most specific area wins, and per
 * sev_deg, effective-dated): warn only (the envelope's warn_msg) or refuse fund payment for the offending lines,
 * which become 全自费 for this settlement with the rule and item named in setl_proc_info.
 *
 * Latency: the knowledge base and rule base are the audit service's cached snapshots, taken before the settlement
 * transaction opens (so the transaction never waits on a cold cache); the patient's history and the configuration
 * (cached, platform/cache.ts) are read then too when the gate knows the encounter, so the transaction itself reads
 * nothing for the audit (without them it reads both under a savepoint). Failure: an audit that cannot run never fails a settlement — it settles unaudited and
 * says so in warn_msg; a failing rule is skipped and reported by the engine itself. The evaluation is logged like
 * 3102 (audit_eval / audit_warn_rslt) after the settlement's transaction, by `logSettlementAudit`.
 */
import { sql } from 'kysely';
import type { Db } from '../platform/db.js';
import { RefCache, versionsOn } from '../platform/cache.js';
import { fenToYuan, yuanToFen } from '../platform/money.js';
import { scopePrefix } from '../platform/scope.js';
import { toWireTime } from './common.js';
import { knowledgeFor, rulesFor } from '../audit/service.js';
import { evaluate, type Evaluation } from '../audit/engine/engine.js';
import { DbHistoryProvider } from '../audit/engine/history.js';
import { writeEvaluationLog } from '../audit/engine/log.js';
import type { Knowledge } from '../audit/kb/knowledge.js';
import type { RuleBase } from '../audit/rules/store.js';
import { SEV_DEG, type AuditRequest, type EncounterDto, type OrderDto, type SevDeg } from '../audit/types.js';
import type { ClassifiedLine } from './policy/index.js';
import type { Mdtrt, PersonFacts } from './context.js';
import type { Feedetl } from './fees.js';
import type { Caller } from './types.js';

/** The audit's cached knowledge and rules, taken before the settlement transaction. */
export interface AuditSnapshot {
  kb: Knowledge;
  rules: RuleBase;
}

/** What a settlement step asks of the audit. */
export interface AuditGate {
  snapshot: AuditSnapshot | null;
  /** Why there is no snapshot (reported in warn_msg). */
  error?: string;
  /** 6 门诊结算, 7 门诊预结算, 8 住院结算, 9 住院预结算, 10 购药划卡. */
  trig_scen: string;
  /** Inside the settlement's transaction: its reads are guarded by a savepoint. */
  inTransaction: boolean;
  /**
   * The patient's history and the audit configuration, read before the transaction when the gate was given the
   * encounter: the transaction then reads nothing for the audit (no savepoint, nothing that can abort it).
   */
  prefetched?: Promise<{ ok: true; history: EncounterDto[]; cfg: AuditCfgRow[] } | { ok: false; error: string }>;
}

type AuditCfgRow = { admdvs: string; sev_deg: SevDeg; audit_act: '1' | '2'; begndate: string; enddate: string | null };

/** One line as the audit sees it: the stored row, its (netted) quantity and amount, and its classification. */
export interface AuditedLine {
  row: Feedetl;
  cnt: string;
  line: ClassifiedLine;
}

export interface AuditOutcome {
  evaluation: Evaluation | null;
  /** Index in the audited lines → why fund payment is refused. */
  refused: Map<number, string>;
  warnings: string[];
}

/** 6/7 门诊, 8/9 住院, 10 at a pharmacy (购药划卡) — settle vs pre-settle. */
export function trigScenOf(kind: '1' | '2', pharmacy: boolean, pre: boolean): string {
  if (pharmacy) return '10';
  if (kind === '2') return pre ? '9' : '8';
  return pre ? '7' : '6';
}

/** The history window the 事中 audit looks at (days before the settlement). */
const HISTORY_DAYS = 366;

/**
 * Takes the audit snapshot outside any transaction; never throws (a failure becomes `error`). Given the encounter
 * (`of`), it also starts reading the patient's other encounters and the configuration now, so that the settlement's
 * transaction needs no audit reads. Earlier encounters cannot be settled by this request; one settled concurrently
 * by another terminal in the same instant may be missed, as it could be a moment later anyway.
 */
export async function auditGate(caller: Caller, kind: '1' | '2', pre: boolean, of?: { psn_no: string; mdtrt_id: string }): Promise<AuditGate> {
  const trig_scen = trigScenOf(kind, caller.institution.fixmedins_type === '2', pre);
  try {
    // the history and configuration are awaited here, before the caller opens its transaction: on PGlite (one
    // session, queries serialised by a mutex) a read still queued when the transaction takes the session would wait
    // for the transaction, which waits for the read
    const [kb, rules, prefetched] = await Promise.all([
      knowledgeFor(caller.db),
      rulesFor(caller.db),
      of
        ? Promise.all([new DbHistoryProvider(caller.db).history({ patn_id: of.psn_no, until: caller.today, days: HISTORY_DAYS, exclude: [of.mdtrt_id] }), auditCfgRows(caller.db)]).then(
            ([history, cfg]) => ({ ok: true as const, history, cfg }),
            (e: unknown) => ({ ok: false as const, error: e instanceof Error ? e.message : String(e) }),
          )
        : undefined,
    ]);
    if (prefetched) return { snapshot: { kb, rules }, trig_scen, inTransaction: !pre, prefetched: Promise.resolve(prefetched) };
    return { snapshot: { kb, rules }, trig_scen, inTransaction: !pre };
  } catch (e) {
    return { snapshot: null, error: e instanceof Error ? e.message : String(e), trig_scen, inTransaction: !pre };
  }
}

/** The whole setl_audit_cfg table (a few rows per region), cached for the process; setAuditAction invalidates. */
const auditCfgCache = new RefCache<AuditCfgRow[]>('audit_cfg', { max: 4 });

function auditCfgRows(db: Db): Promise<AuditCfgRow[]> {
  return auditCfgCache.get(db, 'all', () => db.k.selectFrom('setl_audit_cfg').select(['admdvs', 'sev_deg', 'audit_act', 'begndate', 'enddate']).execute());
}

/** audit_act by sev_deg for the insured region on a date: the most specific configured area wins; none → warn. */
export async function auditActions(db: Db, insuplc_admdvs: string, on: string): Promise<Record<SevDeg, '1' | '2'>> {
  return actionsFrom(await auditCfgRows(db), insuplc_admdvs, on);
}

function actionsFrom(all: readonly AuditCfgRow[], insuplc_admdvs: string, on: string): Record<SevDeg, '1' | '2'> {
  const rows = versionsOn(all, on);
  const out: Record<SevDeg, '1' | '2'> = { '1': '1', '2': '1', '3': '1' };
  const best: Record<string, number> = {};
  for (const r of rows) {
    const area = r.admdvs.trim();
    const prefix = area === '000000' ? '' : scopePrefix(area);
    if (!insuplc_admdvs.startsWith(prefix)) continue;
    if ((best[r.sev_deg] ?? -1) >= prefix.length) continue;
    best[r.sev_deg] = prefix.length;
    out[r.sev_deg] = r.audit_act;
  }
  return out;
}

const rxId = (row: Feedetl) => `FEE${row.feedetl_id}`;

function order(row: Feedetl, cnt: string, amount: number, ownpay: number, curr: boolean, name: string | null): OrderDto {
  return {
    rx_id: rxId(row),
    rxno: row.rxno ?? row.feedetl_sn,
    hilist_code: row.hilist_code,
    ...(name ? { hilist_name: name } : {}),
    cnt,
    pric: row.pric,
    sumamt: fenToYuan(amount),
    ownpay_amt: fenToYuan(ownpay),
    drord_begn_date: toWireTime(row.fee_ocur_time)!,
    ...(row.bilg_dept_codg ? { drord_dept_codg: row.bilg_dept_codg } : {}),
    ...(row.bilg_dept_name ? { drord_dept_name: row.bilg_dept_name } : {}),
    ...(row.bilg_dr_codg ? { drord_dr_codg: row.bilg_dr_codg } : {}),
    ...(row.bilg_dr_name ? { drord_dr_name: row.bilg_dr_name } : {}),
    ...(row.med_chrgitm_type ? { chrg_type: row.med_chrgitm_type.trim() } : {}),
    curr_drord_flag: curr ? '1' : '0',
  };
}

export interface AuditInput {
  caller: Caller;
  enc: Mdtrt;
  person: PersonFacts;
  med_type: string;
  diag_codes: string[];
  lines: AuditedLine[];
  /** Lines of this encounter a valid 中途结算 already settled (history of the same admission). */
  earlier: Feedetl[];
}

/**
 * Runs the 事中 audit on the lines about to be settled and decides, per hit, warn or refuse. `db` is the settlement's
 * view (its transaction when settling). Never throws: any failure is a warning and an unaudited settlement.
 */
export async function auditSettlement(db: Db, gate: AuditGate, a: AuditInput): Promise<AuditOutcome> {
  const none = (why: string): AuditOutcome => ({ evaluation: null, refused: new Map(), warnings: [`智能审核未能执行（${why}），本次按未审核结算`] });
  if (!gate.snapshot) return none(gate.error ?? '审核知识库或规则库不可用');
  const { caller, enc } = a;
  const guard = gate.inTransaction;
  try {
    let history: EncounterDto[];
    let actions: Record<SevDeg, '1' | '2'>;
    const pre = gate.prefetched ? await gate.prefetched : undefined;
    if (pre && !pre.ok) return none(pre.error);
    if (pre?.ok) {
      history = pre.history;
      actions = actionsFrom(pre.cfg, enc.insuplc_admdvs.trim(), caller.today);
    } else {
      if (guard) await sql`savepoint setl_audit`.execute(db.k);
      try {
        history = await new DbHistoryProvider(db).history({ patn_id: enc.psn_no, until: caller.today, days: HISTORY_DAYS, exclude: [enc.mdtrt_id] });
        actions = await auditActions(db, enc.insuplc_admdvs.trim(), caller.today);
        if (guard) await sql`release savepoint setl_audit`.execute(db.k);
      } catch (e) {
        if (guard) await sql`rollback to savepoint setl_audit`.execute(db.k);
        throw e;
      }
    }
    const orders = [
      ...a.lines.map((l) => order(l.row, l.cnt, l.line.det_item_fee_sumamt, l.line.fulamt_ownpay_amt + l.line.overlmt_amt, true, l.line.hilist_name)),
      ...a.earlier.map((r) => order(r, r.cnt, yuanToFen(r.det_item_fee_sumamt), yuanToFen(r.fulamt_ownpay_amt) + yuanToFen(r.overlmt_amt), false, null)),
    ];
    const req: AuditRequest = {
      trig_scen: gate.trig_scen,
      patient_dtos: [
        {
          patn_id: enc.psn_no,
          patn_name: a.person.psn_name,
          gend: a.person.gend,
          brdy: a.person.brdy,
          poolarea: enc.insuplc_admdvs.trim(),
          curr_mdtrt_id: enc.mdtrt_id,
          fsi_encounter_dtos: [
            {
              mdtrt_id: enc.mdtrt_id,
              medins_id: enc.fixmedins_code,
              medins_name: caller.institution.fixmedins_name,
              medins_admdvs: enc.mdtrtarea_admvs.trim(),
              medins_lv: caller.institution.hosp_lv,
              adm_date: toWireTime(enc.begntime)!,
              ...(enc.endtime ? { dscg_date: toWireTime(enc.endtime)! } : {}),
              fsi_diagnose_dtos: a.diag_codes.map((c, i) => ({ dise_codg: c, dias_srt_no: i + 1, maindise_flag: i === 0 ? '1' : '0' })),
              ...(enc.atddr_no ? { dr_codg: enc.atddr_no } : {}),
              ...(enc.dept_code ? { adm_dept_codg: enc.dept_code } : {}),
              med_mdtrt_type: enc.ipt_otp_flag,
              med_type: a.med_type,
              insutype: enc.insutype,
              fsi_order_dtos: orders,
            },
            ...history,
          ],
        },
      ],
    };
    const evaluation = await evaluate(req, { kb: gate.snapshot.kb, rules: gate.snapshot.rules, today: caller.today });
    return decide(evaluation, actions, a.lines);
  } catch (e) {
    return none(e instanceof Error ? e.message : String(e));
  }
}

/**
 * Per hit: refuse (config 2) the current lines it marks 违规项, or warn. A line whose violation amount lies wholly in
 * its 超限价 part (超标准收费: the classification already made the excess self-paid, the fund pays none of it) is
 * not refused again — the hit is reported as a warning.
 */
function decide(evaluation: Evaluation, actions: Record<SevDeg, '1' | '2'>, lines: AuditedLine[]): AuditOutcome {
  const index = new Map(lines.map((l, k) => [rxId(l.row), k]));
  const refused = new Map<number, string>();
  const warnings: string[] = [];
  for (const r of evaluation.response.result) {
    const sev = `${SEV_DEG[r.sev_deg]}「${r.rule_id} ${r.rule_name}」`;
    const items = r.judge_result_detail_dtos.filter((d) => d.vola_item_type === '1' && d.rx_id !== null && index.has(d.rx_id));
    const hit = items.filter((d) => {
      const l = lines[index.get(d.rx_id!)!]!.line;
      return !(l.overlmt_amt > 0 && yuanToFen(d.vola_amt) <= l.overlmt_amt);
    });
    if (actions[r.sev_deg] === '2' && hit.length) {
      for (const d of hit) {
        const k = index.get(d.rx_id!)!;
        const l = lines[k]!.line;
        const why = `智能审核${sev}：${l.hilist_code}${l.hilist_name ? `（${l.hilist_name}）` : ''} ${fenToYuan(l.det_item_fee_sumamt)}元不予基金支付，转为全自费（${r.vola_cont}）`;
        refused.set(k, refused.has(k) ? `${refused.get(k)}；${why}` : why);
      }
    } else {
      const handled = actions[r.sev_deg] === '2' && items.length ? '（违规部分已按超限价自费，基金未支付）' : '';
      warnings.push(`智能审核提醒${sev}：${r.vola_cont}${handled}`);
    }
  }
  if (evaluation.response.warn_msg) warnings.push(`智能审核：${evaluation.response.warn_msg}`);
  return { evaluation, refused, warnings };
}

/** The lines with the refused ones turned 全自费 (the reason replaces the classification's). */
export function applyRefusals(lines: readonly ClassifiedLine[], refused: ReadonlyMap<number, string>): ClassifiedLine[] {
  return lines.map((l, k) => {
    const why = refused.get(k);
    if (!why) return l;
    return { ...l, fulamt_ownpay_amt: l.det_item_fee_sumamt, overlmt_amt: 0, preselfpay_amt: 0, inscp_scp_amt: 0, selfpay_prop: 10_000, ownpay_kind: 'audit_refused' as const, reason: why };
  });
}

/** setl_proc_info text naming every refused line (appended to the basic fund's trace; C(4000) on the wire). */
export function refusalInfo(refused: ReadonlyMap<number, string>): string | null {
  if (!refused.size) return null;
  const text = [...refused.values()].join('；');
  return text.length > 1800 ? `${text.slice(0, 1799)}…` : text;
}

/** Logs the evaluation like 3102 (outside the settlement's transaction); a failure becomes a warning. */
export async function logSettlementAudit(caller: Caller, infno: string, outcome: AuditOutcome): Promise<string[]> {
  if (!outcome.evaluation) return [];
  try {
    await writeEvaluationLog(caller.db, outcome.evaluation, { infno, fixmedins_code: caller.institution.fixmedins_code, msgid: caller.msgid });
    return [];
  } catch (e) {
    return [`智能审核日志写入失败：${e instanceof Error ? e.message : String(e)}`];
  }
}
