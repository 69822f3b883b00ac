/**
 * Settlement completions through the gateway, as a HIS meets them: 中途结算 of a long stay (2304 mid_setl_flag 1),
 * 退费 lines (negative cnt with init_feedetl_sn) netted at settlement, and the 事中 audit inside 2206 / 2207 —
 * a 明确违规 line refused fund payment with the reason in setl_proc_info, a warn-only setting settling normally with
 * warn_msg — each with its refusals (Chinese err_msg, nothing written) and exact reversal.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { SYSTEM_ACTOR } from '../platform/oplog.js';
import { beijingDate } from '../platform/time.js';
import { loadAccumulators } from './accumulators.js';
import { setAuditAction } from './audit-config.js';
import { newMsgid } from '../gateway/testing.js';
import { settleEncounter } from './settle.js';
import { DOCTORS, HOSPITAL, expectInvariants, hisFeeLine, outpatientSettleData, registerVisit, settlementWorld, type SettlementWorld } from './testing.js';
import type { Caller } from './types.js';
import { invalidate } from '../platform/cache.js';

let w: SettlementWorld;
const year = Number(beijingDate().slice(0, 4));

beforeAll(async () => {
  w = await settlementWorld();
}, 300_000);
afterAll(async () => w.close());

type Amounts = Record<string, number | string | null>;
interface SettleAnswer {
  setlinfo: Amounts;
  setldetail: { fund_pay_type: string; fund_payamt: number; setl_proc_info: string }[];
}

const DRUG = 'XA10BAE001A001010100001'; // 二甲双胍片 甲类, 0.95
const EXAM = '001102000010000'; // 普通门诊诊查费 甲类, cap 10.00 at 二级
const DRUG_B = 'XB01ACA002A002010100012'; // 示例药品B 乙类 10 %

const admission = (psn_no: string, ipt_no: string) => ({
  mdtrtinfo: { psn_no, insutype: '310', begntime: '2025-03-01 08:00:00', mdtrt_cert_type: '02', mdtrt_cert_no: '', med_type: '21', ipt_no, atddr_no: DOCTORS.wang, chfpdr_name: '王医生', adm_diag_dscr: '头晕', adm_dept_codg: 'A0301', adm_dept_name: '心内科', adm_bed: '12', dscg_maindiag_code: 'I10.x00', dscg_maindiag_name: '原发性高血压' },
  diseinfo: [{ psn_no, diag_type: '1', maindiag_flag: '1', diag_srt_no: '1', diag_code: 'I10.x00', diag_name: '原发性高血压', diag_time: '2025-03-01 08:30:00' }],
});
const iptLine = (mdtrt_id: string, psn_no: string, sn: string, code: string, pric: string, cnt: string, amount: string, day: string, over: Record<string, unknown> = {}) =>
  hisFeeLine(mdtrt_id, psn_no, sn, code, pric, cnt, amount, { fee_ocur_time: `${day} 10:00:00`, med_type: '21', chrg_bchno: undefined, ...over });
const iptSettle = (psn_no: string, mdtrt_id: string, medfee: string, extra: Record<string, string> = {}) => ({
  data: { psn_no, mdtrt_cert_type: '02', mdtrt_cert_no: '', medfee_sumamt: medfee, psn_setlway: '01', mdtrt_id, insutype: '310', acct_used_flag: '0', mid_setl_flag: '0', ...extra },
});
const fen = (v: unknown) => Math.round(Number(v) * 100);
/** Accumulators without all-zero groups (a reversal leaves the group's row at zero where there was none). */
const norm = (a: Awaited<ReturnType<typeof loadAccumulators>>) => ({ ...a, groups: Object.fromEntries(Object.entries(a.groups).filter(([, g]) => g.dedc_used || g.pool_base || g.pool_paid)) });

async function admit(psn_no: string, ipt_no: string): Promise<string> {
  const a = await w.call<{ result: { mdtrt_id: string } }>('2401', admission(psn_no, ipt_no), { over: { insuplc_admdvs: '990100' } });
  expect(a.err_msg).toBeNull();
  return a.output.result.mdtrt_id;
}

describe('中途结算 (2304 mid_setl_flag 1) of a long stay', () => {
  let mdtrt_id: string;
  let mid: SettleAnswer;
  let fin: SettleAnswer;
  const psn = () => w.people.sun;

  test('a mid-stay settlement settles the lines up to dscgTime, counts the admission once, and leaves the stay open', async () => {
    mdtrt_id = await admit(psn(), 'ZY-MID');
    const up = await w.call('2301', {
      feedetail: [
        iptLine(mdtrt_id, psn(), 'M1', DRUG_B, '500.00', '4', '2000.00', '2025-03-02'),
        iptLine(mdtrt_id, psn(), 'M2', DRUG, '0.95', '1000', '950.00', '2025-03-03'),
        iptLine(mdtrt_id, psn(), 'M3', DRUG_B, '500.00', '2', '1000.00', '2025-03-05'),
      ],
    });
    expect(up.err_msg).toBeNull();
    const wrong = await w.call('2304', iptSettle(psn(), mdtrt_id, '3950.00', { mid_setl_flag: '1', dscgTime: '2025-03-03' }));
    expect(wrong.err_msg).toBe('医疗费总额 3950.00 元与本次中途结算的 2 条费用明细合计 2950.00 元不符：字段medfee_sumamt：与费用明细合计不符');
    const pre = await w.call<SettleAnswer>('2303', iptSettle(psn(), mdtrt_id, '2950.00', { mid_setl_flag: '1', dscgTime: '2025-03-03' }));
    expect(pre.err_msg).toBeNull();
    const a = await w.call<SettleAnswer>('2304', iptSettle(psn(), mdtrt_id, '2950.00', { mid_setl_flag: '1', dscgTime: '2025-03-03' }));
    expect(a.err_msg).toBeNull();
    mid = a.output;
    expect(mid.setldetail).toEqual(pre.output.setldetail);
    expectInvariants(mid.setlinfo);
    // 孙七, 职工在职 at a 二级 hospital of 990100: 起付线 600.00 for the year's 1st admission, 88 % up to 50,000.00.
    // M1 2,000.00 乙类 10 % → 200.00 先行自付 + 1,800.00 in scope; M2 950.00 甲类. In scope 2,750.00: the whole
    // deductible 600.00 here, the fund 88 % of 2,150.00 = 1,892.00, the person (no account used) the rest in cash.
    expect(mid.setlinfo).toMatchObject({ medfee_sumamt: 2950, fulamt_ownpay_amt: 0, overlmt_selfpay: 0, preselfpay_amt: 200, inscp_scp_amt: 2750, act_pay_dedc: 600, hifp_pay: 1892, fund_pay_sumamt: 1892, psn_part_amt: 1058, acct_pay: 0, psn_cash_pay: 1058 });
    expect(mid.setldetail.map((d) => [d.fund_pay_type, d.fund_payamt])).toEqual([['310100', 1892]]);
    const row = await w.db.k.selectFrom('mdtrt').select(['setl_flag', 'mdtrt_stas']).where('mdtrt_id', '=', mdtrt_id).executeTakeFirstOrThrow();
    expect(row).toEqual({ setl_flag: '0', mdtrt_stas: '1' });
    const s = await w.db.k.selectFrom('setl').select(['mid_setl_flag']).where('setl_id', '=', String(mid.setlinfo.setl_id)).executeTakeFirstOrThrow();
    expect(s.mid_setl_flag).toBe('1');
    const covered = await w.db.k.selectFrom('setl_feedetl').select('feedetl_sn').where('setl_id', '=', String(mid.setlinfo.setl_id)).orderBy('feedetl_sn').execute();
    expect(covered.map((c) => c.feedetl_sn)).toEqual(['M1', 'M2']);
    expect(await loadAccumulators(w.db.k, { psn_no: psn(), insutype: '310', year })).toMatchObject({ admissions: 1, groups: { 住院: { dedc_used: 0, pool_base: 215_000, pool_paid: 189_200 } } });
  });

  test('settled lines cannot be settled twice, cancelled (2302) or refunded separately', async () => {
    const again = await w.call('2304', iptSettle(psn(), mdtrt_id, '2950.00', { mid_setl_flag: '1', dscgTime: '2025-03-03' }));
    expect(again.err_msg).toBe(`就诊ID ${mdtrt_id} 的费用明细（截至 2025-03-03）均已中途结算，没有待结算的费用明细`);
    const before = await w.counts();
    const cancel = await w.call('2302', { data: { feedetl_sn: 'M1', mdtrt_id, psn_no: psn() } });
    expect(cancel.err_msg).toBe('费用明细 M1 已中途结算，不能撤销；如需撤销请先撤销该结算');
    const refund = await w.call('2301', { feedetail: [iptLine(mdtrt_id, psn(), 'M1R', DRUG_B, '500.00', '-1', '-500.00', '2025-03-04', { init_feedetl_sn: 'M1' })] });
    expect(refund.err_msg).toBe('费用明细有误：字段feedetail[0].init_feedetl_sn：原费用明细 M1 已结算，不能单独退费；请先撤销该结算后再退费');
    expect(await w.counts()).toEqual(before);
  });

  test('the final settlement takes the rest and does not charge the admission deductible again', async () => {
    expect((await w.call('2301', { feedetail: [iptLine(mdtrt_id, psn(), 'M4', DRUG, '0.95', '200', '190.00', '2025-03-06')] })).err_msg).toBeNull();
    const a = await w.call<SettleAnswer>('2304', iptSettle(psn(), mdtrt_id, '1190.00'));
    expect(a.err_msg).toBeNull();
    fin = a.output;
    expectInvariants(fin.setlinfo);
    // M3 1,000.00 乙类 → 100.00 先行自付 + 900.00; M4 190.00 甲类: 1,090.00 in scope, no deductible left (the stay's
    // 600.00 standard, paid by the 中途结算), the band walks on from 2,150.00: 88 % of 1,090.00 = 959.20
    expect(fin.setlinfo).toMatchObject({ medfee_sumamt: 1190, preselfpay_amt: 100, inscp_scp_amt: 1090, act_pay_dedc: 0, hifp_pay: 959.2, fund_pay_sumamt: 959.2, psn_part_amt: 230.8, psn_cash_pay: 230.8 });
    expect(fin.setldetail[0]!.setl_proc_info).toContain('本次住院起付线600.00元（沿用本次住院首次结算的起付标准），本次住院中途结算已付600.00元，本次支付起付线0.00元');
    // the admission counted once; the pool's base and payment are those of one settlement of 2,750.00 + 1,090.00
    expect(await loadAccumulators(w.db.k, { psn_no: psn(), insutype: '310', year })).toMatchObject({ admissions: 1, groups: { 住院: { dedc_used: 0, pool_base: 324_000, pool_paid: 285_120 } } });
    const row = await w.db.k.selectFrom('mdtrt').select('setl_flag').where('mdtrt_id', '=', mdtrt_id).executeTakeFirstOrThrow();
    expect(row.setl_flag).toBe('1');
  });

  test('reversal goes newest first and restores the accumulators exactly; the stay then settles as one', async () => {
    const early = await w.call('2305', { data: { setl_id: mid.setlinfo.setl_id, mdtrt_id, psn_no: psn() } });
    expect(early.err_msg).toBe(`结算ID ${mid.setlinfo.setl_id} 之后本次住院还有有效结算 ${fin.setlinfo.setl_id}，请先撤销后面的结算，再撤销此笔中途结算`);
    expect((await w.call('2305', { data: { setl_id: fin.setlinfo.setl_id, mdtrt_id, psn_no: psn() } })).err_msg).toBeNull();
    expect((await w.call('2305', { data: { setl_id: mid.setlinfo.setl_id, mdtrt_id, psn_no: psn() } })).err_msg).toBeNull();
    const acc = await loadAccumulators(w.db.k, { psn_no: psn(), insutype: '310', year });
    expect(acc.admissions).toBe(0);
    for (const g of Object.values(acc.groups)) expect(g).toEqual({ dedc_used: 0, pool_base: 0, pool_paid: 0 });
    const ledger = await sql<{ n: string }>`select coalesce(sum(amt), 0)::text as n from fund_ledger where psn_no = ${psn()}`.execute(w.db.k);
    expect(Number(ledger.rows[0]!.n)).toBe(0);
    const whole = await w.call<SettleAnswer>('2304', iptSettle(psn(), mdtrt_id, '4140.00'));
    expect(whole.err_msg).toBeNull();
    expect(whole.output.setlinfo.act_pay_dedc).toBe(mid.setlinfo.act_pay_dedc);
    // mid + final paid the same deductible and fund amount and covered the same lines as one settlement of the stay
    expect(fen(mid.setlinfo.medfee_sumamt) + fen(fin.setlinfo.medfee_sumamt)).toBe(fen(whole.output.setlinfo.medfee_sumamt));
    expect(fen(mid.setlinfo.hifp_pay) + fen(fin.setlinfo.hifp_pay)).toBe(fen(whole.output.setlinfo.hifp_pay));
    expect(whole.output.setlinfo).toMatchObject({ medfee_sumamt: 4140, inscp_scp_amt: 3840, act_pay_dedc: 600, hifp_pay: 2851.2 });
  });
});

describe('中途结算 chains: write order, the stay\'s deductible standard, a final settlement without lines', () => {
  const psn = () => w.people.zhang;
  let stay: string;
  let mid: SettleAnswer;
  let fin: SettleAnswer;
  const setlRow = (setl_id: unknown) => w.db.k.selectFrom('setl').select(['setl_time', 'setl_seq', 'dedc_std', 'vali_flag']).where('setl_id', '=', String(setl_id)).executeTakeFirstOrThrow();

  /** A Caller as the gateway builds it, for a request that arrived at `at`. */
  async function callerAt(at: Date): Promise<Caller> {
    const institution = await w.db.k.selectFrom('fixmedins').selectAll().where('fixmedins_code', '=', HOSPITAL).orderBy('begndate', 'desc').limit(1).executeTakeFirstOrThrow();
    return { db: w.db, actor: { id: HOSPITAL, name: institution.fixmedins_name, admdvs: [] }, institution, msgid: newMsgid(HOSPITAL), at, today: beijingDate(at), mdtrtarea_admvs: '990100' };
  }

  test('a 中途结算 records the deductible standard it applied', async () => {
    stay = await admit(psn(), 'ZY-CHAIN');
    const up = await w.call('2301', {
      feedetail: [iptLine(stay, psn(), 'C1', DRUG, '0.95', '100', '95.00', '2025-03-02'), iptLine(stay, psn(), 'C2', DRUG_B, '500.00', '2', '1000.00', '2025-03-05')],
    });
    expect(up.err_msg).toBeNull();
    const a = await w.call<SettleAnswer>('2304', iptSettle(psn(), stay, '95.00', { mid_setl_flag: '1', dscgTime: '2025-03-02' }));
    expect(a.err_msg).toBeNull();
    mid = a.output;
    // 张三丰, 职工在职 at a 二级 hospital: the year's 1st admission, standard 600.00, of which the 95.00 in scope is paid now
    expect(mid.setlinfo).toMatchObject({ medfee_sumamt: 95, inscp_scp_amt: 95, act_pay_dedc: 95, hifp_pay: 0 });
    expect((await setlRow(mid.setlinfo.setl_id)).dedc_std).toBe('600.00');
  });

  test('2403 cannot change the med_type of a stay with a valid 中途结算; other changes go through', async () => {
    const before = await w.counts();
    const a = await w.call('2403', { adminfo: { mdtrt_id: stay, psn_no: psn(), med_type: '22' }, diseinfo: [] });
    expect(a.infcode).toBe(-1);
    expect(a.err_msg).toBe(`就诊ID ${stay} 已有有效的中途结算（结算ID ${mid.setlinfo.setl_id}），不能将医疗类别由 21 变更为 22；如需变更，请先撤销中途结算（2305）`);
    expect(await w.counts()).toEqual(before);
    expect((await w.call('2403', { adminfo: { mdtrt_id: stay, psn_no: psn(), med_type: '21', adm_bed: '16' }, diseinfo: [] })).err_msg).toBeNull();
  });

  test('the final settlement keeps the stay\'s standard although another admission was counted since', async () => {
    // another stay of the same person, settled in full: the year's admissions are now 2, whose standard is 300.00
    const other = await admit(psn(), 'ZY-CHAIN-OTHER');
    expect((await w.call('2301', { feedetail: [iptLine(other, psn(), 'O1', DRUG, '0.95', '10', '9.50', '2025-03-02')] })).err_msg).toBeNull();
    const o = await w.call<SettleAnswer>('2304', iptSettle(psn(), other, '9.50'));
    expect(o.err_msg).toBeNull();
    expect(o.output.setldetail[0]!.setl_proc_info).toContain('本年第2次住院起付线300.00元');
    expect((await loadAccumulators(w.db.k, { psn_no: psn(), insutype: '310', year })).admissions).toBe(2);

    // the final request arrived a minute before the 中途结算's but waited on the encounter lock behind it
    const midRow = await setlRow(mid.setlinfo.setl_id);
    const caller = await callerAt(new Date(midRow.setl_time.getTime() - 60_000));
    const out = await settleEncounter(caller, '2', { mdtrt_id: stay, psn_no: psn(), insutype: '310', mdtrt_cert_type: '02', medfee_sumamt: 100_000, psn_setlway: '01', acct_used_flag: '0', mid_setl_flag: '0' });
    fin = { setlinfo: out.setlinfo as unknown as Amounts, setldetail: out.setldetail };
    // C2: 1,000.00 乙类 → 100.00 先行自付 + 900.00 in scope; the stay's 600.00 standard less the 95.00 paid is
    // 505.00 (recomputing from the 2 admissions would charge 300.00 − 95.00 = 205.00); the fund 88 % of 395.00
    expect(fin.setlinfo).toMatchObject({ medfee_sumamt: 1000, preselfpay_amt: 100, inscp_scp_amt: 900, act_pay_dedc: 505, hifp_pay: 347.6 });
    expect(fin.setldetail[0]!.setl_proc_info).toContain('本次住院起付线600.00元（沿用本次住院首次结算的起付标准），本次住院中途结算已付95.00元，本次支付起付线505.00元');
    const finRow = await setlRow(fin.setlinfo.setl_id);
    expect(finRow.setl_time.getTime()).toBeLessThan(midRow.setl_time.getTime());
    expect(finRow.setl_seq).toBeGreaterThan(midRow.setl_seq);
    expect(finRow.dedc_std).toBe('600.00');
  });

  test('reversal follows the chain, not the arrival times: the 中途结算 continued by the final one is refused first', async () => {
    const before = await w.counts();
    const early = await w.call('2305', { data: { setl_id: mid.setlinfo.setl_id, mdtrt_id: stay, psn_no: psn() } });
    expect(early.infcode).toBe(-1);
    expect(early.err_msg).toBe(`结算ID ${mid.setlinfo.setl_id} 之后本次住院还有有效结算 ${fin.setlinfo.setl_id}，请先撤销后面的结算，再撤销此笔中途结算`);
    expect(await w.counts()).toEqual(before);
    // 2601 冲正 of the 中途结算's request is refused the same way
    const midMsgid = String(mid.setlinfo.medins_setl_id);
    const undo = await w.call('2601', { data: { psn_no: psn(), omsgid: midMsgid, oinfno: '2304' } });
    expect(undo.err_msg).toBe(early.err_msg);
    expect((await w.call('2305', { data: { setl_id: fin.setlinfo.setl_id, mdtrt_id: stay, psn_no: psn() } })).err_msg).toBeNull();
    expect((await w.call('2305', { data: { setl_id: mid.setlinfo.setl_id, mdtrt_id: stay, psn_no: psn() } })).err_msg).toBeNull();
    // only the other stay is left counted
    expect(await loadAccumulators(w.db.k, { psn_no: psn(), insutype: '310', year })).toMatchObject({ admissions: 1, groups: { 住院: { dedc_used: 0, pool_base: 0, pool_paid: 0 } } });
  });

  test('a stay settled in full by 中途结算 is closed by a final settlement without lines', async () => {
    const m = await w.call<SettleAnswer>('2304', iptSettle(psn(), stay, '1095.00', { mid_setl_flag: '1' }));
    expect(m.err_msg).toBeNull();
    const nothingMid = await w.call('2304', iptSettle(psn(), stay, '0.00', { mid_setl_flag: '1' }));
    expect(nothingMid.err_msg).toBe(`就诊ID ${stay} 的费用明细均已中途结算，没有待结算的费用明细`);
    const wrong = await w.call('2304', iptSettle(psn(), stay, '1.00'));
    expect(wrong.err_msg).toBe('医疗费总额 1.00 元与已上传的 0 条费用明细合计 0.00 元不符：字段medfee_sumamt：与费用明细合计不符');
    const pre = await w.call<SettleAnswer>('2303', iptSettle(psn(), stay, '0.00'));
    expect(pre.err_msg).toBeNull();
    const a = await w.call<SettleAnswer>('2304', iptSettle(psn(), stay, '0.00'));
    expect(a.err_msg).toBeNull();
    expect(a.output.setldetail).toEqual(pre.output.setldetail);
    expectInvariants(a.output.setlinfo);
    for (const k of ['medfee_sumamt', 'inscp_scp_amt', 'act_pay_dedc', 'hifp_pay', 'fund_pay_sumamt', 'psn_part_amt', 'acct_pay', 'psn_cash_pay']) expect(a.output.setlinfo[k]).toBe(0);
    const row = await w.db.k.selectFrom('mdtrt').select('setl_flag').where('mdtrt_id', '=', stay).executeTakeFirstOrThrow();
    expect(row.setl_flag).toBe('1');
    const lines = await w.db.k.selectFrom('setl_feedetl').select('feedetl_sn').where('setl_id', '=', String(a.output.setlinfo.setl_id)).execute();
    expect(lines).toEqual([]);
    const again = await w.call('2304', iptSettle(psn(), stay, '0.00'));
    expect(again.err_msg).toBe(`就诊ID ${stay} 已结算，不能重复结算；如需重新结算，请先撤销原结算`);
    // the closing settlement is the newest in the chain: it is reversed first
    const early = await w.call('2305', { data: { setl_id: m.output.setlinfo.setl_id, mdtrt_id: stay, psn_no: psn() } });
    expect(early.err_msg).toBe(`结算ID ${m.output.setlinfo.setl_id} 之后本次住院还有有效结算 ${a.output.setlinfo.setl_id}，请先撤销后面的结算，再撤销此笔中途结算`);
    expect((await w.call('2305', { data: { setl_id: a.output.setlinfo.setl_id, mdtrt_id: stay, psn_no: psn() } })).err_msg).toBeNull();
    expect((await w.db.k.selectFrom('mdtrt').select('setl_flag').where('mdtrt_id', '=', stay).executeTakeFirstOrThrow()).setl_flag).toBe('0');
  });

  test('a stay without any settlement still needs lines for its final settlement', async () => {
    const empty = await admit(psn(), 'ZY-CHAIN-EMPTY');
    const a = await w.call('2304', iptSettle(psn(), empty, '0.00'));
    expect(a.err_msg).toBe(`就诊ID ${empty} 没有待结算的费用明细，请先上传费用明细`);
  });
});

describe('退费 lines: negative cnt with init_feedetl_sn, settled as a net', () => {
  let v: string;
  let other: string;
  const psn = () => w.people.li;

  beforeAll(async () => {
    v = await registerVisit(w, psn(), 'V-REFUND', { insutype: '390' });
    other = await registerVisit(w, psn(), 'V-OTHER', { insutype: '390' });
    expect((await w.call('2204', { feedetail: [hisFeeLine(v, psn(), 'F1', DRUG, '0.95', '100', '95.00'), hisFeeLine(v, psn(), 'F2', EXAM, '10.00', '1', '10.00')] })).err_msg).toBeNull();
    expect((await w.call('2204', { feedetail: [hisFeeLine(other, psn(), 'G1', DRUG, '0.95', '10', '9.50')] })).err_msg).toBeNull();
  });

  const refund = (sn: string, init: string, code: string, cnt: string, amount: string, mdtrt = () => v) => ({ feedetail: [hisFeeLine(mdtrt(), psn(), sn, code, code === DRUG ? '0.95' : '10.00', cnt, amount, { init_feedetl_sn: init })] });

  test.each([
    ['more than was charged', () => refund('R9', 'F1', DRUG, '-101', '-95.95'), '费用明细有误：字段feedetail[0].cnt：退费明细 R9 退费后原费用明细 F1 的剩余数量为 -1.0000、剩余金额为 -0.95 元：退费不能超过原收费（原数量 100.0000，原金额 95.00 元）'],
    ['an unknown original line', () => refund('R9', 'NOPE', DRUG, '-1', '-0.95'), () => `费用明细有误：字段feedetail[0].init_feedetl_sn：退费明细 R9 的原费用明细 NOPE 在就诊ID ${v} 中不存在或已撤销`],
    ['another encounter’s line', () => refund('R9', 'G1', DRUG, '-1', '-0.95'), () => `费用明细有误：字段feedetail[0].init_feedetl_sn：退费明细 R9 的原费用明细 G1 属于另一就诊（就诊ID ${other}），不能在就诊ID ${v} 中退费`],
    ['another item', () => refund('R9', 'F2', DRUG, '-1', '-0.95'), '费用明细有误：字段feedetail[0].med_list_codg：退费明细 R9 的医疗目录编码 XA10BAE001A001010100001 与原费用明细 F2 的 001102000010000 不是同一项目；字段feedetail[0].pric：退费明细 R9 的单价 0.95 与原费用明细 F2 的单价 10.000000 不符'],
    ['a negative quantity without init_feedetl_sn', () => ({ feedetail: [hisFeeLine(v, psn(), 'R9', DRUG, '0.95', '-1', '-0.95')] }), '费用明细有误：字段feedetail[0].cnt：费用明细 R9 的数量为负数（退费），应填写原费用流水号 init_feedetl_sn'],
  ] as [string, () => unknown, string | (() => string)][])('%s → infcode -1, Chinese err_msg, nothing written', async (_name, input, err) => {
    const before = await w.counts();
    const a = await w.call('2204', input());
    expect(a.infcode).toBe(-1);
    expect(a.err_msg).toBe(typeof err === 'function' ? err() : err);
    expect(await w.counts()).toEqual(before);
  });

  test('a valid refund is stored with a negative split and settles as the net of its original', async () => {
    const a = await w.call<{ result: Amounts[] }>('2204', refund('R1', 'F1', DRUG, '-40', '-38.00'));
    expect(a.err_msg).toBeNull();
    expect(a.output.result[0]).toMatchObject({ feedetl_sn: 'R1', det_item_fee_sumamt: -38, cnt: -40 });
    expect(fen(a.output.result[0]!.fulamt_ownpay_amt) + fen(a.output.result[0]!.overlmt_amt) + fen(a.output.result[0]!.preselfpay_amt) + fen(a.output.result[0]!.inscp_scp_amt)).toBe(-3800);
    const second = await w.call('2204', refund('R2', 'F1', DRUG, '-61', '-57.95'));
    expect(second.err_msg).toBe('费用明细有误：字段feedetail[0].cnt：退费明细 R2 退费后原费用明细 F1 的剩余数量为 -1.0000、剩余金额为 -0.95 元：退费不能超过原收费（原数量 100.0000，原金额 95.00 元）');

    // the same visit without the refund, charged 60 units from the start, must come out the same
    const twin = await registerVisit(w, psn(), 'V-TWIN', { insutype: '390' });
    expect((await w.call('2204', { feedetail: [hisFeeLine(twin, psn(), 'F1', DRUG, '0.95', '60', '57.00'), hisFeeLine(twin, psn(), 'F2', EXAM, '10.00', '1', '10.00')] })).err_msg).toBeNull();
    const data = (m: string) => ({ data: { ...outpatientSettleData(psn(), m, '67.00').data, insutype: '390' } });
    const preTwin = await w.call<SettleAnswer>('2206', data(twin));
    expect(preTwin.err_msg).toBeNull();
    const s = await w.call<SettleAnswer>('2207', data(v));
    expect(s.err_msg).toBeNull();
    const strip = (i: Amounts) => Object.fromEntries(Object.entries(i).filter(([k]) => !['mdtrt_id', 'setl_id', 'setl_time', 'medins_setl_id', 'balc'].includes(k)));
    expect(strip(s.output.setlinfo)).toEqual(strip(preTwin.output.setlinfo));
    const rows = await w.db.k.selectFrom('setl_feedetl').select(['feedetl_sn', 'det_item_fee_sumamt']).where('setl_id', '=', String(s.output.setlinfo.setl_id)).orderBy('feedetl_sn').execute();
    expect(rows).toEqual([
      { feedetl_sn: 'F1', det_item_fee_sumamt: '57.00' },
      { feedetl_sn: 'F2', det_item_fee_sumamt: '10.00' },
      { feedetl_sn: 'R1', det_item_fee_sumamt: '0.00' },
    ]);
  });

  test('a line with a valid refund cannot be cancelled without it', async () => {
    expect((await w.call('2204', { feedetail: [hisFeeLine(other, psn(), 'GR1', DRUG, '0.95', '-2', '-1.90', { init_feedetl_sn: 'G1', chrg_bchno: 'B002' })] })).err_msg).toBeNull();
    const before = await w.counts();
    const a = await w.call('2205', { data: { mdtrt_id: other, chrg_bchno: 'B001', psn_no: psn() } });
    expect(a.err_msg).toBe('费用明细 G1 有有效的退费明细 GR1，请先撤销退费明细或一并撤销');
    expect(await w.counts()).toEqual(before);
    expect((await w.call('2205', { data: { mdtrt_id: other, chrg_bchno: 'B002', psn_no: psn() } })).err_msg).toBeNull();
    expect((await w.call('2205', { data: { mdtrt_id: other, chrg_bchno: 'B001', psn_no: psn() } })).err_msg).toBeNull();
  });
});

describe('事中审核 inside settlement (2206 / 2207)', () => {
  const psn = () => w.people.zhao;
  const UNREGISTERED = 'D99019999999';
  const lines = (m: string) => [hisFeeLine(m, psn(), 'A1', DRUG, '0.95', '100', '95.00'), hisFeeLine(m, psn(), 'A2', DRUG_B, '500.00', '1', '500.00', { bilg_dr_codg: UNREGISTERED, bilg_dr_name: '外院医生' })];
  const data = (m: string) => outpatientSettleData(psn(), m, '595.00');
  const evals = async () => Number((await sql<{ n: string }>`select count(*)::text as n from audit_eval`.execute(w.db.k)).rows[0]!.n);

  test('a 明确违规 line pays nothing from the fund, says why in setl_proc_info, and reversal restores exactly', async () => {
    const m = await registerVisit(w, psn(), 'V-AUDIT');
    expect((await w.call('2204', { feedetail: lines(m) })).err_msg).toBeNull();
    const balance = await w.balance(psn());
    const acc = await loadAccumulators(w.db.k, { psn_no: psn(), insutype: '310', year });
    const counts = await w.counts();
    const e0 = await evals();
    const pre = await w.call<SettleAnswer>('2206', data(m));
    expect(pre.err_msg).toBeNull();
    expect(await w.counts()).toEqual(counts); // pre-settlement writes nothing but the audit log
    expect(await evals()).toBe(e0 + 1);
    expect(pre.output.setlinfo.fulamt_ownpay_amt).toBe(500);
    expect(pre.output.setldetail[0]!.setl_proc_info).toContain(`智能审核明确违规「MGT-DOC-01`);
    expect(pre.output.setldetail[0]!.setl_proc_info).toContain(`${DRUG_B}（示例药品B） 500.00元不予基金支付，转为全自费`);

    const s = await w.call<SettleAnswer>('2207', data(m));
    expect(s.err_msg).toBeNull();
    expectInvariants(s.output.setlinfo);
    expect(s.output.setldetail).toEqual(pre.output.setldetail);
    expect(await evals()).toBe(e0 + 2);
    const line = await w.db.k.selectFrom('setl_feedetl').select(['det_item_fee_sumamt', 'fulamt_ownpay_amt', 'inscp_scp_amt', 'preselfpay_amt']).where('setl_id', '=', String(s.output.setlinfo.setl_id)).where('feedetl_sn', '=', 'A2').executeTakeFirstOrThrow();
    expect(line).toEqual({ det_item_fee_sumamt: '500.00', fulamt_ownpay_amt: '500.00', inscp_scp_amt: '0.00', preselfpay_amt: '0.00' });
    // the fund pays at most the in-scope 95.00 of the other line
    expect(fen(s.output.setlinfo.fund_pay_sumamt)).toBeLessThanOrEqual(9500);

    const r = await w.call('2208', { data: { setl_id: s.output.setlinfo.setl_id, mdtrt_id: m, psn_no: psn() } });
    expect(r.err_msg).toBeNull();
    expect(await w.balance(psn())).toBe(balance);
    expect(norm(await loadAccumulators(w.db.k, { psn_no: psn(), insutype: '310', year }))).toEqual(norm(acc));
  });

  test('configured warn-only, the same hit settles normally with warn_msg in the envelope', async () => {
    await setAuditAction(w.db, SYSTEM_ACTOR, { admdvs: '990100', sev_deg: '1', audit_act: '1', begndate: beijingDate(), memo: '测试：明确违规仅提醒' });
    const m = await registerVisit(w, psn(), 'V-AUDIT-WARN');
    expect((await w.call('2204', { feedetail: lines(m) })).err_msg).toBeNull();
    const s = await w.call<SettleAnswer>('2207', data(m));
    expect(s.err_msg).toBeNull();
    expect((s as unknown as { warn_msg: string | null }).warn_msg).toContain('智能审核提醒明确违规「MGT-DOC-01');
    expect(s.output.setlinfo.fulamt_ownpay_amt).toBe(0);
    expect(s.output.setldetail[0]!.setl_proc_info).not.toContain('不予基金支付');
    const line = await w.db.k.selectFrom('setl_feedetl').select(['inscp_scp_amt']).where('setl_id', '=', String(s.output.setlinfo.setl_id)).where('feedetl_sn', '=', 'A2').executeTakeFirstOrThrow();
    expect(fen(line.inscp_scp_amt)).toBeGreaterThan(0);
  });

  test('an audit that cannot run never fails the settlement: it settles unaudited and says so', async () => {
    const m = await registerVisit(w, psn(), 'V-AUDIT-BROKEN');
    expect((await w.call('2204', { feedetail: lines(m) })).err_msg).toBeNull();
    await sql`alter table setl_audit_cfg rename to setl_audit_cfg_away`.execute(w.db.k);
    invalidate('audit_cfg'); // the raw rename bypasses the writing service that would invalidate the cached configuration
    try {
      const s = await w.call<SettleAnswer>('2207', data(m));
      expect(s.err_msg).toBeNull();
      expect((s as unknown as { warn_msg: string | null }).warn_msg).toMatch(/^智能审核未能执行（.+），本次按未审核结算/);
      expectInvariants(s.output.setlinfo);
    } finally {
      await sql`alter table setl_audit_cfg_away rename to setl_audit_cfg`.execute(w.db.k);
      invalidate('audit_cfg');
    }
  });

  test('a bad setting is refused in Chinese and writes nothing', async () => {
    await expect(setAuditAction(w.db, SYSTEM_ACTOR, { admdvs: '990100', sev_deg: '4', audit_act: '3', begndate: beijingDate() })).rejects.toThrow('结算事中审核处置配置有误');
  });
});
