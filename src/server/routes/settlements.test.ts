/**
 * The settlement, dashboard and job routes over HTTP against a real database: settlements made through the
 * settlement service in two cities, then searched, opened and aggregated as users of different roles and areas.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { startJob } from '../../platform/jobs.js';
import { yuanToFen } from '../../platform/money.js';
import { beijingDate } from '../../platform/time.js';
import { insertDemoPolicies } from '../../settlement/policy/index.js';
import { call, createTestWorld, loginAs, type TestWorld } from '../test-app.js';
import { reverseVisit, settleVisit } from './settlements.fixture.js';

type Page<T> = { page_num: number; page_size: number; total: number; list: T[] };
type Row = { setl_id: string; psn_no: string; psn_name: string; certno: string; fixmedins_code: string; fixmedins_name: string; infno: string; vali_flag: string; medfee_sumamt: string };

let w: TestWorld;
const tokens: Record<string, string> = {};
const as = <T = Record<string, unknown>>(user: string, url: string) => call<T>(w.app, tokens[user]!, 'GET', url);
const METFORMIN = 'XA10BAE001A001010100001';
const TAMSULOSIN = 'XG04CAE002A002010100002';
let a1: { setl_id: string; mdtrt_id: string };
let a2: { setl_id: string; mdtrt_id: string };
let a2rev: string;
let b1: { setl_id: string; mdtrt_id: string };

beforeAll(async () => {
  w = await createTestWorld();
  await insertDemoPolicies(w.db, SYSTEM_ACTOR);
  // 甲市: 王甲 twice at the 三级 hospital (the second reversed); 乙市: 赵乙 once at the 二级 hospital
  a1 = await settleVisit(w.db, { fixmedins_code: 'H99010200001', psn_no: w.psnA, atddr_no: 'D99010200001', items: [{ hilist_code: METFORMIN, pric: '1.00', cnt: 10 }, { hilist_code: TAMSULOSIN, pric: '25.00', cnt: 2 }] });
  a2 = await settleVisit(w.db, { fixmedins_code: 'H99010200001', psn_no: w.psnA, atddr_no: 'D99010200001', items: [{ hilist_code: METFORMIN, pric: '1.00', cnt: 30 }] });
  a2rev = await reverseVisit(w.db, 'H99010200001', a2, w.psnA);
  b1 = await settleVisit(w.db, { fixmedins_code: 'H99020000002', psn_no: w.psnB, atddr_no: 'D99020000002', items: [{ hilist_code: METFORMIN, pric: '0.90', cnt: 100 }] });
  for (const u of ['admin', 'jb1', 'sh2', 'jg1', 'jh1']) tokens[u] = await loginAs(w.app, u);
}, 300_000);
afterAll(async () => w?.close());

describe('GET /api/settlements', () => {
  test('a province administrator sees every settlement and reversal, newest first, with masked certificate numbers', async () => {
    const r = await as<Page<Row>>('admin', '/api/settlements');
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(4);
    expect(r.body.list.map((s) => s.setl_id)).toEqual([b1.setl_id, a2rev, a2.setl_id, a1.setl_id]);
    const rev = r.body.list.find((s) => s.setl_id === a2rev)!;
    expect(rev).toMatchObject({ infno: '2208', vali_flag: '1', medfee_sumamt: '-30.00', fixmedins_name: '甲市第一人民医院' });
    expect(r.body.list.find((s) => s.setl_id === a2.setl_id)).toMatchObject({ infno: '2207', vali_flag: '0', medfee_sumamt: '30.00' });
    expect(r.body.list[0]!.certno).toMatch(/^9902\*+\d{3}[\dX]$/);
  });

  test('filters: person name, institution, infno, status, dates, insutype', async () => {
    expect((await as<Page<Row>>('admin', `/api/settlements?q=${encodeURIComponent('王甲')}`)).body.total).toBe(3);
    expect((await as<Page<Row>>('admin', `/api/settlements?q=${w.psnB.slice(0, 12)}`)).body.list.map((s) => s.setl_id)).toContain(b1.setl_id);
    expect((await as<Page<Row>>('admin', '/api/settlements?fixmedins_code=H99020000002')).body.list.map((s) => s.setl_id)).toEqual([b1.setl_id]);
    expect((await as<Page<Row>>('admin', '/api/settlements?infno=2208')).body.list.map((s) => s.setl_id)).toEqual([a2rev]);
    expect((await as<Page<Row>>('admin', '/api/settlements?vali_flag=0')).body.list.map((s) => s.setl_id)).toEqual([a2.setl_id]);
    expect((await as<Page<Row>>('admin', '/api/settlements?insutype=390')).body.total).toBe(0);
    const today = beijingDate();
    expect((await as<Page<Row>>('admin', `/api/settlements?begndate=${today}&enddate=${today}`)).body.total).toBe(4);
    expect((await as<Page<Row>>('admin', '/api/settlements?enddate=2024-12-31')).body.total).toBe(0);
    expect(await as('admin', '/api/settlements?begndate=2025-02-01&enddate=2025-01-01')).toMatchObject({ status: 400, body: { message: '请求参数错误：开始日期不能晚于结束日期' } });
    expect((await as('admin', '/api/settlements?infno=2201')).status).toBe(400);
    expect((await as<Page<Row>>('admin', '/api/settlements?page_size=1&page_num=2')).body.list.map((s) => s.setl_id)).toEqual([a2rev]);
  });

  test('a city user sees only its city; an institution user only its own institution', async () => {
    const jb1 = await as<Page<Row>>('jb1', '/api/settlements');
    expect(jb1.body.list.map((s) => s.setl_id).sort()).toEqual([a1.setl_id, a2.setl_id, a2rev].sort());
    expect((await as<Page<Row>>('sh2', '/api/settlements')).body.list.map((s) => s.setl_id)).toEqual([b1.setl_id]);
    expect((await as<Page<Row>>('jg1', '/api/settlements')).body.total).toBe(3);
    expect((await as<Page<Row>>('jg1', '/api/settlements?fixmedins_code=H99020000002')).body.total).toBe(0);
  });
});

describe('GET /api/settlements/:setl_id', () => {
  test('the detail: setlinfo, funds with setl_proc_info, fee lines split four ways, encounter, history', async () => {
    const r = await as<{
      setlinfo: Record<string, unknown>;
      setldetail: { fund_pay_type: string; fund_payamt: string; setl_proc_info: string }[];
      feedetail: { hilist_code: string; hilist_name: string; det_item_fee_sumamt: string; fulamt_ownpay_amt: string; overlmt_amt: string; preselfpay_amt: string; inscp_scp_amt: string }[];
      mdtrt: Record<string, unknown>;
      person: Record<string, unknown>;
      history: { setl_id: string; infno: string }[];
    }>('jb1', `/api/settlements/${a1.setl_id}`);
    expect(r.status).toBe(200);
    expect(r.body.setlinfo).toMatchObject({ setl_id: a1.setl_id, infno: '2207', medfee_sumamt: '60.00', fixmedins_name: '甲市第一人民医院', hosp_lv: '3' });
    expect(r.body.setldetail.length).toBeGreaterThan(0);
    expect(r.body.setldetail.every((d) => d.setl_proc_info.length > 0)).toBe(true);
    // setldetail: the pooled fund rows add up to fund_pay_sumamt, the personal account row (310200) to acct_pay
    const pooled = r.body.setldetail.filter((d) => d.fund_pay_type !== '310200');
    expect(pooled.reduce((t, d) => t + yuanToFen(d.fund_payamt), 0)).toBe(yuanToFen(String(r.body.setlinfo.fund_pay_sumamt)));
    expect(r.body.setldetail.find((d) => d.fund_pay_type === '310200')?.fund_payamt).toBe(r.body.setlinfo.acct_pay);
    expect(r.body.feedetail.map((l) => [l.hilist_name, l.det_item_fee_sumamt])).toEqual([
      ['二甲双胍片', '10.00'],
      ['坦索罗辛缓释胶囊', '50.00'],
    ]);
    // each line's split adds up to its amount; 二甲双胍 (甲类, under its cap) is wholly 政策范围内
    for (const l of r.body.feedetail) {
      expect(yuanToFen(l.fulamt_ownpay_amt) + yuanToFen(l.overlmt_amt) + yuanToFen(l.preselfpay_amt) + yuanToFen(l.inscp_scp_amt)).toBe(yuanToFen(l.det_item_fee_sumamt));
    }
    expect(r.body.feedetail[0]).toMatchObject({ inscp_scp_amt: '10.00', fulamt_ownpay_amt: '0.00', overlmt_amt: '0.00', preselfpay_amt: '0.00' });
    // 坦索罗辛 at 25.00 over the 22.00 cap of a 三级 hospital: at least the 6.00 above the cap is the patient's
    // (超限价, or all of it 全自费 when the real-time audit refuses the line)
    const tams = r.body.feedetail[1]!;
    expect(yuanToFen(tams.overlmt_amt) + yuanToFen(tams.fulamt_ownpay_amt)).toBeGreaterThanOrEqual(600);
    expect(r.body.setldetail[0]!.setl_proc_info).toContain('起付线');
    expect(r.body.mdtrt).toMatchObject({ mdtrt_id: a1.mdtrt_id, ipt_otp_flag: '1', fixmedins_code: 'H99010200001' });
    expect(r.body.person).toMatchObject({ psn_no: w.psnA, psn_name: '王甲' });
    expect(String(r.body.person.certno)).toContain('*');
    expect(r.body.history.map((h) => h.setl_id)).toEqual([a1.setl_id]);
  });

  test('a reversed settlement shows its reversal in the history', async () => {
    const r = await as<{ history: { setl_id: string; infno: string; init_setl_id: string | null }[] }>('jb1', `/api/settlements/${a2.setl_id}`);
    expect(r.body.history).toEqual([expect.objectContaining({ setl_id: a2.setl_id, infno: '2207' }), expect.objectContaining({ setl_id: a2rev, infno: '2208', init_setl_id: a2.setl_id })]);
  });

  test('another city’s or another institution’s settlement is 404 like one that does not exist', async () => {
    const msg = `未找到结算记录（结算ID ${b1.setl_id}），或该结算不在您的管辖范围内`;
    expect(await as('jb1', `/api/settlements/${b1.setl_id}`)).toEqual({ status: 404, body: { code: 'NOT_FOUND', message: msg, problems: [] } });
    expect((await as('jg1', `/api/settlements/${b1.setl_id}`)).status).toBe(404);
    expect((await as('jg1', `/api/settlements/${a1.setl_id}`)).status).toBe(200);
    expect((await as('sh2', `/api/settlements/${b1.setl_id}`)).status).toBe(200);
    expect((await as('admin', '/api/settlements/99010020260101000000')).status).toBe(404);
  });
});

describe('GET /api/dashboard', () => {
  type Dash = {
    today: { setl_cnt: number; medfee_sumamt: string; fund_pay_sumamt: string };
    year: { setl_cnt: number; medfee_sumamt: string; fund_pay_sumamt: string; acct_pay: string };
    by_fund: { fund_pay_type: string; fund_payamt: string }[];
    by_insutype: { insutype: string; setl_cnt: number }[];
    by_hosp_lv: { hosp_lv: string; setl_cnt: number }[];
    top_institutions: { fixmedins_code: string; setl_cnt: number }[];
    trend: { ym: string; setl_cnt: number }[];
    avg_cost: { ipt_otp_flag: string; setl_cnt: number; avg_medfee: string }[];
    audit: { suspects: { stas: string; suspect_cnt: number; vola_amt: string }[] };
    drg: null;
  };

  test('net figures: a reversed settlement does not count; funds add up to the fund total', async () => {
    const r = await as<Dash>('admin', '/api/dashboard');
    expect(r.status).toBe(200);
    expect(r.body.today).toMatchObject({ setl_cnt: 2, medfee_sumamt: '150.00' });
    expect(r.body.year).toMatchObject({ setl_cnt: 2, medfee_sumamt: '150.00' });
    // by fund type: the pooled funds plus the personal account (310200)
    expect(r.body.by_fund.reduce((t, f) => t + yuanToFen(f.fund_payamt), 0)).toBe(yuanToFen(r.body.year.fund_pay_sumamt) + yuanToFen(r.body.year.acct_pay));
    expect(r.body.by_insutype).toEqual([expect.objectContaining({ insutype: '310', setl_cnt: 2 })]);
    expect(r.body.by_hosp_lv.map((x) => [x.hosp_lv, x.setl_cnt])).toEqual([
      ['2', 1],
      ['3', 1],
    ]);
    expect(r.body.top_institutions.map((t) => t.fixmedins_code).sort()).toEqual(['H99010200001', 'H99020000002']);
    expect(r.body.trend).toHaveLength(12);
    expect(r.body.trend.at(-1)).toMatchObject({ ym: beijingDate().slice(0, 7), setl_cnt: 2 });
    expect(r.body.avg_cost).toEqual([expect.objectContaining({ ipt_otp_flag: '1', setl_cnt: 2, avg_medfee: '75.00' }), expect.objectContaining({ ipt_otp_flag: '2', setl_cnt: 0 })]);
    expect(r.body.drg).toBeNull();
  });

  test('scoped: a city sees its own figures, an institution its own; an earlier date sees nothing yet', async () => {
    expect((await as<Dash>('jb1', '/api/dashboard')).body.year).toMatchObject({ setl_cnt: 1, medfee_sumamt: '60.00' });
    expect((await as<Dash>('sh2', '/api/dashboard')).body.year).toMatchObject({ setl_cnt: 1, medfee_sumamt: '90.00' });
    expect((await as<Dash>('jg1', '/api/dashboard')).body.top_institutions.map((t) => t.fixmedins_code)).toEqual(['H99010200001']);
    expect((await as<Dash>('admin', '/api/dashboard?on=2024-06-30')).body.year.setl_cnt).toBe(0);
  });

  test('audit suspects are counted by status with their amounts, within the scope', async () => {
    // suspects as the audit engine writes them (migration 0013)
    const suspect = (id: string, admdvs: string, fixmedins_code: string, psn_no: string, amt: string, stas: string) =>
      sql`insert into audit_suspect (suspect_id, stage, rule_id, rule_ver, rule_name, sev_deg, vola_bhvr_type, admdvs, fixmedins_code, psn_no, vola_cont, vola_amt, evidence, dedup_key, stas)
          values (${id}, '3', 'R001', 1, '测试规则', '1', '1', ${admdvs}, ${fixmedins_code}, ${psn_no}, '测试疑点', ${amt}, '{}'::jsonb, ${id}, ${stas})`.execute(w.db.k);
    await suspect('S1', '990102', 'H99010200001', w.psnA, '12.50', '0');
    await suspect('S2', '990200', 'H99020000002', w.psnB, '7.00', '2');
    expect((await as<Dash>('admin', '/api/dashboard')).body.audit.suspects).toEqual([
      { stas: '0', suspect_cnt: 1, vola_amt: '12.50' },
      { stas: '2', suspect_cnt: 1, vola_amt: '7.00' },
    ]);
    expect((await as<Dash>('jb1', '/api/dashboard')).body.audit.suspects).toEqual([{ stas: '0', suspect_cnt: 1, vola_amt: '12.50' }]);
  });

  test('permissions: dashboard and settlements are open to agency roles and institution users', async () => {
    expect((await as('jg1', '/api/dashboard')).status).toBe(200);
    expect((await as('jh1', '/api/settlements')).status).toBe(200);
  });
});

describe('GET /api/jobs', () => {
  test('a job and its progress, visible within its area; institution users have no access', async () => {
    const job = await startJob(w.db, SYSTEM_ACTOR, 'audit-batch', { year: 2026 }, { admdvs: '990100', total: 10, stage: '正在审核' });
    await job.progress({ done: 4 }, true);
    const other = await startJob(w.db, SYSTEM_ACTOR, 'snapshot', {}, { admdvs: '990200' });
    const list = await as<{ list: { job_id: string; done: number; total: number; ratio: number; status: string }[] }>('jb1', '/api/jobs');
    expect(list.body.list.map((j) => j.job_id)).toEqual([job.job_id]);
    expect(list.body.list[0]).toMatchObject({ done: 4, total: 10, ratio: 0.4, status: 'running' });
    expect((await as<{ list: unknown[] }>('admin', '/api/jobs')).body.list).toHaveLength(2);
    expect((await as<{ list: unknown[] }>('admin', '/api/jobs?kind=snapshot')).body.list).toHaveLength(1);
    await job.finish({ suspects: 3 });
    expect(await as('jb1', `/api/jobs/${job.job_id}`)).toMatchObject({ status: 200, body: { status: 'done', result: { suspects: 3 } } });
    expect((await as('jb1', `/api/jobs/${other.job_id}`)).status).toBe(403);
    expect((await as('jb1', '/api/jobs/nope')).status).toBe(404);
    expect((await as('jg1', '/api/jobs')).status).toBe(403);
  });
});
