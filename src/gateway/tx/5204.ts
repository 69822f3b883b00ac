/**
 * 5204 费用明细查询: the fee lines of one of the caller's encounters as node `feedetail[]`. With setl_id: the lines
 * that settlement paid (a reversal: the lines it paid back) with the split frozen at settlement; without: the
 * encounter's valid lines with their upload classification. Another institution's encounter answers an empty list.
 */
import { Type } from '@sinclair/typebox';
import { fenToYuanNumber, yuanToFen } from '../../platform/money.js';
import { NO_PRICE_CAP } from '../../settlement/policy/index.js';
import { feeLinesAt, type FeeLineRow } from '../../settlement/queries-5200.js';
import { C, Nullable, OptC } from '../schema.js';
import { defineTx } from '../types.js';

export const Input5204 = Type.Object({
  data: Type.Object({
    psn_no: C(30, '人员编号'),
    setl_id: OptC(30, '结算ID'),
    mdtrt_id: C(30, '就诊ID'),
  }),
});

const S = Type.String();
const OptS = Nullable(Type.String());
const Num = Type.Number();

export const Feedetail5204 = Type.Object({
  mdtrt_id: S,
  setl_id: OptS,
  feedetl_sn: S,
  rx_drord_no: OptS,
  med_type: OptS,
  fee_ocur_time: S,
  cnt: Num,
  pric: Num,
  sin_dos_dscr: OptS,
  used_frqu_dscr: OptS,
  prd_days: Nullable(Num),
  medc_way_dscr: OptS,
  det_item_fee_sumamt: Num,
  pric_uplmt_amt: Num,
  selfpay_prop: Num,
  fulamt_ownpay_amt: Num,
  overlmt_amt: Num,
  preselfpay_amt: Num,
  inscp_scp_amt: Num,
  chrgitm_lv: S,
  hilist_code: S,
  hilist_name: OptS,
  list_type: OptS,
  med_list_codg: S,
  medins_list_codg: S,
  medins_list_name: OptS,
  med_chrgitm_type: OptS,
  prodname: OptS,
  spec: OptS,
  dosform_name: OptS,
  bilg_dept_codg: OptS,
  bilg_dept_name: OptS,
  bilg_dr_codg: OptS,
  bilg_dr_name: OptS,
  acord_dept_codg: OptS,
  acord_dept_name: OptS,
  orders_dr_code: OptS,
  orders_dr_name: OptS,
  lmt_used_flag: S,
  hosp_prep_flag: OptS,
  hosp_appr_flag: OptS,
  tcmdrug_used_way: OptS,
  prodplac_type: OptS,
  bas_medn_flag: OptS,
  hi_nego_drug_flag: OptS,
  chld_medc_flag: OptS,
  etip_flag: OptS,
  etip_hosp_code: OptS,
  dscg_tkdrug_flag: OptS,
  list_sp_item_flag: OptS,
  matn_fee_flag: OptS,
  drt_reim_flag: OptS,
  memo: OptS,
  opter_id: OptS,
  opter_name: OptS,
  opt_time: S,
});

export const Output5204 = Type.Object({ feedetail: Type.Array(Feedetail5204) });

const yuan = (v: string) => fenToYuanNumber(yuanToFen(v));

function feedetail(l: FeeLineRow) {
  return {
    mdtrt_id: l.mdtrt_id,
    setl_id: l.setl_id,
    feedetl_sn: l.feedetl_sn,
    rx_drord_no: l.rxno ?? l.drord_no,
    med_type: l.med_type,
    fee_ocur_time: l.fee_ocur_time,
    cnt: Number(l.cnt),
    pric: Number(l.pric),
    sin_dos_dscr: l.sin_dos_dscr,
    used_frqu_dscr: l.used_frqu_dscr,
    prd_days: l.prd_days === null ? null : Number(l.prd_days),
    medc_way_dscr: l.medc_way_dscr,
    det_item_fee_sumamt: yuan(l.det_item_fee_sumamt),
    // no cap is shown as the spec's 999999
    pric_uplmt_amt: l.pric_uplmt_amt === null ? NO_PRICE_CAP : Number(l.pric_uplmt_amt),
    selfpay_prop: Number(l.selfpay_prop),
    fulamt_ownpay_amt: yuan(l.fulamt_ownpay_amt),
    overlmt_amt: yuan(l.overlmt_amt),
    preselfpay_amt: yuan(l.preselfpay_amt),
    inscp_scp_amt: yuan(l.inscp_scp_amt),
    chrgitm_lv: l.chrgitm_lv,
    hilist_code: l.hilist_code,
    hilist_name: l.hilist_name,
    list_type: l.list_type,
    med_list_codg: l.hilist_code,
    medins_list_codg: l.medins_list_codg,
    medins_list_name: null,
    med_chrgitm_type: l.med_chrgitm_type,
    prodname: null,
    spec: l.spec,
    dosform_name: l.dosform,
    bilg_dept_codg: l.bilg_dept_codg,
    bilg_dept_name: l.bilg_dept_name,
    bilg_dr_codg: l.bilg_dr_codg,
    bilg_dr_name: l.bilg_dr_name,
    acord_dept_codg: l.acord_dept_codg,
    acord_dept_name: l.acord_dept_name,
    orders_dr_code: l.orders_dr_code,
    orders_dr_name: l.orders_dr_name,
    lmt_used_flag: l.lmt_used_flag,
    hosp_prep_flag: null,
    hosp_appr_flag: l.hosp_appr_flag,
    tcmdrug_used_way: l.tcmdrug_used_way,
    prodplac_type: null,
    bas_medn_flag: null,
    hi_nego_drug_flag: null,
    chld_medc_flag: null,
    etip_flag: l.etip_flag,
    etip_hosp_code: l.etip_hosp_code,
    dscg_tkdrug_flag: l.dscg_tkdrug_flag,
    list_sp_item_flag: null,
    matn_fee_flag: l.matn_fee_flag,
    drt_reim_flag: null,
    memo: l.memo,
    opter_id: null,
    opter_name: null,
    opt_time: l.crte_time,
  };
}

export const tx5204 = defineTx({
  infno: '5204',
  name: '费用明细查询',
  input: Input5204,
  output: Output5204,
  needsSignIn: true,
  async handler({ data }, ctx) {
    const rows = await feeLinesAt(ctx.db, ctx.envelope.fixmedins_code, data.psn_no, data.mdtrt_id, data.setl_id);
    return { feedetail: rows.map(feedetail) };
  },
});
