/**
 * /api/reconcile: 对账与清算 — the reconciliation runs institutions made through 3201 (对总账) and 3202 (对明细账),
 * each with both sides' totals, the result and (3202) the differing rows; and the monthly clearing per
 * institution from the fund ledger (settlement/clearing.ts). Runs and clearing are scoped by institution: the
 * institution's area (an institution user: its own). A run outside the scope answers 404 like a missing one.
 *
 *   GET  /api/reconcile/runs                  settlement:read  ?fixmedins_code &infno &stmt_rslt (0 一致 / 1 不一致) &begndate &enddate (run dates), paged
 *   GET  /api/reconcile/runs/:stmt_id         settlement:read  the run, both sides' figures with differences, differences by type
 *   GET  /api/reconcile/runs/:stmt_id/difs    settlement:read  ?dif_type: a 3202 run's differing rows, paged
 *   GET  /api/reconcile/clearing              settlement:read  ?year &month &fixmedins_code: per institution × month 应拨付 (fund + account), paged, with totals
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { notFound, validationError } from '../../platform/errors.js';
import { beijingDate } from '../../platform/time.js';
import { clearingByMonth } from '../../settlement/clearing.js';
import type { ScopeSql } from '../../settlement/encounter-list.js';
import { runDetail, runDifs, runInScope, searchRuns, STMT_INFNOS } from '../../settlement/reconcile-list.js';
import { staffOf } from '../auth/hook.js';
import type { Scope } from '../auth/scope.js';
import { institutionScopeSql } from '../queries/settlements.js';
import type { AppDeps } from '../app.js';
import { DateStr, Paging, StringEnum } from './schemas.js';

const RunQuery = Type.Object({
  fixmedins_code: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
  infno: Type.Optional(StringEnum(STMT_INFNOS)),
  stmt_rslt: Type.Optional(StringEnum(['0', '1'] as const)),
  begndate: Type.Optional(DateStr),
  enddate: Type.Optional(DateStr),
  ...Paging,
});
const IdParams = Type.Object({ stmt_id: Type.String({ minLength: 1, maxLength: 40 }) });
const DifQuery = Type.Object({ dif_type: Type.Optional(StringEnum(['1', '2', '3'] as const)), ...Paging });
const ClearingQuery = Type.Object({
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2999 })),
  month: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
  fixmedins_code: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
  ...Paging,
});

const byInstitution =
  (scope: Scope): ScopeSql =>
  (alias) =>
    institutionScopeSql(scope, alias);

export const reconcileRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db } = deps;
    const READ = { permission: 'settlement:read' } as const;

    /** 404 unless the run exists and is in scope. */
    const requireRun = async (scope: Scope, stmt_id: string) => {
      if (!(await runInScope(db, byInstitution(scope), stmt_id))) throw notFound(`未找到对账记录（对账ID ${stmt_id}），或该记录不在您的管辖范围内`);
    };

    app.get<{ Querystring: Static<typeof RunQuery> }>('/reconcile/runs', { schema: { querystring: RunQuery }, config: READ }, async (req) => {
      const { begndate, enddate } = req.query;
      if (begndate && enddate && begndate > enddate) throw validationError('请求参数错误：开始日期不能晚于结束日期', [{ field: 'begndate', message: '开始日期不能晚于结束日期' }]);
      return searchRuns(db, byInstitution(staffOf(req).scope), req.query);
    });

    app.get<{ Params: Static<typeof IdParams> }>('/reconcile/runs/:stmt_id', { schema: { params: IdParams }, config: READ }, async (req) => {
      await requireRun(staffOf(req).scope, req.params.stmt_id);
      const detail = await runDetail(db, req.params.stmt_id);
      if (!detail) throw notFound(`未找到对账记录（对账ID ${req.params.stmt_id}）`);
      return detail;
    });

    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof DifQuery> }>('/reconcile/runs/:stmt_id/difs', { schema: { params: IdParams, querystring: DifQuery }, config: READ }, async (req) => {
      await requireRun(staffOf(req).scope, req.params.stmt_id);
      return runDifs(db, req.params.stmt_id, req.query);
    });

    app.get<{ Querystring: Static<typeof ClearingQuery> }>('/reconcile/clearing', { schema: { querystring: ClearingQuery }, config: READ }, async (req) => {
      const { year = Number(beijingDate().slice(0, 4)), ...rest } = req.query;
      return clearingByMonth(db, byInstitution(staffOf(req).scope), { year, ...rest });
    });
  };
