/**
 * Pharmacy purchase (定点药店购药) as yibao serves it: 2201 → 2204 → 2206 → 2207 → 2208 at a retail pharmacy with
 * med_type 41 (the common local practice; 2101–2103 are not offered — docs/api/2201.md). A resident paying from a
 * relative's employee account through 家庭共济, and the reversal giving it back.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DOCTORS, PHARMACY, expectInvariants, hisFeeLine, settlementWorld, type SettlementWorld } from './testing.js';

let w: SettlementWorld;

beforeAll(async () => {
  w = await settlementWorld();
});
afterAll(async () => w.close());

interface SettleAnswer {
  setlinfo: Record<string, number | string | null>;
  setldetail: { fund_pay_type: string; fund_payamt: number; setl_proc_info: string }[];
}

const pharmLine = (mdtrt_id: string, psn_no: string, sn: string, code: string, pric: string, cnt: string, amount: string) =>
  hisFeeLine(mdtrt_id, psn_no, sn, code, pric, cnt, amount, { bilg_dept_codg: '', bilg_dept_name: '', bilg_dr_codg: DOCTORS.pharmacist, bilg_dr_name: '刘药师', rx_circ_flag: '0', hosp_appr_flag: '' });

describe('pharmacy: 2201 (med_type 41) → 2204 → 2206 → 2207 → 2208', () => {
  let mdtrt_id: string;
  let setl: SettleAnswer;
  let ownerBefore: number;

  test('2201 at a pharmacy opens a purchase with med_type 41', async () => {
    ownerBefore = await w.balance(w.people.zhang);
    const a = await w.call<{ data: { mdtrt_id: string } }>(
      '2201',
      { data: { psn_no: w.people.li, insutype: '390', begntime: '2025-03-10 15:00:00', mdtrt_cert_type: '02', mdtrt_cert_no: '', ipt_otp_no: 'YD0001', atddr_no: DOCTORS.pharmacist, dr_name: '刘药师', dept_code: '', dept_name: '', caty: '' } },
      { inst: PHARMACY },
    );
    expect(a.err_msg).toBeNull();
    mdtrt_id = a.output.data.mdtrt_id;
    const row = await w.db.k.selectFrom('mdtrt').select(['med_type', 'insutype', 'fixmedins_code']).where('mdtrt_id', '=', mdtrt_id).executeTakeFirstOrThrow();
    expect(row).toEqual({ med_type: '41', insutype: '390', fixmedins_code: PHARMACY });
  });

  test('2204 classifies the drugs; a pharmacy cannot settle as 普通门诊', async () => {
    const a = await w.call<{ result: Record<string, unknown>[] }>(
      '2204',
      { feedetail: [pharmLine(mdtrt_id, w.people.li, 'P1', 'ZA01AAA0001B001010100', '15.80', '2', '31.60'), pharmLine(mdtrt_id, w.people.li, 'P2', 'XG04CAE002A002010100002', '20.00', '3', '60.00')] },
      { inst: PHARMACY },
    );
    expect(a.err_msg).toBeNull();
    expect(a.output.result.map((r) => [r.feedetl_sn, r.inscp_scp_amt, r.preselfpay_amt])).toEqual([
      ['P1', 31.6, 0],
      ['P2', 54, 6],
    ]);
    const wrong = await w.call('2206', { data: { psn_no: w.people.li, mdtrt_cert_type: '02', med_type: '11', medfee_sumamt: '91.60', psn_setlway: '01', mdtrt_id, acct_used_flag: '1', insutype: '390' } }, { inst: PHARMACY });
    expect(wrong.err_msg).toBe('定点零售药店只能按医疗类别 41（定点药店购药）办理，不能按 11：字段med_type：药店只能为 41');
  });

  test('2206 / 2207: the pooled fund pays 50 %, the rest of the in-scope burden comes from the relative’s account (家庭共济)', async () => {
    const data = { psn_no: w.people.li, mdtrt_cert_type: '02', mdtrt_cert_no: '', med_type: '41', medfee_sumamt: '91.60', psn_setlway: '01', mdtrt_id, chrg_bchno: '', acct_used_flag: '1', insutype: '390' };
    const pre = await w.call<SettleAnswer>('2206', { data }, { inst: PHARMACY });
    expect(pre.err_msg).toBeNull();
    const a = await w.call<SettleAnswer>('2207', { data: { ...data, fulamt_ownpay_amt: '0.00', overlmt_selfpay: '0.00', preselfpay_amt: '6.00', inscp_scp_amt: '85.60' } }, { inst: PHARMACY });
    expect(a.err_msg).toBeNull();
    setl = a.output;
    expect(setl.setlinfo).toMatchObject({
      med_type: '41',
      clr_type: '41',
      insutype: '390',
      medfee_sumamt: 91.6,
      inscp_scp_amt: 85.6,
      act_pay_dedc: 0,
      hifp_pay: 42.8,
      fund_pay_sumamt: 42.8,
      psn_part_amt: 48.8,
      acct_pay: 0,
      acct_mulaid_pay: 48.8,
      psn_cash_pay: 0,
      balc: 0,
    });
    expectInvariants(setl.setlinfo);
    expect(setl.setldetail.map((d) => [d.fund_pay_type, d.fund_payamt])).toEqual([
      ['390100', 42.8],
      ['310200', 48.8],
    ]);
    expect(setl.setldetail[1]!.setl_proc_info).toContain(`家庭共济：${w.people.zhang} 的账户支付48.80元`);
    expect(await w.balance(w.people.zhang)).toBe(ownerBefore - 4880);
    const mulaid = await w.db.k.selectFrom('setl_mulaid').select(['psn_no', 'amt', 'balc']).where('setl_id', '=', String(setl.setlinfo.setl_id)).execute();
    expect(mulaid).toEqual([{ psn_no: w.people.zhang, amt: '48.80', balc: ((ownerBefore - 4880) / 100).toFixed(2) }]);
    const ledger = await w.db.k.selectFrom('psn_acct_ledger').select(['move_type', 'amt', 'ref_id']).where('psn_no', '=', w.people.zhang).where('ref_type', '=', 'setl').execute();
    expect(ledger).toEqual([{ move_type: 'mulaid_out', amt: '-48.80', ref_id: setl.setlinfo.setl_id }]);
  });

  test('2208 gives the relative’s account back exactly', async () => {
    const a = await w.call<SettleAnswer>('2208', { data: { setl_id: setl.setlinfo.setl_id, mdtrt_id, psn_no: w.people.li } }, { inst: PHARMACY });
    expect(a.err_msg).toBeNull();
    expect(a.output.setlinfo).toMatchObject({ acct_mulaid_pay: -48.8, hifp_pay: -42.8, medfee_sumamt: -91.6 });
    expect(await w.balance(w.people.zhang)).toBe(ownerBefore);
    const mulaid = await w.db.k.selectFrom('setl_mulaid').select(['amt']).where('setl_id', '=', String(a.output.setlinfo.setl_id)).execute();
    expect(mulaid).toEqual([{ amt: '-48.80' }]);
  });
});
