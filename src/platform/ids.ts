/**
 * National-style identifiers. Shapes follow the interface reference (§1.4): a 6-digit area code, a Beijing
 * timestamp and a zero-padded serial from a database sequence, so ids are unique across processes and
 * sortable by time. The pure formatters are separate so that batch generators can produce deterministic ids.
 */
import { sql } from 'kysely';
import type { Db } from './db.js';
import { compactTime } from './time.js';

/** Sequences created by migration 0001; each id kind draws from its own. */
export type IdKind = 'refmsg' | 'psn' | 'mdtrt' | 'setl' | 'general';

const SEQUENCE: Record<IdKind, string> = {
  refmsg: 'seq_refmsg',
  psn: 'seq_psn',
  mdtrt: 'seq_mdtrt',
  setl: 'seq_setl',
  general: 'seq_general',
};

export async function nextSerial(db: Db, kind: IdKind): Promise<number> {
  const res = await sql<{ n: number }>`select nextval(${SEQUENCE[kind]}::regclass)::int8 as n`.execute(db.k);
  return res.rows[0]!.n;
}

/** `count` serials of one kind in a single round trip (callers that hand ids out from a block, e.g. the gateway). */
export async function nextSerials(db: Db, kind: IdKind, count: number): Promise<number[]> {
  const res = await sql<{ n: number }>`select nextval(${SEQUENCE[kind]}::regclass)::int8 as n from generate_series(1, ${count})`.execute(db.k);
  return res.rows.map((r) => Number(r.n));
}

function pad(serial: number, width: number): string {
  const s = String(serial % 10 ** width);
  return s.padStart(width, '0');
}

/** inf_refmsgid: receiver area (6) + yyyyMMddHHmmss (14) + serial (10) = 30 characters. */
export function formatRefmsgid(admdvs: string, at: Date, serial: number): string {
  return `${admdvs}${compactTime(at)}${pad(serial, 10)}`;
}

/** psn_no: insured area (6) + 14-digit serial = 20 characters (national psn_no is C(30)). */
export function formatPsnNo(admdvs: string, serial: number): string {
  return `${admdvs}${pad(serial, 14)}`;
}

/**
 * Dated ids: area (6) + yyyyMMdd (8) + kind (1) + serial (11) = 26 characters (national C(30)). The kind digit keeps
 * an encounter, a settlement and other dated records from ever sharing an id although their sequences all start
 * at 1: 1 就诊 mdtrt_id, 2 结算 setl_id, 9 other records (e.g. settlement-list versions).
 */
export const DATED_ID_KIND = { mdtrt: '1', setl: '2', general: '9' } as const;
export function formatDatedId(admdvs: string, at: Date, serial: number, kind: keyof typeof DATED_ID_KIND = 'general'): string {
  return `${admdvs}${compactTime(at).slice(0, 8)}${DATED_ID_KIND[kind]}${pad(serial, 11)}`;
}

export async function newRefmsgid(db: Db, admdvs: string, at = new Date()): Promise<string> {
  return formatRefmsgid(admdvs, at, await nextSerial(db, 'refmsg'));
}
export async function newPsnNo(db: Db, admdvs: string): Promise<string> {
  return formatPsnNo(admdvs, await nextSerial(db, 'psn'));
}
export async function newMdtrtId(db: Db, admdvs: string, at = new Date()): Promise<string> {
  return formatDatedId(admdvs, at, await nextSerial(db, 'mdtrt'), 'mdtrt');
}
export async function newSetlId(db: Db, admdvs: string, at = new Date()): Promise<string> {
  return formatDatedId(admdvs, at, await nextSerial(db, 'setl'), 'setl');
}
