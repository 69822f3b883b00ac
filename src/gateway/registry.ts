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
import { tx2201 } from './tx/2201.js'; //  门诊挂号（药店购药：医疗类别 41）
import { tx2202 } from './tx/2202.js'; //  门诊挂号撤销
import { tx2203 } from './tx/2203.js'; //  门诊就诊信息上传
import { tx2203A } from './tx/2203A.js'; // 门诊就诊信息上传（A）
import { tx2204 } from './tx/2204.js'; //  门诊费用明细信息上传
import { tx2205 } from './tx/2205.js'; //  门诊费用明细信息撤销
import { tx2206 } from './tx/2206.js'; //  门诊预结算
import { tx2207 } from './tx/2207.js'; //  门诊结算
import { tx2208 } from './tx/2208.js'; //  门诊结算撤销
import { tx2301 } from './tx/2301.js'; //  住院费用明细上传
import { tx2302 } from './tx/2302.js'; //  住院费用明细撤销
import { tx2303 } from './tx/2303.js'; //  住院预结算
import { tx2304 } from './tx/2304.js'; //  住院结算
import { tx2305 } from './tx/2305.js'; //  住院结算撤销
import { tx2401 } from './tx/2401.js'; //  入院办理
import { tx2402 } from './tx/2402.js'; //  出院办理
import { tx2403 } from './tx/2403.js'; //  住院信息变更
import { tx2404 } from './tx/2404.js'; //  入院办理撤销
import { tx2405 } from './tx/2405.js'; //  出院办理撤销
import { tx2601 } from './tx/2601.js'; //  冲正交易
import { tx3101 } from './tx/3101.js'; //  明细审核事前事中分析服务（事前）
import { tx3102 } from './tx/3102.js'; //  明细审核事中分析服务
import { tx3103 } from './tx/3103.js'; //  事前事中服务反馈服务
import { tx4101 } from './tx/4101.js'; //  医疗保障基金结算清单信息上传
import { tx4101A } from './tx/4101A.js'; // 结算清单信息上传（新版）
import { tx4102 } from './tx/4102.js'; //  结算清单状态修改
import { tx4103 } from './tx/4103.js'; //  结算清单信息查询
import { tx5201 } from './tx/5201.js'; //  就诊信息查询
import { tx5202 } from './tx/5202.js'; //  诊断信息查询
import { tx5203 } from './tx/5203.js'; //  结算信息查询
import { tx5204 } from './tx/5204.js'; //  费用明细查询
import { tx5206 } from './tx/5206.js'; //  人员累计信息查询
import { tx2503 } from './tx/2503.js'; //  人员慢特病备案
import { tx2504 } from './tx/2504.js'; //  人员慢特病备案撤销
import { tx5301 } from './tx/5301.js'; //  人员慢特病备案查询
import { tx5205 } from './tx/5205.js'; //  人员慢特病用药记录查询
import { tx9101 } from './tx/9101.js'; //  文件上传（对明细账文件）
import { tx3201 } from './tx/3201.js'; //  医药机构费用结算对总账
import { tx3202 } from './tx/3202.js'; //  医药机构费用结算对明细账      → 9102

export type Registry = ReadonlyMap<string, TxDef>;

export function makeRegistry(defs: readonly TxDef[]): Registry {
  const map = new Map<string, TxDef>();
  for (const d of defs) {
    if (map.has(d.infno)) throw new Error(`交易编号 ${d.infno} 重复登记`);
    map.set(d.infno, d);
  }
  return map;
}

export const TRANSACTIONS: readonly TxDef[] = [
  tx9001, tx9002, tx1101, tx1201, tx1301, tx1302, tx1305, tx1306, tx1307, tx1308, tx1312, tx1318, tx1319, tx1901, tx9102,
  // settlement (src/settlement): outpatient and pharmacy, inpatient, 冲正
  tx2201, tx2202, tx2203, tx2203A, tx2204, tx2205, tx2206, tx2207, tx2208,
  tx2301, tx2302, tx2303, tx2304, tx2305, tx2401, tx2402, tx2403, tx2404, tx2405, tx2601,
  // smart audit (src/audit): 事前/事中 analysis and the doctor's feedback
  tx3101, tx3102, tx3103,
  // payment (src/payment): the settlement list with its quality control
  tx4101, tx4101A, tx4102, tx4103,
  // queries of stored visits, settlements and accumulators (src/settlement/queries-5200.ts)
  tx5201, tx5202, tx5203, tx5204, tx5206,
  // 门慢特病备案 and reconciliation (src/settlement/opsp.ts, reconcile.ts, reconcile-detail.ts)
  tx2503, tx2504, tx5301, tx5205, tx9101, tx3201, tx3202,
] as TxDef[];

export const REGISTRY: Registry = makeRegistry(TRANSACTIONS);
