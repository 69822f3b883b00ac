/**
 * /api/audit/evaluations: the 3101/3102 evaluation log (事前事中提醒) as the console's 提醒记录 page reads it — one
 * row per call with its institution, the patients (masked: the page is for rules and institutions, not persons), the
 * rules that fired and how the doctors answered the warnings (3103), and one evaluation with its result[] items.
 * The raw log (/api/audit/evals in audit.ts) stays as it is for tools; this view adds names, hit rule ids and the
 * disposition summary, and filters by rule and by disposition. Scope: the calling institution's area.
 *
 *   GET /api/audit/evaluations            ?from &to &fixmedins_code &infno &trig_scen &hit &rule_id &dspo (none|1|2|3), paged
 *   GET /api/audit/evaluations/:eval_id   evaluation + result[] (warnings with their details and every disposition)
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { sql, type RawBuilder } from 'kysely';
import { getEvaluation } from '../../audit/metrics/browse.js';
import { pageOf, yuanOut } from '../../audit/cases/read-helpers.js';
import type { Db } from '../../platform/db.js';
import { maskPersonal, maskValue } from '../../platform/logging.js';
import { beijingDateTime, beijingDayEnd, beijingDayStart } from '../../platform/time.js';
import { staffOf } from '../auth/hook.js';
import type { Scope } from '../auth/scope.js';
import { institutionScopeSql } from '../queries/settlements.js';
import type { AppDeps } from '../app.js';
import { DateStr, Paging, StringEnum } from './schemas.js';

const ListQuery = Type.Object({
  from: Type.Optional(DateStr),
  to: Type.Optional(DateStr),
  fixmedins_code: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
  infno: Type.Optional(StringEnum(['3101', '3102'] as const)),
  trig_scen: Type.Optional(Type.String({ minLength: 1, maxLength: 3 })),
  hit: Type.Optional(Type.Boolean()),
  rule_id: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  /** none: a warning nobody answered yet; 1 采纳 2 坚持 3 已知晓: at least one warning answered so. */
  dspo: Type.Optional(StringEnum(['none', '1', '2', '3'] as const)),
  ...Paging,
});
type EvalListQuery = Static<typeof ListQuery>;
const EvalId = Type.Object({ eval_id: Type.String({ minLength: 1, maxLength: 60 }) });

/** A patient of the log: the id masked, the name (when the id is a known psn_no) masked. */
interface MaskedPatient {
  patn_id: string;
  psn_name: string | null;
}

async function namesOf(db: Db, fixmedins_codes: string[], patn_ids: string[]) {
  const [insts, persons] = await Promise.all([
    fixmedins_codes.length
      ? db.k.selectFrom('fixmedins').select(['fixmedins_code', 'fixmedins_name']).where('fixmedins_code', 'in', fixmedins_codes).orderBy('begndate').execute()
      : [],
    patn_ids.length ? db.k.selectFrom('psn').select(['psn_no', 'psn_name']).where('psn_no', 'in', patn_ids).execute() : [],
  ]);
  // ordered by begndate: the latest version's name wins
  const inst = new Map(insts.map((r) => [r.fixmedins_code, r.fixmedins_name]));
  const psn = new Map(persons.map((r) => [r.psn_no, r.psn_name]));
  return {
    institution: (code: string | null) => (code ? (inst.get(code) ?? null) : null),
    patient: (patn_id: string): MaskedPatient => {
      const name = psn.get(patn_id);
      return { patn_id: maskValue(patn_id), psn_name: name ? maskValue(name) : null };
    },
  };
}

const idsOf = (csv: string | null) => (csv ? csv.split(',').filter(Boolean) : []);

/** The evaluation log, newest first, in the scope, with names, hit rules and the disposition summary per call. */
export async function listEvaluationView(db: Db, scope: Scope, q: EvalListQuery) {
  const { page_num, page_size, offset } = pageOf(q);
  let base = db.k.selectFrom('audit_eval as e').where(institutionScopeSql(scope, 'e'));
  if (q.from) base = base.where('e.reqt_time', '>=', beijingDayStart(q.from));
  if (q.to) base = base.where('e.reqt_time', '<', beijingDayEnd(q.to));
  if (q.fixmedins_code) base = base.where('e.fixmedins_code', '=', q.fixmedins_code);
  if (q.infno) base = base.where('e.infno', '=', q.infno);
  if (q.trig_scen) base = base.where('e.trig_scen', '=', q.trig_scen);
  if (q.hit !== undefined) base = base.where('e.hit_cnt', q.hit ? '>' : '=', 0);
  const warnExists = (cond: RawBuilder<boolean>) => sql<boolean>`exists (select 1 from audit_warn_rslt w where w.eval_id = e.eval_id and ${cond})`;
  if (q.rule_id) base = base.where(warnExists(sql<boolean>`w.rule_id = ${q.rule_id}`));
  if (q.dspo) base = base.where(warnExists(q.dspo === 'none' ? sql<boolean>`w.warn_dspo_way is null` : sql<boolean>`w.warn_dspo_way = ${q.dspo}`));
  const total = Number((await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await base.selectAll('e').orderBy('e.reqt_time', 'desc').orderBy('e.eval_id').limit(page_size).offset(offset).execute();
  const ids = rows.map((r) => r.eval_id);
  const warns = ids.length ? await db.k.selectFrom('audit_warn_rslt').select(['eval_id', 'rule_id', 'warn_dspo_way']).where('eval_id', 'in', ids).orderBy('warn_rslt_id').execute() : [];
  const names = await namesOf(db, [...new Set(rows.flatMap((r) => (r.fixmedins_code ? [r.fixmedins_code] : [])))], [...new Set(rows.flatMap((r) => idsOf(r.patn_ids)))]);
  return {
    page_num,
    page_size,
    total,
    list: rows.map((e) => {
      const mine = warns.filter((w) => w.eval_id === e.eval_id);
      const ways: Record<string, number> = {};
      for (const w of mine) if (w.warn_dspo_way) ways[w.warn_dspo_way] = (ways[w.warn_dspo_way] ?? 0) + 1;
      return {
        eval_id: e.eval_id,
        infno: e.infno,
        trig_scen: e.trig_scen,
        med_type: e.med_type,
        fixmedins_code: e.fixmedins_code,
        fixmedins_name: names.institution(e.fixmedins_code),
        patients: idsOf(e.patn_ids).map(names.patient),
        reqt_time: beijingDateTime(e.reqt_time),
        ana_dura: Number(e.ana_dura),
        rule_cnt: e.rule_cnt,
        hit_cnt: e.hit_cnt,
        hit_rule_ids: [...new Set(mine.map((w) => w.rule_id))],
        err_rule_ids: idsOf(e.err_rule_ids),
        medfee_sumamt: yuanOut(e.medfee_sumamt),
        vola_amt: yuanOut(e.vola_amt),
        dspo: { warnings: mine.length, disposed: mine.filter((w) => w.warn_dspo_way).length, ways },
      };
    }),
  };
}

/** One evaluation (404 outside the scope) with its result[] items; patients masked wherever they appear. */
export async function evaluationView(db: Db, scope: Scope, eval_id: string) {
  const { evaluation: e, warnings } = await getEvaluation(db, eval_id, scope.prefixes);
  const names = await namesOf(db, e.fixmedins_code ? [e.fixmedins_code] : [], idsOf(e.patn_ids));
  const { patn_ids, rules_run, err_rule_ids, rule_ids, ...rest } = e;
  return {
    evaluation: {
      ...rest,
      fixmedins_name: names.institution(e.fixmedins_code),
      patients: idsOf(patn_ids).map(names.patient),
      requested_rule_ids: idsOf(rule_ids),
      rules_run: idsOf(rules_run),
      err_rule_ids: idsOf(err_rule_ids),
    },
    result: warnings.map((w) => ({
      ...w,
      patn_id: maskValue(w.patn_id),
      detail: maskDetail(w.detail),
    })),
  };
}

/** judge_result_detail_dtos carry the patient id on every line: masked like the rest. */
function maskDetail(detail: unknown): unknown {
  const parsed: unknown = typeof detail === 'string' ? JSON.parse(detail) : detail;
  if (!Array.isArray(parsed)) return maskPersonal(parsed);
  return parsed.map((d: unknown) => {
    if (!d || typeof d !== 'object') return d;
    const o = maskPersonal(d) as Record<string, unknown>;
    return typeof o.patn_id === 'string' ? { ...o, patn_id: maskValue(o.patn_id) } : o;
  });
}

export const auditEvaluationRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db } = deps;
    app.get<{ Querystring: EvalListQuery }>('/audit/evaluations', { schema: { querystring: ListQuery }, config: { permission: 'audit:read' } }, async (req) =>
      listEvaluationView(db, staffOf(req).scope, req.query),
    );
    app.get<{ Params: Static<typeof EvalId> }>('/audit/evaluations/:eval_id', { schema: { params: EvalId }, config: { permission: 'audit:read' } }, async (req) =>
      evaluationView(db, staffOf(req).scope, req.params.eval_id),
    );
  };
