/**
 * /api/practitioners: 医保医师/药师/护士/技师 of institutions in the user's areas (an institution user: its
 * own), with payment-qualification history. Like institutions, the register is public: out of scope is 403.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { forbidden, notFound } from '../../platform/errors.js';
import { beijingDate } from '../../platform/time.js';
import { getPractitioner, qualificationOn } from '../../standards/practitioners/practitioners.js';
import { staffOf } from '../auth/hook.js';
import { requireInstitutionInScope } from '../auth/scope.js';
import { latestInstitution } from '../queries/institutions.js';
import { qualificationHistory, searchPractitionersInScope } from '../queries/practitioners.js';
import type { AppDeps } from '../app.js';
import { OnDate, Paging, SearchTerm, StringEnum } from './schemas.js';

const ListQuery = Type.Object({
  q: SearchTerm,
  fixmedins_code: Type.Optional(Type.String({ pattern: '^[HP]\\d{11}$' })),
  prac_type: Type.Optional(StringEnum(['1', '2', '3', '4'])),
  on: OnDate,
  ...Paging,
});

const CodeParams = Type.Object({ prac_code: Type.String({ pattern: '^[DYNJ]\\d{11}$' }) });
const DetailQuery = Type.Object({ on: OnDate });

export const practitionerRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db } = deps;

    app.get<{ Querystring: Static<typeof ListQuery> }>('/practitioners', { schema: { querystring: ListQuery }, config: { permission: 'practitioner:read' } }, async (req) => {
      const scope = staffOf(req).scope;
      if (scope.fixmedins_code && req.query.fixmedins_code && req.query.fixmedins_code !== scope.fixmedins_code) {
        throw forbidden(`无权访问：机构用户只能查看本机构（${scope.fixmedins_code}）的医师`);
      }
      return searchPractitionersInScope(db, scope, req.query);
    });

    app.get<{ Params: Static<typeof CodeParams>; Querystring: Static<typeof DetailQuery> }>(
      '/practitioners/:prac_code',
      { schema: { params: CodeParams, querystring: DetailQuery }, config: { permission: 'practitioner:read' } },
      async (req) => {
        const code = req.params.prac_code;
        const on = req.query.on ?? beijingDate();
        const practitioner = await getPractitioner(db, code, on);
        if (!practitioner) throw notFound(`医保医师/药师 ${code} 不存在或在 ${on} 未登记`);
        const inst = await latestInstitution(db, practitioner.fixmedins_code);
        requireInstitutionInScope(staffOf(req).scope, inst ?? { fixmedins_code: practitioner.fixmedins_code, admdvs: '' });
        const [qualification, qualifications] = await Promise.all([qualificationOn(db, code, on), qualificationHistory(db, code)]);
        return {
          on,
          practitioner,
          institution: inst ? { fixmedins_code: inst.fixmedins_code, fixmedins_name: inst.fixmedins_name, admdvs: inst.admdvs } : null,
          qualification: qualification ?? null,
          qualifications,
        };
      },
    );
  };
