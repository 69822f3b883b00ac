/** 9002 签退 (reference §1.5): closes a sign-in of this institution. */
import { Type } from '@sinclair/typebox';
import { beijingDateTime } from '../../platform/time.js';
import { C, OptC } from '../schema.js';
import { signOut } from '../signin.js';
import { defineTx } from '../types.js';

export const Input9002 = Type.Object({
  signOut: Type.Object({
    sign_no: C(30, '签到编号'),
    opter_no: OptC(20, '操作员编号'),
  }),
});

export const Output9002 = Type.Object({
  signoutoutb: Type.Object({
    sign_time: Type.String({ description: '签退时间 yyyy-MM-dd HH:mm:ss' }),
  }),
});

export const tx9002 = defineTx({
  infno: '9002',
  name: '签退',
  input: Input9002,
  output: Output9002,
  needsSignIn: false,
  async handler({ signOut: s }, ctx) {
    const at = await signOut(ctx.db, { fixmedins_code: ctx.envelope.fixmedins_code, sign_no: s.sign_no, opter_no: s.opter_no, at: ctx.receivedAt });
    return { signoutoutb: { sign_time: beijingDateTime(at) } };
  },
});
