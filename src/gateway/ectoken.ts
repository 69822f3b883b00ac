/**
 * A minimal 医保电子凭证 token store (reference §6.4). The QR-code decode that yields an ecToken is not part of the
 * HIS interface (it is the e-voucher SDK / 电子凭证中台); yibao's side of it will live in the public-service domain.
 * Until then this is the smallest thing that lets 1101 accept mdtrt_cert_type 01: a token bound to a person, valid
 * for a visit's lifetime (24 hours by default). Owns table ec_token.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../platform/db.js';
import { notFound, validationError } from '../platform/errors.js';
import { findPerson } from '../enrollment/persons.js';

export const EC_TOKEN_TTL_MINUTES = 24 * 60;

/** Issues an ecToken for a person: insured-area prefix + "ec" + 32 hex characters, like the real ones look. */
export async function issueEcToken(db: Db, psn_no: string, opts: { insuplc_admdvs?: string; ttlMinutes?: number; at?: Date } = {}): Promise<{ ec_token: string; expires_at: Date }> {
  if (!(await findPerson(db, { psn_no }))) throw notFound(`参保人 ${psn_no} 不存在`);
  const ttl = opts.ttlMinutes ?? EC_TOKEN_TTL_MINUTES;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 7 * 24 * 60) throw validationError('电子凭证有效期应为1分钟到7天');
  const at = opts.at ?? new Date();
  const area = opts.insuplc_admdvs ?? psn_no.slice(0, 6);
  const ec_token = `${area}ec${randomBytes(16).toString('hex')}`;
  const expires_at = new Date(at.getTime() + ttl * 60_000);
  await db.k.insertInto('ec_token').values({ ec_token, psn_no, insuplc_admdvs: /^\d{6}$/.test(area) ? area : null, issued_at: at, expires_at }).execute();
  return { ec_token, expires_at };
}

/** The person an ecToken stands for, or a Chinese error when it is unknown or expired. */
export async function resolveEcToken(db: Db, ec_token: string, at: Date = new Date()): Promise<string> {
  const row = await db.k.selectFrom('ec_token').select(['psn_no', 'expires_at']).where('ec_token', '=', ec_token).executeTakeFirst();
  if (!row) throw notFound('医保电子凭证无效，请参保人重新出示电子凭证');
  if (row.expires_at.getTime() < at.getTime()) throw validationError('医保电子凭证已过期，请参保人重新出示电子凭证');
  return row.psn_no;
}
