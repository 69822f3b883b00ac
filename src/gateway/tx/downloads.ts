/**
 * The catalogue downloads 1301–1308 (reference §3.15): input `data.ver` (the version the client holds; "0" for all).
 * The answer names a file — `file_qury_no`, `filename`, `dld_end_time`, `data_cnt` — that the client then fetches
 * with 9102 (fixmedins_code "plc") as a ZIP holding one tab-separated text file, one row per line, no header,
 * columns in the order documented per transaction (docs/api/13xx.md).
 *
 * yibao always answers with the whole list, every version of every code (begndate/enddate tell them apart), since
 * no change stamp is kept per row to compute a delta from `ver`. Identical content is served from one stored file.
 *
 * Extension: with `page_num` and `page_size` in `data` the same rows come back as JSON in the paged shape of 1312.
 *
 * Reading: the standards services offer look-ups and searches of what is in force on a date, not "every row of a
 * list", so the row readers here select from the standards tables directly (read-only). When standards grows such
 * readers, these move there.
 */
import { randomBytes, createHash } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { validationError } from '../../platform/errors.js';
import { addDays, compactTime } from '../../platform/time.js';
import type { DiagnosisTable, ProcedureTable } from '../../standards/coded-list.js';
import type { HilistTable } from '../../standards/catalogue/types.js';
import { C, Paged, PAGE_SIZE_MAX, ridOf, toPaged } from '../schema.js';
import { zip } from '../zip.js';
import { defineTx, type TxDef } from '../types.js';

/** Days a download file stays fetchable. */
export const DOWNLOAD_DAYS = 7;

type Row = Record<string, string | null>;

export interface DownloadSource {
  infno: string;
  name: string;
  /** Column order of the file (and the keys of the JSON rows). */
  columns: readonly string[];
  count(db: Db): Promise<number>;
  rows(db: Db, page?: { offset: number; limit: number }): Promise<Row[]>;
}

export const HILIST_COLUMNS = [
  'hilist_code', 'hilist_name', 'list_type', 'med_chrgitm_type', 'chrgitm_lv', 'lmt_used_flag', 'insu_admdvs', 'dosform', 'spec', 'pacunt',
  'prodentp_name', 'aprvno', 'prcunt', 'pinyin', 'memo', 'begndate', 'enddate', 'vali_flag', 'rid',
] as const;

/** Rows of the medical-insurance catalogue (hilist) of some list types. */
export function hilistSource(infno: string, name: string, listTypes: readonly string[]): DownloadSource {
  const base = (db: Db) => db.k.selectFrom('hilist').where('list_type', 'in', [...listTypes]);
  return {
    infno,
    name,
    columns: HILIST_COLUMNS,
    async count(db) {
      return (await base(db).select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0;
    },
    async rows(db, page) {
      let q = base(db).selectAll().orderBy('hilist_code').orderBy('insu_admdvs').orderBy('begndate');
      if (page) q = q.limit(page.limit).offset(page.offset);
      const list: HilistTable[] = await q.execute();
      return list.map((r) => ({
        hilist_code: r.hilist_code,
        hilist_name: r.hilist_name,
        list_type: r.list_type,
        med_chrgitm_type: r.med_chrgitm_type,
        chrgitm_lv: r.chrgitm_lv,
        lmt_used_flag: r.lmt_used_flag,
        insu_admdvs: r.insu_admdvs,
        dosform: r.dosform,
        spec: r.spec,
        pacunt: r.pacunt,
        prodentp_name: r.prodentp_name,
        aprvno: r.aprvno,
        prcunt: r.prcunt,
        pinyin: r.pinyin,
        memo: r.memo,
        begndate: r.begndate,
        enddate: r.enddate,
        vali_flag: '1',
        rid: ridOf('hilist', r.hilist_code, r.insu_admdvs, r.begndate),
      }));
    },
  };
}

export const DIAGNOSIS_COLUMNS = ['diag_code', 'diag_name', 'diag_cat', 'pinyin', 'version', 'begndate', 'enddate', 'vali_flag', 'rid'] as const;

export function diagnosisSource(): DownloadSource {
  return {
    infno: '1307',
    name: '疾病与诊断目录下载',
    columns: DIAGNOSIS_COLUMNS,
    async count(db) {
      return (await db.k.selectFrom('diagnosis').select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0;
    },
    async rows(db, page) {
      let q = db.k.selectFrom('diagnosis').selectAll().orderBy('diag_code').orderBy('begndate');
      if (page) q = q.limit(page.limit).offset(page.offset);
      const list: DiagnosisTable[] = await q.execute();
      return list.map((r) => ({ diag_code: r.diag_code, diag_name: r.diag_name, diag_cat: r.diag_cat, pinyin: r.pinyin, version: r.version, begndate: r.begndate, enddate: r.enddate, vali_flag: '1', rid: ridOf('diagnosis', r.diag_code, r.begndate) }));
    },
  };
}

export const PROCEDURE_COLUMNS = ['oprn_oprt_code', 'oprn_oprt_name', 'valid_or_flag', 'pinyin', 'version', 'begndate', 'enddate', 'vali_flag', 'rid'] as const;

export function procedureSource(): DownloadSource {
  return {
    infno: '1308',
    name: '手术操作目录下载',
    columns: PROCEDURE_COLUMNS,
    async count(db) {
      return (await db.k.selectFrom('procedure_code').select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0;
    },
    async rows(db, page) {
      let q = db.k.selectFrom('procedure_code').selectAll().orderBy('oprn_oprt_code').orderBy('begndate');
      if (page) q = q.limit(page.limit).offset(page.offset);
      const list: ProcedureTable[] = await q.execute();
      return list.map((r) => ({ oprn_oprt_code: r.oprn_oprt_code, oprn_oprt_name: r.oprn_oprt_name, valid_or_flag: r.valid_or_flag, pinyin: r.pinyin, version: r.version, begndate: r.begndate, enddate: r.enddate, vali_flag: '1', rid: ridOf('procedure_code', r.oprn_oprt_code, r.begndate) }));
    },
  };
}

/** One line of the file: values in column order, tabs and line breaks inside values turned into spaces. */
function line(columns: readonly string[], row: Row): string {
  return columns.map((c) => (row[c] ?? '').replace(/[\t\r\n]+/g, ' ')).join('\t');
}

export interface FileInfo {
  file_qury_no: string;
  filename: string;
  dld_end_time: string;
  data_cnt: number;
}

/** Builds (or finds, when the content is unchanged) the download file of a source; returns what 13xx answers. */
export async function prepareFile(db: Db, source: DownloadSource, today: string, at: Date = new Date()): Promise<FileInfo> {
  const rows = await source.rows(db);
  const text = rows.map((r) => line(source.columns, r)).join('\n') + (rows.length ? '\n' : '');
  const sha = createHash('sha256').update(source.infno).update('\0').update(text, 'utf8').digest('hex');
  const existing = await db.k
    .selectFrom('gateway_file')
    .select(['file_qury_no', 'filename', 'dld_end_time', 'data_cnt'])
    .where('infno', '=', source.infno)
    .where('content_sha256', '=', sha)
    .where('dld_end_time', '>=', addDays(today, 1))
    .orderBy('dld_end_time', 'desc')
    .executeTakeFirst();
  if (existing) return existing;
  const stamp = compactTime(at);
  const filename = `${source.infno}_${stamp}.zip`;
  const content = zip([{ name: `${source.infno}_${stamp}.txt`, data: Buffer.from(text, 'utf8') }], at);
  const info: FileInfo = { file_qury_no: `fsi/plc/${randomBytes(16).toString('hex')}`, filename, dld_end_time: addDays(today, DOWNLOAD_DAYS), data_cnt: rows.length };
  await db.k.insertInto('gateway_file').values({ ...info, infno: source.infno, fixmedins_code: 'plc', content, content_sha256: sha }).execute();
  return info;
}

/** A stored download file by its file_qury_no. */
export function findFile(db: Db, file_qury_no: string) {
  return db.k.selectFrom('gateway_file').select(['filename', 'content', 'fixmedins_code', 'dld_end_time']).where('file_qury_no', '=', file_qury_no).executeTakeFirst();
}

export const DownloadInput = Type.Object({
  data: Type.Object({
    ver: Type.Optional(C(20, '本地最大版本号（yibao 总是返回全量，可传 0）')),
    page_num: Type.Optional(Type.Integer({ minimum: 1, description: '（yibao扩展）当前页数：给出时以JSON分页返回' })),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_SIZE_MAX, description: `（yibao扩展）本页数据量，最大${PAGE_SIZE_MAX}` })),
  }),
});

export const FileInfoOutput = Type.Object({
  file_qury_no: C(40, '文件查询号（9102 下载用）'),
  filename: C(100, '文件名'),
  dld_end_time: Type.String({ description: '下载截止日期 yyyy-MM-dd' }),
  data_cnt: Type.Integer({ description: '数据量' }),
});

/** A 13xx download transaction over a row source. */
export function downloadTx(source: DownloadSource): TxDef<typeof DownloadInput, ReturnType<typeof downloadOutput>> {
  return defineTx({
    infno: source.infno,
    name: source.name,
    input: DownloadInput,
    output: downloadOutput(source),
    needsSignIn: true,
    async handler(input: Static<typeof DownloadInput>, ctx) {
      const { page_num, page_size } = input.data;
      if (page_num !== undefined || page_size !== undefined) {
        if (page_num === undefined || page_size === undefined) throw validationError('分页查询须同时给出 page_num 和 page_size');
        const [total, list] = await Promise.all([source.count(ctx.db), source.rows(ctx.db, { offset: (page_num - 1) * page_size, limit: page_size })]);
        return toPaged({ page_num, page_size, total, list }, (r) => r);
      }
      return prepareFile(ctx.db, source, ctx.today, ctx.receivedAt);
    },
  });
}

function downloadOutput(source: DownloadSource) {
  const row = Type.Object(Object.fromEntries(source.columns.map((c) => [c, Type.Union([Type.String(), Type.Null()])])));
  return Type.Union([FileInfoOutput, Paged(row)]);
}

export type DownloadOutput = Static<ReturnType<typeof downloadOutput>>;
