/**
 * DIP catalogues as versioned data (migration 0012): a built or imported catalogue is saved as a draft version; a
 * draft is published from a date, closing the catalogue of the same area in force the day before (effective dating
 * as everywhere in yibao); the catalogue in force on a date is what grouping uses. One transaction per write, with its
 * operation-log row.
 */
import type { Db } from '../../platform/db.js';
import { conflict, notFound, validationError } from '../../platform/errors.js';
import { fenToYuan, yuanToFen } from '../../platform/money.js';
import { recordOperation, type Actor } from '../../platform/oplog.js';
import { addDays, isIsoDate } from '../../platform/time.js';
import { validOnSql } from '../../platform/effective.js';
import { DEFAULT_PARAMS } from './build.js';
import type { CatalogueParams, DipCatalogue } from './types.js';

export interface CatalogueMeta {
  cat_ver: string;
  cat_name: string;
  admdvs: string;
  source: 'built' | 'imported';
}

export interface CatalogueInfo extends CatalogueMeta {
  stas: 'draft' | 'published' | 'retired';
  begndate: string | null;
  enddate: string | null;
  case_cnt: number;
  grp_cnt: number;
}

const CAT_VER_RE = /^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$/;

/** Saves a catalogue as a new draft version. */
export async function saveDipCatalogue(db: Db, actor: Actor, cat: DipCatalogue, meta: CatalogueMeta): Promise<void> {
  if (!CAT_VER_RE.test(meta.cat_ver)) throw validationError(`目录版本号“${meta.cat_ver}”不合法（字母、数字、点、下划线、连字符，最长40位）`, [{ field: 'cat_ver', message: '格式错误' }]);
  if (!/^\d{6}$/.test(meta.admdvs)) throw validationError(`医保区划“${meta.admdvs}”应为6位数字`, [{ field: 'admdvs', message: '格式错误' }]);
  if (!cat.groups.length) throw validationError('目录没有任何病种');
  await db.k.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('dip_catalogue').select('cat_ver').where('cat_ver', '=', meta.cat_ver).executeTakeFirst();
    if (exists) throw conflict(`DIP 目录版本 ${meta.cat_ver} 已存在`);
    await trx
      .insertInto('dip_catalogue')
      .values({
        cat_ver: meta.cat_ver,
        cat_name: meta.cat_name,
        admdvs: meta.admdvs,
        source: meta.source,
        params: JSON.stringify(cat.params),
        overall_mean: cat.overall_mean === null ? null : fenToYuan(cat.overall_mean),
        case_cnt: cat.case_cnt,
        grp_cnt: cat.groups.length,
        opter_id: actor.id,
        opter_name: actor.name,
        begndate: null,
        enddate: null,
        publ_time: null,
      })
      .execute();
    for (let i = 0; i < cat.groups.length; i += 500) {
      await trx
        .insertInto('dip_group')
        .values(
          cat.groups.slice(i, i + 500).map((g) => ({
            cat_ver: meta.cat_ver,
            dip_code: g.dip_code,
            dip_name: g.dip_name,
            grp_type: g.grp_type,
            diag_key: g.diag_key,
            oprn_type: g.oprn_type,
            oprn_combo: g.oprn_combo,
            combo_parts: g.combo_parts,
            case_cnt: g.case_cnt,
            mean_cost: fenToYuan(g.mean_cost),
            mean_los: g.mean_los === null ? null : String(g.mean_los),
            rw: String(g.rw),
            score: String(g.score),
          })),
        )
        .execute();
    }
    for (let i = 0; i < cat.aux.length; i += 500) {
      await trx
        .insertInto('dip_aux')
        .values(
          cat.aux.slice(i, i + 500).map((a) => ({
            cat_ver: meta.cat_ver,
            dip_code: a.dip_code,
            aux_type: a.aux_type,
            aux_lv: a.aux_lv,
            aux_name: a.aux_name,
            factor: String(a.factor),
            case_cnt: a.case_cnt,
            mean_cost: a.mean_cost === null ? null : fenToYuan(a.mean_cost),
          })),
        )
        .execute();
    }
    await recordOperation(trx, actor, { action: 'dip.catalogue.save', target_type: 'dip_catalogue', target_id: meta.cat_ver, admdvs: meta.admdvs, after: { ...meta, groups: cat.groups.length, aux: cat.aux.length, case_cnt: cat.case_cnt } });
  });
}

/**
 * Publishes a draft from `begndate`: the published catalogue of the same area in force on that date is closed the day
 * before. A published catalogue starting on or after `begndate` makes the change ambiguous and is refused.
 */
export async function publishDipCatalogue(db: Db, actor: Actor, cat_ver: string, begndate: string): Promise<{ closed: string | null }> {
  if (!isIsoDate(begndate)) throw validationError(`生效日期“${begndate}”格式错误，应为 yyyy-MM-dd`, [{ field: 'begndate', message: '格式错误' }]);
  return db.k.transaction().execute(async (trx) => {
    const cat = await trx.selectFrom('dip_catalogue').selectAll().where('cat_ver', '=', cat_ver).forUpdate().executeTakeFirst();
    if (!cat) throw notFound(`没有 DIP 目录版本 ${cat_ver}`);
    if (cat.stas !== 'draft') throw conflict(`DIP 目录版本 ${cat_ver} 不是草稿（当前：${cat.stas}），不能发布`);
    const others = await trx.selectFrom('dip_catalogue').selectAll().where('admdvs', '=', cat.admdvs).where('stas', '=', 'published').execute();
    const later = others.find((o) => o.begndate !== null && o.begndate >= begndate);
    if (later) throw conflict(`区划 ${cat.admdvs} 已有自 ${later.begndate} 起生效的 DIP 目录 ${later.cat_ver}，新目录的生效日期必须晚于该日期`);
    const current = others.find((o) => o.begndate !== null && o.begndate < begndate && (o.enddate === null || o.enddate >= begndate));
    if (current) await trx.updateTable('dip_catalogue').set({ enddate: addDays(begndate, -1) }).where('cat_ver', '=', current.cat_ver).execute();
    await trx.updateTable('dip_catalogue').set({ stas: 'published', begndate, publ_time: new Date() }).where('cat_ver', '=', cat_ver).execute();
    await recordOperation(trx, actor, { action: 'dip.catalogue.publish', target_type: 'dip_catalogue', target_id: cat_ver, admdvs: cat.admdvs, before: { stas: cat.stas, closed: current?.cat_ver ?? null }, after: { stas: 'published', begndate } });
    return { closed: current?.cat_ver ?? null };
  });
}

/** Reads a stored catalogue (any status). */
export async function loadDipCatalogue(db: Db, cat_ver: string): Promise<DipCatalogue & { info: CatalogueInfo }> {
  const c = await db.k.selectFrom('dip_catalogue').selectAll().where('cat_ver', '=', cat_ver).executeTakeFirst();
  if (!c) throw notFound(`没有 DIP 目录版本 ${cat_ver}`);
  const groups = await db.k.selectFrom('dip_group').selectAll().where('cat_ver', '=', cat_ver).orderBy('dip_code').execute();
  const aux = await db.k.selectFrom('dip_aux').selectAll().where('cat_ver', '=', cat_ver).orderBy('dip_code').orderBy('aux_type').orderBy('aux_lv').execute();
  const params = (typeof c.params === 'string' ? JSON.parse(c.params) : c.params) as Partial<CatalogueParams>;
  return {
    cat_ver,
    params: { ...DEFAULT_PARAMS, yearWeights: {}, ...params },
    overall_mean: c.overall_mean === null ? null : yuanToFen(c.overall_mean),
    case_cnt: c.case_cnt,
    groups: groups.map((g) => ({
      dip_code: g.dip_code,
      dip_name: g.dip_name,
      grp_type: g.grp_type,
      diag_key: g.diag_key,
      oprn_type: g.oprn_type,
      oprn_combo: g.oprn_combo,
      combo_parts: g.combo_parts,
      case_cnt: g.case_cnt,
      mean_cost: yuanToFen(g.mean_cost),
      mean_los: g.mean_los === null ? null : Number(g.mean_los),
      rw: Number(g.rw),
      score: Number(g.score),
    })),
    aux: aux.map((a) => ({ dip_code: a.dip_code, aux_type: a.aux_type, aux_lv: a.aux_lv, aux_name: a.aux_name, factor: Number(a.factor), case_cnt: a.case_cnt, mean_cost: a.mean_cost === null ? null : yuanToFen(a.mean_cost) })),
    info: { cat_ver, cat_name: c.cat_name, admdvs: c.admdvs, source: c.source, stas: c.stas, begndate: c.begndate, enddate: c.enddate, case_cnt: c.case_cnt, grp_cnt: c.grp_cnt },
  };
}

/** The published catalogue of an area in force on a date, or null. */
export async function dipCatalogueInForce(db: Db, admdvs: string, on: string): Promise<(DipCatalogue & { info: CatalogueInfo }) | null> {
  const c = await db.k.selectFrom('dip_catalogue').select('cat_ver').where('admdvs', '=', admdvs).where('stas', '=', 'published').where(validOnSql(on)).executeTakeFirst();
  return c ? loadDipCatalogue(db, c.cat_ver) : null;
}

export async function listDipCatalogues(db: Db, admdvs?: string): Promise<CatalogueInfo[]> {
  let q = db.k.selectFrom('dip_catalogue').select(['cat_ver', 'cat_name', 'admdvs', 'source', 'stas', 'begndate', 'enddate', 'case_cnt', 'grp_cnt']);
  if (admdvs) q = q.where('admdvs', '=', admdvs);
  return q.orderBy('crte_time').orderBy('cat_ver').execute();
}
