/**
 * 个人账户 and 家庭共济 (settlement-policy.md §2.6): when the patient asks (acct_used_flag = 1), the own
 * personal account pays the personal part within its scope up to its balance, then bound family members'
 * accounts pay what is left of that scope, in the order given. The scope is the in-scope personal burden
 * (deductible, co-insurance, 先行自付); the policy's local switch widens it to 全自费 and 超限价. It never
 * exceeds the personal part (which the hospital's part has already reduced).
 */
import type { Fen } from '../../platform/money.js';
import { ACCOUNT_FUND, fundName } from './funds.js';
import { yuan } from './text.js';
import type { AccountInput, AccountRule, MulaidPay, SetlDetail } from './types.js';

export interface AccountResult {
  acct_pay: Fen;
  acct_mulaid_pay: Fen;
  balc: Fen;
  mulaid: MulaidPay[];
  /** Null when no account paid. */
  detail: SetlDetail | null;
}

export interface AccountBase {
  psn_part: Fen;
  /** In-scope personal burden: in-scope amount not paid by funds, plus 先行自付. */
  inscp_burden: Fen;
  /** 全自费 + 超限价. */
  out_of_policy: Fen;
}

export function payFromAccounts(rule: AccountRule, account: AccountInput, b: AccountBase): AccountResult {
  const used = account.acct_used_flag === '1';
  const scope = Math.min(b.psn_part, b.inscp_burden + (rule.ownpay ? b.out_of_policy : 0));
  const own = used ? Math.min(scope, account.balc) : 0;
  let left = scope - own;
  const mulaid: MulaidPay[] = [];
  if (used && rule.mulaid) {
    for (const f of account.family ?? []) {
      const amt = Math.min(left, f.balc);
      if (amt <= 0) continue;
      mulaid.push({ psn_no: f.psn_no, amt, balc: f.balc - amt });
      left -= amt;
    }
  }
  const mulaidSum = mulaid.reduce((s, m) => s + m.amt, 0);
  const result: AccountResult = { acct_pay: own, acct_mulaid_pay: mulaidSum, balc: account.balc - own, mulaid, detail: null };
  if (own + mulaidSum === 0) return result;
  const scopeText = rule.ownpay
    ? `政策范围内个人负担${yuan(b.inscp_burden)} + 全自费及超限价${yuan(b.out_of_policy)}`
    : `政策范围内个人负担${yuan(b.inscp_burden)}（全自费、超限价不由账户支付）`;
  const info = [
    `个人账户可支付范围：${scopeText}，不超过个人负担${yuan(b.psn_part)}，共${yuan(scope)}`,
    `本人账户余额${yuan(account.balc)}，支付${yuan(own)}，余额${yuan(account.balc - own)}`,
    ...mulaid.map((m) => `家庭共济：${m.psn_no} 的账户支付${yuan(m.amt)}，余额${yuan(m.balc)}`),
  ].join('；');
  result.detail = { fund_pay_type: ACCOUNT_FUND, fund_pay_type_name: fundName(ACCOUNT_FUND), inscp_scp_amt: scope, crt_payb_lmt_amt: scope, fund_payamt: own + mulaidSum, setl_proc_info: info };
  return result;
}
