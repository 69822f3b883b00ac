/** 1302 中药饮片目录下载 (reference §3.15): 目录类别 103 中药饮片, every version. See downloads.ts for the file and its columns. */
import { hilistSource, downloadTx } from './downloads.js';

export const tx1302 = downloadTx(hilistSource('1302', '中药饮片目录下载', ['103']));
