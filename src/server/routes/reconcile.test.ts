/**
 * /api/reconcile over HTTP against a real database: settlements (one reversed) in two cities made through the
 * settlement service, 3201 and 3202 runs recorded by the reconciliation service itself (balanced, off by one 分,
 * a detail file with a missing and an extra row), then listed, opened and cleared by month as users of different
 * roles and areas. Expected clearing amounts are summed here from the fund-ledger rows one by one. The app is the one
 * buildApp serves, with every route registered.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runPayYear, saveParams } from '../../payment/pay/index.js';
import { fenToYuan, yuanToFen, type Fen } from '../../platform/money.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { addDays, beijingDate } from '../../platform/time.js';
import { insertDemoPolicies } from '../../settlement/policy/index.js';
import { reconcileTotals, type StmtFilter, type StmtRequester } from '../../settlement/reconcile.js';
import { reconcileDetail, type DetailRow } from '../../settlement/reconcile-detail.js';
import { call, createTestWorld, loginAs, type TestWorld } from '../test-app.js';
import { reverseVisit, settleVisit } from './settlements.fixture.js';

type Page<T> = { page_num: number; page_size: number; total: number; list: T[] };
type Run = { stmt_id: string; infno: string; fixmedins_code: string; fixmedins_name: string | null; stmt_rslt: string; dif_cnt: number };
type Figure = { key: string; medins: string | number | null; centre: string | number; diff: string | number | null };
type Clearing = {
  year: number;
  total: number;
  totals: { setl_cnt: number; rev_cnt: number; clr_amt: string; fund_pay_sumamt: string; acct_pay: string };
  list: { fixmedins_code: string; fixmedins_name: string | null; month: number; setl_cnt: number; rev_cnt: number; medfee_sumamt: string; fund_pay_sumamt: string; acct_pay: string; clr_amt: string; by_fund: Record<string, string>; prepay: unknown[] }[];
};

let w: TestWorld;
let app: FastifyInstance;
const tokens: Record<string, string> = {};
const get = <T = Record<string, unknown>>(user: string, url: string) => call<T>(app, tokens[user]!, 'GET', url);
const METFORMIN = 'XA10BAE001A001010100001';
const TAMSULOSIN = 'XG04CAE002A002010100002';
const HA = 'H99010200001';
const HB = 'H99020000002';
const today = beijingDate();
const runs: Record<string, string> = {};

const requester = (admdvs: string): StmtRequester => ({ db: w.db, actor: SYSTEM_ACTOR, msgid: `T${Date.now()}${Math.random().toString().slice(2, 8)}`, opter_id: 'HIS01', opter_name: '收费员', at: new Date(), admdvs });

/** The centre's settlement rows of an institution today, as the HIS recorded them (fen), read row by row. */
async function setlRows(code: string): Promise<(DetailRow & { cash: Fen; clr_type: string; clr_optins: string })[]> {
  const rows = await w.db.k.selectFrom('setl').selectAll().where('fixmedins_code', '=', code).orderBy('setl_seq').execute();
  return rows.map((s) => ({
    setl_id: s.setl_id,
    mdtrt_id: s.mdtrt_id,
    psn_no: s.psn_no,
    medfee_sumamt: yuanToFen(s.medfee_sumamt),
    fund_pay_sumamt: yuanToFen(s.fund_pay_sumamt),
    acct_pay: yuanToFen(s.acct_pay),
    cash: yuanToFen(s.psn_cash_pay),
    refd_setl_flag: s.refd_setl_flag,
    msgid: s.medins_setl_id,
    clr_type: s.clr_type,
    clr_optins: s.clr_optins,
  }));
}

type Money = 'medfee_sumamt' | 'fund_pay_sumamt' | 'acct_pay' | 'cash';
const sum = (rows: Record<Money, Fen>[], k: Money): Fen => rows.reduce((t, r) => t + r[k], 0);

beforeAll(async () => {
  w = await createTestWorld();
  await insertDemoPolicies(w.db, SYSTEM_ACTOR);
  await settleVisit(w.db, { fixmedins_code: HA, psn_no: w.psnA, atddr_no: 'D99010200001', items: [{ hilist_code: METFORMIN, pric: '1.00', cnt: 10 }, { hilist_code: TAMSULOSIN, pric: '25.00', cnt: 2 }] });
  const a2 = await settleVisit(w.db, { fixmedins_code: HA, psn_no: w.psnA, atddr_no: 'D99010200001', items: [{ hilist_code: METFORMIN, pric: '1.10', cnt: 900 }] });
  await reverseVisit(w.db, HA, a2, w.psnA);
  await settleVisit(w.db, { fixmedins_code: HA, psn_no: w.psnA, atddr_no: 'D99010200001', items: [{ hilist_code: METFORMIN, pric: '1.10', cnt: 1500 }] });
  await settleVisit(w.db, { fixmedins_code: HB, psn_no: w.psnB, atddr_no: 'D99020000002', items: [{ hilist_code: METFORMIN, pric: '0.90', cnt: 100 }] });

  const rowsA = await setlRows(HA);
  const rowsB = await setlRows(HB);
  const filter = (code: string, r: { clr_type: string; clr_optins: string }): StmtFilter & { insutype: string; clr_type: string } => ({ fixmedins_code: code, setl_optins: r.clr_optins, stmt_begndate: addDays(today, -1), stmt_enddate: today, insutype: '310', clr_type: r.clr_type, refd_setl_flag: '1' });
  const fA = filter(HA, rowsA[0]!);
  // 3201 balanced (甲), 3201 off by one 分 in the total (甲), 3201 balanced (乙)
  runs.ok = (await reconcileTotals(requester('990100'), { ...fA, medfee_sumamt: sum(rowsA, 'medfee_sumamt'), fund_pay_sumamt: sum(rowsA, 'fund_pay_sumamt'), acct_pay: sum(rowsA, 'acct_pay'), fixmedins_setl_cnt: rowsA.length })).stmt_id;
  runs.off = (await reconcileTotals(requester('990100'), { ...fA, medfee_sumamt: sum(rowsA, 'medfee_sumamt') + 1, fund_pay_sumamt: sum(rowsA, 'fund_pay_sumamt'), acct_pay: sum(rowsA, 'acct_pay'), fixmedins_setl_cnt: rowsA.length })).stmt_id;
  runs.b = (await reconcileTotals(requester('990200'), { ...filter(HB, rowsB[0]!), medfee_sumamt: sum(rowsB, 'medfee_sumamt'), fund_pay_sumamt: sum(rowsB, 'fund_pay_sumamt'), acct_pay: sum(rowsB, 'acct_pay'), fixmedins_setl_cnt: rowsB.length })).stmt_id;
  // 3202 (甲): the file lacks the last settlement and carries one the centre never made
  const file = [...rowsA.slice(0, -1), { ...rowsA[0]!, setl_id: 'NOT-AT-CENTRE', msgid: null }];
  runs.detail = (
    await reconcileDetail(requester('990100'), { ...fA, file_qury_no: 'FQ-TEST-1', rows: file, medfee_sumamt: sum(rowsA, 'medfee_sumamt'), fund_pay_sumamt: sum(rowsA, 'fund_pay_sumamt'), cash_payamt: sum(rowsA, 'cash'), fixmedins_setl_cnt: rowsA.length }, async () => 'RF-TEST-1')
  ).stmt_id;
  app = w.app;
  for (const u of ['admin', 'jb1', 'sh2', 'jg1']) tokens[u] = await loginAs(app, u);
}, 300_000);
afterAll(async () => {
  await w?.close();
});

describe('GET /api/reconcile/runs', () => {
  test('every run newest first; filters by institution, transaction, result and date', async () => {
    const r = await get<Page<Run>>('admin', '/api/reconcile/runs');
    expect(r.status).toBe(200);
    expect(r.body.list.map((x) => x.stmt_id)).toEqual([runs.detail, runs.b, runs.off, runs.ok]);
    expect(r.body.list.find((x) => x.stmt_id === runs.ok)).toMatchObject({ infno: '3201', stmt_rslt: '0', fixmedins_name: '甲市第一人民医院' });
    const idsOf = async (q: string) => (await get<Page<Run>>('admin', `/api/reconcile/runs${q}`)).body.list.map((x) => x.stmt_id);
    expect(await idsOf('?stmt_rslt=1')).toEqual([runs.detail, runs.off]);
    expect(await idsOf('?stmt_rslt=0')).toEqual([runs.b, runs.ok]);
    expect(await idsOf('?infno=3202')).toEqual([runs.detail]);
    expect(await idsOf(`?fixmedins_code=${HB}`)).toEqual([runs.b]);
    expect(await idsOf(`?begndate=${today}&enddate=${today}`)).toHaveLength(4);
    expect(await idsOf('?enddate=2024-12-31')).toEqual([]);
    expect((await get('admin', '/api/reconcile/runs?infno=2207')).status).toBe(400);
    expect((await get('admin', '/api/reconcile/runs?begndate=2025-02-01&enddate=2025-01-01')).status).toBe(400);
  });

  test('scoped by institution: a city sees its institutions, an institution user its own', async () => {
    const idsOf = async (u: string) => (await get<Page<Run>>(u, '/api/reconcile/runs')).body.list.map((x) => x.stmt_id).sort();
    expect(await idsOf('jb1')).toEqual([runs.ok!, runs.off!, runs.detail!].sort());
    expect(await idsOf('sh2')).toEqual([runs.b!]);
    expect(await idsOf('jg1')).toEqual([runs.ok!, runs.off!, runs.detail!].sort());
  });
});

describe('GET /api/reconcile/runs/:stmt_id', () => {
  test('3201 off by one 分: both sides, the difference per figure', async () => {
    const r = await get<{ run: Run & { stmt_rslt_dscr: string }; figures: Figure[] }>('admin', `/api/reconcile/runs/${runs.off}`);
    expect(r.status).toBe(200);
    expect(r.body.run.stmt_rslt).toBe('1');
    expect(r.body.run.stmt_rslt_dscr).toContain('医疗费总额');
    const f = Object.fromEntries(r.body.figures.map((x) => [x.key, x]));
    const rowsA = await setlRows(HA);
    expect(f.medfee_sumamt).toMatchObject({ medins: fenToYuan(sum(rowsA, 'medfee_sumamt') + 1), centre: fenToYuan(sum(rowsA, 'medfee_sumamt')), diff: '0.01' });
    expect(f.fund_pay_sumamt!.diff).toBe('0.00');
    expect(f.acct_pay!.diff).toBe('0.00');
    expect(f.cash_payamt).toMatchObject({ medins: null, diff: null }); // 3201 does not send the cash
    expect(f.setl_cnt).toMatchObject({ medins: rowsA.length, centre: rowsA.length, diff: 0 });
  });

  test('3202 with a missing and an extra row: the differences by type, listed and filtered', async () => {
    const r = await get<{ run: Run; figures: Figure[]; dif_by_type: Record<string, number> }>('jb1', `/api/reconcile/runs/${runs.detail}`);
    expect(r.body.run).toMatchObject({ infno: '3202', stmt_rslt: '1', dif_cnt: 2 });
    expect(r.body.dif_by_type).toEqual({ '1': 1, '2': 1, '3': 0 });
    expect(r.body.figures.find((x) => x.key === 'acct_pay')).toMatchObject({ medins: null, diff: null });
    const rowsA = await setlRows(HA);
    const difs = await get<Page<{ dif_type: string; setl_id: string; medfee_sumamt: string | null; medins_medfee_sumamt: string | null }>>('jb1', `/api/reconcile/runs/${runs.detail}/difs`);
    expect(difs.body.total).toBe(2);
    expect(difs.body.list.map((d) => [d.dif_type, d.setl_id])).toEqual([
      ['1', 'NOT-AT-CENTRE'],
      ['2', rowsA.at(-1)!.setl_id],
    ]);
    expect(difs.body.list[1]).toMatchObject({ medins_medfee_sumamt: null, medfee_sumamt: fenToYuan(rowsA.at(-1)!.medfee_sumamt) });
    expect((await get<Page<{ setl_id: string }>>('jb1', `/api/reconcile/runs/${runs.detail}/difs?dif_type=2`)).body.list.map((d) => d.setl_id)).toEqual([rowsA.at(-1)!.setl_id]);
  });

  test('outside the scope or unknown: 404', async () => {
    expect((await get('sh2', `/api/reconcile/runs/${runs.ok}`)).status).toBe(404);
    expect((await get('sh2', `/api/reconcile/runs/${runs.detail}/difs`)).status).toBe(404);
    expect((await get('jg1', `/api/reconcile/runs/${runs.b}`)).status).toBe(404);
    expect(await get('admin', '/api/reconcile/runs/NOPE')).toMatchObject({ status: 404, body: { message: '未找到对账记录（对账ID NOPE），或该记录不在您的管辖范围内' } });
  });
});

describe('GET /api/reconcile/clearing', () => {
  test('per institution and month: the fund ledger net of the reversal, split into pooled funds and the account', async () => {
    const year = Number(today.slice(0, 4));
    const month = Number(today.slice(5, 7));
    const r = await get<Clearing>('admin', `/api/reconcile/clearing?year=${year}`);
    expect(r.status).toBe(200);
    expect(r.body.list.map((x) => [x.fixmedins_code, x.month])).toEqual([
      [HA, month],
      [HB, month],
    ]);
    for (const code of [HA, HB]) {
      const ledger = await w.db.k.selectFrom('fund_ledger').select(['fund_pay_type', 'amt']).where('fixmedins_code', '=', code).execute();
      const fen = (pred: (t: string) => boolean) => ledger.filter((l) => pred(l.fund_pay_type)).reduce((t, l) => t + yuanToFen(l.amt), 0);
      const rows = await setlRows(code);
      const row = r.body.list.find((x) => x.fixmedins_code === code)!;
      expect(row).toMatchObject({
        fund_pay_sumamt: fenToYuan(fen((t) => t !== '310200')),
        acct_pay: fenToYuan(fen((t) => t === '310200')),
        clr_amt: fenToYuan(fen(() => true)),
        setl_cnt: rows.filter((s) => s.refd_setl_flag === '0').length,
        rev_cnt: rows.filter((s) => s.refd_setl_flag === '1').length,
        medfee_sumamt: fenToYuan(sum(rows, 'medfee_sumamt')),
        prepay: [],
      });
      // the pooled funds paid equal what the settlement rows say the funds paid (net of the reversal)
      expect(row.fund_pay_sumamt).toBe(fenToYuan(sum(rows, 'fund_pay_sumamt')));
      expect(Object.values(row.by_fund).reduce((t, v) => t + yuanToFen(v), 0)).toBe(yuanToFen(row.clr_amt));
    }
    const ha = r.body.list.find((x) => x.fixmedins_code === HA)!;
    expect(yuanToFen(ha.fund_pay_sumamt)).toBeGreaterThan(0); // the big visit passed the deductible: every figure is exercised
    expect(ha).toMatchObject({ setl_cnt: 3, rev_cnt: 1, fixmedins_name: '甲市第一人民医院' });
    expect(r.body.totals.clr_amt).toBe(fenToYuan(r.body.list.reduce((t, x) => t + yuanToFen(x.clr_amt), 0)));
    expect(r.body.totals).toMatchObject({ setl_cnt: 4, rev_cnt: 1 });
  });

  test('filters and scope: another month is empty, a city sees its institutions, an institution user its own', async () => {
    const year = Number(today.slice(0, 4));
    const month = Number(today.slice(5, 7));
    const other = (month % 12) + 1;
    expect((await get<Clearing>('admin', `/api/reconcile/clearing?year=${year}&month=${other}`)).body.total).toBe(0);
    expect((await get<Clearing>('admin', `/api/reconcile/clearing?year=${year}&month=${month}&fixmedins_code=${HB}`)).body.list.map((x) => x.fixmedins_code)).toEqual([HB]);
    expect((await get<Clearing>('admin', `/api/reconcile/clearing?year=${year - 1}`)).body.total).toBe(0);
    expect((await get<Clearing>('jb1', `/api/reconcile/clearing?year=${year}`)).body.list.map((x) => x.fixmedins_code)).toEqual([HA]);
    expect((await get<Clearing>('sh2', `/api/reconcile/clearing?year=${year}`)).body.list.map((x) => x.fixmedins_code)).toEqual([HB]);
    expect((await get<Clearing>('jg1', `/api/reconcile/clearing?year=${year}&fixmedins_code=${HB}`)).body.total).toBe(0);
    expect((await get<Clearing>('admin', '/api/reconcile/clearing')).body.year).toBe(year);
    expect((await get('admin', '/api/reconcile/clearing?month=13')).status).toBe(400);
  });
});

describe('clearing beside the DRG year run', () => {
  test('the monthly pre-payment of the latest DRG run of the year is attached to the institution and month, as computed there', async () => {
    const year = Number(today.slice(0, 4));
    const mm = today.slice(5, 7);
    const tmp = mkdtempSync(join(tmpdir(), 'yibao-clearing-'));
    try {
      const file = join(tmp, 'cases.jsonl');
      const c = (id: string, date: string, cost: string, dx: string[]) => JSON.stringify({ id, fixmedins_code: HA, dscg_date: date, medfee_sumamt: cost, psn_part_amt: '100.00', gend: '1', age: 60, ipt_days: 7, dscg_way: '1', diagnoses: dx, procedures: [] });
      writeFileSync(file, [c('A1', `${year - 1}-03-01`, '8000.00', ['K22.301', 'K11.901']), c('A2', `${year - 1}-04-01`, '16000.00', ['J18.900']), c('B1', `${year}-${mm}-01`, '9000.00', ['K22.301', 'K11.901']), c('B2', `${year}-${mm}-01`, '15000.00', ['J18.900'])].join('\n'));
      await saveParams(w.db, SYSTEM_ACTOR, { admdvs: '990100', pay_type: 'drg', setl_year: year }, { begndate: `${year}-01-01`, budget: '30000.00', base_rate: '10000', params: { year_weights: { [String(year - 1)]: 1 }, trim: { method: 'none' } } });
      await runPayYear(w.db, SYSTEM_ACTOR, { pay_type: 'drg', year, admdvs: '990100', cases: file });
      // a second run supersedes the first: only the latest counts
      const latest = await runPayYear(w.db, SYSTEM_ACTOR, { pay_type: 'drg', year, admdvs: '990100', cases: file });
      const prepay = await w.db.k.selectFrom('pay_prepay').selectAll().where('run_id', '=', latest.run_id).where('fixmedins_code', '=', HA).where('setl_month', '=', Number(mm)).executeTakeFirstOrThrow();
      const r = await get<Clearing>('jb1', `/api/reconcile/clearing?year=${year}&month=${Number(mm)}`);
      expect(r.body.list.find((x) => x.fixmedins_code === HA)!.prepay).toEqual([{ pay_type: 'drg', run_id: latest.run_id, amount_due: prepay.amount_due, prepaid: prepay.prepaid }]);
      // the pre-payment is shown beside the ledger, never added to 应拨付
      const ledger = await w.db.k.selectFrom('fund_ledger').select('amt').where('fixmedins_code', '=', HA).execute();
      expect(r.body.list.find((x) => x.fixmedins_code === HA)!.clr_amt).toBe(fenToYuan(ledger.reduce((t, l) => t + yuanToFen(l.amt), 0)));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
