/**
 * 2601 冲正交易 (reference §3.11): undoes an earlier request of this institution named by its msgid (omsgid) and
 * infno (oinfno). The msgid store (gateway_msg, idempotency.ts) tells whether the original arrived and how it
 * ended; the settlement service undoes what it wrote (src/settlement/correction.ts). An original that never
 * arrived or failed leaves nothing to undo: success.
 */
import { Type } from '@sinclair/typebox';
import { conflict, validationError } from '../../platform/errors.js';
import { REVERSIBLE, undoByMsgid } from '../../settlement/index.js';
import { C, ExpContent } from '../schema.js';
import { defineTx } from '../types.js';
import { callerOf, NoOutput } from './settlement-common.js';

export const Input2601 = Type.Object({
  data: Type.Object({ psn_no: C(30, '人员编号'), omsgid: C(30, '原发送方报文ID'), oinfno: C(6, '原交易编号'), exp_content: ExpContent }),
});

export const tx2601 = defineTx({
  infno: '2601',
  name: '冲正交易',
  input: Input2601,
  output: NoOutput,
  needsSignIn: true,
  async handler({ data }, ctx) {
    const oinfno = data.oinfno.toUpperCase();
    if (!(oinfno in REVERSIBLE)) throw validationError(`交易 ${oinfno} 不支持冲正；可冲正的交易：${Object.keys(REVERSIBLE).join('、')}`, [{ field: 'data.oinfno', message: '不支持冲正' }]);
    const code = ctx.envelope.fixmedins_code;
    const orig = await ctx.db.k.selectFrom('gateway_msg').select(['infno', 'status', 'response_body']).where('fixmedins_code', '=', code).where('msgid', '=', data.omsgid).executeTakeFirst();
    if (!orig) {
      ctx.log.info({ omsgid: data.omsgid, oinfno }, '冲正：原交易未收到，无需冲正');
      return {};
    }
    if (orig.infno !== oinfno) throw validationError(`原报文 ${data.omsgid} 的交易编号为 ${orig.infno}，不是 ${oinfno}`, [{ field: 'data.oinfno', message: '与原交易不符' }]);
    if (orig.status !== 'done') throw conflict(`原交易 ${data.omsgid} 正在处理中，请稍后再冲正`);
    const succeeded = orig.response_body !== null && (JSON.parse(orig.response_body) as { infcode?: number }).infcode === 0;
    if (!succeeded) {
      ctx.log.info({ omsgid: data.omsgid, oinfno }, '冲正：原交易失败，无需冲正');
      return {};
    }
    const r = await undoByMsgid(callerOf(ctx), { psn_no: data.psn_no, omsgid: data.omsgid, oinfno });
    ctx.log.info({ omsgid: data.omsgid, oinfno, done: r.done }, '冲正完成');
    return {};
  },
});
