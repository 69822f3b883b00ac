/**
 * /api/settlements: settlements (and their reversals) in the user's scope — search and one settlement's detail.
 * A settlement outside the scope answers 404 exactly like one that does not exist: it is personal data. An
 * institution user sees its own institution's settlements only (queries/settlements.ts says what "in scope" is).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { notFound, validationError } from '../../platform/errors.js';
import { staffOf } from '../auth/hook.js';
import { searchSettlements, settlementDetail, settlementInScope, SETL_INFNOS } from '../queries/settlements.js';
import type { AppDeps } from '../app.js';
import { DateStr, Paging, SearchTerm, StringEnum } from './schemas.js';

const Code = (max: number) => Type.Optional(Type.String({ minLength: 1, maxLength: max }));

const ListQuery = Type.Object({
  q: SearchTerm,
  psn_no: Code(30),
  setl_id: Code(40),
  fixmedins_code: Code(30),
  begndate: Type.Optional(DateStr),
  enddate: Type.Optional(DateStr),
  insutype: Type.Optional(Type.String({ pattern: '^\\d{3}$' })),
  med_type: Type.Optional(Type.String({ pattern: '^\\d{2,6}$' })),
  infno: Type.Optional(StringEnum(SETL_INFNOS)),
  vali_flag: Type.Optional(StringEnum(['0', '1'] as const)),
  ...Paging,
});

const IdParams = Type.Object({ setl_id: Type.String({ minLength: 1, maxLength: 40 }) });

export const settlementRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db } = deps;

    app.get<{ Querystring: Static<typeof ListQuery> }>('/settlements', { schema: { querystring: ListQuery }, config: { permission: 'settlement:read' } }, async (req) => {
      const { begndate, enddate } = req.query;
      if (begndate && enddate && begndate > enddate) throw validationError('请求参数错误：开始日期不能晚于结束日期', [{ field: 'begndate', message: '开始日期不能晚于结束日期' }]);
      return searchSettlements(db, staffOf(req).scope, req.query);
    });

    app.get<{ Params: Static<typeof IdParams> }>('/settlements/:setl_id', { schema: { params: IdParams }, config: { permission: 'settlement:read' } }, async (req) => {
      const { setl_id } = req.params;
      const missing = notFound(`未找到结算记录（结算ID ${setl_id}），或该结算不在您的管辖范围内`);
      if (!(await settlementInScope(db, staffOf(req).scope, setl_id))) throw missing;
      const detail = await settlementDetail(db, setl_id);
      if (!detail) throw missing;
      return detail;
    });
  };
