/** 9001 签到 (reference §1.5): one sign-in per operator per day; asked again the same day, the same sign_no. */
import { Type } from '@sinclair/typebox';
import { beijingDateTime } from '../../platform/time.js';
import { C, OptC } from '../schema.js';
import { signIn } from '../signin.js';
import { defineTx } from '../types.js';

export const Input9001 = Type.Object({
  signIn: Type.Object({
    opter_no: C(20, '操作员编号'),
    mac: OptC(20, '签到MAC地址'),
    ip: OptC(20, '签到IP地址'),
  }),
});

export const Output9001 = Type.Object({
  signinoutb: Type.Object({
    sign_time: Type.String({ description: '签到时间 yyyy-MM-dd HH:mm:ss' }),
    sign_no: C(30, '签到编号'),
  }),
});

export const tx9001 = defineTx({
  infno: '9001',
  name: '签到',
  input: Input9001,
  output: Output9001,
  needsSignIn: false,
  async handler({ signIn: s }, ctx) {
    const r = await signIn(ctx.db, { fixmedins_code: ctx.envelope.fixmedins_code, opter_no: s.opter_no, mac: s.mac, ip: s.ip, nodeAdmdvs: ctx.config.nodeAdmdvs, at: ctx.receivedAt });
    return { signinoutb: { sign_time: beijingDateTime(r.sign_time), sign_no: r.sign_no } };
  },
});
