/**
 * Writing the catalogue: validation of item inputs, the bulk loader (demo region, national downloads) and the
 * per-kind file importers. A new version of an existing code closes the old version and its price cap,
 * self-pay ratio and restriction rows on the day before — history is kept. All-or-nothing, chunked inserts,
 * one operation-log row per load.
 */
import { readFileSync } from 'node:fs';
import type { Kysely, Transaction } from 'kysely';
import type { Db, Tables } from '../../platform/db.js';
import type { FieldProblem } from '../../platform/errors.js';
import { findOverlaps, validOnDate, type Period } from '../../platform/effective.js';
import { bpToRatio, fenToYuan, ratioToBp, yuanToFen } from '../../platform/money.js';
import { recordOperation, type Actor } from '../../platform/oplog.js';
import { writingTo } from '../../platform/cache.js';
import { addDays, isIsoDate } from '../../platform/time.js';
import { DICT_TABLES } from '../dict-data.js';
import { checkColumns, parseDelimited, rejectIfProblems, type ImportReport } from '../import-report.js';
import { pinyinInitials } from '../pinyin.js';
import { codeProblem, KIND_LIST_TYPES } from './codes.js';
import { diagPatternProblem, restrictionFromRow, splitList } from './restrictions.js';
import type { CatalogueItemInput, HilistLmtTable, HilistPricUplmtTable, HilistSelfpayTable, HilistTable, Restriction, Scene } from './types.js';
import { SCENES } from './types.js';

const has = (table: string, v: string) => DICT_TABLES[table]!.items.some(([value]) => value === v);

/** Ranges of the numeric restriction columns (hilist_lmt: integer, numeric(12,4)), checked before writing. */
const MAX_AGE = 150;
const MAX_INT4 = 2_147_483_647;
const MAX_CNT_RE = /^\d{1,8}(\.\d{1,4})?$/;

/** Column lists of the catalogue file importers. */
export const CATALOGUE_COLUMNS = {
  required: ['hilist_code', 'hilist_name', 'chrgitm_lv', 'insu_admdvs', 'begndate'],
  optional: [
    'list_type', 'med_chrgitm_type', 'selfpay_prop', 'enddate',
    'pric_uplmt_lv1', 'pric_uplmt_lv2', 'pric_uplmt_lv3', 'pric_uplmt_lv9',
    'dosform', 'spec', 'pacunt', 'prodentp_name', 'aprvno', 'prcunt', 'item_cont', 'exct_cont',
    'lmt_gend', 'lmt_age_min', 'lmt_age_max', 'lmt_diag', 'lmt_min_hosp_lv', 'lmt_scene', 'lmt_insutype', 'lmt_max_days', 'lmt_max_cnt', 'lmt_memo',
  ],
} as const;

const LMT_COLUMNS = ['lmt_gend', 'lmt_age_min', 'lmt_age_max', 'lmt_diag', 'lmt_min_hosp_lv', 'lmt_scene', 'lmt_insutype', 'lmt_max_days', 'lmt_max_cnt', 'lmt_memo'] as const;
const CAP_LEVELS = ['1', '2', '3', '9'] as const;
/** The cell value that says "none" where an empty cell would carry the closed version's value forward. */
export const NONE = '无';

export function checkItems(items: CatalogueItemInput[], allowedListTypes?: readonly string[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  items.forEach((it, i) => {
    const row = it.row ?? i + 1;
    const p = (field: string, message: string) => problems.push({ row, field, message });
    if (allowedListTypes && !allowedListTypes.includes(it.list_type)) p('list_type', `本类导入只接受目录类别 ${allowedListTypes.join('/')}`);
    else {
      const cp = codeProblem(it.list_type, it.hilist_code);
      if (cp) p('hilist_code', cp);
    }
    if (!it.hilist_name) p('hilist_name', '名称不能为空');
    if (!/^\d{6}$/.test(it.insu_admdvs)) p('insu_admdvs', '应为6位医保区划代码');
    if (!has('med_chrgitm_type', it.med_chrgitm_type)) p('med_chrgitm_type', `“${it.med_chrgitm_type}”不是有效的医疗收费项目类别`);
    if (!has('chrgitm_lv', it.chrgitm_lv)) p('chrgitm_lv', `“${it.chrgitm_lv}”不是有效的收费项目等级（01 甲类 02 乙类 03 丙类）`);
    if (!Number.isInteger(it.selfpay_bp) || it.selfpay_bp < 0 || it.selfpay_bp > 10_000) p('selfpay_prop', '先自付比例应在 0 到 1 之间');
    if (it.chrgitm_lv === '01' && it.selfpay_bp !== 0) p('selfpay_prop', '甲类项目的先自付比例应为 0');
    for (const [lv, fen] of Object.entries(it.pric_uplmt)) if (fen !== undefined && (!Number.isSafeInteger(fen) || fen < 0)) p(`pric_uplmt_lv${lv}`, '限价不能为负数');
    if (!isIsoDate(it.begndate)) p('begndate', '应为 yyyy-MM-dd');
    if (it.enddate && (!isIsoDate(it.enddate) || it.enddate < it.begndate)) p('enddate', '格式错误或早于开始日期');
    const r = it.restriction;
    if (r) {
      if (r.lmt_gend && !['1', '2'].includes(r.lmt_gend)) p('lmt_gend', '应为 1（男）或 2（女）');
      const intIn = (field: string, v: number | null, max: number, message: string) => {
        if (v !== null && (!Number.isSafeInteger(v) || v < 0 || v > max)) p(field, message);
      };
      intIn('lmt_age_min', r.lmt_age_min, MAX_AGE, `年龄应为 0 到 ${MAX_AGE} 之间的整数`);
      intIn('lmt_age_max', r.lmt_age_max, MAX_AGE, `年龄应为 0 到 ${MAX_AGE} 之间的整数`);
      intIn('lmt_max_days', r.lmt_max_days, MAX_INT4, `支付天数应为不大于 ${MAX_INT4} 的非负整数`);
      if (r.lmt_max_cnt !== null && !MAX_CNT_RE.test(r.lmt_max_cnt)) p('lmt_max_cnt', `“${r.lmt_max_cnt}”不是有效的数量：应为非负数，最多 8 位整数、4 位小数（如 2、0.5）`);
      if (r.lmt_age_min !== null && r.lmt_age_max !== null && r.lmt_age_min > r.lmt_age_max) p('lmt_age_max', '年龄上限小于下限');
      for (const d of r.lmt_diag) {
        const dp = diagPatternProblem(d);
        if (dp) p('lmt_diag', dp);
      }
      if (r.lmt_min_hosp_lv && !['1', '2', '3'].includes(r.lmt_min_hosp_lv)) p('lmt_min_hosp_lv', '应为 1、2 或 3');
      for (const s of r.lmt_scene) if (!(s in SCENES)) p('lmt_scene', `就医场景“${s}”无效（1 门诊 2 住院 3 药店）`);
      for (const t of r.lmt_insutype) if (!has('insutype', t)) p('lmt_insutype', `“${t}”不是有效的险种类型`);
      if (!r.lmt_memo) p('lmt_memo', '有限定支付范围时必须填写限定说明');
    }
  });
  for (const [a, b] of findOverlaps(items.map((x) => ({ ...x, enddate: x.enddate ?? null })), (x) => `${x.hilist_code}|${x.insu_admdvs}`)) {
    problems.push({ row: items[b]!.row ?? b + 1, field: 'begndate', message: `编码 ${items[b]!.hilist_code} 的有效期与第${items[a]!.row ?? a + 1}行重叠` });
  }
  return problems;
}

function itemRow(it: CatalogueItemInput): HilistTable {
  return {
    hilist_code: it.hilist_code,
    insu_admdvs: it.insu_admdvs,
    hilist_name: it.hilist_name,
    list_type: it.list_type,
    med_chrgitm_type: it.med_chrgitm_type,
    chrgitm_lv: it.chrgitm_lv,
    lmt_used_flag: it.restriction ? '1' : '0',
    dosform: it.dosform ?? null,
    spec: it.spec ?? null,
    pacunt: it.pacunt ?? null,
    prodentp_name: it.prodentp_name ?? null,
    aprvno: it.aprvno ?? null,
    prcunt: it.prcunt ?? null,
    item_cont: it.item_cont ?? null,
    exct_cont: it.exct_cont ?? null,
    pinyin: pinyinInitials(it.hilist_name),
    memo: it.restriction?.lmt_memo ?? null,
    begndate: it.begndate,
    enddate: it.enddate ?? null,
  };
}

function lmtRow(it: CatalogueItemInput, r: Restriction): HilistLmtTable {
  return {
    hilist_code: it.hilist_code,
    insu_admdvs: it.insu_admdvs,
    lmt_gend: r.lmt_gend,
    lmt_age_min: r.lmt_age_min,
    lmt_age_max: r.lmt_age_max,
    lmt_diag: r.lmt_diag.join(',') || null,
    lmt_min_hosp_lv: r.lmt_min_hosp_lv,
    lmt_scene: r.lmt_scene.join(',') || null,
    lmt_insutype: r.lmt_insutype.join(',') || null,
    lmt_max_days: r.lmt_max_days,
    lmt_max_cnt: r.lmt_max_cnt,
    lmt_memo: r.lmt_memo,
    begndate: it.begndate,
    enddate: it.enddate ?? null,
  };
}

async function insertChunks<T extends keyof Tables>(trx: Transaction<Tables> | Kysely<Tables>, table: T, rows: unknown[]): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const t = trx as unknown as Kysely<any>;
  for (let i = 0; i < rows.length; i += 1000) await t.insertInto(table).values(rows.slice(i, i + 1000)).execute();
}

type Key = string;
const keyOf = (x: { hilist_code: string; insu_admdvs: string }): Key => `${x.hilist_code}|${x.insu_admdvs}`;

/** The stored versions of one catalogue key: item versions and the effective-dated rows that hang on them. */
export interface StoredKey {
  hilist: (Period & { chrgitm_lv: string })[];
  caps: HilistPricUplmtTable[];
  selfpay: HilistSelfpayTable[];
  lmt: HilistLmtTable[];
}

/** An existing row whose enddate the load sets: the table and the row's primary key. */
export interface Closing {
  table: 'hilist' | 'hilist_pric_uplmt' | 'hilist_selfpay' | 'hilist_lmt';
  hilist_code: string;
  insu_admdvs: string;
  begndate: string;
  hosp_lv?: string;
  insutype?: string;
  enddate: string;
}

async function loadStored(db: Db, items: CatalogueItemInput[]): Promise<Map<Key, StoredKey>> {
  const stored = new Map<Key, StoredKey>();
  const wanted = new Set(items.map(keyOf));
  const get = (k: Key) => {
    let s = stored.get(k);
    if (!s) stored.set(k, (s = { hilist: [], caps: [], selfpay: [], lmt: [] }));
    return s;
  };
  const codes = [...new Set(items.map((i) => i.hilist_code))];
  const withHistory = new Set<string>();
  for (let i = 0; i < codes.length; i += 5000) {
    const rows = await db.k.selectFrom('hilist').select(['hilist_code', 'insu_admdvs', 'chrgitm_lv', 'begndate', 'enddate']).where('hilist_code', 'in', codes.slice(i, i + 5000)).execute();
    for (const r of rows) {
      if (!wanted.has(keyOf(r))) continue;
      get(keyOf(r)).hilist.push({ begndate: r.begndate, enddate: r.enddate, chrgitm_lv: r.chrgitm_lv });
      withHistory.add(r.hilist_code);
    }
  }
  const known = [...withHistory];
  for (let i = 0; i < known.length; i += 5000) {
    const chunk = known.slice(i, i + 5000);
    for (const r of await db.k.selectFrom('hilist_pric_uplmt').selectAll().where('hilist_code', 'in', chunk).execute()) if (wanted.has(keyOf(r))) get(keyOf(r)).caps.push(r);
    for (const r of await db.k.selectFrom('hilist_selfpay').selectAll().where('hilist_code', 'in', chunk).execute()) if (wanted.has(keyOf(r))) get(keyOf(r)).selfpay.push(r);
    for (const r of await db.k.selectFrom('hilist_lmt').selectAll().where('hilist_code', 'in', chunk).execute()) if (wanted.has(keyOf(r))) get(keyOf(r)).lmt.push(r);
  }
  return stored;
}

export interface CataloguePlan {
  /** The items to insert, with carried-forward caps, ratio and restriction filled in. */
  items: CatalogueItemInput[];
  /** Ratios for particular insurance types carried forward with the '*' ratio. */
  extraSelfpay: HilistSelfpayTable[];
  closings: Closing[];
  closed: number;
  inherited: number;
  problems: FieldProblem[];
}

/**
 * Decides every item against all stored versions of its code in its area (open and closed), with the
 * semantics of closeAndInsert: the version in force on the new begndate — and the price caps, self-pay ratios
 * and restriction in force that day — end the day before; a stored version or row that starts on or after the
 * new begndate is reported for the item's row. Parts the item marks `inherit` are copied from what it closes.
 * Pure: nothing is read or written here.
 */
export function planCatalogueLoad(items: CatalogueItemInput[], stored: Map<Key, StoredKey>): CataloguePlan {
  const plan: CataloguePlan = { items: [], extraSelfpay: [], closings: [], closed: 0, inherited: 0, problems: [] };
  const order = items.map((it, i) => ({ it, i })).sort((a, b) => (keyOf(a.it) === keyOf(b.it) ? (a.it.begndate < b.it.begndate ? -1 : 1) : keyOf(a.it) < keyOf(b.it) ? -1 : 1));
  const resolved: CatalogueItemInput[] = [...items];
  for (const { it, i } of order) {
    const st = stored.get(keyOf(it));
    if (!st) continue; // a new code in this area: nothing to compare with or carry forward
    const row = it.row ?? i + 1;
    const B = it.begndate;
    const later = st.hilist.find((v) => v.begndate >= B);
    if (later) {
      plan.problems.push({ row, field: 'begndate', message: `编码 ${it.hilist_code}（区划 ${it.insu_admdvs}）已有自 ${later.begndate} 起生效的版本（至 ${later.enddate ?? '长期'}），新版本的开始日期必须晚于该日期` });
      continue;
    }
    const laterSub = [...st.caps, ...st.selfpay, ...st.lmt].find((r) => r.begndate >= B);
    if (laterSub) {
      plan.problems.push({ row, field: 'begndate', message: `编码 ${it.hilist_code}（区划 ${it.insu_admdvs}）的限价、先自付比例或限定支付范围已有自 ${laterSub.begndate} 起的记录，新版本的开始日期必须晚于该日期` });
      continue;
    }
    const end = addDays(B, -1);
    const base = { hilist_code: it.hilist_code, insu_admdvs: it.insu_admdvs };
    const cur = st.hilist.find((v) => validOnDate(v, B));
    if (cur) {
      plan.closings.push({ table: 'hilist', ...base, begndate: cur.begndate, enddate: end });
      cur.enddate = end;
      plan.closed++;
    }
    const caps = st.caps.filter((r) => validOnDate(r, B));
    const ratios = st.selfpay.filter((r) => validOnDate(r, B));
    const lmts = st.lmt.filter((r) => validOnDate(r, B));
    for (const r of caps) plan.closings.push({ table: 'hilist_pric_uplmt', ...base, hosp_lv: r.hosp_lv, begndate: r.begndate, enddate: end });
    for (const r of ratios) plan.closings.push({ table: 'hilist_selfpay', ...base, insutype: r.insutype, begndate: r.begndate, enddate: end });
    for (const r of lmts) plan.closings.push({ table: 'hilist_lmt', ...base, begndate: r.begndate, enddate: end });
    for (const r of [...caps, ...ratios, ...lmts]) r.enddate = end;

    // carry forward what the row left empty, from the version it closes
    const next: CatalogueItemInput = { ...it, pric_uplmt: { ...it.pric_uplmt } };
    let carried = false;
    if (cur && it.inherit) {
      for (const lv of it.inherit.caps ?? []) {
        const cap = caps.find((c) => c.hosp_lv === lv);
        if (cap) {
          next.pric_uplmt[lv] = yuanToFen(cap.pric_uplmt_amt);
          carried = true;
        }
      }
      if (it.inherit.selfpay && cur.chrgitm_lv === it.chrgitm_lv && ratios.length) {
        const all = ratios.find((r) => r.insutype === '*');
        if (all) next.selfpay_bp = ratioToBp(all.selfpay_prop);
        for (const r of ratios.filter((x) => x.insutype !== '*')) plan.extraSelfpay.push({ ...r, begndate: B, enddate: it.enddate ?? null });
        carried = true;
      }
      if (it.inherit.restriction && lmts[0]) {
        next.restriction = restrictionFromRow(lmts[0]);
        carried = true;
      }
    }
    if (carried) plan.inherited++;
    resolved[i] = next;

    // the new version and its rows join the key's history, for later rows of the same key in this batch
    const E = it.enddate ?? null;
    st.hilist.push({ begndate: B, enddate: E, chrgitm_lv: it.chrgitm_lv });
    for (const lv of CAP_LEVELS) if (next.pric_uplmt[lv] !== undefined) st.caps.push({ ...base, hosp_lv: lv, pric_uplmt_amt: fenToYuan(next.pric_uplmt[lv]), begndate: B, enddate: E });
    st.selfpay.push({ ...base, insutype: '*', selfpay_prop: bpToRatio(next.selfpay_bp), begndate: B, enddate: E });
    if (next.restriction) st.lmt.push({ ...lmtRow(next, next.restriction) });
  }
  // Safety net: no key ends up with overlapping versions.
  for (const [key, st] of stored) {
    for (const [a, b] of findOverlaps(st.hilist, () => key)) {
      const [code, admdvs] = key.split('|');
      const it = items.find((x) => x.hilist_code === code && x.insu_admdvs === admdvs && (x.begndate === st.hilist[b]!.begndate || x.begndate === st.hilist[a]!.begndate));
      plan.problems.push({ row: it?.row, field: 'begndate', message: `编码 ${code}（区划 ${admdvs}）的有效期与已有版本（${st.hilist[a]!.begndate} 起）重叠` });
    }
  }
  plan.items = resolved;
  return plan;
}

/**
 * Validates and writes items in one transaction. Each item is compared with every stored version of its
 * code in its area (planCatalogueLoad): the version in force on its begndate, with its price caps, ratios and
 * restriction, is closed the day before; a stored version starting on or after it is refused with the row.
 */
export async function bulkLoadCatalogue(db: Db, items: CatalogueItemInput[], actor: Actor, opts: { kind?: string; file?: string; allowedListTypes?: readonly string[] } = {}): Promise<ImportReport> {
  rejectIfProblems('医保目录', checkItems(items, opts.allowedListTypes));
  const plan = planCatalogueLoad(items, await loadStored(db, items));
  rejectIfProblems('医保目录', plan.problems);
  const rows = plan.items;

  // the settlement path's cached catalogue versions are dropped once the load has ended
  await writingTo('catalogue', () => db.k.transaction().execute(async (trx) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const t = trx as unknown as Kysely<any>;
    for (const c of plan.closings) {
      let u = t.updateTable(c.table).set({ enddate: c.enddate }).where('hilist_code', '=', c.hilist_code).where('insu_admdvs', '=', c.insu_admdvs).where('begndate', '=', c.begndate);
      if (c.hosp_lv !== undefined) u = u.where('hosp_lv', '=', c.hosp_lv);
      if (c.insutype !== undefined) u = u.where('insutype', '=', c.insutype);
      await u.execute();
    }
    await insertChunks(trx, 'hilist', rows.map(itemRow));
    const caps = rows.flatMap((it) =>
      Object.entries(it.pric_uplmt)
        .filter(([, fen]) => fen !== undefined)
        .map(([lv, fen]) => ({ hilist_code: it.hilist_code, insu_admdvs: it.insu_admdvs, hosp_lv: lv, pric_uplmt_amt: fenToYuan(fen!), begndate: it.begndate, enddate: it.enddate ?? null })),
    );
    await insertChunks(trx, 'hilist_pric_uplmt', caps);
    await insertChunks(trx, 'hilist_selfpay', [
      ...rows.map((it) => ({ hilist_code: it.hilist_code, insu_admdvs: it.insu_admdvs, insutype: '*', selfpay_prop: bpToRatio(it.selfpay_bp), begndate: it.begndate, enddate: it.enddate ?? null })),
      ...plan.extraSelfpay,
    ]);
    await insertChunks(trx, 'hilist_lmt', rows.filter((it) => it.restriction).map((it) => lmtRow(it, it.restriction!)));
    await recordOperation(trx, actor, {
      action: 'catalogue.import',
      target_type: 'hilist',
      after: { kind: opts.kind ?? 'bulk', file: opts.file ?? null, read: items.length, inserted: items.length, closed: plan.closed, inherited: plan.inherited },
    });
  }));
  return { kind: opts.kind ?? 'bulk', file: opts.file ?? '(rows)', read: items.length, inserted: items.length, closed: plan.closed, rejected: [] };
}

const DEFAULT_CHRGITM_TYPE: Record<string, string> = { '101': '09', '102': '11', '103': '10', '104': '09', '105': '09', '201': '14', '301': '08' };
const DEFAULT_LIST_TYPE: Record<string, string> = { drugs: '101', herbs: '103', services: '201', consumables: '301' };

/**
 * Parses one catalogue file (see docs/import-formats.md §8). Money is yuan in the file, fen after parsing; a
 * malformed amount, ratio or number becomes a row problem, not an exception. Empty cells of the caps, the
 * ratio and the restriction are marked `inherit` (carried forward from the version the row closes); `无`
 * in a cap cell or as the whole restriction (`lmt_memo` = 无) says "none" explicitly.
 */
export function parseCatalogueFile(kind: string, input: string | Uint8Array): { items: CatalogueItemInput[]; problems: FieldProblem[] } {
  const d = parseDelimited(input);
  checkColumns(d, CATALOGUE_COLUMNS.required, CATALOGUE_COLUMNS.optional);
  const problems: FieldProblem[] = [];
  const items: CatalogueItemInput[] = [];
  for (const { row, values: v } of d.rows) {
    const list_type = v.list_type || DEFAULT_LIST_TYPE[kind]!;
    const inherit: NonNullable<CatalogueItemInput['inherit']> = { caps: [] };
    const pric_uplmt: CatalogueItemInput['pric_uplmt'] = {};
    for (const lv of CAP_LEVELS) {
      const field = `pric_uplmt_lv${lv}`;
      const cell = v[field];
      if (!cell) inherit.caps!.push(lv);
      else if (cell === NONE) continue;
      else {
        try {
          pric_uplmt[lv] = yuanToFen(cell, field);
        } catch (e) {
          problems.push({ row, field, message: (e as Error).message });
        }
      }
    }
    let selfpay_bp = v.chrgitm_lv === '03' ? 10_000 : 0;
    if (v.selfpay_prop) {
      try {
        selfpay_bp = ratioToBp(v.selfpay_prop, 'selfpay_prop');
      } catch (e) {
        problems.push({ row, field: 'selfpay_prop', message: (e as Error).message });
      }
    } else inherit.selfpay = true;
    const int = (field: string): number | null => {
      if (!v[field]) return null;
      if (!/^\d+$/.test(v[field]!)) {
        problems.push({ row, field, message: `“${v[field]}”应为非负整数` });
        return null;
      }
      return Number(v[field]);
    };
    const filled = LMT_COLUMNS.filter((f) => v[f]);
    const noRestriction = v.lmt_memo === NONE;
    if (noRestriction && filled.length > 1) problems.push({ row, field: 'lmt_memo', message: `lmt_memo 为“${NONE}”（不设限定支付范围）时，其他限定条件列应留空` });
    if (!filled.length) inherit.restriction = true;
    const restriction: Restriction | null =
      filled.length && !noRestriction
        ? {
            lmt_gend: (v.lmt_gend || null) as Restriction['lmt_gend'],
            lmt_age_min: int('lmt_age_min'),
            lmt_age_max: int('lmt_age_max'),
            lmt_diag: splitList(v.lmt_diag),
            lmt_min_hosp_lv: (v.lmt_min_hosp_lv || null) as Restriction['lmt_min_hosp_lv'],
            lmt_scene: splitList(v.lmt_scene) as Scene[],
            lmt_insutype: splitList(v.lmt_insutype),
            lmt_max_days: int('lmt_max_days'),
            lmt_max_cnt: v.lmt_max_cnt || null,
            lmt_memo: v.lmt_memo ?? '',
          }
        : null;
    items.push({
      row,
      hilist_code: v.hilist_code ?? '',
      insu_admdvs: v.insu_admdvs ?? '',
      hilist_name: v.hilist_name ?? '',
      list_type,
      med_chrgitm_type: v.med_chrgitm_type || DEFAULT_CHRGITM_TYPE[list_type] || '',
      chrgitm_lv: v.chrgitm_lv ?? '',
      selfpay_bp,
      pric_uplmt,
      dosform: v.dosform || null,
      spec: v.spec || null,
      pacunt: v.pacunt || null,
      prodentp_name: v.prodentp_name || null,
      aprvno: v.aprvno || null,
      prcunt: v.prcunt || null,
      item_cont: v.item_cont || null,
      exct_cont: v.exct_cont || null,
      restriction,
      begndate: v.begndate ?? '',
      enddate: v.enddate || null,
      inherit,
    });
  }
  return { items, problems };
}

export async function importCatalogueFile(db: Db, kind: string, filePath: string, actor: Actor): Promise<ImportReport> {
  const { items, problems } = parseCatalogueFile(kind, readFileSync(filePath));
  const all = [...problems, ...checkItems(items, KIND_LIST_TYPES[kind])];
  rejectIfProblems('医保目录', all);
  return bulkLoadCatalogue(db, items, actor, { kind, file: filePath, allowedListTypes: KIND_LIST_TYPES[kind] });
}

export const CATALOGUE_KINDS: Record<string, string> = {
  drugs: '西药、中成药目录',
  herbs: '中药饮片目录',
  services: '医疗服务项目目录',
  consumables: '医用耗材目录',
};
