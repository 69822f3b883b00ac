/**
 * /api/encounters: 就诊登记 — encounters (2201 门诊挂号 / 药店购药, 2401 入院登记) in the user's scope, searched and
 * opened. Scoped like settlements (queries/settlements.ts): the treating institution's area and the insured's
 * pooling area both see an encounter; an institution user sees its own institution's only. An encounter outside
 * the scope answers 404 exactly like one that does not exist (it is personal data).
 *
 *   GET  /api/encounters            settlement:read  ?q &psn_no &mdtrt_id &ipt_otp_no &fixmedins_code &ipt_otp_flag &med_type &insutype
 *                                                    &begndate &enddate (registration dates) &status &in_hosp=1, paged, certno masked
 *   POST /api/encounters/search     settlement:read  the same filters in the body, plus certno (certificate numbers stay out of URLs)
 *   GET  /api/encounters/:mdtrt_id  settlement:read  encounter, person, diagnoses, fee-line count and total, its settlements
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { notFound, validationError } from '../../platform/errors.js';
import { encounterDetail, encounterInScope, ENCOUNTER_STATUSES, searchEncounters, type EncounterQuery, type ScopeSql } from '../../settlement/encounter-list.js';
import { staffOf } from '../auth/hook.js';
import type { Scope } from '../auth/scope.js';
import { setlScopeSql } from '../queries/settlements.js';
import type { AppDeps } from '../app.js';
import { DateStr, Paging, SearchTerm, StringEnum } from './schemas.js';

const Code = (max: number) => Type.Optional(Type.String({ minLength: 1, maxLength: max }));

const Filters = {
  q: SearchTerm,
  psn_no: Code(30),
  mdtrt_id: Code(40),
  ipt_otp_no: Code(40),
  fixmedins_code: Code(30),
  ipt_otp_flag: Type.Optional(StringEnum(['1', '2'] as const)),
  med_type: Type.Optional(Type.String({ pattern: '^\\d{2,6}$' })),
  insutype: Type.Optional(Type.String({ pattern: '^\\d{3}$' })),
  begndate: Type.Optional(DateStr),
  enddate: Type.Optional(DateStr),
  status: Type.Optional(StringEnum(ENCOUNTER_STATUSES)),
  in_hosp: Type.Optional(StringEnum(['0', '1'] as const)),
  ...Paging,
};
const ListQuery = Type.Object(Filters);
const SearchBody = Type.Object({ ...Filters, certno: Type.Optional(Type.String({ minLength: 15, maxLength: 30 })) });
const IdParams = Type.Object({ mdtrt_id: Type.String({ minLength: 1, maxLength: 40 }) });

/** The settlement scope on an mdtrt row (it carries fixmedins_code and insuplc_admdvs like a setl row). */
export const encounterScope =
  (scope: Scope): ScopeSql =>
  (alias) =>
    setlScopeSql(scope, alias);

function toQuery(q: Static<typeof SearchBody>): EncounterQuery {
  if (q.begndate && q.enddate && q.begndate > q.enddate) throw validationError('请求参数错误：开始日期不能晚于结束日期', [{ field: 'begndate', message: '开始日期不能晚于结束日期' }]);
  const { in_hosp, ...rest } = q;
  return { ...rest, in_hosp: in_hosp === '1' };
}

export const encounterRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db } = deps;
    const READ = { permission: 'settlement:read' } as const;

    app.get<{ Querystring: Static<typeof ListQuery> }>('/encounters', { schema: { querystring: ListQuery }, config: READ }, async (req) =>
      searchEncounters(db, encounterScope(staffOf(req).scope), toQuery(req.query)),
    );

    app.post<{ Body: Static<typeof SearchBody> }>('/encounters/search', { schema: { body: SearchBody }, config: READ }, async (req) =>
      searchEncounters(db, encounterScope(staffOf(req).scope), toQuery(req.body)),
    );

    app.get<{ Params: Static<typeof IdParams> }>('/encounters/:mdtrt_id', { schema: { params: IdParams }, config: READ }, async (req) => {
      const { mdtrt_id } = req.params;
      const missing = notFound(`未找到就诊记录（就诊ID ${mdtrt_id}），或该就诊不在您的管辖范围内`);
      if (!(await encounterInScope(db, encounterScope(staffOf(req).scope), mdtrt_id))) throw missing;
      const detail = await encounterDetail(db, mdtrt_id);
      if (!detail) throw missing;
      return detail;
    });
  };
