/**
 * Builders for tests of the policy engine and of the services built on it: a catalogue item, a fee line,
 * a policy shaped like the worked example of settlement-policy.md §3, and an input with defaults. Plain
 * data, no database; overrides are shallow so each test states only what it is about.
 */
import { priceTimesQuantity, type Fen } from '../../platform/money.js';
import type { CatalogueItem, Restriction } from '../../standards/catalogue/types.js';
import { emptyAccumulators } from './accumulators.js';
import { policyId } from './store.js';
import type { ClassifiedLine, ClassifyContext, FeeLine, Policy, PolicyInput, SettleInput } from './types.js';

export function item(over: Partial<CatalogueItem> & Pick<CatalogueItem, 'hilist_code'>): CatalogueItem {
  return {
    hilist_name: `项目${over.hilist_code}`,
    insu_admdvs: '990000',
    list_type: '101',
    med_chrgitm_type: '09',
    chrgitm_lv: '01',
    selfpay_bp: 0,
    pric_uplmt_fen: null,
    restriction: null,
    dosform: null,
    spec: null,
    pacunt: null,
    prodentp_name: null,
    prcunt: null,
    memo: null,
    begndate: '2020-01-01',
    enddate: null,
    ...over,
  };
}

export function restriction(over: Partial<Restriction>): Restriction {
  return {
    lmt_gend: null,
    lmt_age_min: null,
    lmt_age_max: null,
    lmt_diag: [],
    lmt_min_hosp_lv: null,
    lmt_scene: [],
    lmt_insutype: [],
    lmt_max_days: null,
    lmt_max_cnt: null,
    lmt_memo: '',
    ...over,
  };
}

/** A fee line whose amount is pric × cnt. */
export function feeLine(feedetl_sn: string, hilist_code: string, pric: Fen, cnt = '1', fee_date = '2025-03-10'): FeeLine {
  return { feedetl_sn, hilist_code, pric, cnt, det_item_fee_sumamt: priceTimesQuantity(pric, cnt), fee_date };
}

export const EMPLOYEE_CTX: ClassifyContext = {
  hosp_lv: '3',
  gend: '1',
  brdy: '1975-06-01',
  diag_codes: ['I25.1'],
  med_type: '21',
  insutype: '310',
};

/** An employee inpatient policy at a 三级 hospital as in §3: deductible 1,200.00, 85 %, account in-scope only. */
export function examplePolicyInput(over: Partial<PolicyInput> = {}): PolicyInput {
  return {
    insu_admdvs: '990100',
    insutype: '310',
    med_type_fam: '21',
    hosp_lv: '3',
    psn_type_grp: '11',
    acc_grp: '住院',
    dedc: { scope: 'admission', amt: 120_000, amt_next: 60_000 },
    pool: { fund: '310100', basis: 'settlement', bands: [{ upto: null, bp: 8500 }], lmt: 40_000_000 },
    large: { fund: '330100', basis: 'over_limit', threshold: 0, bands: [{ upto: null, bp: 9000 }], lmt: 50_000_000 },
    cvlserv: { dedc_bp: 5000, bp: 6000, lmt: 10_000_000 },
    maf: { ratios: { '2201': 10_000, '2202': 7000 }, lmt: 5_000_000 },
    acct: { ownpay: false, mulaid: true },
    memo: '示例：职工在职三级医院住院',
    begndate: '2020-01-01',
    enddate: null,
    ...over,
  };
}

export function examplePolicy(over: Partial<PolicyInput> = {}): Policy {
  const p = examplePolicyInput(over);
  return { ...p, policy_id: policyId(p), enddate: p.enddate ?? null };
}

/** A settlement input with an employee in service, no accumulators, no account use. */
export function settleInput(lines: ClassifiedLine[], over: Partial<SettleInput> = {}): SettleInput {
  return {
    lines,
    policy: examplePolicy(),
    acc: emptyAccumulators(),
    person: { psn_type: '1101', cvlserv_flag: '0', idet_types: [] },
    account: { acct_used_flag: '0', balc: 0 },
    ...over,
  };
}

/** A classified line that is wholly in scope (for engine tests that do not care about classification). */
export function inscpLine(feedetl_sn: string, amount: Fen): ClassifiedLine {
  return {
    feedetl_sn,
    hilist_code: 'X',
    hilist_name: null,
    fee_date: '2025-03-10',
    pric: amount,
    cnt: '1',
    det_item_fee_sumamt: amount,
    fulamt_ownpay_amt: 0,
    overlmt_amt: 0,
    preselfpay_amt: 0,
    inscp_scp_amt: amount,
    chrgitm_lv: '01',
    med_chrgitm_type: '09',
    lmt_used_flag: '0',
    selfpay_prop: 0,
    pric_uplmt_amt: null,
    ownpay_kind: null,
    breaches: [],
    reason: '甲类',
  };
}
