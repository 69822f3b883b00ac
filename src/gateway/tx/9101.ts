/**
 * 9101 文件上传 (reference §3.15): the file arrives in `fsUploadIn.in` — a base64 string (how .NET clients
 * serialise a byte array) or a JSON array of bytes — and is kept in gateway_file under a new `file_qury_no`
 * (C(30), "fsi/up/<hex>") for the transaction that reads it (3202 对明细账) until `dld_endtime`. Only the uploading
 * institution can use or download it. Also owns storing the files other transactions hand back (3202's result).
 */
import { createHash, randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { Kysely, Transaction } from 'kysely';
import type { Tables } from '../../platform/db.js';
import { notFound, validationError } from '../../platform/errors.js';
import { addDays } from '../../platform/time.js';
import { C, OptC } from '../schema.js';
import { defineTx } from '../types.js';
import { unzip } from '../zip.js';
import { DOWNLOAD_DAYS } from './downloads.js';

export const Input9101 = Type.Object({
  fsUploadIn: Type.Object({
    in: Type.Union([Type.String({ description: '文件数据（Base64）' }), Type.Array(Type.Integer({ minimum: -128, maximum: 255 }), { description: '文件数据（字节数组）' })], { description: '文件数据' }),
    filename: C(200, '文件名'),
    fixmedins_code: OptC(30, '定点医药机构编号（须与报文相同）'),
  }),
});

export const Output9101 = Type.Object({
  file_qury_no: Type.String({ description: '文件查询号' }),
  filename: Type.String(),
  fixmedins_code: Type.String(),
  dld_endtime: Type.String({ description: '截止时间 yyyy-MM-dd HH:mm:ss' }),
});

const BASE64_RE = /^[A-Za-z0-9+/\r\n]+={0,2}$/;

/** The bytes of `in`: base64 text or a byte array (Java's signed bytes accepted). */
export function uploadBytes(input: string | number[]): Buffer {
  if (Array.isArray(input)) return Buffer.from(input.map((b) => (b < 0 ? b + 256 : b)));
  const text = input.replace(/\s+/g, '');
  if (!BASE64_RE.test(text) || text.length % 4 !== 0) throw validationError('文件数据 in 应为 Base64 编码的文件内容', [{ field: 'fsUploadIn.in', message: '不是有效的Base64' }]);
  return Buffer.from(text, 'base64');
}

export interface StoredFile {
  file_qury_no: string;
  filename: string;
  fixmedins_code: string;
  /** yyyy-MM-dd: last day the file can be used. */
  dld_end_time: string;
}

/** Stores a file of one institution (inside the caller's transaction when given one). */
export async function storeGatewayFile(
  k: Kysely<Tables> | Transaction<Tables>,
  f: { infno: string; prefix: 'up' | 'rc'; filename: string; fixmedins_code: string; content: Uint8Array; data_cnt: number; today: string },
): Promise<StoredFile> {
  const stored: StoredFile = { file_qury_no: `fsi/${f.prefix}/${randomBytes(10).toString('hex')}`, filename: f.filename, fixmedins_code: f.fixmedins_code, dld_end_time: addDays(f.today, DOWNLOAD_DAYS) };
  const content_sha256 = createHash('sha256').update(f.content).digest('hex');
  await k.insertInto('gateway_file').values({ ...stored, infno: f.infno, data_cnt: f.data_cnt, content: f.content, content_sha256 }).execute();
  return stored;
}

/** The text of an institution's uploaded file: a ZIP's first non-empty entry, or the file itself; UTF-8. */
export async function readUploadText(k: Kysely<Tables>, file_qury_no: string, fixmedins_code: string, today: string): Promise<string> {
  const row = await k.selectFrom('gateway_file').select(['content', 'dld_end_time', 'infno']).where('file_qury_no', '=', file_qury_no).where('fixmedins_code', '=', fixmedins_code).executeTakeFirst();
  if (!row || row.infno !== '9101') throw notFound(`文件查询号 ${file_qury_no} 不存在，请先用 9101 上传文件`);
  if (row.dld_end_time < today) throw validationError(`文件 ${file_qury_no} 已过使用截止日期（${row.dld_end_time}），请重新上传`);
  let bytes: Uint8Array = row.content;
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    let entries;
    try {
      entries = unzip(bytes);
    } catch {
      throw validationError(`文件 ${file_qury_no} 不是有效的 ZIP 文件`);
    }
    const entry = entries.find((e) => e.data.length > 0 && !e.name.endsWith('/'));
    if (!entry) throw validationError(`文件 ${file_qury_no} 的 ZIP 中没有内容`);
    bytes = entry.data;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw validationError(`文件 ${file_qury_no} 不是 UTF-8 文本`);
  }
}

export const tx9101 = defineTx({
  infno: '9101',
  name: '文件上传',
  input: Input9101,
  output: Output9101,
  needsSignIn: true,
  async handler({ fsUploadIn: f }, ctx) {
    const code = ctx.envelope.fixmedins_code;
    if (f.fixmedins_code && f.fixmedins_code !== code) throw validationError(`fsUploadIn.fixmedins_code（${f.fixmedins_code}）与报文的定点医药机构编号 ${code} 不一致`, [{ field: 'fsUploadIn.fixmedins_code', message: '与报文不一致' }]);
    const content = uploadBytes(f.in);
    if (content.length === 0) throw validationError('上传的文件为空', [{ field: 'fsUploadIn.in', message: '文件为空' }]);
    const s = await storeGatewayFile(ctx.db.k, { infno: '9101', prefix: 'up', filename: f.filename, fixmedins_code: code, content, data_cnt: 0, today: ctx.today });
    return { file_qury_no: s.file_qury_no, filename: s.filename, fixmedins_code: s.fixmedins_code, dld_endtime: `${s.dld_end_time} 23:59:59` };
  },
});
