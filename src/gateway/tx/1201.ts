/**
 * 1201 医药机构信息获取 (reference §3.15): designated institutions by type, code (prefix) or name (part of it), in
 * force today. Input node `medinsinfo` (some clients send `data`; both are read).
 */
import { Type } from '@sinclair/typebox';
import { query1201 } from '../../standards/institutions/institutions.js';
import { C, Code, OptC, PAGE_SIZE_MAX } from '../schema.js';
import { defineTx } from '../types.js';

const Query = Type.Object({
  fixmedins_type: Type.Optional(Code(['1', '2'], '定点医疗服务机构类型：1 定点医疗机构 2 定点零售药店')),
  fixmedins_code: OptC(30, '定点医药机构编号（前缀匹配）'),
  fixmedins_name: OptC(200, '定点医药机构名称（包含匹配）'),
  page_num: Type.Optional(Type.Integer({ minimum: 1, description: '（yibao扩展）当前页数，默认1' })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_SIZE_MAX, description: `（yibao扩展）本页数据量，默认100，最大${PAGE_SIZE_MAX}` })),
});

export const Input1201 = Type.Object({ medinsinfo: Type.Optional(Query), data: Type.Optional(Query) });

export const Output1201 = Type.Object({
  medinsinfo: Type.Array(
    Type.Object({
      fixmedins_code: C(30, '定点医药机构编号'),
      fixmedins_name: C(200, '定点医药机构名称'),
      uscc: C(50, '统一社会信用代码'),
      fixmedins_type: C(6, '定点医疗服务机构类型'),
      hosp_lv: C(6, '医院等级：1/2/3 一/二/三级，9 未定级'),
    }),
  ),
});

export const tx1201 = defineTx({
  infno: '1201',
  name: '医药机构信息获取',
  input: Input1201,
  output: Output1201,
  needsSignIn: true,
  async handler(input, ctx) {
    const q = input.medinsinfo ?? input.data ?? {};
    const r = await query1201(ctx.db, { ...q, page_num: q.page_num ?? 1, page_size: q.page_size ?? 100 });
    return { medinsinfo: r.medinsinfo };
  },
});
