/**
 * The settlement nodes as the national interface sends them (reference §3.6 / §3.7): `setlinfo` with the person,
 * the encounter and every amount in yuan as a JSON number, in the order of the spec table, and `setldetail[]`.
 * Built from the engine's figures (pre-settlement) or from stored rows (settlement, reversal) through the
 * engine's own serialisers, so both carry identical numbers.
 */
import { bpToRatio, fenToYuan, yuanToFen, type Fen } from '../platform/money.js';
import { setldetailToWire, setlinfoToWire, type SetlDetail, type SetlInfo } from './policy/index.js';
import { ratioToBp } from '../platform/money.js';
import { toWireTime } from './common.js';
import type { PersonFacts } from './context.js';
import type { SetlAmountColumns, SetlFundTable, SetlTable } from './types.js';

export interface SetlMeta {
  mdtrt_id: string;
  /** Absent in pre-settlement. */
  setl_id?: string;
  person: PersonFacts;
  setl_time: Date;
  mdtrt_cert_type: string | null;
  med_type: string;
  medins_setl_id: string;
  clr_optins: string;
  clr_way: string;
  clr_type: string;
}

export type SetlDetailWire = ReturnType<typeof setldetailToWire>;

/** `setlinfo` of 2206 / 2207 / 2303 / 2304. */
export function setlinfoOut(m: SetlMeta, info: SetlInfo) {
  const a = setlinfoToWire(info);
  return {
    mdtrt_id: m.mdtrt_id,
    ...(m.setl_id ? { setl_id: m.setl_id } : {}),
    psn_no: m.person.psn_no,
    psn_name: m.person.psn_name,
    psn_cert_type: m.person.psn_cert_type,
    certno: m.person.certno,
    gend: m.person.gend,
    naty: m.person.naty,
    brdy: m.person.brdy,
    age: m.person.age,
    insutype: m.person.insutype,
    psn_type: m.person.psn_type,
    cvlserv_flag: m.person.cvlserv_flag,
    setl_time: toWireTime(m.setl_time)!,
    mdtrt_cert_type: m.mdtrt_cert_type,
    med_type: m.med_type,
    medfee_sumamt: a.medfee_sumamt,
    fulamt_ownpay_amt: a.fulamt_ownpay_amt,
    overlmt_selfpay: a.overlmt_selfpay,
    preselfpay_amt: a.preselfpay_amt,
    inscp_scp_amt: a.inscp_scp_amt,
    act_pay_dedc: a.act_pay_dedc,
    hifp_pay: a.hifp_pay,
    pool_prop_selfpay: a.pool_prop_selfpay,
    cvlserv_pay: a.cvlserv_pay,
    hifes_pay: a.hifes_pay,
    hifmi_pay: a.hifmi_pay,
    hifob_pay: a.hifob_pay,
    maf_pay: a.maf_pay,
    oth_pay: a.oth_pay,
    fund_pay_sumamt: a.fund_pay_sumamt,
    psn_part_amt: a.psn_part_amt,
    acct_pay: a.acct_pay,
    psn_cash_pay: a.psn_cash_pay,
    hosp_part_amt: a.hosp_part_amt,
    balc: a.balc,
    acct_mulaid_pay: a.acct_mulaid_pay,
    medins_setl_id: m.medins_setl_id,
    clr_optins: m.clr_optins,
    clr_way: m.clr_way,
    clr_type: m.clr_type,
    hifdm_pay: 0,
    exp_content: null,
  };
}

export type SetlinfoWire = ReturnType<typeof setlinfoOut>;

/** `setlinfo` of 2208 / 2305 (amounts negative; psn_cash_pay also under the spec table's typo pdn_cash_pay). */
export function reversalOut(r: { mdtrt_id: string; setl_id: string; clr_optins: string; setl_time: Date; medins_setl_id: string }, info: SetlInfo) {
  const a = setlinfoToWire(info);
  return {
    mdtrt_id: r.mdtrt_id,
    setl_id: r.setl_id,
    clr_optins: r.clr_optins,
    setl_time: toWireTime(r.setl_time)!,
    medfee_sumamt: a.medfee_sumamt,
    fulamt_ownpay_amt: a.fulamt_ownpay_amt,
    overlmt_selfpay: a.overlmt_selfpay,
    preselfpay_amt: a.preselfpay_amt,
    inscp_scp_amt: a.inscp_scp_amt,
    act_pay_dedc: a.act_pay_dedc,
    hifp_pay: a.hifp_pay,
    pool_prop_selfpay: a.pool_prop_selfpay,
    cvlserv_pay: a.cvlserv_pay,
    hifes_pay: a.hifes_pay,
    hifmi_pay: a.hifmi_pay,
    hifob_pay: a.hifob_pay,
    maf_pay: a.maf_pay,
    oth_pay: a.oth_pay,
    fund_pay_sumamt: a.fund_pay_sumamt,
    psn_part_amt: a.psn_part_amt,
    acct_pay: a.acct_pay,
    psn_cash_pay: a.psn_cash_pay,
    pdn_cash_pay: a.psn_cash_pay,
    hosp_part_amt: a.hosp_part_amt,
    balc: a.balc,
    acct_mulaid_pay: a.acct_mulaid_pay,
    medins_setl_id: r.medins_setl_id,
    hifdm_pay: 0,
  };
}

export type ReversalWire = ReturnType<typeof reversalOut>;

const AMOUNT_COLUMNS: (keyof SetlAmountColumns)[] = [
  'medfee_sumamt',
  'fulamt_ownpay_amt',
  'overlmt_selfpay',
  'preselfpay_amt',
  'inscp_scp_amt',
  'act_pay_dedc',
  'hifp_pay',
  'cvlserv_pay',
  'hifes_pay',
  'hifmi_pay',
  'hifob_pay',
  'maf_pay',
  'oth_pay',
  'fund_pay_sumamt',
  'psn_part_amt',
  'acct_pay',
  'acct_mulaid_pay',
  'psn_cash_pay',
  'hosp_part_amt',
  'balc',
];

/** A stored settlement row's amounts as the engine's SetlInfo (fen). */
export function infoOfRow(row: Pick<SetlTable, keyof SetlAmountColumns | 'pool_prop_selfpay'>): SetlInfo {
  const info = { pool_prop_selfpay: ratioToBp(row.pool_prop_selfpay.replace(/^-/, '')) } as SetlInfo;
  for (const c of AMOUNT_COLUMNS) info[c] = yuanToFen(row[c]);
  return info;
}

/** A settlement's figures with the 起付标准 it applied (compute.ts adds it; the engine's SetlInfo does not carry it). */
export type SetlInfoWithStd = SetlInfo & { dedc_std?: Fen };

/**
 * The engine's SetlInfo (fen) as the amount columns of a settlement row: the inverse of infoOfRow. The deductible
 * standard is written when the figures carry it (dedc_std, migration 0020), and left out otherwise.
 */
export function rowOfInfo(info: SetlInfoWithStd): SetlAmountColumns & { pool_prop_selfpay: string; dedc_std?: string } {
  const row = { pool_prop_selfpay: bpToRatio(info.pool_prop_selfpay) } as SetlAmountColumns & { pool_prop_selfpay: string; dedc_std?: string };
  for (const c of AMOUNT_COLUMNS) row[c] = fenToYuan(info[c]);
  if (info.dedc_std !== undefined) row.dedc_std = fenToYuan(info.dedc_std);
  return row;
}

/** Stored fund rows as the engine's SetlDetail (fen). */
export function detailOfRows(rows: readonly SetlFundTable[]): SetlDetail[] {
  return [...rows]
    .sort((a, b) => a.seq - b.seq)
    .map((r) => ({
      fund_pay_type: r.fund_pay_type,
      fund_pay_type_name: r.fund_pay_type_name,
      inscp_scp_amt: yuanToFen(r.inscp_scp_amt),
      crt_payb_lmt_amt: yuanToFen(r.crt_payb_lmt_amt),
      fund_payamt: yuanToFen(r.fund_payamt),
      setl_proc_info: r.setl_proc_info,
    }));
}

/** The engine's SetlDetail (fen) as the fund rows of settlement `setl_id`, in order: the inverse of detailOfRows. */
export function fundRowsOf(setl_id: string, details: readonly SetlDetail[]): SetlFundTable[] {
  return details.map((d, seq) => ({
    setl_id,
    seq: seq + 1,
    fund_pay_type: d.fund_pay_type,
    fund_pay_type_name: d.fund_pay_type_name,
    inscp_scp_amt: fenToYuan(d.inscp_scp_amt),
    crt_payb_lmt_amt: fenToYuan(d.crt_payb_lmt_amt),
    fund_payamt: fenToYuan(d.fund_payamt),
    setl_proc_info: d.setl_proc_info,
  }));
}

export const detailOut = (d: readonly SetlDetail[]): SetlDetailWire[] => d.map(setldetailToWire);
