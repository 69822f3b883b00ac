/**
 * Effective dating (有效期管理). Reference data, prices, restrictions, policies and qualifications are rows
 * with `begndate` (inclusive) and `enddate` (inclusive; null = open-ended). History is kept by closing
 * rows, never by updating a value in place: a change on date D closes the row in force at D−1 and inserts
 * a new row from D. The row valid on a date is the one used.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Tables } from './db.js';
import { conflict, validationError } from './errors.js';
import { addDays, isIsoDate } from './time.js';

export interface Period {
  begndate: string;
  enddate: string | null;
}

/** True when the two periods share at least one day. */
export function periodsOverlap(a: Period, b: Period): boolean {
  const aEnd = a.enddate ?? '9999-12-31';
  const bEnd = b.enddate ?? '9999-12-31';
  return a.begndate <= bEnd && b.begndate <= aEnd;
}

export function validOnDate(p: Period, date: string): boolean {
  return p.begndate <= date && (p.enddate === null || p.enddate >= date);
}

/** Checks a period's own shape; `field` prefixes name the row for import reports. */
export function checkPeriod(p: Period, row?: number): void {
  if (!isIsoDate(p.begndate)) throw validationError(`开始日期格式错误：${p.begndate}`, [{ row, field: 'begndate', message: '应为 yyyy-MM-dd' }]);
  if (p.enddate !== null && !isIsoDate(p.enddate)) throw validationError(`结束日期格式错误：${p.enddate}`, [{ row, field: 'enddate', message: '应为 yyyy-MM-dd' }]);
  if (p.enddate !== null && p.enddate < p.begndate)
    throw validationError(`结束日期 ${p.enddate} 早于开始日期 ${p.begndate}`, [{ row, field: 'enddate', message: '结束日期早于开始日期' }]);
}

/**
 * Finds overlapping periods among rows that share a key (e.g. the same hilist_code): returns the pairs of
 * indexes, so an importer can name both rows in its report.
 */
export function findOverlaps<T extends Period>(rows: T[], keyOf: (r: T) => string): [number, number][] {
  const byKey = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const k = keyOf(r);
    const list = byKey.get(k);
    if (list) list.push(i);
    else byKey.set(k, [i]);
  });
  const out: [number, number][] = [];
  for (const idx of byKey.values()) {
    if (idx.length < 2) continue;
    const sorted = [...idx].sort((a, b) => (rows[a]!.begndate < rows[b]!.begndate ? -1 : 1));
    for (let i = 1; i < sorted.length; i++) {
      const prev = rows[sorted[i - 1]!]!;
      const cur = rows[sorted[i]!]!;
      if (periodsOverlap(prev, cur)) out.push([sorted[i - 1]!, sorted[i]!]);
    }
  }
  return out;
}

/** SQL condition "valid on date" for a table alias or bare columns. */
export function validOnSql(date: string, alias?: string): RawBuilder<boolean> {
  const b = sql.ref(alias ? `${alias}.begndate` : 'begndate');
  const e = sql.ref(alias ? `${alias}.enddate` : 'enddate');
  return sql<boolean>`(${b} <= ${date}::date and (${e} is null or ${e} >= ${date}::date))`;
}

/**
 * Writes a new version of a keyed row: the version in force the day before `row.begndate` is closed on that
 * day; a version that starts on or after `row.begndate` makes the change ambiguous and is refused.
 * Returns the closed row's previous content (for the operation log), or null when there was none.
 * Must run inside the caller's transaction.
 */
export async function closeAndInsert<R extends Period>(
  trx: Transaction<Tables> | Kysely<Tables>,
  table: string,
  key: Record<string, string>,
  row: R,
): Promise<Record<string, unknown> | null> {
  checkPeriod(row);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const t = trx as unknown as Kysely<any>;
  let q = t.selectFrom(table).selectAll();
  for (const [k, v] of Object.entries(key)) q = q.where(k, '=', v);
  const existing = (await q.execute()) as (Period & Record<string, unknown>)[];
  const later = existing.find((e) => e.begndate >= row.begndate);
  if (later) {
    throw conflict(`${describeKey(key)} 已有自 ${later.begndate} 起生效的版本，不能插入自 ${row.begndate} 起的新版本`, [
      { field: 'begndate', message: '与已有版本的有效期重叠' },
    ]);
  }
  const current = existing.find((e) => validOnDate(e, row.begndate));
  if (current) {
    let u = t.updateTable(table).set({ enddate: addDays(row.begndate, -1) }).where('begndate', '=', current.begndate);
    for (const [k, v] of Object.entries(key)) u = u.where(k, '=', v);
    await u.execute();
  }
  const clash = existing.find((e) => e !== current && periodsOverlap(e, row));
  if (clash) throw conflict(`${describeKey(key)} 的有效期与已有版本（${clash.begndate} 起）重叠`, [{ field: 'begndate', message: '有效期重叠' }]);
  await t.insertInto(table).values(row).execute();
  return current ?? null;
}

function describeKey(key: Record<string, string>): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}=${v}`)
    .join('，');
}
