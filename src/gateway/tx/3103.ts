/**
 * 3103 事前事中提醒处理结果反馈 (regional extension, audit-rules §2): the doctor states how each warning of a 3101/3102
 * answer was handled — 1 采纳（修改或撤销医嘱）, 2 坚持执行（须说明理由）, 3 已知晓. Recorded against the warning
 * (audit_warn_rslt.warn_dspo_way, every disposition kept); 事前提醒遵从率 is computed from it. All or nothing.
 * Accepts a list under `feedback_dtos`, or one disposition given directly in `data`.
 */
import { Type } from '@sinclair/typebox';
import { recordDispositions, type DispositionInput } from '../../audit/engine/log.js';
import { validationError } from '../../platform/errors.js';
import { beijingDateTime } from '../../platform/time.js';
import { C, OptC } from '../schema.js';
import { defineTx } from '../types.js';

const Feedback = {
  jr_id: C(50, '违规标识（3101/3102 输出的 jr_id）'),
  warn_dspo_way: C(3, '处理方式：1 采纳修改 2 坚持执行 3 已知晓'),
  dspo_dscr: OptC(500, '处理说明（坚持执行时必填）'),
  dr_codg: OptC(30, '医师代码'),
  dr_name: OptC(50, '医师姓名'),
};

export const Input3103 = Type.Object({
  data: Type.Object({
    task_id: OptC(50, '任务ID'),
    feedback_dtos: Type.Optional(Type.Array(Type.Object(Feedback), { description: '处理结果集合' })),
    jr_id: Type.Optional(Feedback.jr_id),
    warn_dspo_way: Type.Optional(Feedback.warn_dspo_way),
    dspo_dscr: Feedback.dspo_dscr,
    dr_codg: Feedback.dr_codg,
    dr_name: Feedback.dr_name,
  }),
});

export const Output3103 = Type.Object({
  result: Type.Array(Type.Object({ jr_id: C(50), warn_dspo_way: C(3), dspo_time: C(19, '记录时间') })),
});

export const tx3103 = defineTx({
  infno: '3103',
  name: '事前事中提醒处理结果反馈',
  input: Input3103,
  output: Output3103,
  needsSignIn: true,
  async handler({ data }, ctx) {
    let items: DispositionInput[] = data.feedback_dtos ?? [];
    if (!items.length && data.jr_id) {
      if (!data.warn_dspo_way) throw validationError('缺少处理方式', [{ field: 'data.warn_dspo_way', message: '缺少必填项' }]);
      items = [{ jr_id: data.jr_id, warn_dspo_way: data.warn_dspo_way, dspo_dscr: data.dspo_dscr, dr_codg: data.dr_codg, dr_name: data.dr_name }];
    }
    const done = await recordDispositions(ctx.db, ctx.envelope.fixmedins_code, ctx.envelope.msgid, items);
    return { result: done.map((d) => ({ jr_id: d.jr_id, warn_dspo_way: d.warn_dspo_way, dspo_time: beijingDateTime(d.dspo_time) })) };
  },
});
