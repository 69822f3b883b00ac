/** 1301 西药中成药目录下载 (reference §3.15): 目录类别 101 西药、102 中成药, every version. See downloads.ts for the file and its columns. */
import { hilistSource, downloadTx } from './downloads.js';

export const tx1301 = downloadTx(hilistSource('1301', '西药中成药目录下载', ['101', '102']));
