/**
 * /api/audit: the smart-audit read and edit API for staff — the rule base (list, one rule with its version history,
 * saving a version, switching on/off from a date; rules/store.ts validates and answers in Chinese), knowledge-base
 * browsing, suspects (疑点) with filters and evidence, rule-quality metrics and the 3101/3102 evaluation log.
 * Cases (the review workflow) are in audit-cases.ts. Suspects and evaluations are limited to the reader's areas.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { getSuspect, listSuspects } from '../../audit/cases/index.js';
import { browseKnowledge, getEvaluation, KB_KINDS, listEvaluations, listKnowledgeLoads } from '../../audit/metrics/browse.js';
import { METRIC_DIMS, METRIC_FAMILIES, type MetricDim } from '../../audit/metrics/index.js';
import type { RuleInput } from '../../audit/rules/catalogue.js';
import { loadRuleBase, saveRule, setRuleEnabled } from '../../audit/rules/store.js';
import { notFound, validationError } from '../../platform/errors.js';
import { beijingDate, beijingDateTime } from '../../platform/time.js';
import { staffOf } from '../auth/hook.js';
import type { AppDeps } from '../app.js';
import { accessOf } from './audit-cases.js';
import { DateStr, OnDate, Paging, SearchTerm, StringEnum } from './schemas.js';

const RuleId = Type.Object({ rule_id: Type.String({ minLength: 1, maxLength: 50 }) });
const Codes = Type.Array(Type.String({ maxLength: 10 }), { maxItems: 20 });

const RuleListQuery = Type.Object({
  on: OnDate,
  q: SearchTerm,
  rule_cls: Type.Optional(StringEnum(['1', '2', '3', '4'])),
  stage: Type.Optional(StringEnum(['1', '2', '3'])),
  enabled: Type.Optional(Type.Boolean()),
});

/** Shapes only; values (codes, dates, parameters) are checked by checkRule with Chinese messages per field. */
const RuleBody = Type.Object({
  rule_name: Type.String({ maxLength: 400 }),
  rule_cls: Type.String({ maxLength: 2 }),
  rslt_type: Type.String({ maxLength: 2 }),
  time_window: Type.String({ maxLength: 3 }),
  medins_lv: Type.Optional(Codes),
  medins_type: Type.Optional(Codes),
  scenes: Type.Optional(Codes),
  fund_type: Type.Optional(Type.String({ maxLength: 100 })),
  stages: Codes,
  insutypes: Type.Optional(Codes),
  sev_deg: Type.Optional(Type.String({ maxLength: 2 })),
  vola_bhvr_type: Type.String({ maxLength: 3 }),
  vola_evid: Type.String({ maxLength: 1000 }),
  vola_amt_formula: Type.String({ maxLength: 2 }),
  knowledge_refs: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { maxItems: 20 })),
  logic_dscr: Type.String({ maxLength: 4000 }),
  params: Type.Optional(Type.Unknown()),
  enabled: Type.Optional(Type.Boolean()),
  memo: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 500 })])),
  begndate: Type.String({ maxLength: 10 }),
  // null first: with type coercion a string branch first would turn null into ''
  enddate: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 10 })])),
});
const EnabledBody = Type.Object({ enabled: Type.Boolean(), from: DateStr });

const KbParams = Type.Object({ kind: StringEnum(KB_KINDS) });
const KbQuery = Type.Object({ code: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9.*-]{1,50}$' })), on: OnDate, kb_ver: Type.Optional(Type.Integer({ minimum: 1 })), ...Paging });
const KbLoadQuery = Type.Object({ kb_kind: Type.Optional(StringEnum(KB_KINDS)), ...Paging });

const SuspectQuery = Type.Object({
  rule_id: Type.Optional(Type.String({ maxLength: 50 })),
  fixmedins_code: Type.Optional(Type.String({ maxLength: 30 })),
  psn_no: Type.Optional(Type.String({ maxLength: 30 })),
  stas: Type.Optional(StringEnum(['0', '1', '2', '3'])),
  sev_deg: Type.Optional(StringEnum(['1', '2', '3'])),
  stage: Type.Optional(StringEnum(['1', '2', '3'])),
  run_id: Type.Optional(Type.String({ maxLength: 50 })),
  from: Type.Optional(DateStr),
  to: Type.Optional(DateStr),
  ...Paging,
});
const SuspectId = Type.Object({ suspect_id: Type.String({ minLength: 1, maxLength: 50 }) });

const MetricParams = Type.Object({ family: StringEnum(Object.keys(METRIC_FAMILIES) as (keyof typeof METRIC_FAMILIES)[]) });
const MetricQuery = Type.Object({
  from: Type.Optional(DateStr),
  to: Type.Optional(DateStr),
  rule_id: Type.Optional(Type.String({ maxLength: 50 })),
  fixmedins_code: Type.Optional(Type.String({ maxLength: 30 })),
  /** comma-separated: rule_id, fixmedins_code, month */
  by: Type.Optional(Type.String({ maxLength: 60 })),
});

const EvalQuery = Type.Object({
  from: Type.Optional(DateStr),
  to: Type.Optional(DateStr),
  fixmedins_code: Type.Optional(Type.String({ maxLength: 30 })),
  infno: Type.Optional(StringEnum(['3101', '3102'])),
  trig_scen: Type.Optional(Type.String({ maxLength: 3 })),
  hit: Type.Optional(Type.Boolean()),
  ...Paging,
});
const EvalId = Type.Object({ eval_id: Type.String({ minLength: 1, maxLength: 60 }) });

function parseDims(by: string | undefined): MetricDim[] {
  const dims = (by ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const bad = dims.filter((d) => !(METRIC_DIMS as readonly string[]).includes(d));
  if (bad.length) throw validationError(`不支持的分组维度：${bad.join('、')}（可选：${METRIC_DIMS.join('、')}）`, [{ field: 'by', message: '分组维度无效' }]);
  return dims as MetricDim[];
}

export const auditRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db } = deps;

    // ---------- rule base ----------
    app.get<{ Querystring: Static<typeof RuleListQuery> }>('/audit/rules', { schema: { querystring: RuleListQuery }, config: { permission: 'audit:read' } }, async (req) => {
      const on = req.query.on ?? beijingDate();
      const { q, rule_cls, stage, enabled } = req.query;
      const list = (await loadRuleBase(db))
        .inForce(on)
        .filter((r) => (!q || r.rule_id.includes(q.toUpperCase()) || r.rule_name.includes(q)) && (!rule_cls || r.rule_cls === rule_cls) && (!stage || r.stages.includes(stage)) && (enabled === undefined || r.enabled === enabled));
      return { on, total: list.length, list };
    });

    app.get<{ Params: Static<typeof RuleId>; Querystring: { on?: string } }>(
      '/audit/rules/:rule_id',
      { schema: { params: RuleId, querystring: Type.Object({ on: OnDate }) }, config: { permission: 'audit:read' } },
      async (req) => {
        const on = req.query.on ?? beijingDate();
        const base = await loadRuleBase(db);
        const versions = base.rules.filter((r) => r.rule_id === req.params.rule_id);
        if (!versions.length) throw notFound(`规则 ${req.params.rule_id} 不存在`);
        const rows = await db.k.selectFrom('audit_rule').select(['begndate', 'rule_ver', 'opter_id', 'updt_time']).where('rule_id', '=', req.params.rule_id).execute();
        const meta = new Map(rows.map((r) => [r.begndate, r]));
        return {
          on,
          rule: base.get(req.params.rule_id, on) ?? null,
          history: versions.map((v) => ({ ...v, opter_id: meta.get(v.begndate)?.opter_id ?? null, updt_time: meta.has(v.begndate) ? beijingDateTime(meta.get(v.begndate)!.updt_time) : null })).reverse(),
        };
      },
    );

    app.put<{ Params: Static<typeof RuleId>; Body: Static<typeof RuleBody> }>(
      '/audit/rules/:rule_id',
      { schema: { params: RuleId, body: RuleBody }, config: { permission: 'audit:rule:write' } },
      async (req) => saveRule(db, staffOf(req).actor, { ...(req.body as unknown as RuleInput), rule_id: req.params.rule_id }),
    );

    app.post<{ Params: Static<typeof RuleId>; Body: Static<typeof EnabledBody> }>(
      '/audit/rules/:rule_id/enabled',
      { schema: { params: RuleId, body: EnabledBody }, config: { permission: 'audit:rule:write' } },
      async (req) => setRuleEnabled(db, staffOf(req).actor, req.params.rule_id, req.body.enabled, req.body.from),
    );

    // ---------- knowledge base ----------
    app.get<{ Querystring: Static<typeof KbLoadQuery> }>('/audit/kb-loads', { schema: { querystring: KbLoadQuery }, config: { permission: 'audit:read' } }, async (req) =>
      listKnowledgeLoads(db, req.query),
    );
    app.get<{ Params: Static<typeof KbParams>; Querystring: Static<typeof KbQuery> }>('/audit/kb/:kind', { schema: { params: KbParams, querystring: KbQuery }, config: { permission: 'audit:read' } }, async (req) =>
      browseKnowledge(db, req.params.kind, req.query),
    );

    // ---------- suspects ----------
    app.get<{ Querystring: Static<typeof SuspectQuery> }>('/audit/suspects', { schema: { querystring: SuspectQuery }, config: { permission: 'audit:read' } }, async (req) =>
      listSuspects(db, accessOf(staffOf(req)), req.query),
    );
    app.get<{ Params: Static<typeof SuspectId> }>('/audit/suspects/:suspect_id', { schema: { params: SuspectId }, config: { permission: 'audit:read' } }, async (req) =>
      getSuspect(db, accessOf(staffOf(req)), req.params.suspect_id),
    );

    // ---------- metrics and the evaluation log ----------
    app.get<{ Params: Static<typeof MetricParams>; Querystring: Static<typeof MetricQuery> }>(
      '/audit/metrics/:family',
      { schema: { params: MetricParams, querystring: MetricQuery }, config: { permission: 'audit:read' } },
      async (req) => {
        const { by, ...filter } = req.query;
        const list = await METRIC_FAMILIES[req.params.family](db, { ...filter, by: parseDims(by), prefixes: staffOf(req).scope.prefixes });
        return { family: req.params.family, list };
      },
    );
    app.get<{ Querystring: Static<typeof EvalQuery> }>('/audit/evals', { schema: { querystring: EvalQuery }, config: { permission: 'audit:read' } }, async (req) =>
      listEvaluations(db, { ...req.query, prefixes: staffOf(req).scope.prefixes }),
    );
    app.get<{ Params: Static<typeof EvalId> }>('/audit/evals/:eval_id', { schema: { params: EvalId }, config: { permission: 'audit:read' } }, async (req) =>
      getEvaluation(db, req.params.eval_id, staffOf(req).scope.prefixes),
    );
  };
