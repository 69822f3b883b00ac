/**
 * Sign-in serials (交易签到流水号, reference §1.5): 9001 issues one per institution, operator and Beijing day (asked
 * again that day, it returns the same one); 9002 closes it. Every other transaction of an institution whose
 * credential requires sign-in must carry an open sign_no of that institution issued today. Owns gateway_signin.
 */
import type { Db } from '../platform/db.js';
import { conflict, forbidden, notFound } from '../platform/errors.js';
import { nextSerial } from '../platform/ids.js';
import { beijingDate, beijingDateTime, compactTime } from '../platform/time.js';
import { invalidate, RefCache } from '../platform/cache.js';

export interface SignIn {
  sign_no: string;
  sign_time: Date;
  sign_date: string;
  opter_no: string;
}

/** sign_no: node area (6) + yyyyMMddHHmmss (14) + serial (10) = 30 characters, the C(30) the envelope allows. */
async function newSignNo(db: Db, admdvs: string, at: Date): Promise<string> {
  const serial = await nextSerial(db, 'general');
  return `${admdvs}${compactTime(at)}${String(serial % 1e10).padStart(10, '0')}`;
}

/** 9001: the open sign-in of this operator today, or a new one. */
export async function signIn(db: Db, input: { fixmedins_code: string; opter_no: string; mac?: string; ip?: string; nodeAdmdvs: string; at?: Date }): Promise<SignIn> {
  const at = input.at ?? new Date();
  const sign_date = beijingDate(at);
  const open = () =>
    db.k
      .selectFrom('gateway_signin')
      .select(['sign_no', 'sign_time', 'sign_date', 'opter_no'])
      .where('fixmedins_code', '=', input.fixmedins_code)
      .where('opter_no', '=', input.opter_no)
      .where('sign_date', '=', sign_date)
      .where('signout_time', 'is', null)
      .executeTakeFirst();
  const existing = await open();
  if (existing) return existing;
  const sign_no = await newSignNo(db, input.nodeAdmdvs, at);
  const inserted = await db.k
    .insertInto('gateway_signin')
    .values({ sign_no, fixmedins_code: input.fixmedins_code, opter_no: input.opter_no, sign_date, sign_time: at, mac: input.mac ?? null, ip: input.ip ?? null, signout_time: null })
    .onConflict((oc) => oc.columns(['fixmedins_code', 'opter_no', 'sign_date']).where('signout_time', 'is', null).doNothing())
    .returning(['sign_no', 'sign_time', 'sign_date', 'opter_no'])
    .executeTakeFirst();
  if (inserted) {
    invalidate('signin');
    return inserted;
  }
  // a concurrent 9001 of the same operator won the race: answer with its serial
  const won = await open();
  if (!won) throw conflict('签到失败，请重试');
  return won;
}

/** 9002: closes a sign-in of this institution; returns the sign-out time. */
export async function signOut(db: Db, input: { fixmedins_code: string; sign_no: string; opter_no?: string; at?: Date }): Promise<Date> {
  const at = input.at ?? new Date();
  const row = await db.k.selectFrom('gateway_signin').select(['sign_no', 'fixmedins_code', 'opter_no', 'signout_time']).where('sign_no', '=', input.sign_no).executeTakeFirst();
  if (!row || row.fixmedins_code !== input.fixmedins_code) throw notFound(`签到编号 ${input.sign_no} 不存在`);
  if (row.signout_time) throw conflict(`签到编号 ${input.sign_no} 已于 ${beijingDateTime(row.signout_time)} 签退`);
  if (input.opter_no && input.opter_no !== row.opter_no) throw forbidden(`签到编号 ${input.sign_no} 不属于操作员 ${input.opter_no}`);
  const done = await db.k.updateTable('gateway_signin').set({ signout_time: at }).where('sign_no', '=', input.sign_no).where('signout_time', 'is', null).executeTakeFirst();
  invalidate('signin');
  if (Number(done.numUpdatedRows) !== 1) throw conflict(`签到编号 ${input.sign_no} 已签退`);
  return at;
}

/**
 * Sign-ins by sign_no, cached (every transaction of a signed-in terminal checks its sign_no): 9001 and 9002 in this
 * process invalidate; a sign-out by another server process is seen within the 10 s lifetime (platform/cache.ts).
 */
const signins = new RefCache<{ fixmedins_code: string; sign_date: string; signout_time: Date | null } | undefined>('signin', { max: 50_000, ttlMs: 10_000 });

/** Throws a Chinese UNAUTHENTICATED-style error unless sign_no is an open sign-in of this institution from today. */
export async function requireSignedIn(db: Db, fixmedins_code: string, sign_no: string | undefined, at: Date = new Date()): Promise<void> {
  if (!sign_no) throw forbidden('未签到：请先调用 9001 签到，并在报文的 sign_no 中填写签到编号');
  const row = await signins.get(db, sign_no, () => db.k.selectFrom('gateway_signin').select(['fixmedins_code', 'sign_date', 'signout_time']).where('sign_no', '=', sign_no).executeTakeFirst());
  if (!row || row.fixmedins_code !== fixmedins_code) throw forbidden(`签到编号 ${sign_no} 无效，请重新签到`);
  if (row.signout_time) throw forbidden(`签到编号 ${sign_no} 已签退，请重新签到`);
  const today = beijingDate(at);
  if (row.sign_date !== today) throw forbidden(`签到编号 ${sign_no} 是 ${row.sign_date} 的签到，已失效，请重新签到`);
}
