/**
 * Top-up funds on the in-scope personal burden that remains after the pooled fund and the large-amount
 * layer (settlement-policy.md §2.4): 公务员医疗补助 (320100) for civil servants, then 医疗救助 (610100) for
 * holders of an assistance identity (特困, 低保, 返贫致贫 …). Each pays a ratio of what is still the
 * person's, up to what is left of its annual cap; neither touches 全自费, 超限价 or 先行自付 amounts.
 */
import { applyRatio, type Fen, type RatioBp } from '../../platform/money.js';
import { ASSISTANCE_FUND, CIVIL_SERVANT_FUND, fundName } from './funds.js';
import { pct, yuan } from './text.js';
import type { Accumulators, AssistanceRule, CivilServantRule, SetlDetail, SettlePerson } from './types.js';

export interface TopUpResult {
  pay: Fen;
  detail: SetlDetail;
}

const IDET_NAMES: Record<string, string> = { '2201': '特困供养人员', '2202': '最低生活保障对象', '2203': '返贫致贫人口', '2204': '低保边缘家庭成员' };

function capped(calc: Fen, lmt: Fen, paid: Fen): { pay: Fen; room: Fen; text: string } {
  const room = Math.max(0, lmt - paid);
  const pay = Math.min(calc, room);
  const text = `年度限额${yuan(lmt)}，本年已支付${yuan(paid)}，本次可支付${yuan(room)}${pay < calc ? '，已达限额' : ''}`;
  return { pay, room, text };
}

/**
 * @param burden in-scope personal burden left after the pooled fund and large-amount layer
 * @param dedc deductible paid in this settlement (the subsidy may treat it at its own ratio)
 */
export function civilServant(rule: CivilServantRule | null, person: SettlePerson, acc: Accumulators, burden: Fen, dedc: Fen): TopUpResult | null {
  if (!rule || person.cvlserv_flag !== '1') return null;
  const dedcPart = Math.min(dedc, burden);
  const rest = burden - dedcPart;
  const fromDedc = applyRatio(dedcPart, rule.dedc_bp);
  const fromRest = applyRatio(rest, rule.bp);
  const c = capped(fromDedc + fromRest, rule.lmt, acc.cvlserv_paid);
  const info = [
    `公务员：政策范围内个人负担${yuan(burden)}`,
    `起付线部分 ${yuan(dedcPart)} × ${pct(rule.dedc_bp)} = ${yuan(fromDedc)}`,
    `其余 ${yuan(rest)} × ${pct(rule.bp)} = ${yuan(fromRest)}`,
    c.text,
    `${fundName(CIVIL_SERVANT_FUND)}支付${yuan(c.pay)}`,
  ].join('；');
  return { pay: c.pay, detail: detail(CIVIL_SERVANT_FUND, burden, c.room, c.pay, info) };
}

/** The best assistance ratio among the identities a person holds, or null when none is eligible. */
export function assistanceRatio(rule: AssistanceRule, idet_types: readonly string[]): { idet: string; bp: RatioBp } | null {
  let best: { idet: string; bp: RatioBp } | null = null;
  for (const t of idet_types) {
    const bp = rule.ratios[t];
    if (bp !== undefined && (!best || bp > best.bp)) best = { idet: t, bp };
  }
  return best;
}

/** @param burden in-scope personal burden left after every earlier fund */
export function assistance(rule: AssistanceRule | null, person: SettlePerson, acc: Accumulators, burden: Fen): TopUpResult | null {
  if (!rule) return null;
  const r = assistanceRatio(rule, person.idet_types);
  if (!r) return null;
  const calc = applyRatio(burden, r.bp);
  const c = capped(calc, rule.lmt, acc.maf_paid);
  const info = [
    `救助对象：${IDET_NAMES[r.idet] ?? r.idet}（${r.idet}）`,
    `政策范围内个人负担 ${yuan(burden)} × ${pct(r.bp)} = ${yuan(calc)}`,
    c.text,
    `${fundName(ASSISTANCE_FUND)}支付${yuan(c.pay)}`,
  ].join('；');
  return { pay: c.pay, detail: detail(ASSISTANCE_FUND, burden, c.room, c.pay, info) };
}

function detail(fund: string, inscp: Fen, room: Fen, pay: Fen, info: string): SetlDetail {
  return { fund_pay_type: fund, fund_pay_type_name: fundName(fund), inscp_scp_amt: inscp, crt_payb_lmt_amt: room, fund_payamt: pay, setl_proc_info: info };
}
