/**
 * Serialisation to the national output nodes: amounts as JSON numbers in yuan with at most 2 decimals
 * (`"hifp_pay": 7480`), ratios as numbers with at most 4 decimals, through platform/money only. Field
 * names are already the national ones; this only changes units.
 */
import { bpToRatio, fenToYuanNumber } from '../../platform/money.js';
import { SETLINFO_AMOUNT_FIELDS } from './invariants.js';
import type { ClassifiedLine, SetlDetail, SetlInfo, Settlement } from './types.js';

/** 定价上限金额 when an item has no price cap, as the national responses send it. */
export const NO_PRICE_CAP = 999999;

const ratio = (bp: number): number => Number(bpToRatio(bp));

export type SetlInfoWire = Record<keyof SetlInfo, number>;

export function setlinfoToWire(i: SetlInfo): SetlInfoWire {
  const out = { pool_prop_selfpay: ratio(i.pool_prop_selfpay) } as SetlInfoWire;
  for (const f of SETLINFO_AMOUNT_FIELDS) out[f] = fenToYuanNumber(i[f]);
  return out;
}

export function setldetailToWire(d: SetlDetail) {
  return {
    fund_pay_type: d.fund_pay_type,
    fund_pay_type_name: d.fund_pay_type_name,
    inscp_scp_amt: fenToYuanNumber(d.inscp_scp_amt),
    crt_payb_lmt_amt: fenToYuanNumber(d.crt_payb_lmt_amt),
    fund_payamt: fenToYuanNumber(d.fund_payamt),
    setl_proc_info: d.setl_proc_info,
  };
}

/** The engine's part of a 2206/2207/2303/2304 output: `setlinfo` amounts and `setldetail[]`. */
export function settlementToWire(s: Settlement) {
  return { setlinfo: setlinfoToWire(s.setlinfo), setldetail: s.setldetail.map(setldetailToWire) };
}

/** One row of the 2204 / 2301 output `result[]`; the Chinese reason goes to `memo`. */
export function lineToWire(l: ClassifiedLine) {
  return {
    feedetl_sn: l.feedetl_sn,
    det_item_fee_sumamt: fenToYuanNumber(l.det_item_fee_sumamt),
    cnt: Number(l.cnt),
    pric: fenToYuanNumber(l.pric),
    pric_uplmt_amt: l.pric_uplmt_amt === null ? NO_PRICE_CAP : fenToYuanNumber(l.pric_uplmt_amt),
    selfpay_prop: ratio(l.selfpay_prop),
    fulamt_ownpay_amt: fenToYuanNumber(l.fulamt_ownpay_amt),
    overlmt_amt: fenToYuanNumber(l.overlmt_amt),
    preselfpay_amt: fenToYuanNumber(l.preselfpay_amt),
    inscp_scp_amt: fenToYuanNumber(l.inscp_scp_amt),
    chrgitm_lv: l.chrgitm_lv,
    med_chrgitm_type: l.med_chrgitm_type,
    lmt_used_flag: l.lmt_used_flag,
    memo: l.reason,
  };
}
