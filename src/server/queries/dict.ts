/** The code tables present on a date, with their Chinese names and sizes (for the console's code-table list). */
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { validOnSql } from '../../platform/effective.js';
import { dictName } from '../../standards/dict.js';

export async function dictTypes(db: Db, on: string) {
  const rows = await db.k
    .selectFrom('dict_item')
    .select(['dict_type', sql<number>`count(*)::int8`.as('item_cnt')])
    .where(validOnSql(on))
    .groupBy('dict_type')
    .orderBy('dict_type')
    .execute();
  return rows.map((r) => ({ dict_type: r.dict_type, label: dictName(r.dict_type), item_cnt: r.item_cnt }));
}
