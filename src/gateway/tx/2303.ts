/**
 * 2303 住院预结算 (reference §3.9): the admission's settlement as it would be now, 事中 audit included; nothing written
 * but the audit's evaluation log. mid_setl_flag 1 previews a 中途结算 (lines up to dscgTime when sent).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { SettleRequest } from '../../settlement/index.js';
import { preSettle } from '../../settlement/index.js';
import { C, Code, D, DT, ExpContent, OptC } from '../schema.js';
import { defineTx } from '../types.js';
import { Amt, callerOf, fen, OptAmt, optFen, SettleOut, settleOut } from './settlement-common.js';

export const Data2303 = Type.Object({
  psn_no: C(30, '人员编号'),
  mdtrt_cert_type: C(3, '就诊凭证类型'),
  mdtrt_cert_no: OptC(50, '就诊凭证编号'),
  medfee_sumamt: Amt('医疗费总额'),
  psn_setlway: C(6, '个人结算方式'),
  mdtrt_id: C(30, '就诊ID'),
  insutype: C(6, '险种类型'),
  acct_used_flag: Code(['0', '1'], '个人账户使用标志'),
  invono: OptC(20, '发票号'),
  mid_setl_flag: Type.Optional(Code(['0', '1'], '中途结算标志')),
  fulamt_ownpay_amt: OptAmt('全自费金额'),
  overlmt_selfpay: OptAmt('超限价金额'),
  preselfpay_amt: OptAmt('先行自付金额'),
  inscp_scp_amt: OptAmt('符合政策范围金额'),
  dscgTime: Type.Optional(Type.Union([D(), DT()], { description: '出院时间' })),
  exp_content: ExpContent,
});

/** The settlement request of 2303 / 2304 (med_type is the admission's). */
export function inpatientRequest(d: Static<typeof Data2303>): SettleRequest {
  const opt = (k: 'fulamt_ownpay_amt' | 'overlmt_selfpay' | 'preselfpay_amt' | 'inscp_scp_amt') => {
    const v = optFen(d[k], `data.${k}`);
    return v === undefined ? {} : { [k]: v };
  };
  return {
    mdtrt_id: d.mdtrt_id,
    psn_no: d.psn_no,
    insutype: d.insutype,
    mdtrt_cert_type: d.mdtrt_cert_type,
    ...(d.mdtrt_cert_no ? { mdtrt_cert_no: d.mdtrt_cert_no } : {}),
    medfee_sumamt: fen(d.medfee_sumamt, 'data.medfee_sumamt'),
    psn_setlway: d.psn_setlway,
    acct_used_flag: d.acct_used_flag,
    ...(d.invono ? { invono: d.invono } : {}),
    mid_setl_flag: d.mid_setl_flag ?? '0',
    // 中途结算: dscgTime, when sent, is the last fee date the mid-stay settlement covers
    ...(d.mid_setl_flag === '1' && d.dscgTime ? { mid_setl_until: d.dscgTime } : {}),
    ...opt('fulamt_ownpay_amt'),
    ...opt('overlmt_selfpay'),
    ...opt('preselfpay_amt'),
    ...opt('inscp_scp_amt'),
  };
}

export const Input2303 = Type.Object({ data: Data2303 });

export const tx2303 = defineTx({
  infno: '2303',
  name: '住院预结算',
  input: Input2303,
  output: SettleOut,
  needsSignIn: true,
  async handler({ data }, ctx) {
    return settleOut(await preSettle(callerOf(ctx), '2', inpatientRequest(data)), ctx);
  },
});
