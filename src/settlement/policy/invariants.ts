/**
 * The invariants every settlement must satisfy (settlement-policy.md §4), as a check that returns what is
 * broken. The engine runs it on each result before handing it out, so a computation bug surfaces as an
 * error instead of wrong money; the property tests check the same facts independently.
 */
import { groupOf } from './accumulators.js';
import { ACCOUNT_FUND } from './funds.js';
import type { SetlInfo, SettleInput, Settlement } from './types.js';

/** Every money field of setlinfo (all but the ratio pool_prop_selfpay). */
export const SETLINFO_AMOUNT_FIELDS = [
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
] as const satisfies readonly (keyof SetlInfo)[];

export function settlementProblems(input: SettleInput, s: Settlement): string[] {
  const out: string[] = [];
  const i = s.setlinfo;
  const { policy, acc } = input;
  for (const f of SETLINFO_AMOUNT_FIELDS) if (!Number.isSafeInteger(i[f]) || i[f] < 0) out.push(`${f} 应为非负整数分，实为 ${i[f]}`);
  for (const d of s.setldetail) {
    for (const f of ['inscp_scp_amt', 'crt_payb_lmt_amt', 'fund_payamt'] as const) {
      if (!Number.isSafeInteger(d[f]) || d[f] < 0) out.push(`${d.fund_pay_type}.${f} 应为非负整数分`);
    }
  }
  const eq = (name: string, a: number, b: number) => {
    if (a !== b) out.push(`${name}：${a} ≠ ${b}`);
  };
  eq('医疗费总额 = 全自费 + 超限价 + 先行自付 + 政策范围内', i.medfee_sumamt, i.fulamt_ownpay_amt + i.overlmt_selfpay + i.preselfpay_amt + i.inscp_scp_amt);
  eq('医疗费总额 = 基金支付 + 个人负担 + 医院负担', i.medfee_sumamt, i.fund_pay_sumamt + i.psn_part_amt + i.hosp_part_amt);
  eq('个人负担 = 账户 + 共济 + 现金', i.psn_part_amt, i.acct_pay + i.acct_mulaid_pay + i.psn_cash_pay);
  eq('基金支付 = 各基金之和', i.fund_pay_sumamt, i.hifp_pay + i.cvlserv_pay + i.hifes_pay + i.hifmi_pay + i.hifob_pay + i.maf_pay + i.oth_pay);
  const pooledDetails = s.setldetail.filter((d) => d.fund_pay_type !== ACCOUNT_FUND);
  eq('明细基金支付之和 = 基金支付总额', pooledDetails.reduce((x, d) => x + d.fund_payamt, 0), i.fund_pay_sumamt);
  const acctDetail = s.setldetail.find((d) => d.fund_pay_type === ACCOUNT_FUND);
  eq('账户明细 = 账户支付 + 共济支付', acctDetail?.fund_payamt ?? 0, i.acct_pay + i.acct_mulaid_pay);

  const grp = groupOf(acc, policy.acc_grp);
  const within = (name: string, pay: number, lmt: number, paid: number) => {
    if (pay > Math.max(0, lmt - paid)) out.push(`${name}支付 ${pay} 超过剩余年度限额 ${Math.max(0, lmt - paid)}`);
  };
  within('统筹基金', i.hifp_pay, policy.pool.lmt, grp.pool_paid);
  if (policy.large) within('大额/大病', i.hifmi_pay + i.hifob_pay, policy.large.lmt, acc.large_paid);
  else eq('无大额/大病政策时其支付', i.hifmi_pay + i.hifob_pay, 0);
  if (policy.cvlserv) within('公务员医疗补助', i.cvlserv_pay, policy.cvlserv.lmt, acc.cvlserv_paid);
  else eq('无公务员补助政策时其支付', i.cvlserv_pay, 0);
  if (policy.maf) within('医疗救助', i.maf_pay, policy.maf.lmt, acc.maf_paid);
  else eq('无医疗救助政策时其支付', i.maf_pay, 0);
  if (i.fund_pay_sumamt > i.inscp_scp_amt) out.push('基金支付超过政策范围内费用');
  if (i.act_pay_dedc > i.inscp_scp_amt) out.push('起付线超过政策范围内费用');

  eq('账户余额 = 原余额 − 账户支付', i.balc, input.account.balc - i.acct_pay);
  const family = new Map((input.account.family ?? []).map((f) => [f.psn_no, f.balc]));
  for (const m of s.mulaid) {
    const before = family.get(m.psn_no);
    if (before === undefined || m.amt > before || m.balc !== before - m.amt) out.push(`家庭共济账户 ${m.psn_no} 支付或余额错误`);
  }
  eq('共济支付 = 各成员支付之和', i.acct_mulaid_pay, s.mulaid.reduce((x, m) => x + m.amt, 0));
  return out;
}
