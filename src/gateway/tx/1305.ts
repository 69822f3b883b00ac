/** 1305 医疗服务项目目录下载 (reference §3.15): 目录类别 201 医疗服务项目, every version. See downloads.ts for the file and its columns. */
import { hilistSource, downloadTx } from './downloads.js';

export const tx1305 = downloadTx(hilistSource('1305', '医疗服务项目目录下载', ['201']));
