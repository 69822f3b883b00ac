/**
 * /api/catalogue: the medical-insurance catalogue (drugs, herbs, service items, consumables) — search by code
 * prefix, name or pinyin initials with filters; one item on a date with its ratio, every price cap by hospital
 * level, the self-pay ratios by insurance type and the structured restriction. Not area-scoped (public data).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { notFound } from '../../platform/errors.js';
import { beijingDate } from '../../platform/time.js';
import { getItem, searchCatalogue } from '../../standards/catalogue/service.js';
import { capsOn, selfpayOn } from '../queries/catalogue.js';
import type { AppDeps } from '../app.js';
import { AdmdvsCode, OnDate, Paging, SearchTerm, StringEnum } from './schemas.js';

const LIST_TYPES = ['101', '102', '103', '104', '105', '201', '301'] as const;

const ListQuery = Type.Object({
  q: SearchTerm,
  list_type: Type.Optional(StringEnum(LIST_TYPES)),
  chrgitm_lv: Type.Optional(StringEnum(['01', '02', '03'])),
  med_chrgitm_type: Type.Optional(Type.String({ maxLength: 10 })),
  insu_admdvs: Type.Optional(AdmdvsCode),
  on: OnDate,
  ...Paging,
});

const CodeParams = Type.Object({ hilist_code: Type.String({ minLength: 1, maxLength: 50 }) });
const DetailQuery = Type.Object({
  on: OnDate,
  hosp_lv: Type.Optional(StringEnum(['1', '2', '3', '9'])),
  insutype: Type.Optional(Type.String({ pattern: '^\\d{3}$' })),
  insu_admdvs: Type.Optional(AdmdvsCode),
});

export const catalogueRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db } = deps;

    app.get<{ Querystring: Static<typeof ListQuery> }>('/catalogue', { schema: { querystring: ListQuery }, config: { permission: 'catalogue:read' } }, async (req) =>
      searchCatalogue(db, req.query),
    );

    app.get<{ Params: Static<typeof CodeParams>; Querystring: Static<typeof DetailQuery> }>(
      '/catalogue/:hilist_code',
      { schema: { params: CodeParams, querystring: DetailQuery }, config: { permission: 'catalogue:read' } },
      async (req) => {
        const code = req.params.hilist_code;
        const on = req.query.on ?? beijingDate();
        const item = await getItem(db, code, { ...req.query, on });
        if (!item) throw notFound(`医保目录中没有编码 ${code}（${on} 有效）`);
        const [caps, selfpay] = await Promise.all([capsOn(db, code, item.insu_admdvs, on), selfpayOn(db, code, item.insu_admdvs, on)]);
        return { on, item, caps, selfpay };
      },
    );
  };
