/** 1306 医用耗材目录下载 (reference §3.15): 目录类别 301 医用耗材, every version. See downloads.ts for the file and its columns. */
import { hilistSource, downloadTx } from './downloads.js';

export const tx1306 = downloadTx(hilistSource('1306', '医用耗材目录下载', ['301']));
