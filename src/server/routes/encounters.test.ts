/**
 * /api/encounters over HTTP against a real database: encounters opened through the settlement service itself
 * (2201 registrations settled, one reversed, one cancelled; 2401 admissions, one discharged) in two cities, then
 * searched and opened as users of different roles and areas. The app is the one
 * buildApp serves, with every route registered.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fenToYuan, yuanToFen } from '../../platform/money.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { addDays, beijingDate, beijingDateTime } from '../../platform/time.js';
import { cancelEncounter, discharge, registerEncounter, type Caller } from '../../settlement/index.js';
import { insertDemoPolicies } from '../../settlement/policy/index.js';
import { call, createTestWorld, loginAs, type TestWorld } from '../test-app.js';
import { reverseVisit, settleVisit } from './settlements.fixture.js';

type Page<T> = { page_num: number; page_size: number; total: number; list: T[] };
type Row = { mdtrt_id: string; psn_no: string; psn_name: string; certno: string; fixmedins_code: string; fixmedins_name: string; ipt_otp_flag: string; med_type: string; status: string; main_diag_name: string | null; begntime: string };
type Detail = {
  mdtrt: Record<string, unknown> & { status: string };
  person: { certno: string } | null;
  diagnoses: { stage: string; diag_name: string; maindiag_flag: string }[];
  fees: { fee_cnt: number; fee_sumamt: string; cncl_cnt: number };
  settlements: { setl_id: string; infno: string; vali_flag: string; refd_setl_flag: string; medfee_sumamt: string }[];
  settled: { medfee_sumamt: string; cnt: number };
};

let w: TestWorld;
let app: FastifyInstance;
const tokens: Record<string, string> = {};
const get = <T = Record<string, unknown>>(user: string, url: string) => call<T>(app, tokens[user]!, 'GET', url);
const METFORMIN = 'XA10BAE001A001010100001';
const HA = 'H99010200001';
const HB = 'H99020000002';
const ids: Record<string, string> = {};
let a1: { setl_id: string; mdtrt_id: string; medfee_sumamt: number };
let a2: { setl_id: string; mdtrt_id: string };
let a2rev: string;

let serial = 0;
async function callerFor(code: string, at = new Date()): Promise<Caller> {
  const institution = await w.db.k.selectFrom('fixmedins').selectAll().where('fixmedins_code', '=', code).orderBy('begndate', 'desc').limit(1).executeTakeFirstOrThrow();
  serial += 1;
  return { db: w.db, actor: SYSTEM_ACTOR, institution, msgid: `${code}E${Date.now()}${serial}`.slice(0, 30), at, today: beijingDate(at), mdtrtarea_admvs: `${institution.admdvs.slice(0, 4)}00` };
}

const TCM_MAIN = [{ diag_type: '2', diag_srt_no: 1, diag_code: 'BNG010', diag_name: '中风病', maindiag_flag: '1' }];

async function admit(code: string, psn_no: string, doctor: string, no: string, hoursAgo: number): Promise<string> {
  const at = new Date();
  const r = await registerEncounter(await callerFor(code, at), {
    ipt_otp_flag: '2',
    psn_no,
    insutype: '310',
    begntime: beijingDateTime(new Date(at.getTime() - hoursAgo * 3_600_000)),
    mdtrt_cert_type: '02',
    ipt_otp_no: no,
    med_type: '21',
    atddr_no: doctor,
    dept_code: 'A03',
    dept_name: '内科',
    adm_bed: '12',
    diseinfo: TCM_MAIN,
  });
  return r.mdtrt_id;
}

beforeAll(async () => {
  w = await createTestWorld();
  await insertDemoPolicies(w.db, SYSTEM_ACTOR);
  // 甲市: 王甲 — two visits (the second reversed), then admitted and still in hospital
  a1 = await settleVisit(w.db, { fixmedins_code: HA, psn_no: w.psnA, atddr_no: 'D99010200001', items: [{ hilist_code: METFORMIN, pric: '1.00', cnt: 10 }, { hilist_code: 'XG04CAE002A002010100002', pric: '25.00', cnt: 2 }] });
  a2 = await settleVisit(w.db, { fixmedins_code: HA, psn_no: w.psnA, atddr_no: 'D99010200001', items: [{ hilist_code: METFORMIN, pric: '1.00', cnt: 30 }] });
  a2rev = await reverseVisit(w.db, HA, a2, w.psnA);
  ids.inA = await admit(HA, w.psnA, 'D99010200001', 'ZY-A-1', 20);
  // 乙市: 赵乙 — a settled visit, a registration cancelled, a stay discharged
  ids.b1 = (await settleVisit(w.db, { fixmedins_code: HB, psn_no: w.psnB, atddr_no: 'D99020000002', items: [{ hilist_code: METFORMIN, pric: '0.90', cnt: 100 }] })).mdtrt_id;
  const reg = await registerEncounter(await callerFor(HB), { ipt_otp_flag: '1', psn_no: w.psnB, insutype: '310', begntime: beijingDateTime(new Date(Date.now() - 60_000)), mdtrt_cert_type: '02', ipt_otp_no: 'MZ-B-CANCEL', atddr_no: 'D99020000002' });
  await cancelEncounter(await callerFor(HB), '1', { mdtrt_id: reg.mdtrt_id, psn_no: w.psnB });
  ids.cancelled = reg.mdtrt_id;
  ids.outB = await admit(HB, w.psnB, 'D99020000002', 'ZY-B-1', 48);
  await discharge(await callerFor(HB), { mdtrt_id: ids.outB, psn_no: w.psnB, insutype: '310', endtime: beijingDateTime(new Date(Date.now() - 3_600_000)), dscg_way: '1', diseinfo: [{ ...TCM_MAIN[0]!, diag_name: '中风病（恢复期）' }] });
  app = w.app;
  for (const u of ['admin', 'jb1', 'sh2', 'jg1']) tokens[u] = await loginAs(app, u);
}, 300_000);
afterAll(async () => {
  await w?.close();
});

describe('GET /api/encounters', () => {
  test('a province administrator sees every encounter, newest registration first, each with its derived status', async () => {
    const r = await get<Page<Row>>('admin', '/api/encounters');
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(6);
    const times = r.body.list.map((e) => e.begntime);
    expect(times).toEqual([...times].sort().reverse());
    const by = Object.fromEntries(r.body.list.map((e) => [e.mdtrt_id, e]));
    expect(by[a1.mdtrt_id]).toMatchObject({ status: 'settled', ipt_otp_flag: '1', fixmedins_name: '甲市第一人民医院', psn_name: '王甲' });
    expect(by[a2.mdtrt_id]!.status).toBe('open'); // its settlement was reversed: open again
    expect(by[ids.inA!]).toMatchObject({ status: 'open', ipt_otp_flag: '2', med_type: '21', main_diag_name: '中风病' });
    expect(by[ids.outB!]).toMatchObject({ status: 'discharged', main_diag_name: '中风病（恢复期）' }); // the discharge diagnosis wins
    expect(by[ids.cancelled!]!.status).toBe('cancelled');
    expect(by[ids.b1!]!.status).toBe('settled');
    expect(by[a1.mdtrt_id]!.certno).toMatch(/^9901\*+\d{3}[\dX]$/);
  });

  test('filters: person, institution, kind, medical type, status, 在院, dates, paging', async () => {
    const ids_ = async (q: string) => (await get<Page<Row>>('admin', `/api/encounters${q}`)).body.list.map((e) => e.mdtrt_id).sort();
    expect(await ids_(`?q=${encodeURIComponent('王甲')}`)).toEqual([a1.mdtrt_id, a2.mdtrt_id, ids.inA!].sort());
    expect(await ids_(`?q=${w.psnB.slice(0, 12)}`)).toEqual([ids.b1!, ids.cancelled!, ids.outB!].sort());
    expect(await ids_(`?psn_no=${w.psnA}&ipt_otp_flag=1`)).toEqual([a1.mdtrt_id, a2.mdtrt_id].sort());
    expect(await ids_(`?fixmedins_code=${HB}&med_type=21`)).toEqual([ids.outB!]);
    expect(await ids_('?status=settled')).toEqual([a1.mdtrt_id, ids.b1!].sort());
    expect(await ids_('?status=cancelled')).toEqual([ids.cancelled!]);
    expect(await ids_('?status=discharged')).toEqual([ids.outB!]);
    expect(await ids_('?status=open')).toEqual([a2.mdtrt_id, ids.inA!].sort());
    expect(await ids_('?in_hosp=1')).toEqual([ids.inA!]);
    expect(await ids_(`?mdtrt_id=${a1.mdtrt_id}`)).toEqual([a1.mdtrt_id]);
    // the stays began 20 and 48 hours ago, the visits now: a range ending yesterday holds the stays that began before today
    const today = beijingDate();
    const all = (await get<Page<Row>>('admin', '/api/encounters')).body.list;
    const before = all.filter((e) => e.begntime.slice(0, 10) < today).map((e) => e.mdtrt_id).sort();
    expect(before).toContain(ids.outB!);
    expect(await ids_(`?enddate=${addDays(today, -1)}`)).toEqual(before);
    expect((await get<Page<Row>>('admin', `/api/encounters?begndate=${today}&enddate=${today}`)).body.total).toBeGreaterThanOrEqual(4);
    expect((await get<Page<Row>>('admin', '/api/encounters?enddate=2024-12-31')).body.total).toBe(0);
    expect(await get('admin', '/api/encounters?begndate=2025-02-01&enddate=2025-01-01')).toMatchObject({ status: 400, body: { message: '请求参数错误：开始日期不能晚于结束日期' } });
    expect((await get('admin', '/api/encounters?status=paid')).status).toBe(400);
    const p2 = await get<Page<Row>>('admin', '/api/encounters?page_size=4&page_num=2');
    expect(p2.body).toMatchObject({ total: 6, page_num: 2 });
    expect(p2.body.list).toHaveLength(2);
  });

  test('a city user sees its city (treating or insured there); an institution user its own institution only', async () => {
    const mine = async (u: string, q = '') => (await get<Page<Row>>(u, `/api/encounters${q}`)).body.list.map((e) => e.mdtrt_id).sort();
    expect(await mine('jb1')).toEqual([a1.mdtrt_id, a2.mdtrt_id, ids.inA!].sort());
    expect(await mine('sh2')).toEqual([ids.b1!, ids.cancelled!, ids.outB!].sort());
    expect(await mine('jg1')).toEqual([a1.mdtrt_id, a2.mdtrt_id, ids.inA!].sort());
    expect(await mine('jg1', `?fixmedins_code=${HB}`)).toEqual([]);
  });

  test('POST /api/encounters/search finds by certificate number (kept out of the URL), within the scope', async () => {
    const r = await call<Page<Row>>(app, tokens.admin!, 'POST', '/api/encounters/search', { certno: w.certnoA, ipt_otp_flag: '1' });
    expect(r.status).toBe(200);
    expect(r.body.list.map((e) => e.mdtrt_id).sort()).toEqual([a1.mdtrt_id, a2.mdtrt_id].sort());
    expect((await call<Page<Row>>(app, tokens.sh2!, 'POST', '/api/encounters/search', { certno: w.certnoA })).body.total).toBe(0);
    expect((await call(app, tokens.admin!, 'POST', '/api/encounters/search', { certno: '123' })).status).toBe(400);
  });

  test('needs a login', async () => {
    expect((await call(app, null, 'GET', '/api/encounters')).status).toBe(401);
  });
});

describe('GET /api/encounters/:mdtrt_id', () => {
  test('a settled visit: fee lines counted and summed, its settlement linked', async () => {
    const r = await get<Detail>('admin', `/api/encounters/${a1.mdtrt_id}`);
    expect(r.status).toBe(200);
    expect(r.body.mdtrt).toMatchObject({ mdtrt_id: a1.mdtrt_id, status: 'settled', fixmedins_name: '甲市第一人民医院' });
    expect(r.body.fees).toMatchObject({ fee_cnt: 2, fee_sumamt: fenToYuan(a1.medfee_sumamt), cncl_cnt: 0 });
    expect(r.body.settlements.map((s) => [s.setl_id, s.infno, s.vali_flag])).toEqual([[a1.setl_id, '2207', '1']]);
    expect(yuanToFen(r.body.settled.medfee_sumamt)).toBe(a1.medfee_sumamt);
    expect(r.body.person!.certno).toMatch(/\*/);
  });

  test('a reversed visit lists the settlement and its reversal and counts nothing as settled', async () => {
    const r = await get<Detail>('admin', `/api/encounters/${a2.mdtrt_id}`);
    expect(r.body.settlements.map((s) => [s.setl_id, s.infno, s.vali_flag])).toEqual([
      [a2.setl_id, '2207', '0'],
      [a2rev, '2208', '1'],
    ]);
    expect(r.body.settled).toMatchObject({ cnt: 0, medfee_sumamt: '0.00' });
    expect(r.body.mdtrt.status).toBe('open');
  });

  test('a discharged stay: admission and discharge diagnoses, no fee lines yet', async () => {
    const r = await get<Detail>('sh2', `/api/encounters/${ids.outB}`);
    expect(r.status).toBe(200);
    expect(r.body.mdtrt).toMatchObject({ status: 'discharged', mdtrt_stas: '2', dscg_way: '1' });
    expect(r.body.diagnoses.map((d) => d.stage).sort()).toEqual(['adm', 'dscg']);
    expect(r.body.fees).toMatchObject({ fee_cnt: 0, fee_sumamt: '0.00' });
    expect(r.body.settlements).toEqual([]);
  });

  test('outside the scope or unknown: 404 with the same message shape', async () => {
    const out = await get('sh2', `/api/encounters/${a1.mdtrt_id}`);
    expect(out).toMatchObject({ status: 404, body: { message: `未找到就诊记录（就诊ID ${a1.mdtrt_id}），或该就诊不在您的管辖范围内` } });
    expect((await get('jg1', `/api/encounters/${ids.outB}`)).status).toBe(404);
    expect((await get('admin', '/api/encounters/NOPE')).status).toBe(404);
  });
});
