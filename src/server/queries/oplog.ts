/**
 * The operation log as the console reads it: filtered by action (prefix: 'user.' or 'user' finds every user
 * change), target, operator, area and time, newest first, limited to the reader's areas. Rows without an area
 * (node-wide loads and imports, failed logins of unknown names) are shown to node-wide readers only.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { validationError } from '../../platform/errors.js';
import { beijingDateTime } from '../../platform/time.js';
import type { Scope } from '../auth/scope.js';
import { escapeLike } from './like.js';

export interface OplogQuery {
  action?: string;
  target_type?: string;
  target_id?: string;
  opter_id?: string;
  admdvs?: string;
  /** 'yyyy-MM-dd' (from the start of that Beijing day) or 'yyyy-MM-dd HH:mm[:ss]' Beijing time. */
  from?: string;
  /** 'yyyy-MM-dd' (to the end of that Beijing day, inclusive) or 'yyyy-MM-dd HH:mm[:ss]'. */
  to?: string;
  page_num?: number;
  page_size?: number;
}

/** A Beijing date or date-time as an instant; a bare date `to` means the start of the next day (exclusive). */
export function beijingInstant(text: string, field: string, endOfDay = false): { at: Date; inclusive: boolean } {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?$/.exec(text.trim());
  const at = m ? new Date(`${m[1]}T${m[2] ? (m[2].length === 5 ? `${m[2]}:00` : m[2]) : '00:00:00'}+08:00`) : new Date(NaN);
  if (!m || Number.isNaN(at.getTime())) throw validationError(`请求参数错误：${field} 应为 yyyy-MM-dd 或 yyyy-MM-dd HH:mm:ss（北京时间）`, [{ field, message: '日期时间格式错误' }]);
  if (endOfDay && !m[2]) return { at: new Date(at.getTime() + 86_400_000), inclusive: false };
  return { at, inclusive: true };
}

export async function searchOplog(db: Db, scope: Scope, query: OplogQuery) {
  const page_num = Math.max(1, query.page_num ?? 1);
  const page_size = Math.min(Math.max(1, query.page_size ?? 50), 500);
  let base = db.k.selectFrom('opt_log');
  if (scope.prefixes.length) {
    base = base.where((eb) => {
      const mine = scope.prefixes.map((p) => eb('admdvs', 'like', `${p}%`));
      return eb.or(scope.node_wide ? [...mine, eb('admdvs', 'is', null)] : mine);
    });
  }
  if (query.action) base = base.where('action', 'like', `${escapeLike(query.action)}%`);
  if (query.target_type) base = base.where('target_type', '=', query.target_type);
  if (query.target_id) base = base.where('target_id', '=', query.target_id);
  if (query.opter_id) base = base.where('opter_id', '=', query.opter_id);
  if (query.admdvs) base = base.where('admdvs', 'like', `${query.admdvs.replace(/(00)+$/, '') || query.admdvs}%`);
  if (query.from) base = base.where('opt_time', '>=', beijingInstant(query.from, 'from').at);
  if (query.to) {
    const to = beijingInstant(query.to, 'to', true);
    base = base.where('opt_time', to.inclusive ? '<=' : '<', to.at);
  }
  const total = (await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0;
  const rows = await base.selectAll().orderBy('log_id', 'desc').limit(page_size).offset((page_num - 1) * page_size).execute();
  return { page_num, page_size, total, list: rows.map((r) => ({ ...r, opt_time: beijingDateTime(r.opt_time) })) };
}
