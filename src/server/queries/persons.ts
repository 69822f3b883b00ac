/**
 * Read queries over enrollment for the console, limited to a user's areas: whether a person belongs to the
 * scope (an insurance relation there, current or past), and the paged person list. Certificate numbers are
 * masked in lists; the full number is in the 1101 view of one person.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db, Tables } from '../../platform/db.js';
import { maskValue } from '../../platform/logging.js';
import type { Scope } from '../auth/scope.js';
import { escapeLike } from './like.js';

export async function personInScope(db: Db, scope: Scope, psn_no: string): Promise<boolean> {
  if (scope.fixmedins_code) return false;
  let q = db.k.selectFrom('psn_insu').select('psn_no').where('psn_no', '=', psn_no);
  if (scope.prefixes.length) q = q.where((eb) => eb.or(scope.prefixes.map((p) => eb('insuplc_admdvs', 'like', `${p}%`))));
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}

export interface PersonQuery {
  /** psn_no prefix or part of the name. */
  q?: string;
  insuplc_admdvs?: string;
  insutype?: string;
  page_num?: number;
  page_size?: number;
}

export async function searchPersons(db: Db, scope: Scope, query: PersonQuery) {
  const page_num = Math.max(1, query.page_num ?? 1);
  const page_size = Math.min(Math.max(1, query.page_size ?? 20), 500);
  const related = (eb: ExpressionBuilder<Tables & { p: Tables['psn'] }, 'p'>) => {
    let sub = eb.selectFrom('psn_insu as i').select('i.psn_no').whereRef('i.psn_no', '=', 'p.psn_no');
    if (scope.prefixes.length) sub = sub.where((e) => e.or(scope.prefixes.map((p) => e('i.insuplc_admdvs', 'like', `${p}%`))));
    if (query.insuplc_admdvs) sub = sub.where('i.insuplc_admdvs', 'like', `${query.insuplc_admdvs.replace(/(00)+$/, '') || query.insuplc_admdvs}%`);
    if (query.insutype) sub = sub.where('i.insutype', '=', query.insutype);
    return eb.exists(sub);
  };
  let base = db.k.selectFrom('psn as p');
  if (scope.fixmedins_code) base = base.where(sql<boolean>`false`);
  if (scope.prefixes.length || query.insuplc_admdvs || query.insutype) base = base.where(related);
  const term = query.q?.trim();
  if (term) {
    const esc = escapeLike(term);
    base = base.where((eb) => eb.or([eb('p.psn_no', 'like', `${esc}%`), eb('p.psn_name', 'like', `%${esc}%`)]));
  }
  const total = (await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0;
  const rows = await base
    .select(['p.psn_no', 'p.psn_name', 'p.certno', 'p.gend', 'p.brdy', 'p.psn_type', 'p.cvlserv_flag', 'p.death_date'])
    .select((eb) =>
      eb
        .selectFrom('psn_insu as l')
        .select('l.insuplc_admdvs')
        .whereRef('l.psn_no', '=', 'p.psn_no')
        .orderBy(sql`l.enddate is null`, 'desc')
        .orderBy('l.begndate', 'desc')
        .limit(1)
        .as('insuplc_admdvs'),
    )
    .orderBy('p.psn_no')
    .limit(page_size)
    .offset((page_num - 1) * page_size)
    .execute();
  return { page_num, page_size, total, list: rows.map((r) => ({ ...r, certno: maskValue(r.certno) })) };
}

/** The psn_no a card belongs to, whatever the card's state (to check scope before findPerson judges the card). */
export async function cardHolder(db: Db, card_no: string): Promise<string | undefined> {
  return (await db.k.selectFrom('psn_card').select('psn_no').where('card_no', '=', card_no).executeTakeFirst())?.psn_no;
}
