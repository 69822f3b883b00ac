/**
 * Conformance of the outpatient path as a HIS drives it through the gateway: 1101 → 2201 → 2203 → 2204 → 2206 →
 * 2207 → 2208, then cancellation of lines (2205) and of the registration (2202), with the database checked at
 * each step — the settlement rows, the account ledger, the fund ledger and the accumulators — and the reversal
 * restoring accumulators and the account to the fen. Also a cross-region (异地) visit.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { settlementWorld, hisFeeLine, DOCTORS, registerVisit, outpatientSettleData, expectInvariants, type SettlementWorld } from './testing.js';
import { PERSONS } from '../gateway/testing.js';
import { loadAccumulators } from './accumulators.js';
import { getSettlement, settlementsOf } from './queries.js';
import { importAreas } from '../standards/admdvs-import.js';
import { bulkEnroll } from '../enrollment/persons.js';
import { certnoCheckChar } from '../enrollment/certno.js';
import { SYSTEM_ACTOR } from '../platform/oplog.js';

let w: SettlementWorld;
const year = Number(new Date().toISOString().slice(0, 4));

beforeAll(async () => {
  w = await settlementWorld();
});
afterAll(async () => w.close());

type Setlinfo = Record<string, number | string | null>;
interface SettleAnswer {
  setlinfo: Setlinfo;
  setldetail: { fund_pay_type: string; fund_payamt: number; inscp_scp_amt: number; crt_payb_lmt_amt: number; setl_proc_info: string }[];
}

const register = (psn_no: string, no: string) => registerVisit(w, psn_no, no);
const setlData = outpatientSettleData;
const invariants = expectInvariants;

describe('outpatient: 1101 → 2201 → 2203 → 2204 → 2206 → 2207 → 2208', () => {
  let mdtrt_id: string;
  let pre: SettleAnswer;
  let setl: SettleAnswer;
  let balanceBefore: number;

  test('1101 finds the person; 2201 registers the visit and answers data.mdtrt_id', async () => {
    const p = await w.call<{ baseinfo: { psn_no: string }; insuinfo: { insuplc_admdvs: string }[] }>('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: PERSONS.zhang.certno, card_sn: '', begntime: '', psn_cert_type: '01', certno: PERSONS.zhang.certno, psn_name: PERSONS.zhang.psn_name } });
    expect(p.output.baseinfo.psn_no).toBe(w.people.zhang);
    balanceBefore = await w.balance(w.people.zhang);
    mdtrt_id = await register(w.people.zhang, 'MZ20250310001');
    expect(mdtrt_id).toMatch(/^990100\d{20}$/);
    const row = await w.db.k.selectFrom('mdtrt').selectAll().where('mdtrt_id', '=', mdtrt_id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ psn_no: w.people.zhang, insutype: '310', med_type: '11', ipt_otp_flag: '1', insuplc_admdvs: '990100', vali_flag: '1', setl_flag: '0' });
  });

  test('2203 sets med_type and the diagnoses', async () => {
    const a = await w.call('2203', {
      mdtrtinfo: { mdtrt_id, psn_no: w.people.zhang, med_type: '11', begntime: '2025-03-10 09:00:00', main_cond_dscr: '口渴多饮', dise_codg: '', dise_name: '', birctrl_type: '', birctrl_matn_date: '' },
      diseinfo: [{ diag_type: '1', diag_srt_no: '1', diag_code: 'E11.900', diag_name: '2型糖尿病', diag_dept: '内科', dise_dor_no: DOCTORS.wang, dise_dor_name: '王医生', diag_time: '2025-03-10 09:10:00', vali_flag: '1' }],
    });
    expect(a.err_msg).toBeNull();
    expect(a.output).toEqual({});
    const d = await w.db.k.selectFrom('mdtrt_diag').selectAll().where('mdtrt_id', '=', mdtrt_id).execute();
    expect(d).toEqual([expect.objectContaining({ diag_code: 'E11.900', maindiag_flag: '1', stage: 'opt', vali_flag: '1' })]);
  });

  test('2204 stores the lines and answers each line split (甲, 乙 with 先行自付, 超限价)', async () => {
    const a = await w.call<{ result: Record<string, unknown>[] }>('2204', {
      feedetail: [
        hisFeeLine(mdtrt_id, w.people.zhang, 'F0001', 'XA10BAE001A001010100001', '0.95', '1200', '1140.00'),
        hisFeeLine(mdtrt_id, w.people.zhang, 'F0002', '001102000010000', '12.00', '1', '12.00'),
        hisFeeLine(mdtrt_id, w.people.zhang, 'F0003', 'XG04CAE002A002010100002', '18.5', '2.0000', '37'),
      ],
    });
    expect(a.err_msg).toBeNull();
    expect(a.output.result).toEqual([
      expect.objectContaining({ feedetl_sn: 'F0001', det_item_fee_sumamt: 1140, cnt: 1200, pric: 0.95, pric_uplmt_amt: 1, selfpay_prop: 0, fulamt_ownpay_amt: 0, overlmt_amt: 0, preselfpay_amt: 0, inscp_scp_amt: 1140, chrgitm_lv: '01', med_chrgitm_type: '09', lmt_used_flag: '0' }),
      expect.objectContaining({ feedetl_sn: 'F0002', det_item_fee_sumamt: 12, pric_uplmt_amt: 10, overlmt_amt: 2, inscp_scp_amt: 10, chrgitm_lv: '01' }),
      expect.objectContaining({ feedetl_sn: 'F0003', det_item_fee_sumamt: 37, selfpay_prop: 0.1, preselfpay_amt: 3.7, inscp_scp_amt: 33.3, chrgitm_lv: '02' }),
    ]);
    expect(Object.keys(a.output.result[0]!)).toHaveLength(19);
  });

  test('2206 computes without writing anything', async () => {
    const before = await w.counts();
    const a = await w.call<SettleAnswer>('2206', setlData(w.people.zhang, mdtrt_id, '1189.00'));
    expect(a.err_msg).toBeNull();
    pre = a.output;
    expect(pre.setlinfo.setl_id).toBeUndefined();
    expect(pre.setlinfo).toMatchObject({
      mdtrt_id,
      psn_no: w.people.zhang,
      psn_name: PERSONS.zhang.psn_name,
      insutype: '310',
      med_type: '11',
      medfee_sumamt: 1189,
      fulamt_ownpay_amt: 0,
      overlmt_selfpay: 2,
      preselfpay_amt: 3.7,
      inscp_scp_amt: 1183.3,
      // 990100 在职 二级 普通门诊: deductible 1,000.00 a year, 60 %
      act_pay_dedc: 1000,
      hifp_pay: 109.98,
      fund_pay_sumamt: 109.98,
      psn_part_amt: 1079.02,
      clr_type: '11',
      clr_way: '1',
      clr_optins: '990100',
    });
    invariants(pre.setlinfo);
    expect(pre.setldetail.map((d) => d.fund_pay_type)).toEqual(['310100', '310200']);
    expect(await w.counts()).toEqual(before);
  });

  test('2207 settles with the same figures, pays from the account and writes every ledger', async () => {
    const i = pre.setlinfo;
    const a = await w.call<SettleAnswer>('2207', setlData(w.people.zhang, mdtrt_id, '1189.00', { invono: 'FP0001', fulamt_ownpay_amt: String(i.fulamt_ownpay_amt), overlmt_selfpay: String(i.overlmt_selfpay), preselfpay_amt: String(i.preselfpay_amt), inscp_scp_amt: String(i.inscp_scp_amt) }));
    expect(a.err_msg).toBeNull();
    setl = a.output;
    const { setl_id, setl_time, medins_setl_id, ...rest } = setl.setlinfo;
    const { setl_time: _t, medins_setl_id: _m, ...preRest } = pre.setlinfo;
    expect(rest).toEqual(preRest);
    expect(setl.setldetail).toEqual(pre.setldetail);
    expect(setl_id).toMatch(/^990100\d{20}$/);
    expect(setl_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(medins_setl_id).toMatch(/^H99010200001\d{18}$/);
    // the account paid the in-scope personal burden up to its balance
    const acct = Math.round(Number(setl.setlinfo.acct_pay) * 100);
    expect(acct).toBe(Math.min(balanceBefore, 118_330 - 10_998 + 370));
    expect(await w.balance(w.people.zhang)).toBe(balanceBefore - acct);
    expect(Math.round(Number(setl.setlinfo.balc) * 100)).toBe(balanceBefore - acct);
    // the rows
    const row = await w.db.k.selectFrom('setl').selectAll().where('setl_id', '=', String(setl_id)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ mdtrt_id, refd_setl_flag: '0', vali_flag: '1', hifp_pay: '109.98', medins_setl_id, invono: 'FP0001', policy_id: '990100-310-11-2-11-20200101' });
    expect(await w.db.k.selectFrom('setl_feedetl').select(['feedetl_sn', 'inscp_scp_amt']).where('setl_id', '=', String(setl_id)).orderBy('feedetl_sn').execute()).toEqual([
      { feedetl_sn: 'F0001', inscp_scp_amt: '1140.00' },
      { feedetl_sn: 'F0002', inscp_scp_amt: '10.00' },
      { feedetl_sn: 'F0003', inscp_scp_amt: '33.30' },
    ]);
    const ledger = await w.db.k.selectFrom('fund_ledger').select(['fund_pay_type', 'amt', 'insu_admdvs', 'fixmedins_code']).where('setl_id', '=', String(setl_id)).orderBy('fund_pay_type').execute();
    expect(ledger).toEqual([
      { fund_pay_type: '310100', amt: '109.98', insu_admdvs: '990100', fixmedins_code: 'H99010200001' },
      { fund_pay_type: '310200', amt: (acct / 100).toFixed(2), insu_admdvs: '990100', fixmedins_code: 'H99010200001' },
    ]);
    const acc = await loadAccumulators(w.db.k, { psn_no: w.people.zhang, insutype: '310', year });
    expect(acc.groups['普通门诊']).toEqual({ dedc_used: 100_000, pool_base: 18_330, pool_paid: 10_998 });
    const m = await w.db.k.selectFrom('mdtrt').select(['setl_flag']).where('mdtrt_id', '=', mdtrt_id).executeTakeFirstOrThrow();
    expect(m.setl_flag).toBe('1');
    const q = await getSettlement(w.db, String(setl_id));
    expect(q?.setldetail.map((d) => d.fund_pay_type)).toEqual(['310100', '310200']);
    expect(q?.lines.map((l) => l.feedetl_sn)).toEqual(['F0001', 'F0002', 'F0003']);
    expect((await settlementsOf(w.db, w.people.zhang, '2000-01-01', '2099-12-31')).map((s) => s.setl_id)).toEqual([setl_id]);
    const log = await w.db.k.selectFrom('opt_log').select(['action', 'opter_id']).where('target_type', '=', 'setl').where('target_id', '=', String(setl_id)).execute();
    expect(log).toEqual([{ action: 'setl.settle', opter_id: 'H99010200001' }]);
  });

  test('a second 2207 of the same visit is refused, and so are new lines and line cancellation', async () => {
    const before = await w.counts();
    const again = await w.call('2207', setlData(w.people.zhang, mdtrt_id, '1189.00'));
    expect(again.err_msg).toBe(`就诊ID ${mdtrt_id} 已结算，不能重复结算；如需重新结算，请先撤销原结算`);
    const more = await w.call('2204', { feedetail: [hisFeeLine(mdtrt_id, w.people.zhang, 'F0009', 'XA10BAE001A001010100001', '0.95', '1', '0.95')] });
    expect(more.err_msg).toBe(`就诊ID ${mdtrt_id} 已结算，不能上传费用明细；如需上传费用明细，请先撤销结算`);
    const cancel = await w.call('2205', { data: { mdtrt_id, chrg_bchno: '0000', psn_no: w.people.zhang } });
    expect(cancel.err_msg).toBe(`就诊ID ${mdtrt_id} 已结算，不能撤销费用明细；如需撤销费用明细，请先撤销结算`);
    expect(await w.counts()).toEqual(before);
  });

  test('2208 writes the negation and restores the account and the accumulators exactly', async () => {
    const setl_id = String(setl.setlinfo.setl_id);
    const a = await w.call<SettleAnswer & { setlinfo: Setlinfo }>('2208', { data: { setl_id, mdtrt_id, psn_no: w.people.zhang, exp_content: '' } });
    expect(a.err_msg).toBeNull();
    const r = a.output.setlinfo;
    expect(r.setl_id).not.toBe(setl_id);
    for (const k of ['medfee_sumamt', 'fulamt_ownpay_amt', 'overlmt_selfpay', 'preselfpay_amt', 'inscp_scp_amt', 'act_pay_dedc', 'hifp_pay', 'fund_pay_sumamt', 'psn_part_amt', 'acct_pay', 'psn_cash_pay', 'acct_mulaid_pay']) {
      expect(r[k], k).toBe(-Number(setl.setlinfo[k]) || 0);
    }
    expect(r.pdn_cash_pay).toBe(r.psn_cash_pay);
    expect(a.output.setldetail.map((d) => d.fund_payamt)).toEqual(setl.setldetail.map((d) => -d.fund_payamt));
    expect(await w.balance(w.people.zhang)).toBe(balanceBefore);
    expect(Math.round(Number(r.balc) * 100)).toBe(balanceBefore);
    const acc = await loadAccumulators(w.db.k, { psn_no: w.people.zhang, insutype: '310', year });
    expect(acc.groups['普通门诊']).toEqual({ dedc_used: 0, pool_base: 0, pool_paid: 0 });
    expect(acc).toMatchObject({ admissions: 0, large_base: 0, large_paid: 0, cvlserv_paid: 0, maf_paid: 0 });
    // the fund ledger nets to zero; the original is marked reversed, nothing else changed
    const net = await w.db.k.selectFrom('fund_ledger').select(['fund_pay_type', (eb) => eb.fn.sum<string>('amt').as('s')]).where('psn_no', '=', w.people.zhang).groupBy('fund_pay_type').execute();
    expect(net.every((n) => Number(n.s) === 0)).toBe(true);
    const rows = await w.db.k.selectFrom('setl').select(['setl_id', 'refd_setl_flag', 'vali_flag', 'init_setl_id', 'hifp_pay']).where('mdtrt_id', '=', mdtrt_id).orderBy('crte_time').execute();
    expect(rows).toEqual([
      { setl_id, refd_setl_flag: '0', vali_flag: '0', init_setl_id: null, hifp_pay: '109.98' },
      { setl_id: r.setl_id, refd_setl_flag: '1', vali_flag: '1', init_setl_id: setl_id, hifp_pay: '-109.98' },
    ]);
    // reversing again is refused
    const again = await w.call('2208', { data: { setl_id, mdtrt_id, psn_no: w.people.zhang } });
    expect(again.err_msg).toBe(`结算ID ${setl_id} 已撤销（撤销结算ID ${r.setl_id}），不能重复撤销`);
  });

  test('after the reversal the visit settles again with the same figures, then 2208 → 2205 → 2202 close it', async () => {
    const a = await w.call<SettleAnswer>('2207', setlData(w.people.zhang, mdtrt_id, '1189'));
    expect(a.err_msg).toBeNull();
    expect(a.output.setlinfo.hifp_pay).toBe(109.98);
    const r = await w.call('2208', { data: { setl_id: a.output.setlinfo.setl_id, mdtrt_id, psn_no: w.people.zhang } });
    expect(r.err_msg).toBeNull();
    const reg = await w.call('2202', { data: { psn_no: w.people.zhang, mdtrt_id, ipt_otp_no: 'MZ20250310001' } });
    expect(reg.err_msg).toBe(`就诊ID ${mdtrt_id} 已上传 3 条有效费用明细，请先撤销费用明细（2205）再撤销挂号`);
    const c1 = await w.call('2205', { data: { mdtrt_id, chrg_bchno: 'B001', psn_no: w.people.zhang } });
    expect(c1.err_msg).toBeNull();
    const c2 = await w.call('2205', { data: { mdtrt_id, chrg_bchno: '0000', psn_no: w.people.zhang } });
    expect(c2.err_msg).toBe(`就诊ID ${mdtrt_id} 没有可撤销的费用明细`);
    const ok = await w.call('2202', { data: { psn_no: w.people.zhang, mdtrt_id, ipt_otp_no: 'MZ20250310001' } });
    expect(ok.err_msg).toBeNull();
    const gone = await w.call('2204', { feedetail: [hisFeeLine(mdtrt_id, w.people.zhang, 'F0001', 'XA10BAE001A001010100001', '0.95', '1', '0.95')] });
    expect(gone.err_msg).toBe(`就诊ID ${mdtrt_id} 的挂号已撤销，不能继续办理`);
    expect(await w.balance(w.people.zhang)).toBe(balanceBefore);
  });
});

describe('cross-region (异地): the treating region’s catalogue, the insured region’s policy', () => {
  test('a 990200 employee treated in 990100 is classified by 990100’s catalogue and paid by 990200’s policy', async () => {
    await importAreas(w.db, [{ admdvs: '990200', admdvs_name: '乙市', admdvs_lv: '2', prnt_admdvs: '990000', poolarea_flag: '1', begndate: '2020-01-01', enddate: null }], SYSTEM_ACTOR);
    const first17 = '99020019700101051';
    const { psn_nos } = await bulkEnroll(w.db, [{ certno: first17 + certnoCheckChar(first17), psn_name: '周八', gend: '1', brdy: '1970-01-01', naty: '01', psn_type: '1101', insutype: '310', insuplc_admdvs: '990200', begndate: '2020-01-01' }], SYSTEM_ACTOR);
    const p = psn_nos[0]!;
    const reg = await w.call<{ data: { mdtrt_id: string } }>('2201', { data: { psn_no: p, insutype: '310', begntime: '2025-03-10 09:00:00', mdtrt_cert_type: '02', ipt_otp_no: 'YD-REMOTE', atddr_no: DOCTORS.wang } }, { over: { insuplc_admdvs: '990200' } });
    expect(reg.err_msg).toBeNull();
    const mdtrt_id = reg.output.data.mdtrt_id;
    expect((await w.call('2204', { feedetail: [hisFeeLine(mdtrt_id, p, 'R1', 'XA10BAE001A001010100001', '0.95', '1200', '1140.00'), hisFeeLine(mdtrt_id, p, 'R2', '001102000010000', '12.00', '1', '12.00')] })).err_msg).toBeNull();
    const a = await w.call<{ setlinfo: Record<string, number | string> }>('2207', setlData(p, mdtrt_id, '1152.00', { acct_used_flag: '0' }), { over: { insuplc_admdvs: '990200' } });
    expect(a.err_msg).toBeNull();
    // 990100's price cap (二级 10.00) made 2.00 超限价; 990200 在职 二级 普通门诊: 起付线 800.00, 65 %
    expect(a.output.setlinfo).toMatchObject({ overlmt_selfpay: 2, inscp_scp_amt: 1150, act_pay_dedc: 800, hifp_pay: 227.5, clr_optins: '990100' });
    const row = await w.db.k.selectFrom('setl').select(['policy_id', 'insuplc_admdvs', 'mdtrtarea_admvs']).where('mdtrt_id', '=', mdtrt_id).executeTakeFirstOrThrow();
    expect(row).toEqual({ policy_id: '990200-310-11-2-11-20200101', insuplc_admdvs: '990200', mdtrtarea_admvs: '990100' });
    const ledger = await w.db.k.selectFrom('fund_ledger').select(['insu_admdvs', 'amt']).where('psn_no', '=', p).execute();
    expect(ledger).toEqual([{ insu_admdvs: '990200', amt: '227.50' }]);
  });
});
