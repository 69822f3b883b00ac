/** 1308 手术操作目录下载 (reference §3.15): 医保版 ICD-9-CM-3 procedures, every version. See downloads.ts for the file and its columns. */
import { procedureSource, downloadTx } from './downloads.js';

export const tx1308 = downloadTx(procedureSource());
