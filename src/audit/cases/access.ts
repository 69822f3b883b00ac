/**
 * What a participant may see of suspects and cases: staff see rows whose area (admdvs, the institution's area)
 * starts with one of their prefixes; an institution user sees its own institution's rows only. One SQL condition
 * for lists and one check for single rows, so a list and a detail never disagree.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Access } from './types.js';

/** SQL condition over an admdvs and a fixmedins_code column (qualified names, e.g. 'c.admdvs'). */
export function accessSql(access: Access, admdvsCol: string, instCol: string): RawBuilder<boolean> {
  const parts: RawBuilder<unknown>[] = [];
  if (access.fixmedins_code) parts.push(sql`${sql.ref(instCol)} = ${access.fixmedins_code}`);
  if (access.prefixes.length) parts.push(sql`(${sql.join(access.prefixes.map((p) => sql`${sql.ref(admdvsCol)} like ${`${p}%`}`), sql` or `)})`);
  if (!parts.length) return sql<boolean>`true`;
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

export function canSee(access: Access, row: { admdvs: string; fixmedins_code: string }): boolean {
  if (access.fixmedins_code && access.fixmedins_code !== row.fixmedins_code) return false;
  return !access.prefixes.length || access.prefixes.some((p) => row.admdvs.startsWith(p));
}
