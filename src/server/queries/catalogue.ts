/** Catalogue detail for the console: every price cap (by hospital level) and self-pay ratio valid on a date. */
import type { Db } from '../../platform/db.js';
import { validOnSql } from '../../platform/effective.js';

export async function capsOn(db: Db, hilist_code: string, insu_admdvs: string, on: string) {
  return db.k
    .selectFrom('hilist_pric_uplmt')
    .select(['hosp_lv', 'pric_uplmt_amt', 'begndate', 'enddate'])
    .where('hilist_code', '=', hilist_code)
    .where('insu_admdvs', '=', insu_admdvs)
    .where(validOnSql(on))
    .orderBy('hosp_lv')
    .execute();
}

export async function selfpayOn(db: Db, hilist_code: string, insu_admdvs: string, on: string) {
  return db.k
    .selectFrom('hilist_selfpay')
    .select(['insutype', 'selfpay_prop', 'begndate', 'enddate'])
    .where('hilist_code', '=', hilist_code)
    .where('insu_admdvs', '=', insu_admdvs)
    .where(validOnSql(on))
    .orderBy('insutype')
    .execute();
}
