/**
 * 2206 门诊预结算 (reference §3.6): the settlement of the visit's uploaded lines as it would be now — the same
 * computation as 2207, nothing written. Output `setlinfo` (without setl_id) and `setldetail[]`.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { SettleRequest } from '../../settlement/index.js';
import { preSettle } from '../../settlement/index.js';
import { C, Code, ExpContent, OptC } from '../schema.js';
import { defineTx } from '../types.js';
import { Amt, callerOf, fen, OptAmt, optFen, SettleOut, settleOut } from './settlement-common.js';

export const Data2206 = Type.Object({
  psn_no: C(30, '人员编号'),
  mdtrt_cert_type: C(3, '就诊凭证类型'),
  mdtrt_cert_no: OptC(50, '就诊凭证编号'),
  med_type: C(6, '医疗类别'),
  medfee_sumamt: Amt('医疗费总额'),
  psn_setlway: C(6, '个人结算方式'),
  mdtrt_id: C(30, '就诊ID'),
  chrg_bchno: OptC(30, '收费批次号'),
  acct_used_flag: Code(['0', '1'], '个人账户使用标志'),
  insutype: C(6, '险种类型'),
  invono: OptC(20, '发票号'),
  fulamt_ownpay_amt: OptAmt('全自费金额'),
  overlmt_selfpay: OptAmt('超限价金额'),
  preselfpay_amt: OptAmt('先行自付金额'),
  inscp_scp_amt: OptAmt('符合政策范围金额'),
  exp_content: ExpContent,
});

/** The settlement request of 2206 / 2207. */
export function outpatientRequest(d: Static<typeof Data2206>): SettleRequest {
  const opt = (k: 'fulamt_ownpay_amt' | 'overlmt_selfpay' | 'preselfpay_amt' | 'inscp_scp_amt') => {
    const v = optFen(d[k], `data.${k}`);
    return v === undefined ? {} : { [k]: v };
  };
  return {
    mdtrt_id: d.mdtrt_id,
    psn_no: d.psn_no,
    insutype: d.insutype,
    med_type: d.med_type,
    mdtrt_cert_type: d.mdtrt_cert_type,
    ...(d.mdtrt_cert_no ? { mdtrt_cert_no: d.mdtrt_cert_no } : {}),
    medfee_sumamt: fen(d.medfee_sumamt, 'data.medfee_sumamt'),
    psn_setlway: d.psn_setlway,
    acct_used_flag: d.acct_used_flag,
    ...(d.chrg_bchno ? { chrg_bchno: d.chrg_bchno } : {}),
    ...(d.invono ? { invono: d.invono } : {}),
    ...opt('fulamt_ownpay_amt'),
    ...opt('overlmt_selfpay'),
    ...opt('preselfpay_amt'),
    ...opt('inscp_scp_amt'),
  };
}

export const Input2206 = Type.Object({ data: Data2206 });

export const tx2206 = defineTx({
  infno: '2206',
  name: '门诊预结算',
  input: Input2206,
  output: SettleOut,
  needsSignIn: true,
  async handler({ data }, ctx) {
    return settleOut(await preSettle(callerOf(ctx), '1', outpatientRequest(data)), ctx);
  },
});
