/**
 * /api/institutions: designated institutions in the user's areas (an institution user: only its own). The
 * register of designated institutions is public, so one outside the user's areas answers 403, not 404.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { forbidden, notFound } from '../../platform/errors.js';
import { beijingDate } from '../../platform/time.js';
import { agreementOn, getInstitution, searchInstitutions } from '../../standards/institutions/institutions.js';
import { staffOf } from '../auth/hook.js';
import { requireInstitutionInScope } from '../auth/scope.js';
import { agreementHistory } from '../queries/institutions.js';
import type { AppDeps } from '../app.js';
import { AdmdvsCode, OnDate, Paging, SearchTerm, StringEnum } from './schemas.js';

const ListQuery = Type.Object({
  q: SearchTerm,
  admdvs: Type.Optional(AdmdvsCode),
  fixmedins_type: Type.Optional(StringEnum(['1', '2'])),
  hosp_lv: Type.Optional(StringEnum(['1', '2', '3', '9'])),
  on: OnDate,
  ...Paging,
});

const CodeParams = Type.Object({ fixmedins_code: Type.String({ pattern: '^[HP]\\d{11}$' }) });
const DetailQuery = Type.Object({ on: OnDate });

export const institutionRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db } = deps;

    app.get<{ Querystring: Static<typeof ListQuery> }>('/institutions', { schema: { querystring: ListQuery }, config: { permission: 'institution:read' } }, async (req) => {
      const scope = staffOf(req).scope;
      // an institution user's list is its own institution, whatever the filters
      if (scope.fixmedins_code) return searchInstitutions(db, { on: req.query.on, q: scope.fixmedins_code });
      // searchInstitutions takes area codes and derives the prefix itself: '9901' → '990100' → '9901'
      return searchInstitutions(db, { ...req.query, scope: scope.prefixes.map((p) => p.padEnd(6, '0')) });
    });

    app.get<{ Params: Static<typeof CodeParams>; Querystring: Static<typeof DetailQuery> }>(
      '/institutions/:fixmedins_code',
      { schema: { params: CodeParams, querystring: DetailQuery }, config: { permission: 'institution:read' } },
      async (req) => {
        const scope = staffOf(req).scope;
        const code = req.params.fixmedins_code;
        if (scope.fixmedins_code && scope.fixmedins_code !== code) throw forbidden(`无权访问：机构用户只能查看本机构（${scope.fixmedins_code}）的数据`);
        const on = req.query.on ?? beijingDate();
        const institution = await getInstitution(db, code, on);
        if (!institution) throw notFound(`定点医药机构 ${code} 不存在或在 ${on} 不是定点机构`);
        requireInstitutionInScope(scope, institution);
        const [agreement, agreements] = await Promise.all([agreementOn(db, code, on), agreementHistory(db, code)]);
        return { on, institution, agreement: agreement ?? null, agreements };
      },
    );
  };
