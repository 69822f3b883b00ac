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
import { findOverlaps } from '../../platform/effective.js';
import { bpToRatio, fenToYuan, ratioToBp, yuanToFen } from '../../platform/money.js';
import { recordOperation, type Actor } from '../../platform/oplog.js';
import { addDays, isIsoDate } from '../../platform/time.js';
import { DICT_TABLES } from '../dict-data.js';
import { parseDelimited, rejectIfProblems, requireColumns, type ImportReport } from '../import-report.js';
import { pinyinInitials } from '../pinyin.js';
import { codeProblem, KIND_LIST_TYPES } from './codes.js';
import { diagPatternProblem, splitList } from './restrictions.js';
import type { CatalogueItemInput, HilistLmtTable, HilistTable, Restriction, Scene } from './types.js';
import { SCENES } from './types.js';

const has = (table: string, v: string) => DICT_TABLES[table]!.items.some(([value]) => value === v);

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

const VERSIONED = ['hilist', 'hilist_pric_uplmt', 'hilist_selfpay', 'hilist_lmt'] as const;

/**
 * Validates and writes items in one transaction. Items whose code already has an open version close it (and
 * its caps, ratios, restriction) on the day before the new begndate; a new version starting on or before the
 * open one's start is refused.
 */
export async function bulkLoadCatalogue(db: Db, items: CatalogueItemInput[], actor: Actor, opts: { kind?: string; file?: string; allowedListTypes?: readonly string[] } = {}): Promise<ImportReport> {
  const problems = checkItems(items, opts.allowedListTypes);
  rejectIfProblems('医保目录', problems);
  const open = new Map<string, string>();
  const codes = [...new Set(items.map((i) => i.hilist_code))];
  for (let i = 0; i < codes.length; i += 5000) {
    const rows = await db.k.selectFrom('hilist').select(['hilist_code', 'insu_admdvs', 'begndate']).where('hilist_code', 'in', codes.slice(i, i + 5000)).where('enddate', 'is', null).execute();
    for (const r of rows) open.set(`${r.hilist_code}|${r.insu_admdvs}`, r.begndate);
  }
  items.forEach((it, i) => {
    const cur = open.get(`${it.hilist_code}|${it.insu_admdvs}`);
    if (cur && cur >= it.begndate) problems.push({ row: it.row ?? i + 1, field: 'begndate', message: `编码 ${it.hilist_code} 的现行版本自 ${cur} 起生效，新版本的开始日期必须晚于该日期` });
  });
  rejectIfProblems('医保目录', problems);

  let closed = 0;
  await db.k.transaction().execute(async (trx) => {
    for (const it of items) {
      if (!open.has(`${it.hilist_code}|${it.insu_admdvs}`)) continue;
      const end = addDays(it.begndate, -1);
      for (const table of VERSIONED) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        await (trx as unknown as Kysely<any>).updateTable(table).set({ enddate: end }).where('hilist_code', '=', it.hilist_code).where('insu_admdvs', '=', it.insu_admdvs).where('enddate', 'is', null).execute();
      }
      closed++;
    }
    await insertChunks(trx, 'hilist', items.map(itemRow));
    const caps = items.flatMap((it) =>
      Object.entries(it.pric_uplmt)
        .filter(([, fen]) => fen !== undefined)
        .map(([lv, fen]) => ({ hilist_code: it.hilist_code, insu_admdvs: it.insu_admdvs, hosp_lv: lv, pric_uplmt_amt: fenToYuan(fen!), begndate: it.begndate, enddate: it.enddate ?? null })),
    );
    await insertChunks(trx, 'hilist_pric_uplmt', caps);
    await insertChunks(
      trx,
      'hilist_selfpay',
      items.map((it) => ({ hilist_code: it.hilist_code, insu_admdvs: it.insu_admdvs, insutype: '*', selfpay_prop: bpToRatio(it.selfpay_bp), begndate: it.begndate, enddate: it.enddate ?? null })),
    );
    await insertChunks(trx, 'hilist_lmt', items.filter((it) => it.restriction).map((it) => lmtRow(it, it.restriction!)));
    await recordOperation(trx, actor, { action: 'catalogue.import', target_type: 'hilist', after: { kind: opts.kind ?? 'bulk', file: opts.file ?? null, read: items.length, inserted: items.length, closed } });
  });
  return { kind: opts.kind ?? 'bulk', file: opts.file ?? '(rows)', read: items.length, inserted: items.length, closed, rejected: [] };
}

const DEFAULT_CHRGITM_TYPE: Record<string, string> = { '101': '09', '102': '11', '103': '10', '104': '09', '105': '09', '201': '14', '301': '08' };
const DEFAULT_LIST_TYPE: Record<string, string> = { drugs: '101', herbs: '103', services: '201', consumables: '301' };

/**
 * Parses one catalogue file (see FORMATS in docs/import-formats.md). Money is yuan in the file, fen after
 * parsing; a malformed amount or ratio becomes a row problem, not an exception.
 */
export function parseCatalogueFile(kind: string, text: string): { items: CatalogueItemInput[]; problems: FieldProblem[] } {
  const d = parseDelimited(text);
  requireColumns(d, ['hilist_code', 'hilist_name', 'chrgitm_lv', 'insu_admdvs', 'begndate']);
  const problems: FieldProblem[] = [];
  const items: CatalogueItemInput[] = [];
  for (const { row, values: v } of d.rows) {
    const list_type = v.list_type || DEFAULT_LIST_TYPE[kind]!;
    const money = (field: string): number | undefined => {
      if (!v[field]) return undefined;
      try {
        return yuanToFen(v[field]!, field);
      } catch (e) {
        problems.push({ row, field, message: (e as Error).message });
        return undefined;
      }
    };
    let selfpay_bp = v.chrgitm_lv === '03' ? 10_000 : 0;
    if (v.selfpay_prop) {
      try {
        selfpay_bp = ratioToBp(v.selfpay_prop, 'selfpay_prop');
      } catch (e) {
        problems.push({ row, field: 'selfpay_prop', message: (e as Error).message });
      }
    }
    const int = (field: string): number | null => {
      if (!v[field]) return null;
      if (!/^\d+$/.test(v[field]!)) {
        problems.push({ row, field, message: '应为非负整数' });
        return null;
      }
      return Number(v[field]);
    };
    const hasRestriction = ['lmt_gend', 'lmt_age_min', 'lmt_age_max', 'lmt_diag', 'lmt_min_hosp_lv', 'lmt_scene', 'lmt_insutype', 'lmt_max_days', 'lmt_max_cnt', 'lmt_memo'].some((f) => v[f]);
    const restriction: Restriction | null = hasRestriction
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
      pric_uplmt: { '1': money('pric_uplmt_lv1'), '2': money('pric_uplmt_lv2'), '3': money('pric_uplmt_lv3'), '9': money('pric_uplmt_lv9') },
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
    });
  }
  return { items, problems };
}

export async function importCatalogueFile(db: Db, kind: string, filePath: string, actor: Actor): Promise<ImportReport> {
  const { items, problems } = parseCatalogueFile(kind, readFileSync(filePath, 'utf8'));
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
