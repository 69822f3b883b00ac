/**
 * msgid de-duplication (reference §1.4, §7.5): msgid is unique per institution. A request that reached its
 * transaction claims (fixmedins_code, msgid) first and stores the exact response text when done; the same msgid
 * again returns those bytes unchanged when the request is the same (same hash of {infno, mdtrtarea_admvs,
 * insuplc_admdvs, input}), and a -1 conflict when it is not. A claim whose transaction failed unexpectedly (or whose
 * sign-in check failed) is released, so the client may retry. Owns gateway_msg; the dispatcher stores the response
 * together with the request log row (request-log.ts), one round trip.
 */
import type { Db } from '../platform/db.js';
import { canonicalJson } from './schema.js';
import { sha256Hex } from './credentials.js';
import type { Envelope } from './types.js';

/** The hash that tells "the same request again" from "another request with a reused msgid". */
export function requestHash(env: Envelope): string {
  return sha256Hex(canonicalJson({ infno: env.infno, mdtrtarea_admvs: env.mdtrtarea_admvs ?? null, insuplc_admdvs: env.insuplc_admdvs ?? null, input: env.input }));
}

export type Prior =
  | { kind: 'none' }
  | { kind: 'replay'; body: string }
  | { kind: 'conflict'; infno: string; at: Date }
  | { kind: 'processing' };

/** What the store holds for this msgid. */
export async function findPrior(db: Db, fixmedins_code: string, msgid: string, hash: string): Promise<Prior> {
  const row = await db.k.selectFrom('gateway_msg').select(['request_hash', 'status', 'response_body', 'infno', 'created_at']).where('fixmedins_code', '=', fixmedins_code).where('msgid', '=', msgid).executeTakeFirst();
  if (!row) return { kind: 'none' };
  if (row.request_hash.trim() !== hash) return { kind: 'conflict', infno: row.infno, at: row.created_at };
  if (row.status === 'done' && row.response_body !== null) return { kind: 'replay', body: row.response_body };
  return { kind: 'processing' };
}

/** Claims the msgid; false when another request holds it already (then ask findPrior again). */
export async function claim(db: Db, env: Envelope, hash: string, refmsgid: string): Promise<boolean> {
  const r = await db.k
    .insertInto('gateway_msg')
    .values({ fixmedins_code: env.fixmedins_code, msgid: env.msgid, infno: env.infno, request_hash: hash, inf_refmsgid: refmsgid, status: 'processing', response_body: null, completed_at: null })
    .onConflict((oc) => oc.columns(['fixmedins_code', 'msgid']).doNothing())
    .returning('msgid')
    .executeTakeFirst();
  return r !== undefined;
}

/** The response of a claimed msgid, stored by the request log's write in the same statement (request-log.ts). */
export interface Completion {
  fixmedins_code: string;
  msgid: string;
  body: string;
}

/** Gives the msgid back (the transaction failed unexpectedly; nothing was answered that a retry must repeat). */
export async function release(db: Db, fixmedins_code: string, msgid: string): Promise<void> {
  await db.k.deleteFrom('gateway_msg').where('fixmedins_code', '=', fixmedins_code).where('msgid', '=', msgid).where('status', '=', 'processing').execute();
}
