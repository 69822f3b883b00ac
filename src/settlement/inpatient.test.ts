/**
 * Conformance of the inpatient path through the gateway: 2401 → 2301 (many lines, several batches) → 2302 → 2403 →
 * 2303 → 2304 → 2402 → 2305 → 2405 → 2404, and the worked example of settlement-policy.md §3 end to end at a 三级
 * hospital with the demo policy of 990100 (职工在职三级住院: 起付线 1,200.00, 85 %), to the fen.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadAccumulators } from './accumulators.js';
import { DOCTORS, HOSP3, expectInvariants, hisFeeLine, settlementWorld, type SettlementWorld } from './testing.js';

let w: SettlementWorld;
const year = Number(new Date().toISOString().slice(0, 4));

beforeAll(async () => {
  w = await settlementWorld();
});
afterAll(async () => w.close());

interface SettleAnswer {
  setlinfo: Record<string, number | string | null>;
  setldetail: { fund_pay_type: string; fund_payamt: number; inscp_scp_amt: number; crt_payb_lmt_amt: number; setl_proc_info: string; fund_pay_type_name: string }[];
}

const diseinfo = (psn_no: string, code = 'I10.x00', name = '原发性高血压') => [
  { psn_no, diag_type: '1', maindiag_flag: '1', diag_srt_no: '1', diag_code: code, diag_name: name, adm_cond: '有', diag_dept: '心内科', dise_dor_no: DOCTORS.wang, dise_dor_name: '王医生', diag_time: '2025-03-01 08:30:00' },
  { psn_no, diag_type: '1', maindiag_flag: '0', diag_srt_no: '2', diag_code: 'E11.900', diag_name: '2型糖尿病', adm_cond: '有', diag_dept: '心内科', dise_dor_no: DOCTORS.wang, dise_dor_name: '王医生', diag_time: '2025-03-01 08:30:00' },
];

function admission(psn_no: string, ipt_no: string, doctor = DOCTORS.wang) {
  return {
    mdtrtinfo: {
      psn_no,
      insutype: '310',
      coner_name: '家属',
      tel: '13900000000',
      begntime: '2025-03-01 08:00:00',
      mdtrt_cert_type: '02',
      mdtrt_cert_no: '',
      med_type: '21',
      ipt_no,
      medrcdno: `BA${ipt_no}`,
      atddr_no: doctor,
      chfpdr_name: '王医生',
      adm_diag_dscr: '头晕',
      adm_dept_codg: 'A0301',
      adm_dept_name: '心内科',
      adm_bed: '12',
      dscg_maindiag_code: 'I10.x00',
      dscg_maindiag_name: '原发性高血压',
      main_cond_dscr: '',
      dise_codg: '',
      dise_name: '',
      oprn_oprt_code: '',
      oprn_oprt_name: '',
      fpsc_no: '',
      matn_type: '',
      birctrl_type: '',
      latechb_flag: '',
      geso_val: '',
      fetts: '',
      fetus_cnt: '',
      pret_flag: '',
      birctrl_matn_date: '',
      dise_type_code: '',
      exp_content: '',
    },
    diseinfo: diseinfo(psn_no),
  };
}

const iptLine = (mdtrt_id: string, psn_no: string, sn: string, code: string, pric: string, cnt: string, amount: string, day = '2025-03-02', doctor = DOCTORS.wang) =>
  hisFeeLine(mdtrt_id, psn_no, sn, code, pric, cnt, amount, { fee_ocur_time: `${day} 10:00:00`, med_type: '21', drord_no: `YZ${sn}`, bilg_dr_codg: doctor, chrg_bchno: undefined, rx_circ_flag: undefined, memo: '' });

const setlData = (psn_no: string, mdtrt_id: string, medfee: string, extra: Record<string, string> = {}) => ({
  data: { psn_no, mdtrt_cert_type: '02', mdtrt_cert_no: '', medfee_sumamt: medfee, psn_setlway: '01', mdtrt_id, insutype: '310', acct_used_flag: '1', invono: '', mid_setl_flag: '0', fulamt_ownpay_amt: '', overlmt_selfpay: '', preselfpay_amt: '', inscp_scp_amt: '', dscgTime: '', ...extra },
});

describe('settlement-policy.md §3 worked example, end to end through the gateway', () => {
  test('2401 → 2301 → 2303 → 2304 at a 三级 hospital give exactly the published figures', async () => {
    const z = w.people.zhao;
    expect(await w.balance(z)).toBe(300_000);
    const adm = await w.call<{ result: { mdtrt_id: string } }>('2401', admission(z, 'ZY-EXAMPLE', DOCTORS.chen), { inst: HOSP3 });
    expect(adm.err_msg).toBeNull();
    const mdtrt_id = adm.output.result.mdtrt_id;
    const up = await w.call<{ result: Record<string, unknown>[] }>(
      '2301',
      {
        feedetail: [
          iptLine(mdtrt_id, z, 'A', 'XA02BAA001A001010100011', '2000', '1', '2000.00', '2025-03-02', DOCTORS.chen),
          iptLine(mdtrt_id, z, 'B', 'XB01ACA002A002010100012', '50', '100', '5000.00', '2025-03-02', DOCTORS.chen),
          iptLine(mdtrt_id, z, 'C', 'XN02BEA003A003010100013', '800.00', '1', '800.00', '2025-03-03', DOCTORS.chen),
          iptLine(mdtrt_id, z, 'D', '009900000010000', '300', '10', '3000', '2025-03-03', DOCTORS.chen),
          iptLine(mdtrt_id, z, 'E', 'C9900000000000000005', '1500.00', '1', '1500.00', '2025-03-04', DOCTORS.chen),
        ],
      },
      { inst: HOSP3 },
    );
    expect(up.err_msg).toBeNull();
    const split = up.output.result.map((r) => [r.feedetl_sn, r.chrgitm_lv, r.fulamt_ownpay_amt, r.overlmt_amt, r.preselfpay_amt, r.inscp_scp_amt]);
    expect(split).toEqual([
      ['A', '01', 0, 0, 0, 2000],
      ['B', '02', 0, 0, 500, 4500],
      ['C', '03', 800, 0, 0, 0],
      ['D', '02', 0, 0, 300, 2700],
      ['E', '02', 0, 500, 200, 800],
    ]);
    const pre = await w.call<SettleAnswer>('2303', setlData(z, mdtrt_id, '12300.00'), { inst: HOSP3 });
    expect(pre.err_msg).toBeNull();
    const set = await w.call<SettleAnswer>('2304', setlData(z, mdtrt_id, '12300.00', { fulamt_ownpay_amt: '800', overlmt_selfpay: '500', preselfpay_amt: '1000', inscp_scp_amt: '10000' }), { inst: HOSP3 });
    expect(set.err_msg).toBeNull();
    for (const a of [pre.output, set.output]) {
      expect(a.setlinfo).toMatchObject({
        medfee_sumamt: 12300,
        fulamt_ownpay_amt: 800,
        overlmt_selfpay: 500,
        preselfpay_amt: 1000,
        inscp_scp_amt: 10000,
        act_pay_dedc: 1200,
        hifp_pay: 7480,
        pool_prop_selfpay: 0.85,
        cvlserv_pay: 0,
        hifob_pay: 0,
        maf_pay: 0,
        fund_pay_sumamt: 7480,
        psn_part_amt: 4820,
        acct_pay: 3000,
        acct_mulaid_pay: 0,
        psn_cash_pay: 1820,
        hosp_part_amt: 0,
        balc: 0,
        med_type: '21',
        clr_type: '21',
        psn_type: '1101',
      });
      expectInvariants(a.setlinfo);
      expect(a.setldetail.map((d) => [d.fund_pay_type, d.fund_payamt])).toEqual([
        ['310100', 7480],
        ['310200', 3000],
      ]);
    }
    expect(set.output.setldetail[0]!.setl_proc_info).toContain('本年第1次住院起付线1200.00元');
    expect(await w.balance(z)).toBe(0);
    const acc = await loadAccumulators(w.db.k, { psn_no: z, insutype: '310', year });
    expect(acc.admissions).toBe(1);
    expect(acc.groups['住院']).toEqual({ dedc_used: 0, pool_base: 880_000, pool_paid: 748_000 });
    // 7,480.00 + 3,000.00 + 1,820.00 = 12,300.00
    const r = await w.call<SettleAnswer>('2305', { data: { setl_id: set.output.setlinfo.setl_id, mdtrt_id, psn_no: z } }, { inst: HOSP3 });
    expect(r.err_msg).toBeNull();
    expect(r.output.setlinfo).toMatchObject({ medfee_sumamt: -12300, hifp_pay: -7480, acct_pay: -3000, psn_cash_pay: -1820, balc: 3000 });
    expect(await w.balance(z)).toBe(300_000);
    expect(await loadAccumulators(w.db.k, { psn_no: z, insutype: '310', year })).toEqual({ admissions: 0, groups: { 住院: { dedc_used: 0, pool_base: 0, pool_paid: 0 } }, large_base: 0, large_paid: 0, cvlserv_paid: 0, maf_paid: 0 });
  });
});

describe('inpatient: 2401 → 2301 → 2302 → 2403 → 2303 → 2304 → 2402 → 2305 → 2405 → 2404', () => {
  let mdtrt_id: string;
  let total = 0;
  let setl: SettleAnswer;
  const z = () => w.people.zhang;
  let balanceBefore: number;

  test('2401 admits with the admission diagnoses and answers result.mdtrt_id', async () => {
    balanceBefore = await w.balance(z());
    const a = await w.call<{ result: { mdtrt_id: string } }>('2401', admission(z(), 'ZY0001'), { over: { insuplc_admdvs: '990100' } });
    expect(a.err_msg).toBeNull();
    mdtrt_id = a.output.result.mdtrt_id;
    const row = await w.db.k.selectFrom('mdtrt').selectAll().where('mdtrt_id', '=', mdtrt_id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ ipt_otp_flag: '2', med_type: '21', ipt_otp_no: 'ZY0001', dept_code: 'A0301', adm_bed: '12', mdtrt_stas: '1' });
    const d = await w.db.k.selectFrom('mdtrt_diag').select(['diag_code', 'maindiag_flag', 'stage']).where('mdtrt_id', '=', mdtrt_id).orderBy('diag_srt_no').execute();
    expect(d).toEqual([
      { diag_code: 'I10.x00', maindiag_flag: '1', stage: 'adm' },
      { diag_code: 'E11.900', maindiag_flag: '0', stage: 'adm' },
    ]);
  });

  test('2301 takes 150 lines in batches of 50, each answered with its split', async () => {
    const codes: [string, string][] = [
      ['XA10BAE001A001010100001', '0.95'],
      ['XG04CAE002A002010100002', '18.50'],
      ['ZA01AAA0001B001010100', '1.234567'],
      ['C0101010010100100001', '3.50'],
      ['T000100222', '0.08'],
    ];
    for (let b = 0; b < 3; b++) {
      const batch = [];
      for (let i = 0; i < 50; i++) {
        const n = b * 50 + i;
        const [code, pric] = codes[n % codes.length]!;
        const cnt = String((n % 7) + 1);
        // amount = pric × cnt rounded half up to the fen, computed in integers (micro-yuan)
        const micro = BigInt(Math.round(Number(pric) * 1e6)) * BigInt(cnt);
        const fen = Number((micro + 5_000n) / 10_000n);
        total += fen;
        batch.push(iptLine(mdtrt_id, z(), `L${String(n).padStart(4, '0')}`, code, pric, cnt, (fen / 100).toFixed(2), `2025-03-0${(n % 5) + 1}`));
      }
      const a = await w.call<{ result: unknown[] }>('2301', { feedetail: batch });
      expect(a.err_msg).toBeNull();
      expect(a.output.result).toHaveLength(50);
    }
    const n = await w.db.k.selectFrom('feedetl').select((eb) => eb.fn.countAll<number>().as('n')).where('mdtrt_id', '=', mdtrt_id).where('vali_flag', '=', '1').executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(150);
  });

  test('2302 cancels one line by serial (data as an array, as some clients send it)', async () => {
    const line = await w.db.k.selectFrom('feedetl').select(['det_item_fee_sumamt']).where('mdtrt_id', '=', mdtrt_id).where('feedetl_sn', '=', 'L0149').executeTakeFirstOrThrow();
    const a = await w.call('2302', { data: [{ feedetl_sn: 'L0149', mdtrt_id, psn_no: z(), exp_content: '' }] });
    expect(a.err_msg).toBeNull();
    total -= Math.round(Number(line.det_item_fee_sumamt) * 100);
    const missing = await w.call('2302', { data: { feedetl_sn: 'L0149', mdtrt_id, psn_no: z() } });
    expect(missing.err_msg).toBe(`就诊ID ${mdtrt_id} 没有有效的费用明细 L0149，不能撤销`);
  });

  test('2403 changes the admission (bed, department) and its diagnoses', async () => {
    const a = await w.call('2403', {
      adminfo: { mdtrt_id, psn_no: z(), insutype: '310', adm_bed: '15', adm_dept_codg: 'A0302', adm_dept_name: '心内二科', med_type: '21', ipt_otp_no: 'ZY0001' },
      diseinfo: diseinfo(z(), 'E11.900', '2型糖尿病').map((d, i) => ({ ...d, mdtrt_id, maindiag_flag: i === 0 ? '1' : '0', diag_code: i === 0 ? 'E11.900' : 'I10.x00', diag_name: i === 0 ? '2型糖尿病' : '原发性高血压' })),
    });
    expect(a.err_msg).toBeNull();
    const row = await w.db.k.selectFrom('mdtrt').select(['adm_bed', 'dept_code', 'dept_name']).where('mdtrt_id', '=', mdtrt_id).executeTakeFirstOrThrow();
    expect(row).toEqual({ adm_bed: '15', dept_code: 'A0302', dept_name: '心内二科' });
    const d = await w.db.k.selectFrom('mdtrt_diag').select(['diag_code', 'maindiag_flag']).where('mdtrt_id', '=', mdtrt_id).where('vali_flag', '=', '1').orderBy('diag_srt_no').execute();
    expect(d[0]).toEqual({ diag_code: 'E11.900', maindiag_flag: '1' });
  });

  test('2303 and 2304 agree; the settlement pays the pooled fund, the account, counts an admission', async () => {
    const medfee = (total / 100).toFixed(2);
    const pre = await w.call<SettleAnswer>('2303', setlData(z(), mdtrt_id, medfee));
    expect(pre.err_msg).toBeNull();
    const wrongTotal = await w.call('2304', setlData(z(), mdtrt_id, ((total + 1) / 100).toFixed(2)));
    expect(wrongTotal.err_msg).toBe(`医疗费总额 ${((total + 1) / 100).toFixed(2)} 元与已上传的 149 条费用明细合计 ${medfee} 元不符：字段medfee_sumamt：与费用明细合计不符`);
    // a 中途结算 preview of an admission's first settlement covers the same lines with the same figures
    const mid = await w.call<SettleAnswer>('2303', setlData(z(), mdtrt_id, medfee, { mid_setl_flag: '1' }));
    expect(mid.err_msg).toBeNull();
    expect(mid.output.setldetail).toEqual(pre.output.setldetail);
    const a = await w.call<SettleAnswer>('2304', setlData(z(), mdtrt_id, medfee));
    expect(a.err_msg).toBeNull();
    setl = a.output;
    const { setl_id: _s, setl_time: _t, medins_setl_id: _m, ...rest } = setl.setlinfo;
    const { setl_time: _pt, medins_setl_id: _pm, ...preRest } = pre.output.setlinfo;
    expect(rest).toEqual(preRest);
    expectInvariants(setl.setlinfo);
    expect(setl.setlinfo.medfee_sumamt).toBe(total / 100);
    expect(setl.setlinfo.act_pay_dedc).toBe(Math.min(600, Number(setl.setlinfo.inscp_scp_amt)));
    const acc = await loadAccumulators(w.db.k, { psn_no: z(), insutype: '310', year });
    expect(acc.admissions).toBe(1);
    const lines = await w.db.k.selectFrom('setl_feedetl').select((eb) => eb.fn.countAll<number>().as('n')).where('setl_id', '=', String(setl.setlinfo.setl_id)).executeTakeFirstOrThrow();
    expect(Number(lines.n)).toBe(149);
  });

  test('2402 discharges after settlement; lines after the discharge date are refused', async () => {
    const a = await w.call('2402', {
      dscginfo: { mdtrt_id, psn_no: z(), insutype: '310', endtime: '2025-03-06 10:00:00', dise_codg: '', dise_name: '', oprn_oprt_code: '', oprn_oprt_name: '', fpsc_no: '', matn_type: '', birctrl_type: '', latechb_flag: '', geso_val: '', fetts: '', fetus_cnt: '', pret_flag: '', birctrl_matn_date: '', cop_flag: '0', dscg_dept_codg: 'A0302', dscg_dept_name: '心内二科', dscg_bed: '15', dscg_way: '1', die_date: '', exp_content: '' },
      diseinfo: diseinfo(z()).map((d) => ({ ...d, mdtrt_id })),
    });
    expect(a.err_msg).toBeNull();
    const again = await w.call('2402', { dscginfo: { mdtrt_id, psn_no: z(), insutype: '310', endtime: '2025-03-06 10:00:00', dscg_way: '1' }, diseinfo: diseinfo(z()) });
    expect(again.err_msg).toBe(`就诊ID ${mdtrt_id} 已于 2025-03-06 10:00:00 办理出院，不能重复办理；如需修改请先撤销出院（2405）`);
    const row = await w.db.k.selectFrom('mdtrt').select(['mdtrt_stas', 'dscg_way']).where('mdtrt_id', '=', mdtrt_id).executeTakeFirstOrThrow();
    expect(row).toEqual({ mdtrt_stas: '2', dscg_way: '1' });
    const cancelDscg = await w.call('2405', { data: { mdtrt_id, psn_no: z() } });
    expect(cancelDscg.err_msg).toBe(`就诊ID ${mdtrt_id} 已结算，不能撤销出院；请先撤销住院结算（2305）`);
  });

  test('2305 reverses; the account and the accumulators are back to the fen', async () => {
    const a = await w.call<SettleAnswer>('2305', { data: { setl_id: setl.setlinfo.setl_id, mdtrt_id, psn_no: z() } });
    expect(a.err_msg).toBeNull();
    expect(a.output.setlinfo.medfee_sumamt).toBe(-total / 100);
    expect(a.output.setlinfo.hifdm_pay).toBe(0);
    expect(await w.balance(z())).toBe(balanceBefore);
    const acc = await loadAccumulators(w.db.k, { psn_no: z(), insutype: '310', year });
    expect(acc.admissions).toBe(0);
    expect(acc.groups['住院']).toEqual({ dedc_used: 0, pool_base: 0, pool_paid: 0 });
  });

  test('2405 undoes the discharge; 2404 then needs the lines cancelled first', async () => {
    expect((await w.call('2405', { data: { mdtrt_id, psn_no: z() } })).err_msg).toBeNull();
    const row = await w.db.k.selectFrom('mdtrt').select(['mdtrt_stas', 'endtime']).where('mdtrt_id', '=', mdtrt_id).executeTakeFirstOrThrow();
    expect(row).toEqual({ mdtrt_stas: '1', endtime: null });
    const refused = await w.call('2404', { data: { mdtrt_id, psn_no: z() } });
    expect(refused.err_msg).toBe(`就诊ID ${mdtrt_id} 已上传 149 条有效费用明细，请先撤销费用明细（2302）再撤销入院`);
    expect((await w.call('2302', { data: { feedetl_sn: '0000', mdtrt_id, psn_no: z() } })).err_msg).toBeNull();
    expect((await w.call('2404', { data: { mdtrt_id, psn_no: z() } })).err_msg).toBeNull();
    const after = await w.db.k.selectFrom('mdtrt').select(['vali_flag']).where('mdtrt_id', '=', mdtrt_id).executeTakeFirstOrThrow();
    expect(after.vali_flag).toBe('0');
  });
});
