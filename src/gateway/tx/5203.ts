/**
 * 5203 结算信息查询: one settlement (or reversal) of one of the caller's encounters — by setl_id, or without it the
 * encounter's valid settlement — as `setlinfo` (the person, the institution and every amount in yuan) and
 * `setldetail[]` (one row per fund). A settlement of another institution is answered like one that does not exist.
 */
import { Type } from '@sinclair/typebox';
import { notFound } from '../../platform/errors.js';
import { fenToYuanNumber, yuanToFen } from '../../platform/money.js';
import { ageOn, beijingDate } from '../../platform/time.js';
import { settlementAt, type SettlementRow } from '../../settlement/queries-5200.js';
import { C, Nullable, OptC } from '../schema.js';
import { defineTx } from '../types.js';
import { SetldetailOut } from './settlement-common.js';

export const Input5203 = Type.Object({
  data: Type.Object({
    psn_no: C(30, '人员编号'),
    setl_id: OptC(30, '结算ID（不填时查该就诊的有效结算）'),
    mdtrt_id: C(30, '就诊ID'),
  }),
});

const S = Type.String();
const OptS = Nullable(Type.String());
const Num = Type.Number();

export const Setlinfo5203 = Type.Object({
  setl_id: S,
  mdtrt_id: S,
  psn_no: S,
  psn_name: S,
  psn_cert_type: S,
  certno: S,
  gend: S,
  naty: OptS,
  brdy: OptS,
  age: Nullable(Num),
  insutype: S,
  psn_type: S,
  cvlserv_flag: S,
  flxempe_flag: OptS,
  nwb_flag: OptS,
  insu_optins: S,
  emp_name: OptS,
  pay_loc: S,
  fixmedins_code: S,
  fixmedins_name: OptS,
  hosp_lv: OptS,
  fixmedins_poolarea: S,
  lmtpric_hosp_lv: OptS,
  dedc_hosp_lv: OptS,
  begndate: S,
  enddate: S,
  setl_time: S,
  mdtrt_cert_type: OptS,
  med_type: S,
  clr_type: S,
  clr_way: S,
  clr_optins: S,
  medfee_sumamt: Num,
  fulamt_ownpay_amt: Num,
  overlmt_selfpay: Num,
  preselfpay_amt: Num,
  inscp_scp_amt: Num,
  act_pay_dedc: Num,
  hifp_pay: Num,
  pool_prop_selfpay: Num,
  cvlserv_pay: Num,
  hifes_pay: Num,
  hifmi_pay: Num,
  hifob_pay: Num,
  maf_pay: Num,
  oth_pay: Num,
  fund_pay_sumamt: Num,
  psn_pay: Num,
  acct_pay: Num,
  cash_payamt: Num,
  balc: Num,
  acct_mulaid_pay: Num,
  medins_setl_id: S,
  refd_setl_flag: S,
  year: S,
  dise_codg: OptS,
  dise_name: OptS,
  invono: OptS,
  opter_id: OptS,
  opter_name: OptS,
  opt_time: S,
  // yibao adds the names 2207 answers with, so a HIS can reconcile one against the other
  psn_part_amt: Num,
  psn_cash_pay: Num,
  hosp_part_amt: Num,
  init_setl_id: OptS,
  vali_flag: S,
});

export const Output5203 = Type.Object({ setlinfo: Setlinfo5203, setldetail: Type.Array(SetldetailOut) });

const yuan = (v: string) => fenToYuanNumber(yuanToFen(v));
const dateOrNull = (d: unknown): string | null => (d === null || d === undefined ? null : d instanceof Date ? beijingDate(d) : String(d).slice(0, 10));

/** 支付地点类别 (yibao's convention): 1 本地（参保地就医） 2 省内异地 3 跨省异地. */
function payLoc(insuplc: string, mdtrtarea: string): string {
  if (insuplc === mdtrtarea) return '1';
  return insuplc.slice(0, 2) === mdtrtarea.slice(0, 2) ? '2' : '3';
}

function setlinfo(s: SettlementRow) {
  const brdy = dateOrNull(s.brdy);
  return {
    setl_id: s.setl_id,
    mdtrt_id: s.mdtrt_id,
    psn_no: s.psn_no,
    psn_name: s.psn_name,
    psn_cert_type: s.psn_cert_type,
    certno: s.certno,
    gend: s.gend,
    naty: s.naty,
    brdy,
    age: brdy ? ageOn(brdy, s.begndate) : null,
    insutype: s.insutype,
    psn_type: s.psn_type,
    cvlserv_flag: s.cvlserv_flag,
    flxempe_flag: null,
    nwb_flag: null,
    insu_optins: s.insuplc_admdvs,
    emp_name: s.emp_name,
    pay_loc: payLoc(s.insuplc_admdvs, s.mdtrtarea_admvs),
    fixmedins_code: s.fixmedins_code,
    fixmedins_name: s.fixmedins_name,
    hosp_lv: s.hosp_lv,
    fixmedins_poolarea: s.mdtrtarea_admvs,
    lmtpric_hosp_lv: s.hosp_lv,
    dedc_hosp_lv: s.hosp_lv,
    begndate: s.begndate,
    enddate: s.enddate,
    setl_time: s.setl_time,
    mdtrt_cert_type: s.mdtrt_cert_type,
    med_type: s.med_type,
    clr_type: s.clr_type,
    clr_way: s.clr_way,
    clr_optins: s.clr_optins,
    medfee_sumamt: yuan(s.medfee_sumamt),
    fulamt_ownpay_amt: yuan(s.fulamt_ownpay_amt),
    overlmt_selfpay: yuan(s.overlmt_selfpay),
    preselfpay_amt: yuan(s.preselfpay_amt),
    inscp_scp_amt: yuan(s.inscp_scp_amt),
    act_pay_dedc: yuan(s.act_pay_dedc),
    hifp_pay: yuan(s.hifp_pay),
    pool_prop_selfpay: Number(s.pool_prop_selfpay),
    cvlserv_pay: yuan(s.cvlserv_pay),
    hifes_pay: yuan(s.hifes_pay),
    hifmi_pay: yuan(s.hifmi_pay),
    hifob_pay: yuan(s.hifob_pay),
    maf_pay: yuan(s.maf_pay),
    oth_pay: yuan(s.oth_pay),
    fund_pay_sumamt: yuan(s.fund_pay_sumamt),
    psn_pay: yuan(s.psn_part_amt),
    acct_pay: yuan(s.acct_pay),
    cash_payamt: yuan(s.psn_cash_pay),
    balc: yuan(s.balc),
    acct_mulaid_pay: yuan(s.acct_mulaid_pay),
    medins_setl_id: s.medins_setl_id,
    refd_setl_flag: s.refd_setl_flag,
    year: s.setl_time.slice(0, 4),
    dise_codg: s.dise_codg,
    dise_name: s.dise_name,
    invono: s.invono,
    opter_id: null,
    opter_name: null,
    opt_time: s.crte_time,
    psn_part_amt: yuan(s.psn_part_amt),
    psn_cash_pay: yuan(s.psn_cash_pay),
    hosp_part_amt: yuan(s.hosp_part_amt),
    init_setl_id: s.init_setl_id,
    vali_flag: s.vali_flag,
  };
}

export const tx5203 = defineTx({
  infno: '5203',
  name: '结算信息查询',
  input: Input5203,
  output: Output5203,
  needsSignIn: true,
  async handler({ data }, ctx) {
    const found = await settlementAt(ctx.db, ctx.envelope.fixmedins_code, data.psn_no, data.mdtrt_id, data.setl_id);
    if (!found) {
      throw notFound(data.setl_id ? `本机构未查询到结算ID ${data.setl_id}（就诊ID ${data.mdtrt_id}，人员编号 ${data.psn_no}）的结算信息` : `本机构未查询到就诊ID ${data.mdtrt_id}（人员编号 ${data.psn_no}）的结算信息`);
    }
    return {
      setlinfo: setlinfo(found.setl),
      setldetail: found.setldetail.map((d) => ({
        fund_pay_type: d.fund_pay_type,
        inscp_scp_amt: yuan(d.inscp_scp_amt),
        crt_payb_lmt_amt: yuan(d.crt_payb_lmt_amt),
        fund_payamt: yuan(d.fund_payamt),
        fund_pay_type_name: d.fund_pay_type_name,
        setl_proc_info: d.setl_proc_info,
      })),
    };
  },
});
