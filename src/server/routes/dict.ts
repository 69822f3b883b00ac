/** /api/dict: the code tables (码表) valid on a date and their items; /api/areas: the 医保区划. Public reference data. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { notFound } from '../../platform/errors.js';
import { beijingDate } from '../../platform/time.js';
import { admdvsValidOn } from '../../standards/admdvs.js';
import { dictName, listDict } from '../../standards/dict.js';
import { staffOf } from '../auth/hook.js';
import { coversAdmdvs } from '../auth/scope.js';
import { dictTypes } from '../queries/dict.js';
import type { AppDeps } from '../app.js';
import { OnDate, StringEnum } from './schemas.js';

const OnQuery = Type.Object({ on: OnDate });
const TypeParams = Type.Object({ dict_type: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }) });
const AreaQuery = Type.Object({ on: OnDate, poolarea_flag: Type.Optional(StringEnum(['0', '1'])), admdvs_lv: Type.Optional(StringEnum(['1', '2', '3'])) });

export const dictRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db } = deps;

    app.get<{ Querystring: Static<typeof OnQuery> }>('/dict', { schema: { querystring: OnQuery }, config: { permission: 'dict:read' } }, async (req) => {
      const on = req.query.on ?? beijingDate();
      return { on, list: await dictTypes(db, on) };
    });

    app.get<{ Params: Static<typeof TypeParams>; Querystring: Static<typeof OnQuery> }>(
      '/dict/:dict_type',
      { schema: { params: TypeParams, querystring: OnQuery }, config: { permission: 'dict:read' } },
      async (req) => {
        const on = req.query.on ?? beijingDate();
        const { dict_type } = req.params;
        const items = await listDict(db, dict_type, on);
        if (!items.length) throw notFound(`码表 ${dict_type} 不存在或在 ${on} 没有有效的代码`);
        return { dict_type, label: dictName(dict_type), on, list: items.map((i) => ({ value: i.value, label: i.label, parent_value: i.parent_value, sort: i.sort, begndate: i.begndate, enddate: i.enddate })) };
      },
    );

    app.get<{ Querystring: Static<typeof AreaQuery> }>('/areas', { schema: { querystring: AreaQuery }, config: { permission: 'dict:read' } }, async (req) => {
      const on = req.query.on ?? beijingDate();
      const scope = staffOf(req).scope;
      const list = [...(await admdvsValidOn(db, on)).values()]
        .filter((a) => (!req.query.poolarea_flag || a.poolarea_flag === req.query.poolarea_flag) && (!req.query.admdvs_lv || a.admdvs_lv === req.query.admdvs_lv))
        .sort((a, b) => a.admdvs.localeCompare(b.admdvs))
        .map((a) => ({ ...a, in_scope: !scope.fixmedins_code && coversAdmdvs(scope, a.admdvs) }));
      return { on, list };
    });
  };
