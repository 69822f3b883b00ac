/**
 * 3201 医药机构费用结算对总账 (reference §3.13): the institution's totals of a period — 医疗费总额, 基金支付总额,
 * 个人账户支付 and 结算笔数 — against the platform's, over its settlements of the insutype, clr_type and
 * 结算经办机构 (setl_optins). `refd_setl_flag` (also sent upper-case, REFD_SETL_FLAG) 1 or absent: reversal rows
 * count; 0: they do not. Answers `stmtinfo` with stmt_rslt (0 对账平 1 对账不平) and, added by yibao, the platform's
 * totals so the HIS sees the difference. The comparison is src/settlement/reconcile.ts.
 */
import { Type, type Static } from '@sinclair/typebox';
import { reconcileTotals, type StmtRequester, type StmtTotals } from '../../settlement/reconcile.js';
import { fenToYuanNumber } from '../../platform/money.js';
import { C, Code, DT, N } from '../schema.js';
import { defineTx, type TxContext } from '../types.js';
import { Amt, fen } from './settlement-common.js';

export const RefdSetlFlag = {
  refd_setl_flag: Type.Optional(Code(['0', '1'], '退费结算标志：1 或不传 含撤销（退费）结算，0 不含')),
  REFD_SETL_FLAG: Type.Optional(Code(['0', '1'], '同 refd_setl_flag（部分客户端的大写写法）')),
};

/** The reversal switch as sent in either spelling; absent means 1. */
export const refdFlagOf = (d: { refd_setl_flag?: string; REFD_SETL_FLAG?: string }): '0' | '1' => ((d.refd_setl_flag ?? d.REFD_SETL_FLAG) === '0' ? '0' : '1');

/** The reconciliation service's view of a gateway request. */
export function requesterOf(ctx: TxContext): StmtRequester {
  const env = ctx.envelope;
  return { db: ctx.db, actor: ctx.actor, msgid: env.msgid, opter_id: env.opter ?? env.fixmedins_code, opter_name: env.opter_name ?? ctx.institution.fixmedins_name, at: ctx.receivedAt, admdvs: env.mdtrtarea_admvs ?? ctx.config.nodeAdmdvs };
}

export const Input3201 = Type.Object({
  data: Type.Object({
    insutype: C(6, '险种类型'),
    clr_type: C(6, '清算类别'),
    setl_optins: C(6, '结算经办机构'),
    stmt_begndate: DT('对账开始日期 yyyy-MM-dd（带时间时取日期）'),
    stmt_enddate: DT('对账结束日期 yyyy-MM-dd（带时间时取日期）'),
    medfee_sumamt: Amt('医疗费总额'),
    fund_pay_sumamt: Amt('基金支付总额'),
    acct_pay: Amt('个人账户支付金额'),
    fixmedins_setl_cnt: N('定点医药机构结算笔数'),
    ...RefdSetlFlag,
  }),
});

const Num = Type.Number();

/** The platform's totals as yibao adds them to stmtinfo (yuan; count). */
export const CentreTotals = {
  stmt_id: Type.String({ description: '对账流水号（本平台）' }),
  medfee_sumamt: Num,
  fund_pay_sumamt: Num,
  acct_pay: Num,
  cash_payamt: Num,
  setl_cnt: Type.Integer(),
};

export const Output3201 = Type.Object({
  stmtinfo: Type.Object({ setl_optins: Type.String(), stmt_rslt: Code(['0', '1']), stmt_rslt_dscr: Type.String(), ...CentreTotals }),
});

export function centreOut(stmt_id: string, t: StmtTotals) {
  return { stmt_id, medfee_sumamt: fenToYuanNumber(t.medfee_sumamt), fund_pay_sumamt: fenToYuanNumber(t.fund_pay_sumamt), acct_pay: fenToYuanNumber(t.acct_pay), cash_payamt: fenToYuanNumber(t.cash_payamt), setl_cnt: t.setl_cnt };
}

export const tx3201 = defineTx({
  infno: '3201',
  name: '医药机构费用结算对总账',
  input: Input3201,
  output: Output3201,
  needsSignIn: true,
  async handler({ data: d }, ctx): Promise<Static<typeof Output3201>> {
    const r = await reconcileTotals(requesterOf(ctx), {
      fixmedins_code: ctx.envelope.fixmedins_code,
      insutype: d.insutype,
      clr_type: d.clr_type,
      setl_optins: d.setl_optins,
      stmt_begndate: d.stmt_begndate.slice(0, 10),
      stmt_enddate: d.stmt_enddate.slice(0, 10),
      refd_setl_flag: refdFlagOf(d),
      medfee_sumamt: fen(d.medfee_sumamt, 'data.medfee_sumamt'),
      fund_pay_sumamt: fen(d.fund_pay_sumamt, 'data.fund_pay_sumamt'),
      acct_pay: fen(d.acct_pay, 'data.acct_pay'),
      fixmedins_setl_cnt: d.fixmedins_setl_cnt,
    });
    return { stmtinfo: { setl_optins: d.setl_optins, stmt_rslt: r.stmt_rslt, stmt_rslt_dscr: r.stmt_rslt_dscr, ...centreOut(r.stmt_id, r.centre) } };
  },
});
