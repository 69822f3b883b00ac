/**
 * Property tests of settlement-policy.md §4 over generated encounters (seeded, so a failure names its case
 * and replays). Each generated person-year runs a chain of settlements, each starting from the previous
 * one's accumulators, under a demo policy or a random one with small limits so that deductibles, band
 * crossings, exhausted limits and caps are hit often. The checks here are written independently of
 * invariants.ts, which the engine itself runs.
 */
import { describe, expect, test } from 'vitest';
import { priceTimesQuantity, type Fen } from '../../platform/money.js';
import { Rng } from '../../demo/prng.js';
import type { CatalogueItem } from '../../standards/catalogue/types.js';
import { emptyAccumulators } from './accumulators.js';
import { classifyLine } from './classify.js';
import { demoPolicies } from './demo-policies.js';
import { settle } from './engine.js';
import { item, restriction } from './fixtures.js';
import { SETLINFO_AMOUNT_FIELDS } from './invariants.js';
import { reverseSettlement } from './reversal.js';
import { policyId } from './store.js';
import { settlementToWire } from './wire.js';
import type { Accumulators, Band, ClassifiedLine, MedTypeFam, Policy, SettleInput, Settlement } from './types.js';

const SEED = 20_250_310;
const PERSON_YEARS = 1500;
const IDETS = ['2201', '2202', '2203', '2204'];
const MED_TYPES: Record<MedTypeFam, string[]> = { '11': ['11', '13'], '14': ['14'], '21': ['21', '22', '24'], '41': ['41'] };
const DEMO = demoPolicies().map((p) => ({ ...p, policy_id: policyId(p), enddate: p.enddate ?? null }));

// ---------- generators ----------

function genBands(rng: Rng, scale: number): Band[] {
  const n = rng.int(1, 3);
  const out: Band[] = [];
  let upto = 0;
  for (let i = 0; i < n; i++) {
    const last = i === n - 1;
    upto += rng.int(1, scale);
    out.push({ upto: last ? null : upto, bp: rng.chance(0.5) ? rng.int(0, 10_000) : rng.pick([5000, 6000, 7500, 8500, 9000, 10_000]) });
  }
  return out;
}

const amountUpTo = (rng: Rng, max: number): Fen => (rng.chance(0.15) ? 0 : rng.int(0, max));

function genPolicy(rng: Rng): Policy {
  if (rng.chance(0.4)) return rng.pick(DEMO);
  const fam = rng.pick(['11', '14', '21', '41'] as const);
  const insutype = rng.pick(['310', '390']);
  const p = {
    insu_admdvs: '990100',
    insutype,
    med_type_fam: fam,
    hosp_lv: rng.pick(['1', '2', '3', '*'] as const),
    psn_type_grp: '*' as const,
    acc_grp: rng.pick(['住院', '普通门诊', '门慢特']),
    dedc: { scope: rng.pick(['year', 'admission'] as const), amt: amountUpTo(rng, 300_000), amt_next: rng.chance(0.5) ? amountUpTo(rng, 150_000) : null },
    // small limits so that they run out often
    pool: { fund: insutype === '310' ? '310100' : '390100', basis: rng.pick(['settlement', 'year'] as const), bands: genBands(rng, 2_000_000), lmt: rng.pick([amountUpTo(rng, 200_000), amountUpTo(rng, 3_000_000), amountUpTo(rng, 40_000_000)]) },
    large: rng.chance(0.6)
      ? rng.chance(0.5)
        ? { fund: '330100' as const, basis: 'over_limit' as const, threshold: amountUpTo(rng, 100_000), bands: genBands(rng, 1_000_000), lmt: amountUpTo(rng, 5_000_000) }
        : { fund: '390200' as const, basis: 'burden' as const, threshold: amountUpTo(rng, 2_000_000), bands: genBands(rng, 1_000_000), lmt: amountUpTo(rng, 5_000_000) }
      : null,
    cvlserv: rng.chance(0.4) ? { dedc_bp: rng.int(0, 10_000), bp: rng.int(0, 10_000), lmt: amountUpTo(rng, 500_000) } : null,
    maf: rng.chance(0.5) ? { ratios: Object.fromEntries(IDETS.filter(() => rng.chance(0.6)).map((t) => [t, rng.int(0, 10_000)])), lmt: amountUpTo(rng, 1_000_000) } : null,
    acct: { ownpay: rng.chance(0.5), mulaid: rng.chance(0.7) },
    memo: null,
    begndate: '2020-01-01',
    enddate: null,
  };
  if (p.maf && !Object.keys(p.maf.ratios).length) p.maf.ratios['2201'] = 10_000;
  return { ...p, policy_id: policyId(p) };
}

function genCnt(rng: Rng): string {
  if (rng.chance(0.6)) return String(rng.int(1, 5));
  return `${rng.int(0, 3)}.${String(rng.int(1, 9999)).padStart(4, '0')}`;
}

function genItem(rng: Rng, code: string, pric: Fen): CatalogueItem | undefined {
  const kind = rng.weighted([
    ['none', 1],
    ['c', 1],
    ['restricted', 1],
    ['a', 3],
    ['b', 4],
  ] as const);
  if (kind === 'none') return undefined;
  const cap = rng.chance(0.3) ? rng.int(1, Math.max(1, Math.ceil(pric * 1.5))) : null;
  if (kind === 'c') return item({ hilist_code: code, chrgitm_lv: '03', selfpay_bp: 10_000 });
  if (kind === 'restricted') return item({ hilist_code: code, chrgitm_lv: '02', selfpay_bp: 1000, restriction: restriction({ lmt_gend: '2', lmt_insutype: ['999'] }) });
  const selfpay = kind === 'a' ? (rng.chance(0.9) ? 0 : rng.int(0, 3000)) : rng.pick([500, 1000, 1500, 2000, rng.int(0, 10_000)]);
  return item({ hilist_code: code, chrgitm_lv: kind === 'a' ? '01' : '02', selfpay_bp: selfpay, pric_uplmt_fen: cap });
}

function genLines(rng: Rng, policy: Policy, k: number): { lines: ClassifiedLine[]; items: (CatalogueItem | undefined)[] } {
  const n = rng.int(0, 12);
  const ctx = { hosp_lv: rng.pick(['1', '2', '3', '9']), gend: '1', brdy: '1970-01-01', diag_codes: ['I10'], med_type: rng.pick(MED_TYPES[policy.med_type_fam]), insutype: policy.insutype };
  const lines: ClassifiedLine[] = [];
  const items: (CatalogueItem | undefined)[] = [];
  for (let i = 0; i < n; i++) {
    const pric = rng.pick([rng.int(1, 5000), rng.int(1, 100_000), rng.int(1, 3_000_000)]);
    const cnt = genCnt(rng);
    const code = `C${k}-${i}`;
    const it = genItem(rng, code, pric);
    items.push(it);
    lines.push(classifyLine({ feedetl_sn: `${k}-${i}`, hilist_code: code, pric, cnt, det_item_fee_sumamt: priceTimesQuantity(pric, cnt), fee_date: '2025-06-01' }, it, ctx));
  }
  return { lines, items };
}

function genAccumulators(rng: Rng, policy: Policy): Accumulators {
  const acc = emptyAccumulators();
  if (rng.chance(0.3)) return acc;
  const near = (lmt: number) => (rng.chance(0.3) ? Math.max(0, lmt - rng.int(0, 50_000)) : rng.int(0, Math.max(1, Math.round(lmt * 1.1))));
  acc.admissions = rng.int(0, 4);
  acc.groups[policy.acc_grp] = { dedc_used: rng.int(0, policy.dedc.amt + 10_000), pool_base: rng.int(0, 8_000_000), pool_paid: near(policy.pool.lmt) };
  if (rng.chance(0.3)) acc.groups['其他'] = { dedc_used: 1, pool_base: 2, pool_paid: 3 };
  acc.large_base = policy.large ? rng.int(0, policy.large.threshold * 2 + 1) : 0;
  acc.large_paid = policy.large ? near(policy.large.lmt) : 0;
  acc.cvlserv_paid = policy.cvlserv ? near(policy.cvlserv.lmt) : 0;
  acc.maf_paid = policy.maf ? near(policy.maf.lmt) : 0;
  return acc;
}

function genInput(rng: Rng, policy: Policy, acc: Accumulators, k: number): SettleInput {
  const { lines } = genLines(rng, policy, k);
  const outside = lines.reduce((s, l) => s + l.fulamt_ownpay_amt + l.overlmt_amt + l.preselfpay_amt, 0);
  const balc = rng.pick([0, rng.int(0, 50_000), rng.int(0, 5_000_000)]);
  const family = Array.from({ length: rng.int(0, 3) }, (_, i) => ({ psn_no: `F${i}`, balc: rng.pick([0, rng.int(0, 100_000), rng.int(0, 2_000_000)]) }));
  return {
    lines,
    policy,
    acc,
    person: { psn_type: rng.pick(['1101', '1102', '1201', '1501', '1403']), cvlserv_flag: rng.chance(0.3) ? '1' : '0', idet_types: IDETS.filter(() => rng.chance(0.15)) },
    account: { acct_used_flag: rng.chance(0.7) ? '1' : '0', balc, family },
    // the hospital may bear at most what no fund can pay (out-of-policy and 先行自付 parts)
    hosp_part_amt: rng.chance(0.2) ? rng.int(0, outside) : 0,
  };
}

// ---------- independent checks ----------
// Plain assertions (vitest's expect costs ~50 µs a call, and there are ~200,000 of them here).

function fail(what: string, a: unknown, b: unknown): never {
  throw new Error(`${what}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}
const eq = (a: number, b: number, what: string) => a === b || fail(`${what} 应相等`, a, b);
const le = (a: number, b: number, what: string) => a <= b || fail(`${what} 应不大于`, a, b);
const fen = (v: number, what: string) => (Number.isSafeInteger(v) && v >= 0) || fail(`${what} 应为非负整数分`, v, 0);
const groupKeys = (...accs: Accumulators[]) => [...new Set(accs.flatMap((a) => Object.keys(a.groups)))];
const g = (a: Accumulators, k: string) => a.groups[k] ?? { dedc_used: 0, pool_base: 0, pool_paid: 0 };

/** Accumulators equal, a missing group counting as zeros. */
function sameAcc(a: Accumulators, b: Accumulators, what: string): void {
  for (const f of ['admissions', 'large_base', 'large_paid', 'cvlserv_paid', 'maf_paid'] as const) eq(a[f], b[f], `${what}.${f}`);
  for (const k of groupKeys(a, b)) for (const f of ['dedc_used', 'pool_base', 'pool_paid'] as const) eq(g(a, k)[f], g(b, k)[f], `${what}.${k}.${f}`);
}

const TWO_DECIMALS = /^-?\d+(\.\d{1,2})?$/;

function checkSettlement(input: SettleInput, s: Settlement): void {
  const i = s.setlinfo;
  const { policy, acc } = input;
  // per line: the four parts add up, none negative
  for (const l of input.lines) {
    for (const v of [l.fulamt_ownpay_amt, l.overlmt_amt, l.preselfpay_amt, l.inscp_scp_amt]) fen(v, `明细 ${l.feedetl_sn}`);
    eq(l.fulamt_ownpay_amt + l.overlmt_amt + l.preselfpay_amt + l.inscp_scp_amt, l.det_item_fee_sumamt, `明细 ${l.feedetl_sn} 四部分之和`);
  }
  // all amounts whole fen and ≥ 0
  for (const f of SETLINFO_AMOUNT_FIELDS) fen(i[f], f);
  for (const d of s.setldetail) for (const v of [d.inscp_scp_amt, d.crt_payb_lmt_amt, d.fund_payamt]) fen(v, d.fund_pay_type);
  // the sums of §4
  eq(i.medfee_sumamt, input.lines.reduce((x, l) => x + l.det_item_fee_sumamt, 0), 'medfee = Σ lines');
  eq(i.medfee_sumamt, i.fulamt_ownpay_amt + i.overlmt_selfpay + i.preselfpay_amt + i.inscp_scp_amt, 'medfee = four parts');
  eq(i.medfee_sumamt, i.fund_pay_sumamt + i.psn_part_amt + i.hosp_part_amt, 'medfee = fund + psn + hosp');
  eq(i.psn_part_amt, i.acct_pay + i.acct_mulaid_pay + i.psn_cash_pay, 'psn_part = acct + mulaid + cash');
  eq(i.fund_pay_sumamt, i.hifp_pay + i.cvlserv_pay + i.hifes_pay + i.hifmi_pay + i.hifob_pay + i.maf_pay + i.oth_pay, 'fund = Σ funds');
  eq(s.setldetail.filter((d) => d.fund_pay_type !== '310200').reduce((x, d) => x + d.fund_payamt, 0), i.fund_pay_sumamt, 'Σ setldetail = fund');
  eq(new Set(s.setldetail.map((d) => d.fund_pay_type)).size, s.setldetail.length, 'one setldetail row per fund');
  // funds pay only in-scope money; the deductible is part of it
  le(i.act_pay_dedc, i.inscp_scp_amt, 'act_pay_dedc ≤ inscp');
  le(i.fund_pay_sumamt, i.inscp_scp_amt, 'fund ≤ inscp');
  // no fund pays more than what is left of its annual limit
  const room = (lmt: number, paid: number) => Math.max(0, lmt - paid);
  le(i.hifp_pay, room(policy.pool.lmt, g(acc, policy.acc_grp).pool_paid), 'hifp ≤ remaining limit');
  le(i.hifmi_pay + i.hifob_pay, policy.large ? room(policy.large.lmt, acc.large_paid) : 0, 'large ≤ remaining cap');
  le(i.cvlserv_pay, policy.cvlserv && input.person.cvlserv_flag === '1' ? room(policy.cvlserv.lmt, acc.cvlserv_paid) : 0, 'cvl ≤ remaining cap');
  le(i.maf_pay, policy.maf ? room(policy.maf.lmt, acc.maf_paid) : 0, 'maf ≤ remaining cap');
  if (policy.dedc.scope === 'year') le(i.act_pay_dedc, room(policy.dedc.amt, g(acc, policy.acc_grp).dedc_used), 'year deductible ≤ what is left');
  // accounts: within balances and within the allowed scope
  le(i.acct_pay, input.account.balc, 'acct_pay ≤ balance');
  eq(i.balc, input.account.balc - i.acct_pay, 'balc after');
  const scope = i.inscp_scp_amt - i.fund_pay_sumamt + i.preselfpay_amt + (policy.acct.ownpay ? i.fulamt_ownpay_amt + i.overlmt_selfpay : 0);
  le(i.acct_pay + i.acct_mulaid_pay, scope, 'accounts ≤ scope');
  if (input.account.acct_used_flag !== '1') eq(i.acct_pay + i.acct_mulaid_pay, 0, 'no account use');
  const fam = new Map((input.account.family ?? []).map((f) => [f.psn_no, f.balc]));
  for (const m of s.mulaid) le(m.amt, fam.get(m.psn_no)!, `mulaid ${m.psn_no} ≤ balance`);
  // accumulators after = before + this settlement
  eq(s.after.admissions, acc.admissions + (policy.med_type_fam === '21' ? 1 : 0), 'admissions');
  eq(s.after.large_paid, acc.large_paid + i.hifmi_pay + i.hifob_pay, 'large_paid');
  eq(s.after.cvlserv_paid, acc.cvlserv_paid + i.cvlserv_pay, 'cvlserv_paid');
  eq(s.after.maf_paid, acc.maf_paid + i.maf_pay, 'maf_paid');
  for (const k of groupKeys(acc, s.after)) {
    const b = g(acc, k);
    const a = g(s.after, k);
    if (k !== policy.acc_grp) sameAcc({ ...emptyAccumulators(), groups: { [k]: a } }, { ...emptyAccumulators(), groups: { [k]: b } }, 'untouched group');
    else {
      eq(a.pool_paid, b.pool_paid + i.hifp_pay, 'pool_paid');
      eq(a.pool_base, b.pool_base + i.inscp_scp_amt - i.act_pay_dedc, 'pool_base');
      eq(a.dedc_used, b.dedc_used + (policy.dedc.scope === 'year' ? i.act_pay_dedc : 0), 'dedc_used');
      // a limit never ends up passed by this settlement's payment
      le(a.pool_paid, Math.max(policy.pool.lmt, b.pool_paid), 'pool_paid ≤ limit');
    }
  }
  // the wire carries yuan with at most 2 decimals
  const w = settlementToWire(s);
  for (const f of SETLINFO_AMOUNT_FIELDS) if (!TWO_DECIMALS.test(String(w.setlinfo[f]))) fail(`${f} 应最多两位小数`, w.setlinfo[f], '');
  for (const d of w.setldetail) if (!TWO_DECIMALS.test(String(d.fund_payamt))) fail('fund_payamt 应最多两位小数', d.fund_payamt, '');
}

function checkReversal(input: SettleInput, s: Settlement): void {
  const r = reverseSettlement(s);
  for (const f of SETLINFO_AMOUNT_FIELDS) {
    if (f === 'balc') continue;
    le(r.setlinfo[f], 0, `reversal ${f} ≤ 0`);
    eq(r.setlinfo[f] + s.setlinfo[f], 0, `reversal ${f} negates`);
  }
  eq(r.setlinfo.balc, input.account.balc, 'reversal restores the balance');
  r.setldetail.forEach((d, n) => eq(d.fund_payamt + s.setldetail[n]!.fund_payamt, 0, `reversal ${d.fund_pay_type}`));
  sameAcc(r.after, input.acc, 'reversal restores accumulators');
  for (const m of r.mulaid) eq(m.balc, input.account.family!.find((f) => f.psn_no === m.psn_no)!.balc, `reversal restores ${m.psn_no}`);
}

// ---------- the run ----------

describe('invariants of §4 over generated encounters', () => {
  test(`${PERSON_YEARS} person-years, 1–4 settlements each (≥ 3,000 settlements)`, () => {
    const root = new Rng(SEED);
    let settlements = 0;
    let reversed = 0;
    const seen = { deductibleOnly: 0, limitHit: 0, large: 0, cvl: 0, maf: 0, acct: 0, mulaid: 0, ownpayLines: 0, overlmt: 0 };
    for (let k = 0; k < PERSON_YEARS; k++) {
      const rng = root.fork(`case-${k}`);
      const policy = genPolicy(rng);
      let acc = genAccumulators(rng, policy);
      const chain = rng.int(1, 4);
      for (let c = 0; c < chain; c++) {
        const input = genInput(rng, policy, acc, k * 10 + c);
        const frozen = structuredClone(input);
        let s: Settlement;
        try {
          s = settle(input);
          checkSettlement(input, s);
          // determinism: the same input again (pre-settlement, then settlement) gives the same figures
          if (JSON.stringify(settle(structuredClone(frozen))) !== JSON.stringify(s)) fail('同一输入两次结算结果不同', '', '');
          // the engine does not change its input
          if (JSON.stringify(input) !== JSON.stringify(frozen)) fail('结算改变了输入', '', '');
          if (rng.chance(0.5)) {
            checkReversal(input, s);
            reversed++;
          }
        } catch (e) {
          throw new Error(`case ${k} settlement ${c} (seed ${SEED}): ${(e as Error).message}`, { cause: e });
        }
        settlements++;
        const i = s.setlinfo;
        if (i.inscp_scp_amt > 0 && i.act_pay_dedc === i.inscp_scp_amt) seen.deductibleOnly++;
        if (s.setldetail[0]!.setl_proc_info.includes('已达限额')) seen.limitHit++;
        if (i.hifmi_pay + i.hifob_pay > 0) seen.large++;
        if (i.cvlserv_pay > 0) seen.cvl++;
        if (i.maf_pay > 0) seen.maf++;
        if (i.acct_pay > 0) seen.acct++;
        if (i.acct_mulaid_pay > 0) seen.mulaid++;
        if (i.fulamt_ownpay_amt > 0) seen.ownpayLines++;
        if (i.overlmt_selfpay > 0) seen.overlmt++;
        acc = s.after;
      }
    }
    expect(settlements).toBeGreaterThanOrEqual(3000);
    expect(reversed).toBeGreaterThan(1000);
    // the generator reaches every layer often enough for the checks to mean something
    for (const [what, n] of Object.entries(seen)) expect(n, what).toBeGreaterThan(50);
  });
});
