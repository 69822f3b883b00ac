/**
 * Loads what quality control needs from the database for one list: the 医保版 names of its diagnosis and procedure
 * codes valid on the discharge date (tables diagnosis / procedure_code, migration 0003), and the settlement behind
 * its setl_id through the settlement hook (../setl-list/settlement-hook.ts).
 */
import type { Kysely } from 'kysely';
import type { Db } from '../../platform/db.js';
import { validOnSql } from '../../platform/effective.js';
import { beijingDate } from '../../platform/time.js';
import type { SetlListInput } from '../setl-list/fields.js';
import { lookupSettlement, type SettlementLookup } from '../setl-list/settlement-hook.js';
import { checkDateOf, codesOf, type QcContext } from './engine.js';

async function namesValidOn(db: Db, table: 'diagnosis' | 'procedure_code', codes: string[], on: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!codes.length) return out;
  const [codeCol, nameCol] = table === 'diagnosis' ? ['diag_code', 'diag_name'] : ['oprn_oprt_code', 'oprn_oprt_name'];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const k = db.k as unknown as Kysely<any>;
  for (let i = 0; i < codes.length; i += 1000) {
    const rows = (await k
      .selectFrom(table)
      .select([`${codeCol} as code`, `${nameCol} as name`])
      .where(codeCol, 'in', codes.slice(i, i + 1000))
      .where(validOnSql(on))
      .execute()) as { code: string; name: string }[];
    for (const r of rows) out.set(r.code, r.name);
  }
  return out;
}

export interface QcLoadOptions {
  /** The calling institution. */
  caller?: string;
  /** How the settlement is found (default: the settlement tables); null skips the settlement checks. */
  settlementLookup?: SettlementLookup | null;
  /** The date when the list has no discharge date (default today). */
  today?: string;
}

export async function loadQcContext(db: Db, list: SetlListInput, opts: QcLoadOptions = {}): Promise<QcContext> {
  const on = checkDateOf(list, opts.today ?? beijingDate());
  const { diagnoses, procedures } = codesOf(list);
  const ctx: QcContext = {
    checkDate: on,
    diagnoses: await namesValidOn(db, 'diagnosis', diagnoses, on),
    procedures: await namesValidOn(db, 'procedure_code', procedures, on),
  };
  if (opts.caller !== undefined) ctx.caller = opts.caller;
  const lookup = opts.settlementLookup === undefined ? lookupSettlement : opts.settlementLookup;
  const setlId = list.setlinfo.setl_id;
  if (lookup && setlId !== undefined) {
    const st = await lookup(db, setlId);
    if (st !== undefined) ctx.settlement = st;
  }
  return ctx;
}
