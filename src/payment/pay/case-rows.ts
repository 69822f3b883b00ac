/**
 * Writing a run's pay_case rows in bulk, inside the caller's transaction: each chunk of rows is ONE statement whose
 * parameters are one array per column (`insert … select … from unnest($1::text[], …)`), so a million rows take a few
 * hundred statements with 17 parameters each instead of thousands of statements with thousands of parameters — the
 * same SQL on PGlite and PostgreSQL. The rows are produced lazily by the caller, a chunk at a time, so the text of all
 * rows is never held at once.
 */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../platform/db.js';
import type { PayCaseTable } from './types.js';

export type CaseRow = Omit<PayCaseTable, 'run_id'>;

/** Column name → its SQL array type, in insert order. */
export const CASE_COLUMNS: [keyof CaseRow, string][] = [
  ['case_id', 'text'],
  ['fixmedins_code', 'text'],
  ['setl_month', 'int4'],
  ['grp_code', 'text'],
  ['grp_name', 'text'],
  ['grp_stas', 'text'],
  ['case_type', 'text'],
  ['base_points', 'numeric'],
  ['coef', 'numeric'],
  ['factor', 'numeric'],
  ['points', 'numeric'],
  ['mean_cost', 'numeric'],
  ['medfee_sumamt', 'numeric'],
  ['psn_pay', 'numeric'],
  ['std_amt', 'numeric'],
  ['reason', 'text'],
];

export const CASE_CHUNK = 5000;

/** Inserts `count` rows, row k given by rowAt(k), in chunks of CASE_CHUNK. */
export async function insertCaseRows(trx: Kysely<Tables>, run_id: string, count: number, rowAt: (k: number) => CaseRow): Promise<void> {
  for (let from = 0; from < count; from += CASE_CHUNK) {
    const n = Math.min(CASE_CHUNK, count - from);
    const cols = CASE_COLUMNS.map(() => new Array<unknown>(n));
    for (let k = 0; k < n; k++) {
      const r = rowAt(from + k);
      for (let j = 0; j < CASE_COLUMNS.length; j++) cols[j]![k] = r[CASE_COLUMNS[j]![0]];
    }
    const arrays = CASE_COLUMNS.map(([, type], j) => sql`${cols[j]}::${sql.raw(type)}[]`);
    await sql`insert into pay_case (run_id, ${sql.join(CASE_COLUMNS.map(([name]) => sql.ref(name)))})
      select ${run_id}, u.* from unnest(${sql.join(arrays)}) as u`.execute(trx);
  }
}
