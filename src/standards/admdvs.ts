/**
 * Administrative areas (医保区划, admdvs): lookup valid on a date, and the check every other domain uses
 * before it writes an area code. Owns table `admdvs` (migration 0002). Imports live in admdvs-import.ts.
 */
import type { Db } from '../platform/db.js';
import { validationError } from '../platform/errors.js';
import { validOnSql } from '../platform/effective.js';
import { beijingDate } from '../platform/time.js';
import { RefCache, versionOn } from '../platform/cache.js';

export interface AdmdvsTable {
  admdvs: string;
  admdvs_name: string;
  admdvs_lv: '1' | '2' | '3';
  prnt_admdvs: string | null;
  poolarea_flag: '0' | '1';
  begndate: string;
  enddate: string | null;
}

declare module '../platform/db.js' {
  interface Tables {
    admdvs: AdmdvsTable;
  }
}

export type Admdvs = AdmdvsTable;

/** Every version of an area code, cached (invalidated by importAreas). A country has ~3,500 areas. */
const areaVersions = new RefCache<Admdvs[]>('admdvs', { max: 10_000 });

export async function getAdmdvs(db: Db, code: string, on: string = beijingDate()): Promise<Admdvs | undefined> {
  const versions = await areaVersions.get(db, code, () => db.k.selectFrom('admdvs').selectAll().where('admdvs', '=', code).orderBy('begndate').execute());
  return versionOn(versions, on);
}

/** Throws a Chinese validation error naming the field when the code is not a valid area on that date. */
export async function requireAdmdvs(db: Db, code: string, field = 'admdvs', on: string = beijingDate(), row?: number): Promise<Admdvs> {
  if (!/^\d{6}$/.test(code)) throw validationError(`${field} 格式错误：“${code}”，应为6位医保区划代码`, [{ row, field, message: '应为6位数字' }]);
  const found = await getAdmdvs(db, code, on);
  if (!found) throw validationError(`未知的医保区划：${code}（${on} 无效）`, [{ row, field, message: '未知的医保区划' }]);
  return found;
}

/** All areas valid on a date, for bulk validation in importers (one query instead of one per row). */
export async function admdvsValidOn(db: Db, on: string = beijingDate()): Promise<Map<string, Admdvs>> {
  const rows = await db.k.selectFrom('admdvs').selectAll().where(validOnSql(on)).execute();
  return new Map(rows.map((r) => [r.admdvs, r]));
}

/** The pooling areas (统筹区) valid on a date. */
export async function listPoolAreas(db: Db, on: string = beijingDate()): Promise<Admdvs[]> {
  return db.k.selectFrom('admdvs').selectAll().where('poolarea_flag', '=', '1').where(validOnSql(on)).orderBy('admdvs').execute();
}
