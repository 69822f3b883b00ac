/**
 * 4102 医疗保障基金结算清单状态修改 (reference §3.14: input data.stastinfo[] {psn_no, setl_id, stas_type}): the
 * institution withdraws (stas_type 0) or submits again (1) its settlement lists, all rows or none. A list the insurer
 * has locked cannot be changed.
 */
import { Type } from '@sinclair/typebox';
import { changeSetlListStatus } from '../../payment/setl-list/index.js';
import { C, OptC } from '../schema.js';
import { defineTx } from '../types.js';

export const Input4102 = Type.Object({
  data: Type.Object({
    stastinfo: Type.Array(
      Type.Object({
        psn_no: OptC(30, '人员编号'),
        setl_id: C(30, '结算ID'),
        stas_type: C(3, '状态类型：0 撤回 1 提交'),
      }),
      { minItems: 1, maxItems: 500, description: '状态修改信息' },
    ),
  }),
});

export const Output4102 = Type.Object({
  stastinfo: Type.Array(
    Type.Object({
      setl_id: C(30, '结算ID'),
      stas_type: C(3, '修改后的状态：0 已撤回 1 已提交'),
      stas_name: Type.String({ description: '状态名称' }),
      ver_no: Type.Integer({ description: '当前版本号' }),
      setl_list_id: C(30, '当前版本的结算清单ID'),
    }),
  ),
});

export const tx4102 = defineTx({
  infno: '4102',
  name: '医疗保障基金结算清单状态修改',
  input: Input4102,
  output: Output4102,
  needsSignIn: true,
  async handler({ data }, ctx) {
    const rows = await changeSetlListStatus(
      { db: ctx.db, actor: ctx.actor, fixmedins_code: ctx.envelope.fixmedins_code, msgid: ctx.envelope.msgid, admdvs: ctx.config.nodeAdmdvs, at: ctx.receivedAt },
      data.stastinfo,
    );
    return { stastinfo: rows };
  },
});
