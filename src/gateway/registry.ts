/**
 * The table of contents of the national interface as yibao serves it: one entry per transaction code (infno).
 * Each entry lives in tx/<infno>.ts beside its input and output schemas; docs/api/<infno>.md describes it for HIS
 * developers. To add a transaction: write tx/<infno>.ts with defineTx, add it here, write its page in docs/api.
 */
import type { TxDef } from './types.js';
import { tx9001 } from './tx/9001.js'; //  签到
import { tx9002 } from './tx/9002.js'; //  签退
import { tx1101 } from './tx/1101.js'; //  人员信息获取
import { tx1201 } from './tx/1201.js'; //  医药机构信息获取
import { tx1301 } from './tx/1301.js'; //  西药中成药目录下载          → 9102
import { tx1302 } from './tx/1302.js'; //  中药饮片目录下载            → 9102
import { tx1305 } from './tx/1305.js'; //  医疗服务项目目录下载        → 9102
import { tx1306 } from './tx/1306.js'; //  医用耗材目录下载            → 9102
import { tx1307 } from './tx/1307.js'; //  疾病与诊断目录下载          → 9102
import { tx1308 } from './tx/1308.js'; //  手术操作目录下载            → 9102
import { tx1312 } from './tx/1312.js'; //  医保目录信息查询（分页）
import { tx1318 } from './tx/1318.js'; //  医保目录限价信息查询（分页）
import { tx1319 } from './tx/1319.js'; //  医保目录先自付比例信息查询（分页）
import { tx1901 } from './tx/1901.js'; //  字典表查询
import { tx9102 } from './tx/9102.js'; //  文件下载（ZIP）

export type Registry = ReadonlyMap<string, TxDef>;

export function makeRegistry(defs: readonly TxDef[]): Registry {
  const map = new Map<string, TxDef>();
  for (const d of defs) {
    if (map.has(d.infno)) throw new Error(`交易编号 ${d.infno} 重复登记`);
    map.set(d.infno, d);
  }
  return map;
}

export const TRANSACTIONS: readonly TxDef[] = [tx9001, tx9002, tx1101, tx1201, tx1301, tx1302, tx1305, tx1306, tx1307, tx1308, tx1312, tx1318, tx1319, tx1901, tx9102] as TxDef[];

export const REGISTRY: Registry = makeRegistry(TRANSACTIONS);
