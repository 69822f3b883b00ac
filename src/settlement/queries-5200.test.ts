/**
 * The national 52xx queries (5201 就诊信息, 5202 诊断信息, 5203 结算信息, 5204 费用明细, 5206 人员累计信息) after a full
 * outpatient flow driven through the gateway (2201 → 2203 → 2204 → 2207): each answers the stored data with the
 * national node names; another institution sees nothing of the hospital's encounters; bad input is -1 in Chinese.
 * The queries are served by a second gateway on the same database whose registry adds them to the standard ones.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeRegistry, TRANSACTIONS } from '../gateway/registry.js';
import type { TxDef } from '../gateway/types.js';
import { gatewayRoutes } from '../gateway/routes.js';
import { newMsgid } from '../gateway/testing.js';
import { createLogger } from '../platform/logging.js';
import { tx5201 } from '../gateway/tx/5201.js';
import { tx5202 } from '../gateway/tx/5202.js';
import { tx5203 } from '../gateway/tx/5203.js';
import { tx5204 } from '../gateway/tx/5204.js';
import { tx5206 } from '../gateway/tx/5206.js';
import { DOCTORS, HOSPITAL, PHARMACY, expectInvariants, hisFeeLine, outpatientSettleData, registerVisit, settlementWorld, type SettlementWorld } from './testing.js';

const MINE: readonly TxDef[] = [tx5201, tx5202, tx5203, tx5204, tx5206] as TxDef[];
// the main registry lists them too; filtering keeps this test independent of that
const registry = makeRegistry([...TRANSACTIONS.filter((t) => !MINE.includes(t)), ...MINE]);

let w: SettlementWorld;
let app: FastifyInstance;
let mdtrt_id: string;
let setl_id: string;
let setlinfo2207: Record<string, number | string | null>;
let setldetail2207: Record<string, unknown>[];

interface Answer<T> {
  infcode: number;
  err_msg: string | null;
  output: T;
}

/** Sends a 52xx query to the gateway that serves them; a successful answer is checked against the output schema. */
async function query<T = Record<string, unknown[]>>(infno: string, data: Record<string, unknown>, inst = HOSPITAL): Promise<Answer<T>> {
  const env = w.envelope(infno, { data }, { fixmedins_code: inst, sign_no: inst === HOSPITAL ? w.signNo : '', msgid: newMsgid(inst) });
  const res = await app.inject({
    method: 'POST',
    url: '/fsi/api/rsfComIfsService/callService',
    headers: { apikey: inst === HOSPITAL ? w.keys.hospital : w.keys.pharmacy, 'content-type': 'application/json;charset=UTF-8' },
    payload: JSON.stringify(env),
  });
  expect(res.statusCode).toBe(200);
  const a = res.json() as Answer<T>;
  if (a.infcode === 0) expect([...Value.Errors(registry.get(infno)!.output, a.output)].map((e) => `${e.path} ${e.message}`)).toEqual([]);
  return a;
}

beforeAll(async () => {
  w = await settlementWorld();
  const log = createLogger('silent');
  app = Fastify({ loggerInstance: log as FastifyBaseLogger }) as unknown as FastifyInstance;
  await app.register(gatewayRoutes({ db: w.db, config: w.config, log }, { registry }));
  await app.ready();

  // a full outpatient visit of 张三丰: registration, diagnosis, three lines, settlement
  mdtrt_id = await registerVisit(w, w.people.zhang, 'MZ5200001');
  const d = await w.call('2203', {
    mdtrtinfo: { mdtrt_id, psn_no: w.people.zhang, med_type: '11', begntime: '2025-03-10 09:00:00', main_cond_dscr: '口渴多饮' },
    diseinfo: [
      { diag_type: '1', diag_srt_no: '1', diag_code: 'E11.900', diag_name: '2型糖尿病', diag_dept: '内科', dise_dor_no: DOCTORS.wang, dise_dor_name: '王医生', diag_time: '2025-03-10 09:10:00', vali_flag: '1' },
    ],
  });
  expect(d.err_msg).toBeNull();
  const f = await w.call('2204', {
    feedetail: [
      hisFeeLine(mdtrt_id, w.people.zhang, 'F0001', 'XA10BAE001A001010100001', '0.95', '1200', '1140.00'),
      hisFeeLine(mdtrt_id, w.people.zhang, 'F0002', '001102000010000', '12.00', '1', '12.00'),
      hisFeeLine(mdtrt_id, w.people.zhang, 'F0003', 'XG04CAE002A002010100002', '18.5', '2.0000', '37'),
    ],
  });
  expect(f.err_msg).toBeNull();
  const s = await w.call<{ setlinfo: Record<string, number | string | null>; setldetail: Record<string, unknown>[] }>('2207', outpatientSettleData(w.people.zhang, mdtrt_id, '1189.00', { invono: 'FP5200' }));
  expect(s.err_msg).toBeNull();
  setlinfo2207 = s.output.setlinfo;
  setldetail2207 = s.output.setldetail;
  setl_id = String(setlinfo2207.setl_id);
});
afterAll(async () => {
  await app?.close();
  await w?.close();
});

describe('5201 就诊信息查询', () => {
  test('answers the visit under mdtrtinfo with the person and the outpatient diagnosis', async () => {
    const a = await query<{ mdtrtinfo: Record<string, unknown>[] }>('5201', { psn_no: w.people.zhang, begntime: '2025-03-01 00:00:00', endtime: '2025-03-31 23:59:59', med_type: '', mdtrt_id: '' });
    expect(a.err_msg).toBeNull();
    expect(Object.keys(a.output)).toEqual(['mdtrtinfo']);
    expect(a.output.mdtrtinfo).toHaveLength(1);
    expect(a.output.mdtrtinfo[0]).toMatchObject({
      mdtrt_id,
      psn_no: w.people.zhang,
      psn_name: '张三丰',
      insutype: '310',
      med_type: '11',
      ipt_otp_no: 'MZ5200001',
      begntime: '2025-03-10 09:00:00',
      main_cond_dscr: '口渴多饮',
      otp_diag_info: 'E11.900 2型糖尿病',
      insu_optins: '990100',
      atddr_no: DOCTORS.wang,
      vali_flag: '1',
      setl_flag: '1',
      fixmedins_code: HOSPITAL,
    });
  });

  test('filters by time, med_type and mdtrt_id', async () => {
    expect((await query<{ mdtrtinfo: unknown[] }>('5201', { psn_no: w.people.zhang, begntime: '2025-04-01 00:00:00', endtime: '2025-04-30 23:59:59' })).output.mdtrtinfo).toEqual([]);
    expect((await query<{ mdtrtinfo: unknown[] }>('5201', { psn_no: w.people.zhang, med_type: '21' })).output.mdtrtinfo).toEqual([]);
    expect((await query<{ mdtrtinfo: unknown[] }>('5201', { psn_no: w.people.zhang, mdtrt_id })).output.mdtrtinfo).toHaveLength(1);
    expect((await query<{ mdtrtinfo: unknown[] }>('5201', { psn_no: w.people.zhang, endtime: '2025-03-10' })).output.mdtrtinfo).toHaveLength(1);
  });
});

describe('5202 诊断信息查询', () => {
  test('answers the valid diagnoses under diseinfo', async () => {
    const a = await query<{ diseinfo: Record<string, unknown>[] }>('5202', { mdtrt_id, psn_no: w.people.zhang });
    expect(a.err_msg).toBeNull();
    expect(Object.keys(a.output)).toEqual(['diseinfo']);
    expect(a.output.diseinfo).toEqual([
      expect.objectContaining({ mdtrt_id, psn_no: w.people.zhang, diag_type: '1', maindiag_flag: '1', diag_srt_no: 1, diag_code: 'E11.900', diag_name: '2型糖尿病', diag_dept: '内科', dise_dor_no: DOCTORS.wang, diag_time: '2025-03-10 09:10:00' }),
    ]);
  });
});

describe('5203 结算信息查询', () => {
  test('answers setlinfo and setldetail with the figures 2207 answered', async () => {
    for (const data of [{ psn_no: w.people.zhang, mdtrt_id, setl_id }, { psn_no: w.people.zhang, mdtrt_id }]) {
      const a = await query<{ setlinfo: Record<string, number | string | null>; setldetail: Record<string, unknown>[] }>('5203', data);
      expect(a.err_msg).toBeNull();
      expect(Object.keys(a.output).sort()).toEqual(['setldetail', 'setlinfo']);
      const i = a.output.setlinfo;
      for (const k of ['setl_id', 'mdtrt_id', 'psn_no', 'psn_name', 'certno', 'insutype', 'psn_type', 'setl_time', 'med_type', 'medfee_sumamt', 'fulamt_ownpay_amt', 'overlmt_selfpay', 'preselfpay_amt', 'inscp_scp_amt', 'act_pay_dedc', 'hifp_pay', 'pool_prop_selfpay', 'fund_pay_sumamt', 'psn_part_amt', 'acct_pay', 'psn_cash_pay', 'hosp_part_amt', 'balc', 'acct_mulaid_pay', 'medins_setl_id', 'clr_optins', 'clr_way', 'clr_type']) {
        expect([k, i[k]]).toEqual([k, setlinfo2207[k]]);
      }
      expect(i).toMatchObject({ psn_pay: setlinfo2207.psn_part_amt, cash_payamt: setlinfo2207.psn_cash_pay, refd_setl_flag: '0', vali_flag: '1', fixmedins_code: HOSPITAL, pay_loc: '1', invono: 'FP5200', year: String(setlinfo2207.setl_time).slice(0, 4) });
      expect(i.medfee_sumamt).toBe(1189);
      expectInvariants(i);
      expect(a.output.setldetail).toEqual(setldetail2207);
    }
  });

  test('an unknown settlement is -1 in Chinese', async () => {
    const a = await query('5203', { psn_no: w.people.zhang, mdtrt_id, setl_id: 'NOSUCHSETL' });
    expect(a.infcode).toBe(-1);
    expect(a.err_msg).toContain('未查询到结算ID NOSUCHSETL');
  });
});

describe('5204 费用明细查询', () => {
  test('answers the settled lines under feedetail with the split and the catalogue name', async () => {
    for (const data of [{ psn_no: w.people.zhang, mdtrt_id, setl_id }, { psn_no: w.people.zhang, mdtrt_id }]) {
      const a = await query<{ feedetail: Record<string, unknown>[] }>('5204', data);
      expect(a.err_msg).toBeNull();
      expect(Object.keys(a.output)).toEqual(['feedetail']);
      expect(a.output.feedetail).toEqual([
        expect.objectContaining({ mdtrt_id, setl_id, feedetl_sn: 'F0001', det_item_fee_sumamt: 1140, cnt: 1200, pric: 0.95, inscp_scp_amt: 1140, chrgitm_lv: '01', hilist_code: 'XA10BAE001A001010100001', med_list_codg: 'XA10BAE001A001010100001', hilist_name: expect.any(String) as unknown, fee_ocur_time: '2025-03-10 10:05:00', bilg_dr_codg: DOCTORS.wang }),
        expect.objectContaining({ feedetl_sn: 'F0002', det_item_fee_sumamt: 12, overlmt_amt: 2, inscp_scp_amt: 10, pric_uplmt_amt: 10 }),
        expect.objectContaining({ feedetl_sn: 'F0003', det_item_fee_sumamt: 37, selfpay_prop: 0.1, preselfpay_amt: 3.7, inscp_scp_amt: 33.3, chrgitm_lv: '02' }),
      ]);
      const sum = a.output.feedetail.reduce((s, l) => s + Math.round(Number(l.det_item_fee_sumamt) * 100), 0);
      expect(sum).toBe(118_900);
    }
  });
});

describe('5203 / 5204 of a stay settled in parts (中途结算)', () => {
  test('5204 without setl_id gives every valid line the settlement that covers it; 5203 the newest of the chain', async () => {
    const p = w.people.sun;
    const adm = await w.call<{ result: { mdtrt_id: string } }>(
      '2401',
      {
        mdtrtinfo: { psn_no: p, insutype: '310', begntime: '2025-03-01 08:00:00', mdtrt_cert_type: '02', mdtrt_cert_no: '', med_type: '21', ipt_no: 'ZY5204', atddr_no: DOCTORS.wang, chfpdr_name: '王医生', adm_diag_dscr: '头晕', adm_dept_codg: 'A0301', adm_dept_name: '心内科', adm_bed: '3', dscg_maindiag_code: 'I10.x00', dscg_maindiag_name: '原发性高血压' },
        diseinfo: [{ psn_no: p, diag_type: '1', maindiag_flag: '1', diag_srt_no: '1', diag_code: 'I10.x00', diag_name: '原发性高血压', diag_time: '2025-03-01 08:30:00' }],
      },
      { over: { insuplc_admdvs: '990100' } },
    );
    expect(adm.err_msg).toBeNull();
    const stay = adm.output.result.mdtrt_id;
    const line = (sn: string, day: string) => hisFeeLine(stay, p, sn, 'XA10BAE001A001010100001', '0.95', '100', '95.00', { fee_ocur_time: `${day} 10:00:00`, med_type: '21', chrg_bchno: undefined });
    expect((await w.call('2301', { feedetail: [line('S1', '2025-03-02'), line('S2', '2025-03-04'), line('S3', '2025-03-06')] })).err_msg).toBeNull();
    const mid = async (until: string) => {
      const a = await w.call<{ setlinfo: { setl_id: string } }>('2304', { data: { psn_no: p, mdtrt_cert_type: '02', medfee_sumamt: '95.00', psn_setlway: '01', mdtrt_id: stay, insutype: '310', acct_used_flag: '0', mid_setl_flag: '1', dscgTime: until } });
      expect(a.err_msg).toBeNull();
      return a.output.setlinfo.setl_id;
    };
    const first = await mid('2025-03-02');
    const second = await mid('2025-03-04');
    const lines = await query<{ feedetail: { feedetl_sn: string; setl_id: string | null }[] }>('5204', { psn_no: p, mdtrt_id: stay });
    expect(lines.err_msg).toBeNull();
    expect(lines.output.feedetail.map((l) => [l.feedetl_sn, l.setl_id])).toEqual([
      ['S1', first],
      ['S2', second],
      ['S3', null],
    ]);
    const byId = await query<{ feedetail: { feedetl_sn: string }[] }>('5204', { psn_no: p, mdtrt_id: stay, setl_id: first });
    expect(byId.output.feedetail.map((l) => l.feedetl_sn)).toEqual(['S1']);
    const setl = await query<{ setlinfo: { setl_id: string } }>('5203', { psn_no: p, mdtrt_id: stay });
    expect(setl.output.setlinfo.setl_id).toBe(second);
  });
});

describe('5206 人员累计信息查询', () => {
  test('answers the person’s accumulators under cuminfo (any designated institution may ask)', async () => {
    const ym = String(setlinfo2207.setl_time).slice(0, 7).replace('-', '');
    for (const inst of [HOSPITAL, PHARMACY]) {
      const a = await query<{ cuminfo: Record<string, unknown>[] }>('5206', { psn_no: w.people.zhang, cum_ym: ym }, inst);
      expect(a.err_msg).toBeNull();
      expect(Object.keys(a.output)).toEqual(['cuminfo']);
      expect(a.output.cuminfo.length).toBeGreaterThan(0);
      for (const r of a.output.cuminfo) expect(r).toMatchObject({ insutype: '310', year: ym.slice(0, 4), cum_ym: ym });
      // the pool paid what 2207's hifp_pay says
      const poolPaid = a.output.cuminfo.filter((r) => r.cum_type_code === 'G003').reduce((s, r) => s + Math.round(Number(r.cum) * 100), 0);
      expect(poolPaid).toBe(Math.round(Number(setlinfo2207.hifp_pay) * 100));
      // the same numbers as the accumulator tables
      const grp = await w.db.k.selectFrom('setl_acc_grp').selectAll().where('psn_no', '=', w.people.zhang).execute();
      for (const g of grp) {
        const dedc = a.output.cuminfo.find((r) => r.cum_type_code === 'G001' && r.acc_grp === g.acc_grp);
        expect(Math.round(Number(dedc?.cum ?? 0) * 100)).toBe(Math.round(Number(g.dedc_used) * 100));
      }
    }
  });

  test('a month before the settlement has nothing; an unknown person and a bad month are -1', async () => {
    const y = String(setlinfo2207.setl_time).slice(0, 4);
    const before = String(setlinfo2207.setl_time).slice(5, 7) === '01' ? null : `${y}01`;
    if (before) expect((await query<{ cuminfo: unknown[] }>('5206', { psn_no: w.people.zhang, cum_ym: before })).output.cuminfo).toEqual([]);
    const nobody = await query('5206', { psn_no: '99999999999999999999' });
    expect(nobody.infcode).toBe(-1);
    expect(nobody.err_msg).toContain('人员编号 99999999999999999999 不存在');
    const bad = await query('5206', { psn_no: w.people.zhang, cum_ym: '2025-13' });
    expect(bad.infcode).toBe(-1);
    expect(bad.err_msg).toMatch(/cum_ym/);
  });
});

describe('another institution sees nothing', () => {
  test('the pharmacy gets no encounter, diagnosis, settlement or fee line of the hospital', async () => {
    expect((await query<{ mdtrtinfo: unknown[] }>('5201', { psn_no: w.people.zhang }, PHARMACY)).output.mdtrtinfo).toEqual([]);
    expect((await query<{ diseinfo: unknown[] }>('5202', { psn_no: w.people.zhang, mdtrt_id }, PHARMACY)).output.diseinfo).toEqual([]);
    expect((await query<{ feedetail: unknown[] }>('5204', { psn_no: w.people.zhang, mdtrt_id, setl_id }, PHARMACY)).output.feedetail).toEqual([]);
    const s = await query('5203', { psn_no: w.people.zhang, mdtrt_id, setl_id }, PHARMACY);
    expect(s.infcode).toBe(-1);
    expect(s.err_msg).toContain('本机构未查询到结算ID');
    // the answer is the same as for a settlement that does not exist at all
    const none = await query('5203', { psn_no: w.people.zhang, mdtrt_id: 'NOSUCHMDTRT', setl_id }, PHARMACY);
    expect(none.err_msg?.replace('NOSUCHMDTRT', mdtrt_id)).toBe(s.err_msg);
  });

  test('a visit of another person is not shown under this person', async () => {
    expect((await query<{ diseinfo: unknown[] }>('5202', { psn_no: w.people.li, mdtrt_id })).output.diseinfo).toEqual([]);
    expect((await query<{ mdtrtinfo: unknown[] }>('5201', { psn_no: w.people.li })).output.mdtrtinfo).toEqual([]);
  });
});

describe('bad input is -1 with a Chinese err_msg', () => {
  test('missing required fields, bad times, a start after the end', async () => {
    const a = await query('5201', { begntime: '2025-03-01 00:00:00' });
    expect(a.infcode).toBe(-1);
    expect(a.err_msg).toMatch(/psn_no/);
    expect(a.err_msg).toMatch(/缺少必填项/);
    const b = await query('5201', { psn_no: w.people.zhang, begntime: '2025/03/01' });
    expect(b.infcode).toBe(-1);
    expect(b.err_msg).toMatch(/时间格式|日期格式|格式错误/);
    const c = await query('5201', { psn_no: w.people.zhang, begntime: '2025-04-01 00:00:00', endtime: '2025-03-01 00:00:00' });
    expect(c.infcode).toBe(-1);
    expect(c.err_msg).toContain('晚于结束时间');
    for (const infno of ['5202', '5203', '5204']) {
      const d = await query(infno, { psn_no: w.people.zhang });
      expect(d.infcode).toBe(-1);
      expect(d.err_msg).toMatch(/mdtrt_id.*缺少必填项|缺少必填项.*mdtrt_id/);
    }
  });
});

describe('after 2208 撤销', () => {
  test('5203 answers the reversal by its setl_id (negative amounts) and the original as reversed; 5206 is back to nothing', async () => {
    const r = await w.call<{ setlinfo: Record<string, number | string> }>('2208', { data: { setl_id, mdtrt_id, psn_no: w.people.zhang } });
    expect(r.err_msg).toBeNull();
    const rev = await query<{ setlinfo: Record<string, number | string | null>; setldetail: { fund_payamt: number }[] }>('5203', { psn_no: w.people.zhang, mdtrt_id, setl_id: r.output.setlinfo.setl_id });
    expect(rev.err_msg).toBeNull();
    expect(rev.output.setlinfo).toMatchObject({ refd_setl_flag: '1', init_setl_id: setl_id, medfee_sumamt: -1189, acct_pay: -Number(setlinfo2207.acct_pay) });
    expectInvariants(rev.output.setlinfo);
    const orig = await query<{ setlinfo: Record<string, unknown> }>('5203', { psn_no: w.people.zhang, mdtrt_id, setl_id });
    expect(orig.output.setlinfo).toMatchObject({ refd_setl_flag: '0', vali_flag: '0' });
    const lines = await query<{ feedetail: { setl_id: string }[] }>('5204', { psn_no: w.people.zhang, mdtrt_id, setl_id: r.output.setlinfo.setl_id });
    expect(lines.output.feedetail.map((l) => l.setl_id)).toEqual([r.output.setlinfo.setl_id, r.output.setlinfo.setl_id, r.output.setlinfo.setl_id]);
    const ym = String(setlinfo2207.setl_time).slice(0, 7).replace('-', '');
    expect((await query<{ cuminfo: unknown[] }>('5206', { psn_no: w.people.zhang, cum_ym: ym })).output.cuminfo).toEqual([]);
  });
});
