/**
 * 9102 文件下载 (reference §3.15): the file a 13xx download named, by its `file_qury_no`. The answer is the ZIP
 * itself (application/octet-stream), not the JSON envelope; a failure is the usual envelope with infcode -1.
 * Catalogue files are public (`fixmedins_code` "plc"): any signed-in institution may fetch them.
 */
import { Type } from '@sinclair/typebox';
import { notFound, validationError } from '../../platform/errors.js';
import { C, OptC } from '../schema.js';
import { defineTx } from '../types.js';
import { findFile } from './downloads.js';

export const Input9102 = Type.Object({
  fsDownloadIn: Type.Object({
    file_qury_no: C(40, '文件查询号'),
    filename: OptC(200, '文件名'),
    fixmedins_code: OptC(30, '定点医药机构编号；目录文件为 plc'),
  }),
});

/** Documentation only: the success answer is the binary file. */
export const Output9102 = Type.Unknown({ description: 'ZIP 文件（application/octet-stream）' });

export const tx9102 = defineTx({
  infno: '9102',
  name: '文件下载',
  input: Input9102,
  output: Output9102,
  needsSignIn: true,
  binary: true,
  async handler({ fsDownloadIn: f }, ctx) {
    const row = await findFile(ctx.db, f.file_qury_no);
    if (!row || (row.fixmedins_code !== 'plc' && row.fixmedins_code !== ctx.envelope.fixmedins_code)) throw notFound(`文件 ${f.file_qury_no} 不存在`);
    if (row.dld_end_time < ctx.today) throw validationError(`文件 ${f.file_qury_no} 已过下载截止日期（${row.dld_end_time}），请重新调用目录下载交易`);
    return { kind: 'file' as const, filename: row.filename, bytes: row.content };
  },
});
