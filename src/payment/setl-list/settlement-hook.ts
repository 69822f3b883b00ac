/**
 * The settlement hook: how the settlement-list service finds the settlement behind a list's setl_id. The default
 * reads the settlement tables of migration 0010 (`setl`, written by src/settlement): the settlement must exist, be
 * a settlement (not a reversal row) that has not been reversed, and belong to the uploading institution — quality
 * control rules 3050–3053 say so by name. When the settlement tables are absent (a deployment without the
 * settlement module) the hook answers `undefined` and the list is checked for shape only.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import type { SettlementRef } from '../qc/engine.js';

/** null: no such settlement; undefined: settlement data not available (checks skipped). */
export type SettlementLookup = (db: Db, setl_id: string) => Promise<SettlementRef | null | undefined>;

export const lookupSettlement: SettlementLookup = async (db, setl_id) => {
  const present = await sql<{ t: string | null }>`select to_regclass('setl')::text as t`.execute(db.k);
  if (!present.rows[0]?.t) return undefined;
  const r = await sql<{ setl_id: string; mdtrt_id: string; psn_no: string; fixmedins_code: string; vali_flag: string; refd_setl_flag: string }>`
    select setl_id, mdtrt_id, psn_no, fixmedins_code, vali_flag, refd_setl_flag from setl where setl_id = ${setl_id}`.execute(db.k);
  const row = r.rows[0];
  if (!row) return null;
  return { setl_id: row.setl_id, mdtrt_id: row.mdtrt_id, psn_no: row.psn_no, fixmedins_code: row.fixmedins_code, valid: row.vali_flag === '1' && row.refd_setl_flag === '0' };
};
