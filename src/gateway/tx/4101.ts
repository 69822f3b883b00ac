/**
 * 4101 医疗保障基金结算清单信息上传 (reference §3.14; drg-dip.md §3.2–3.3): the settlement list of one settlement —
 * setlinfo, payinfo[], opspdiseinfo[], diseinfo[], iteminfo[], oprninfo[], icuinfo[] (bldinfo[]) — checked by
 * quality control (src/payment/qc) and stored as the next version of the settlement's list. Blocking findings answer
 * infcode -1 with every finding (rule id, field, message) in err_msg; warnings are accepted and returned in
 * output.warn_msg / output.qcinfo[].
 */
import { Type } from '@sinclair/typebox';
import { SetlListSchema, uploadSetlList, type SetlListInput } from '../../payment/setl-list/index.js';
import { C, Nullable } from '../schema.js';
import { defineTx, type TxContext, type TxDef } from '../types.js';

export const QcFindingOut = Type.Object({
  rule_id: Type.String({ description: '质控规则编号' }),
  code: Type.String({ description: '规则类别代码' }),
  level: Type.Union([Type.Literal('blocking'), Type.Literal('warning')], { description: 'blocking 阻断 / warning 警告' }),
  node: Type.String({ description: '节点' }),
  row: Nullable(Type.Integer({ description: '行号（从1起）' })),
  field: Type.String({ description: '字段' }),
  value: Nullable(Type.String({ description: '填写的值' })),
  message: Type.String({ description: '提示信息' }),
});

export const Output4101 = Type.Object({
  setl_list_id: C(30, '结算清单ID（本版）'),
  setl_id: C(30, '结算ID'),
  ver_no: Type.Integer({ description: '版本号：同一结算第几次上传成功' }),
  qc_rslt: Type.Union([Type.Literal('0'), Type.Literal('1')], { description: '质控结果：0 通过 1 通过但有警告' }),
  warn_msg: Nullable(Type.String({ description: '质控警告' })),
  qcinfo: Type.Array(QcFindingOut, { description: '质控警告明细' }),
});

/** The shared handler of 4101 and 4101A. */
export function setlListUploadTx(infno: '4101' | '4101A', name: string): TxDef<typeof SetlListSchema, typeof Output4101> {
  return defineTx({
    infno,
    name,
    input: SetlListSchema,
    output: Output4101,
    needsSignIn: true,
    async handler(input, ctx: TxContext) {
      const r = await uploadSetlList(
        { db: ctx.db, actor: ctx.actor, fixmedins_code: ctx.envelope.fixmedins_code, msgid: ctx.envelope.msgid, admdvs: ctx.config.nodeAdmdvs, at: ctx.receivedAt },
        input as unknown as SetlListInput,
        { infno },
      );
      if (r.warn_msg) ctx.warnings.push(r.warn_msg);
      return { setl_list_id: r.setl_list_id, setl_id: r.setl_id, ver_no: r.ver_no, qc_rslt: r.qc_rslt, warn_msg: r.warn_msg, qcinfo: r.warnings };
    },
  });
}

export const tx4101 = setlListUploadTx('4101', '医疗保障基金结算清单信息上传');
