/**
 * /api/persons: insured persons within the user's areas. A person outside them answers 404, exactly like a
 * person who does not exist: whether someone is insured at all is personal data.
 * Certificate and card numbers travel in a POST body (lookup), never in a URL, so they stay out of access logs.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../platform/db.js';
import { notFound, validationError } from '../../platform/errors.js';
import { findPerson, getPersonView, type PersonKey } from '../../enrollment/persons.js';
import { staffOf } from '../auth/hook.js';
import type { Scope } from '../auth/scope.js';
import { cardHolder, personInScope, searchPersons } from '../queries/persons.js';
import type { AppDeps } from '../app.js';
import { AdmdvsCode, OnDate, Paging, SearchTerm } from './schemas.js';

const ListQuery = Type.Object({
  q: SearchTerm,
  insuplc_admdvs: Type.Optional(AdmdvsCode),
  insutype: Type.Optional(Type.String({ pattern: '^\\d{3}$' })),
  ...Paging,
});

const PsnNoParams = Type.Object({ psn_no: Type.String({ minLength: 1, maxLength: 30 }) });
const ViewQuery = Type.Object({ on: OnDate });

const LookupBody = Type.Object(
  {
    psn_no: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    certno: Type.Optional(Type.String({ minLength: 15, maxLength: 18 })),
    card_no: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    on: OnDate,
  },
  { minProperties: 1 },
);

const NOT_VISIBLE = (what: string) => notFound(`未找到参保人（${what}），或该参保人不在您的管辖区划内`);

async function viewInScope(db: Db, scope: Scope, psn_no: string, what: string, on?: string) {
  if (!(await personInScope(db, scope, psn_no))) throw NOT_VISIBLE(what);
  return getPersonView(db, psn_no, on);
}

export const personRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db } = deps;

    app.get<{ Querystring: Static<typeof ListQuery> }>('/persons', { schema: { querystring: ListQuery }, config: { permission: 'person:read' } }, async (req) =>
      searchPersons(db, staffOf(req).scope, req.query),
    );

    app.get<{ Params: Static<typeof PsnNoParams>; Querystring: Static<typeof ViewQuery> }>(
      '/persons/:psn_no',
      { schema: { params: PsnNoParams, querystring: ViewQuery }, config: { permission: 'person:read' } },
      async (req) => viewInScope(db, staffOf(req).scope, req.params.psn_no, `人员编号 ${req.params.psn_no}`, req.query.on),
    );

    app.post<{ Body: Static<typeof LookupBody> }>('/persons/lookup', { schema: { body: LookupBody }, config: { permission: 'person:read' } }, async (req) => {
      const { psn_no, certno, card_no, on } = req.body;
      const given = [psn_no, certno, card_no].filter(Boolean).length;
      if (given !== 1) throw validationError('请求参数错误：psn_no、certno、card_no 应且只应提供一项', [{ field: 'psn_no', message: '三者择一' }]);
      const key: PersonKey = psn_no ? { psn_no } : certno ? { certno } : { card_no: card_no! };
      const what = psn_no ? `人员编号 ${psn_no}` : certno ? '按证件号码' : '按社会保障卡号';
      const scope = staffOf(req).scope;
      // a card's holder is checked against the scope before findPerson judges the card's state
      if (card_no) {
        const holder = await cardHolder(db, card_no);
        if (!holder || !(await personInScope(db, scope, holder))) throw NOT_VISIBLE(what);
      }
      const p = await findPerson(db, key);
      if (!p) throw NOT_VISIBLE(what);
      return viewInScope(db, scope, p.psn_no, what, on);
    });
  };
