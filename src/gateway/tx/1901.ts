/**
 * 1901 字典表查询 (reference §2.1, §3.15): the rows of one code table (码表), in the camelCase row shape this one
 * transaction uses, under the node `list`.
 */
import { Type } from '@sinclair/typebox';
import { queryDict1901 } from '../../standards/dict.js';
import { C, D, Nullable, OptC } from '../schema.js';
import { defineTx } from '../types.js';

export const Input1901 = Type.Object({
  data: Type.Object({
    type: C(30, '字典类型，如 gend、insutype、med_type'),
    parentValue: OptC(20, '父字典键值'),
    admdvs: OptC(6, '行政区划（yibao 的码表全国统一，忽略）'),
    date: Type.Optional(D('查询日期，默认当天')),
    valiFlag: OptC(3, '有效标志：1（默认）仅当日有效，0 含已失效'),
  }),
});

export const Output1901 = Type.Object({
  list: Type.Array(
    Type.Object({
      type: Type.String({ description: '字典类型' }),
      label: Type.String({ description: '字典标签' }),
      value: Type.String({ description: '字典键值' }),
      parentValue: Nullable(Type.String({ description: '父字典键值' })),
      sort: Type.Integer({ description: '序号' }),
      valiFlag: Type.String({ description: '有效标志' }),
      createUser: Type.String({ description: '创建账户' }),
      createDate: Type.String({ description: '创建时间' }),
      version: Type.String({ description: '版本号' }),
    }),
  ),
});

export const tx1901 = defineTx({
  infno: '1901',
  name: '字典表查询',
  input: Input1901,
  output: Output1901,
  needsSignIn: true,
  async handler({ data }, ctx) {
    return { list: await queryDict1901(ctx.db, { ...data, date: data.date ?? ctx.today }) };
  },
});
