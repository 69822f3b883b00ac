/**
 * Catalogue look-ups: the item version in force on a date with its self-pay ratio, price cap for a hospital
 * level and restriction; search by code, name and pinyin initials; and the 1312 / 1318 / 1319 paged queries
 * with the national output field names. Read-only. Item look-ups go through the process cache (catalogueVersions).
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { validOnSql } from '../../platform/effective.js';
import { ratioToBp, yuanToFen } from '../../platform/money.js';
import { beijingDate } from '../../platform/time.js';
import { RefCache, versionsOn } from '../../platform/cache.js';
import { restrictionFromRow } from './restrictions.js';
import type { CatalogueItem, HilistLmtTable, HilistPricUplmtTable, HilistSelfpayTable, HilistTable } from './types.js';

export interface ItemContext {
  on?: string;
  /** Hospital level for the price cap ('1'|'2'|'3'|'9'); without it no cap is returned. */
  hosp_lv?: string;
  insutype?: string;
  insu_admdvs?: string;
}

/** The item version in force, or undefined when the code is not in the catalogue on that date. */
export async function getItem(db: Db, hilist_code: string, ctx: ItemContext = {}): Promise<CatalogueItem | undefined> {
  const items = await getItems(db, [hilist_code], ctx);
  return items.get(hilist_code);
}

/** Every stored version of one code, in every area, with its caps, ratios and restrictions (all dates). */
export interface CatalogueVersions {
  items: HilistTable[];
  caps: HilistPricUplmtTable[];
  ratios: HilistSelfpayTable[];
  lmts: HilistLmtTable[];
}

const NO_VERSIONS: CatalogueVersions = { items: [], caps: [], ratios: [], lmts: [] };

/**
 * Catalogue versions by code, cached for the process (platform/cache.ts; bulkLoadCatalogue invalidates). A fee
 * upload names a few distinct codes out of ~100,000; a code not in the catalogue is cached as such too.
 */
const catalogueCache = new RefCache<CatalogueVersions>('catalogue', { max: 50_000 });

const byCodeThenVersion = <T extends { insu_admdvs: string; begndate: string }>(a: T, b: T) => (a.insu_admdvs < b.insu_admdvs ? -1 : a.insu_admdvs > b.insu_admdvs ? 1 : a.begndate < b.begndate ? -1 : a.begndate > b.begndate ? 1 : 0);

/** The versions of many codes: cached ones from memory, the others with one query per table for all of them. */
export async function catalogueVersions(db: Db, codes: readonly string[]): Promise<Map<string, CatalogueVersions>> {
  return catalogueCache.getMany(
    db,
    codes,
    async (missing) => {
      const out = new Map<string, CatalogueVersions>();
      const entry = (code: string) => {
        let e = out.get(code);
        if (!e) out.set(code, (e = { items: [], caps: [], ratios: [], lmts: [] }));
        return e;
      };
      for (let i = 0; i < missing.length; i += 5000) {
        const chunk = missing.slice(i, i + 5000);
        const [items, caps, ratios, lmts] = await Promise.all([
          db.k.selectFrom('hilist').selectAll().where('hilist_code', 'in', chunk).execute(),
          db.k.selectFrom('hilist_pric_uplmt').selectAll().where('hilist_code', 'in', chunk).execute(),
          db.k.selectFrom('hilist_selfpay').selectAll().where('hilist_code', 'in', chunk).execute(),
          db.k.selectFrom('hilist_lmt').selectAll().where('hilist_code', 'in', chunk).execute(),
        ]);
        for (const r of items) entry(r.hilist_code).items.push(r);
        for (const r of caps) entry(r.hilist_code).caps.push(r);
        for (const r of ratios) entry(r.hilist_code).ratios.push(r);
        for (const r of lmts) entry(r.hilist_code).lmts.push(r);
      }
      for (const e of out.values()) e.items.sort(byCodeThenVersion);
      return out;
    },
    NO_VERSIONS,
  );
}

/** Many items at once (a visit's fee lines), from the cached versions: no query once the codes have been seen. */
export async function getItems(db: Db, codes: string[], ctx: ItemContext = {}): Promise<Map<string, CatalogueItem>> {
  const out = new Map<string, CatalogueItem>();
  if (!codes.length) return out;
  const on = ctx.on ?? beijingDate();
  const versions = await catalogueVersions(db, codes);
  for (const v of versions.values()) {
    for (const it of versionsOn(v.items, on)) {
      if (ctx.insu_admdvs && it.insu_admdvs !== ctx.insu_admdvs) continue;
      const same = <T extends { insu_admdvs: string }>(r: T) => r.insu_admdvs === it.insu_admdvs;
      const cap = ctx.hosp_lv ? versionsOn(v.caps, on).find((r) => same(r) && r.hosp_lv === ctx.hosp_lv) : undefined;
      const ratios = versionsOn(v.ratios, on);
      // a ratio for this insurance type wins over the one for every type ('*')
      const ratio = ratios.find((r) => same(r) && ctx.insutype && r.insutype === ctx.insutype) ?? ratios.find((r) => same(r) && r.insutype === '*');
      const lmt = versionsOn(v.lmts, on).find(same);
      out.set(it.hilist_code, {
        hilist_code: it.hilist_code,
        hilist_name: it.hilist_name,
        insu_admdvs: it.insu_admdvs,
        list_type: it.list_type,
        med_chrgitm_type: it.med_chrgitm_type,
        chrgitm_lv: it.chrgitm_lv,
        selfpay_bp: ratio ? ratioToBp(ratio.selfpay_prop) : it.chrgitm_lv === '03' ? 10_000 : 0,
        pric_uplmt_fen: cap ? yuanToFen(cap.pric_uplmt_amt) : null,
        restriction: lmt ? restrictionFromRow(lmt) : null,
        dosform: it.dosform,
        spec: it.spec,
        pacunt: it.pacunt,
        prodentp_name: it.prodentp_name,
        prcunt: it.prcunt,
        memo: it.memo,
        begndate: it.begndate,
        enddate: it.enddate,
      });
    }
  }
  return out;
}

export interface CatalogueQuery {
  q?: string;
  list_type?: string;
  chrgitm_lv?: string;
  med_chrgitm_type?: string;
  insu_admdvs?: string;
  on?: string;
  page_num?: number;
  page_size?: number;
}

export interface Page<T> {
  page_num: number;
  page_size: number;
  total: number;
  list: T[];
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Search by code prefix, name substring or pinyin initials, filtered and paged; codes that start with the term first. */
export async function searchCatalogue(db: Db, query: CatalogueQuery): Promise<Page<HilistTable>> {
  const on = query.on ?? beijingDate();
  const page_num = Math.max(1, query.page_num ?? 1);
  const page_size = Math.min(Math.max(1, query.page_size ?? 20), 500);
  let base = db.k.selectFrom('hilist').where(validOnSql(on));
  if (query.list_type) base = base.where('list_type', '=', query.list_type);
  if (query.chrgitm_lv) base = base.where('chrgitm_lv', '=', query.chrgitm_lv);
  if (query.med_chrgitm_type) base = base.where('med_chrgitm_type', '=', query.med_chrgitm_type);
  if (query.insu_admdvs) base = base.where('insu_admdvs', '=', query.insu_admdvs);
  const term = query.q?.trim();
  if (term) {
    const up = escapeLike(term.toUpperCase());
    base = base.where((eb) => eb.or([eb('hilist_code', 'like', `${up}%`), eb('hilist_name', 'like', `%${escapeLike(term)}%`), eb('pinyin', 'like', `${up}%`)]));
  }
  const total = (await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0;
  let listQuery = base.selectAll();
  if (term) listQuery = listQuery.orderBy(sql`case when hilist_code like ${`${escapeLike(term.toUpperCase())}%`} then 0 else 1 end`);
  const list = await listQuery
    .orderBy('hilist_code')
    .limit(page_size)
    .offset((page_num - 1) * page_size)
    .execute();
  return { page_num, page_size, total, list };
}

/** 1312 医保目录信息查询: rows with the national output names. */
export async function query1312(db: Db, input: { hilist_code?: string; hilist_name?: string; list_type?: string; chrgitm_lv?: string; med_chrgitm_type?: string; insu_admdvs?: string; query_date?: string; page_num: number; page_size: number }) {
  const page = await searchCatalogue(db, {
    q: input.hilist_code || input.hilist_name,
    list_type: input.list_type,
    chrgitm_lv: input.chrgitm_lv,
    med_chrgitm_type: input.med_chrgitm_type,
    insu_admdvs: input.insu_admdvs,
    on: input.query_date || undefined,
    page_num: input.page_num,
    page_size: input.page_size,
  });
  return {
    ...page,
    list: page.list.map((r) => ({
      hilist_code: r.hilist_code,
      hilist_name: r.hilist_name,
      insu_admdvs: r.insu_admdvs,
      begndate: r.begndate,
      enddate: r.enddate,
      med_chrgitm_type: r.med_chrgitm_type,
      chrgitm_lv: r.chrgitm_lv,
      lmt_used_flag: r.lmt_used_flag,
      list_type: r.list_type,
      med_use_flag: '1',
      matn_used_flag: '0',
      hilist_use_type: null,
      lmt_cpnd_type: null,
      wubi: null,
      pinyin: r.pinyin,
      memo: r.memo,
      vali_flag: '1',
      rid: `${r.hilist_code}-${r.insu_admdvs}-${r.begndate.replace(/-/g, '')}`,
    })),
  };
}

async function pagedRows<T>(db: Db, table: 'hilist_pric_uplmt' | 'hilist_selfpay', input: { hilist_code?: string; query_date?: string; page_num: number; page_size: number }): Promise<Page<T>> {
  const page_num = Math.max(1, input.page_num);
  const page_size = Math.min(Math.max(1, input.page_size), 500);
  let base = db.k.selectFrom(table);
  if (input.hilist_code) base = base.where('hilist_code', '=', input.hilist_code);
  if (input.query_date) base = base.where(validOnSql(input.query_date));
  const total = (await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0;
  const list = (await base.selectAll().orderBy('hilist_code').orderBy('begndate').limit(page_size).offset((page_num - 1) * page_size).execute()) as T[];
  return { page_num, page_size, total, list };
}

/** 1318 医保目录限价信息查询. */
export function query1318(db: Db, input: { hilist_code?: string; query_date?: string; page_num: number; page_size: number }) {
  return pagedRows(db, 'hilist_pric_uplmt', input);
}

/** 1319 医保目录先自付比例信息查询. */
export function query1319(db: Db, input: { hilist_code?: string; query_date?: string; page_num: number; page_size: number }) {
  return pagedRows(db, 'hilist_selfpay', input);
}
