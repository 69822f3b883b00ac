/**
 * Practitioner search limited to a user's scope (through the institution they practise at), and the
 * qualification history of one practitioner. Same matching as standards' searchPractitioners: code prefix,
 * name substring, pinyin initials.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { validOnSql } from '../../platform/effective.js';
import { beijingDate } from '../../platform/time.js';
import type { Scope } from '../auth/scope.js';
import { escapeLike } from './like.js';

export interface PractitionerQuery {
  q?: string;
  fixmedins_code?: string;
  prac_type?: string;
  on?: string;
  page_num?: number;
  page_size?: number;
}

export async function searchPractitionersInScope(db: Db, scope: Scope, query: PractitionerQuery) {
  const on = query.on ?? beijingDate();
  const page_num = Math.max(1, query.page_num ?? 1);
  const page_size = Math.min(Math.max(1, query.page_size ?? 20), 500);
  let base = db.k.selectFrom('practitioner').where(validOnSql(on));
  if (scope.fixmedins_code) base = base.where('fixmedins_code', '=', scope.fixmedins_code);
  else if (scope.prefixes.length) {
    const inArea = db.k.selectFrom('fixmedins').select('fixmedins_code').where((eb) => eb.or(scope.prefixes.map((p) => eb('admdvs', 'like', `${p}%`))));
    base = base.where('fixmedins_code', 'in', inArea);
  }
  if (query.fixmedins_code) base = base.where('fixmedins_code', '=', query.fixmedins_code);
  if (query.prac_type) base = base.where('prac_type', '=', query.prac_type as '1');
  const term = query.q?.trim();
  if (term) {
    const up = escapeLike(term.toUpperCase());
    base = base.where((eb) => eb.or([eb('prac_code', 'like', `${up}%`), eb('prac_name', 'like', `%${escapeLike(term)}%`), eb('pinyin', 'like', `${up}%`)]));
  }
  const total = (await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0;
  const list = await base
    .select(['prac_code', 'prac_name', 'prac_type', 'gend', 'fixmedins_code', 'dept_name', 'profttl', 'begndate', 'enddate'])
    .orderBy('prac_code')
    .limit(page_size)
    .offset((page_num - 1) * page_size)
    .execute();
  return { page_num, page_size, total, list };
}

export async function qualificationHistory(db: Db, prac_code: string) {
  return db.k.selectFrom('practitioner_qualification').selectAll().where('prac_code', '=', prac_code).orderBy('begndate').execute();
}
