/**
 * The settlement policy engine (settlement-policy.md §2): applies the insured region's policy to classified
 * fee lines, in order — deductible, pooled fund, large-amount layer, civil-servant subsidy, medical
 * assistance, then personal and family accounts — and returns `setlinfo`, `setldetail[]` and the
 * accumulator delta. Pure and deterministic: the same input gives the same output, which is what makes
 * pre-settlement (2206/2303) and settlement (2207/2304) agree. It neither reads nor writes the database;
 * the settlement service loads the inputs and writes the result in one transaction.
 */
import { YibaoError, validationError } from '../../platform/errors.js';
import { assertFen, type Fen } from '../../platform/money.js';
import { payFromAccounts } from './account.js';
import { applyDelta } from './accumulators.js';
import { deductible } from './deductible.js';
import { settlementProblems } from './invariants.js';
import { largeAmount } from './large.js';
import { checkPolicy } from './policy-check.js';
import { pooled } from './pooled.js';
import { assistance, civilServant } from './subsidies.js';
import type { Accumulators, ClassifiedLine, SetlDetail, SetlInfo, SettleInput, Settlement } from './types.js';

export interface LineTotals {
  medfee_sumamt: Fen;
  fulamt_ownpay_amt: Fen;
  overlmt_selfpay: Fen;
  preselfpay_amt: Fen;
  inscp_scp_amt: Fen;
}

/** A non-negative whole number of fen (checked per line without building an array). */
const isFenAmount = (v: number): boolean => Number.isSafeInteger(v) && v >= 0;

export function sumLines(lines: readonly ClassifiedLine[]): LineTotals {
  const t: LineTotals = { medfee_sumamt: 0, fulamt_ownpay_amt: 0, overlmt_selfpay: 0, preselfpay_amt: 0, inscp_scp_amt: 0 };
  for (const l of lines) {
    if (!isFenAmount(l.det_item_fee_sumamt) || !isFenAmount(l.fulamt_ownpay_amt) || !isFenAmount(l.overlmt_amt) || !isFenAmount(l.preselfpay_amt) || !isFenAmount(l.inscp_scp_amt)) {
      throw validationError(`费用明细 ${l.feedetl_sn} 的分类金额应为非负整数（分）`, [{ field: 'inscp_scp_amt', message: '应为非负整数' }]);
    }
    if (l.fulamt_ownpay_amt + l.overlmt_amt + l.preselfpay_amt + l.inscp_scp_amt !== l.det_item_fee_sumamt) {
      throw validationError(`费用明细 ${l.feedetl_sn} 的分类金额之和与明细金额不符`, [{ field: 'det_item_fee_sumamt', message: '分类金额之和不符' }]);
    }
    t.medfee_sumamt += l.det_item_fee_sumamt;
    t.fulamt_ownpay_amt += l.fulamt_ownpay_amt;
    t.overlmt_selfpay += l.overlmt_amt;
    t.preselfpay_amt += l.preselfpay_amt;
    t.inscp_scp_amt += l.inscp_scp_amt;
  }
  for (const v of Object.values(t)) assertFen(v);
  return t;
}

export function settle(input: SettleInput): Settlement {
  checkInput(input);
  const { policy, acc, person } = input;
  const t = sumLines(input.lines);
  const inscp = t.inscp_scp_amt;

  const cont = input.continuation;
  const dedc = deductible(policy, acc, inscp, cont);
  const pool = pooled(policy, acc, inscp, dedc, cont?.pool_base ?? 0);
  const large = policy.large ? largeAmount(policy.large, acc, pool.walk.uncovered, inscp - pool.pay) : null;
  const largePay = large?.pay ?? 0;
  const cvl = civilServant(policy.cvlserv, person, acc, inscp - pool.pay - largePay, dedc.act);
  const cvlPay = cvl?.pay ?? 0;
  const maf = assistance(policy.maf, person, acc, inscp - pool.pay - largePay - cvlPay);
  const mafPay = maf?.pay ?? 0;

  const fund = pool.pay + largePay + cvlPay + mafPay;
  const hosp = input.hosp_part_amt ?? 0;
  const psnPart = t.medfee_sumamt - fund - hosp;
  if (psnPart < 0) {
    throw validationError(`医院负担金额超过基金支付后的个人负担（${psnPart + hosp} 分）`, [{ field: 'hosp_part_amt', message: '超过个人负担' }]);
  }
  const accts = payFromAccounts(policy.acct, input.account, {
    psn_part: psnPart,
    inscp_burden: inscp - fund + t.preselfpay_amt,
    out_of_policy: t.fulamt_ownpay_amt + t.overlmt_selfpay,
  });

  const setlinfo: SetlInfo = {
    ...t,
    act_pay_dedc: dedc.act,
    hifp_pay: pool.pay,
    pool_prop_selfpay: pool.walk.endBp,
    cvlserv_pay: cvlPay,
    hifes_pay: 0,
    hifmi_pay: policy.large?.fund === '390200' ? largePay : 0,
    hifob_pay: policy.large?.fund === '330100' ? largePay : 0,
    maf_pay: mafPay,
    oth_pay: 0,
    fund_pay_sumamt: fund,
    psn_part_amt: psnPart,
    acct_pay: accts.acct_pay,
    acct_mulaid_pay: accts.acct_mulaid_pay,
    psn_cash_pay: psnPart - accts.acct_pay - accts.acct_mulaid_pay,
    hosp_part_amt: hosp,
    balc: accts.balc,
  };
  // The basic fund's row is always there (it carries the deductible trace); other funds only when they paid.
  const setldetail: SetlDetail[] = [pool.detail];
  for (const r of [large, cvl, maf]) if (r && r.pay > 0) setldetail.push(r.detail);
  if (accts.detail) setldetail.push(accts.detail);

  const delta: Accumulators = {
    admissions: policy.med_type_fam === '21' && !cont ? 1 : 0,
    groups: { [policy.acc_grp]: { dedc_used: policy.dedc.scope === 'year' ? dedc.act : 0, pool_base: pool.base, pool_paid: pool.pay } },
    large_base: large?.base ?? 0,
    large_paid: largePay,
    cvlserv_paid: cvlPay,
    maf_paid: mafPay,
  };
  const result: Settlement = { setlinfo, setldetail, mulaid: accts.mulaid, delta, after: applyDelta(acc, delta) };
  // A broken invariant is a bug in this engine, never the caller's input: refuse to hand out such money.
  const problems = settlementProblems(input, result);
  if (problems.length) throw new YibaoError('INTERNAL', `结算计算结果不满足校验：${problems.join('；')}`);
  return result;
}

function checkInput(input: SettleInput): void {
  checkPolicy(input.policy);
  const bad = (field: string, message: string) => validationError(`结算参数错误：${field} ${message}`, [{ field, message }]);
  const amount = (field: string, v: number) => {
    if (!Number.isSafeInteger(v) || v < 0) throw bad(field, '应为非负整数金额（分）');
  };
  const { acc, account } = input;
  if (!Number.isSafeInteger(acc.admissions) || acc.admissions < 0) throw bad('admissions', '应为非负整数');
  for (const [k, g] of Object.entries(acc.groups)) {
    amount(`${k}.dedc_used`, g.dedc_used);
    amount(`${k}.pool_base`, g.pool_base);
    amount(`${k}.pool_paid`, g.pool_paid);
  }
  amount('large_base', acc.large_base);
  amount('large_paid', acc.large_paid);
  amount('cvlserv_paid', acc.cvlserv_paid);
  amount('maf_paid', acc.maf_paid);
  amount('balc', account.balc);
  for (const f of account.family ?? []) amount(`family.${f.psn_no}.balc`, f.balc);
  amount('hosp_part_amt', input.hosp_part_amt ?? 0);
  if (input.continuation) {
    amount('continuation.dedc_paid', input.continuation.dedc_paid);
    amount('continuation.pool_base', input.continuation.pool_base);
  }
}
