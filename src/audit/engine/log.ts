/**
 * The evaluation log, shaped like the national 事前提醒结果信息表: one audit_eval row per 3101/3102 call (trigger
 * scene, request and response time, analysis duration, rules run, hits, rule failures) and one audit_warn_rslt row
 * per warning shown (rule, severity, content, amount, details), to which 3103 attaches how the doctor handled it
 * (warn_dspo_way; every disposition is kept in audit_warn_dspo). 规则活跃度, latency and 事前提醒遵从率 are computed
 * from these rows.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { validationError, type FieldProblem } from '../../platform/errors.js';
import { fenToYuan, yuanToFen } from '../../platform/money.js';
import { DSPO_WAYS, type DspoWay } from '../types.js';
import type { Evaluation } from './engine.js';

export interface EvalLogMeta {
  infno: string;
  fixmedins_code: string | null;
  msgid: string | null;
}

/** Writes the log rows of one evaluation in one statement (atomic); returns the eval_id. */
export async function writeEvaluationLog(db: Db, ev: Evaluation, meta: EvalLogMeta): Promise<string> {
  const eval_id = randomUUID().replace(/-/g, '');
  const req = ev.claim.req;
  const firstEnc = ev.claim.patients[0]?.currEncs[0];
  const ana = ev.anaMs.toFixed(3);
  const medfee = fenToYuan(ev.medfeeFen);
  const resp = ev.response;
  const evalRow = {
    eval_id,
    infno: meta.infno,
    task_id: req.task_id ?? null,
    syscode: req.syscode ?? null,
    fixmedins_code: meta.fixmedins_code,
    msgid: meta.msgid,
    trig_scen: req.trig_scen ?? null,
    rule_ids: req.rule_ids?.length ? req.rule_ids.join(',') : null,
    med_type: firstEnc?.med_type || null,
    patn_ids: ev.claim.patients.map((p) => p.patn_id).join(','),
    mdtrt_ids: ev.claim.patients.flatMap((p) => p.currEncs.map((e) => e.mdtrt_id)).join(','),
    reqt_time: ev.reqtTime,
    rsp_time: ev.rspTime,
    ana_dura: ana,
    rules_run: ev.rulesRun.join(','),
    rule_cnt: ev.rulesRun.length,
    hit_cnt: resp.result.length,
    err_rule_ids: resp.rule_errs.map((e) => e.rule_id).join(','),
    warn_msg: resp.warn_msg,
    medfee_sumamt: medfee,
    vola_amt: fenToYuan(ev.volaFen),
    hist_src: ev.histSrc,
  };
  const rows = resp.result.map((r) => {
    const enc = ev.claim.patients.find((p) => p.patn_id === r.patn_id)?.currEncs.find((e) => e.mdtrt_id === r.mdtrt_id);
    return {
      warn_rslt_id: r.jr_id,
      eval_id,
      task_id: r.task_id,
      infno: meta.infno,
      trig_scen: req.trig_scen ?? null,
      med_type: enc?.med_type || null,
      fixmedins_code: meta.fixmedins_code,
      patn_id: r.patn_id,
      mdtrt_id: r.mdtrt_id,
      reqt_time: ev.reqtTime,
      rsp_time: ev.rspTime,
      ana_dura: ana,
      vola_flag: '1',
      rule_id: r.rule_id,
      rule_ver: ev.ruleVers.get(r.jr_id) ?? 0,
      rule_name: r.rule_name,
      rule_sev_deg: r.sev_deg,
      vola_bhvr_type: r.vola_bhvr_type,
      warn_cont: r.vola_cont,
      medfee_sumamt: medfee,
      vola_amt: fenToYuan(yuanToFen(r.vola_amt)),
      vola_amt_stas: r.vola_amt_stas,
      detail: r.judge_result_detail_dtos,
      warn_dspo_way: null,
      dspo_dscr: null,
      dspo_time: null,
    };
  });
  if (!rows.length) {
    await db.k.insertInto('audit_eval').values(evalRow).execute();
    return eval_id;
  }
  // one round trip: the evaluation in a data-modifying CTE and its warnings in the same statement (both or neither;
  // the warnings' foreign key is checked at the end of the statement, when the evaluation row is there). The
  // warnings go as one JSON parameter read by jsonb_populate_recordset rather than 27 parameters a row: a 3102
  // answer has dozens of warnings, and building and binding a thousand parameters cost more than the insert.
  const cols = Object.keys(rows[0]!) as (keyof (typeof rows)[number])[];
  await db.k
    .with('e', (q) => q.insertInto('audit_eval').values(evalRow))
    .insertInto('audit_warn_rslt')
    .columns(cols)
    .expression(sql`select ${sql.join(cols.map((c) => sql.ref(c)))} from jsonb_populate_recordset(null::audit_warn_rslt, ${JSON.stringify(rows)}::jsonb)`)
    .execute();
  return eval_id;
}

export interface DispositionInput {
  jr_id: string;
  warn_dspo_way: string;
  dspo_dscr?: string;
  dr_codg?: string;
  dr_name?: string;
}

export interface DispositionRecord {
  jr_id: string;
  warn_dspo_way: DspoWay;
  dspo_time: Date;
}

/**
 * Records how warnings were handled (3103). All or nothing: an unknown warning, one of another institution, an
 * invalid way, or 坚持执行 without a reason refuses the whole call with the row and field named.
 */
export async function recordDispositions(db: Db, fixmedins_code: string, msgid: string | null, items: DispositionInput[]): Promise<DispositionRecord[]> {
  const problems: FieldProblem[] = [];
  if (!items.length) problems.push({ field: 'data.feedback_dtos', message: '至少填写一条处理结果' });
  const ids = [...new Set(items.map((i) => i.jr_id))];
  const found = ids.length ? await db.k.selectFrom('audit_warn_rslt').select(['warn_rslt_id', 'fixmedins_code']).where('warn_rslt_id', 'in', ids).execute() : [];
  const owner = new Map(found.map((f) => [f.warn_rslt_id, f.fixmedins_code]));
  items.forEach((it, i) => {
    const at = `data.feedback_dtos[${i}]`;
    if (!owner.has(it.jr_id) || owner.get(it.jr_id) !== fixmedins_code) problems.push({ field: `${at}.jr_id`, message: `违规标识 ${it.jr_id} 不存在或不属于本机构` });
    if (!(it.warn_dspo_way in DSPO_WAYS)) problems.push({ field: `${at}.warn_dspo_way`, message: `“${it.warn_dspo_way}”不是有效的处理方式（1 采纳修改、2 坚持执行、3 已知晓）` });
    else if (it.warn_dspo_way === '2' && !it.dspo_dscr?.trim()) problems.push({ field: `${at}.dspo_dscr`, message: '坚持执行时须说明理由' });
  });
  if (problems.length) throw validationError('提醒处理结果有误', problems);
  const at = new Date();
  await db.k.transaction().execute(async (trx) => {
    for (const it of items) {
      const way = it.warn_dspo_way as DspoWay;
      await trx
        .insertInto('audit_warn_dspo')
        .values({ warn_rslt_id: it.jr_id, warn_dspo_way: way, dspo_dscr: it.dspo_dscr ?? null, dr_codg: it.dr_codg ?? null, dr_name: it.dr_name ?? null, fixmedins_code, msgid, dspo_time: at })
        .execute();
      await trx.updateTable('audit_warn_rslt').set({ warn_dspo_way: way, dspo_dscr: it.dspo_dscr ?? null, dspo_time: at }).where('warn_rslt_id', '=', it.jr_id).execute();
    }
  });
  return items.map((it) => ({ jr_id: it.jr_id, warn_dspo_way: it.warn_dspo_way as DspoWay, dspo_time: at }));
}
