/**
 * Read-only look-ups other domains use instead of reading the settlement tables (payment's settlement list,
 * reconciliation, the console): one settlement with its fund rows and the split of its lines, an encounter with
 * its valid diagnoses. Amounts stay numeric text as stored (yuan); convert through platform/money.
 */
import type { Db } from '../platform/db.js';
import { toWireTime } from './common.js';

/** A settlement (or reversal) with setldetail and, for a settlement, the per-line split it paid. */
export async function getSettlement(db: Db, setl_id: string) {
  const setl = await db.k.selectFrom('setl').selectAll().where('setl_id', '=', setl_id).executeTakeFirst();
  if (!setl) return undefined;
  const [funds, lines, mulaid] = await Promise.all([
    db.k.selectFrom('setl_fund').selectAll().where('setl_id', '=', setl_id).orderBy('seq').execute(),
    db.k.selectFrom('setl_feedetl').selectAll().where('setl_id', '=', setl_id).orderBy('feedetl_id').execute(),
    db.k.selectFrom('setl_mulaid').selectAll().where('setl_id', '=', setl_id).orderBy('psn_no').execute(),
  ]);
  return { setl: { ...setl, setl_time: toWireTime(setl.setl_time)! }, setldetail: funds, lines, mulaid };
}

/** An encounter with its valid diagnoses (main first). */
export async function getEncounter(db: Db, mdtrt_id: string) {
  const mdtrt = await db.k.selectFrom('mdtrt').selectAll().where('mdtrt_id', '=', mdtrt_id).executeTakeFirst();
  if (!mdtrt) return undefined;
  const diagnoses = await db.k.selectFrom('mdtrt_diag').selectAll().where('mdtrt_id', '=', mdtrt_id).where('vali_flag', '=', '1').orderBy('maindiag_flag', 'desc').orderBy('diag_srt_no').execute();
  return { mdtrt: { ...mdtrt, begntime: toWireTime(mdtrt.begntime)!, endtime: toWireTime(mdtrt.endtime) }, diagnoses };
}

/** The valid settlements of a person in a period (by settlement time, Beijing dates inclusive). */
export async function settlementsOf(db: Db, psn_no: string, from: string, to: string) {
  return db.k
    .selectFrom('setl')
    .selectAll()
    .where('psn_no', '=', psn_no)
    .where('refd_setl_flag', '=', '0')
    .where('vali_flag', '=', '1')
    .where('setl_time', '>=', new Date(`${from}T00:00:00+08:00`))
    .where('setl_time', '<', new Date(new Date(`${to}T00:00:00+08:00`).getTime() + 86_400_000))
    .orderBy('setl_time')
    .execute();
}
