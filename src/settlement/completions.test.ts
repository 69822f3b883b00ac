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
import { DOCTORS, expectInvariants, hisFeeLine, outpatientSettleData, registerVisit, settlementWorld, type SettlementWorld } from './testing.js';

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
    const dedc = fen(mid.setlinfo.act_pay_dedc);
    expect(dedc).toBeGreaterThan(0);
    expect(dedc).toBeLessThan(fen(mid.setlinfo.inscp_scp_amt)); // the whole deductible was paid here
    const row = await w.db.k.selectFrom('mdtrt').select(['setl_flag', 'mdtrt_stas']).where('mdtrt_id', '=', mdtrt_id).executeTakeFirstOrThrow();
    expect(row).toEqual({ setl_flag: '0', mdtrt_stas: '1' });
    const s = await w.db.k.selectFrom('setl').select(['mid_setl_flag']).where('setl_id', '=', String(mid.setlinfo.setl_id)).executeTakeFirstOrThrow();
    expect(s.mid_setl_flag).toBe('1');
    const covered = await w.db.k.selectFrom('setl_feedetl').select('feedetl_sn').where('setl_id', '=', String(mid.setlinfo.setl_id)).orderBy('feedetl_sn').execute();
    expect(covered.map((c) => c.feedetl_sn)).toEqual(['M1', 'M2']);
    expect((await loadAccumulators(w.db.k, { psn_no: psn(), insutype: '310', year })).admissions).toBe(1);
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
    expect(fin.setlinfo.act_pay_dedc).toBe(0);
    expect(fin.setldetail[0]!.setl_proc_info).toContain('本次住院中途结算已付');
    expect(fen(fin.setlinfo.hifp_pay)).toBeGreaterThan(0);
    expect((await loadAccumulators(w.db.k, { psn_no: psn(), insutype: '310', year })).admissions).toBe(1);
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
    // mid + final paid the same deductible and covered the same lines as one settlement of the stay
    expect(fen(mid.setlinfo.medfee_sumamt) + fen(fin.setlinfo.medfee_sumamt)).toBe(fen(whole.output.setlinfo.medfee_sumamt));
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
    try {
      const s = await w.call<SettleAnswer>('2207', data(m));
      expect(s.err_msg).toBeNull();
      expect((s as unknown as { warn_msg: string | null }).warn_msg).toMatch(/^智能审核未能执行（.+），本次按未审核结算/);
      expectInvariants(s.output.setlinfo);
    } finally {
      await sql`alter table setl_audit_cfg_away rename to setl_audit_cfg`.execute(w.db.k);
    }
  });

  test('a bad setting is refused in Chinese and writes nothing', async () => {
    await expect(setAuditAction(w.db, SYSTEM_ACTOR, { admdvs: '990100', sev_deg: '4', audit_act: '3', begndate: beijingDate() })).rejects.toThrow('结算事中审核处置配置有误');
  });
});
