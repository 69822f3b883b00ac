/**
 * /api/fund over HTTP against a real database: who may read and record, Chinese validation errors, income entries
 * (with a correction) and an opening balance, and the monthly overview checked against the fund ledger rows the
 * settlements really wrote (expenditure, balance, months of reserve, 同比 / 环比 growth), the warnings (可支付月数 < 6,
 * growth above the threshold), the balance per fund, area scoping, and the DRG CMI of a year run.
 * The app is the one buildApp serves, with every route registered.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certnoCheckChar } from '../../enrollment/certno.js';
import { bulkEnroll } from '../../enrollment/persons.js';
import { growthPct, monthsOfReserve } from '../../fund/index.js';
import { runPayYear, saveParams } from '../../payment/pay/index.js';
import { fenToYuan, yuanToFen } from '../../platform/money.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { insertDemoPolicies } from '../../settlement/policy/index.js';
import { call, createTestWorld, loginAs, type TestWorld } from '../test-app.js';
import { settleVisit } from './settlements.fixture.js';

let w: TestWorld;
let app: FastifyInstance;
let tmp: string;
const tokens: Record<string, string> = {};
const METFORMIN = 'XA10BAE001A001010100001';
const YEAR = 2026;

type Overview = {
  opening_balance: string;
  months: { month: number; income: string; by_kind: Record<string, string>; expenditure: string; balance: string; months_of_reserve: string | null; expenditure_prev_year: string; expenditure_yoy: string | null; expenditure_mom: string | null }[];
  totals: { income: string; expenditure: string; expenditure_prev_year: string; expenditure_yoy: string | null };
  through_month: number | null;
  by_fund: { insutype: string; fund_pay_type: string; opening_balance: string; income: string; expenditure: string; net: string; balance: string }[];
  warnings: { month: number; kind: string; level: string; value: string; threshold: string; message: string }[];
  thresholds: { growth_pct: number; reserve_red_months: number; reserve_amber_months: number };
  drg: { cmi: string | null; runs: { admdvs: string; cmi: string | null; grouped_cnt: number }[] };
};

/** The fund ledger of an area prefix by Beijing month index (year × 12 + month − 1), in fen, read row by row. */
async function ledgerByMonth(prefix: string): Promise<Map<number, number>> {
  const rows = await w.db.k.selectFrom('fund_ledger').select(['amt', 'setl_time', 'insu_admdvs']).execute();
  const out = new Map<number, number>();
  for (const r of rows) {
    if (!r.insu_admdvs.startsWith(prefix)) continue;
    const bj = new Date(new Date(r.setl_time).getTime() + 8 * 3600_000);
    const i = bj.getUTCFullYear() * 12 + bj.getUTCMonth();
    out.set(i, (out.get(i) ?? 0) + yuanToFen(r.amt));
  }
  return out;
}

beforeAll(async () => {
  w = await createTestWorld();
  await insertDemoPolicies(w.db, SYSTEM_ACTOR);
  app = w.app;
  const visit = (code: string, psn: string, doctor: string, at: string, cnt: number) => settleVisit(w.db, { fixmedins_code: code, psn_no: psn, atddr_no: doctor, items: [{ hilist_code: METFORMIN, pric: '0.90', cnt }], at: new Date(at) });
  // 甲市: visits in Mar 2025 (the 同比 base of Mar 2026), Nov 2025 (inside the 12-month window of early 2026), Jan and
  // Mar 2026; 乙市: one in Feb 2026
  // 甲市 also: 王丙 (no personal account) above the 1,000 元 outpatient 起付线 so that 统筹 pays, in March 2025 and,
  // with a larger fee, in March 2026 (同比)
  const c = `99010219700303003${certnoCheckChar('99010219700303003')}`;
  const { psn_nos } = await bulkEnroll(w.db, [{ certno: c, psn_name: '王丙', gend: '1', brdy: '1970-03-03', naty: '01', psn_type: '1101', insutype: '310', begndate: '2020-01-01', insuplc_admdvs: '990100', card_no: 'K99010000003' }], SYSTEM_ACTOR);
  await visit('H99010200001', psn_nos[0]!, 'D99010200001', '2025-03-12T10:00:00+08:00', 1500);
  await visit('H99010200001', psn_nos[0]!, 'D99010200001', '2026-03-12T10:00:00+08:00', 2000);
  await visit('H99010200001', w.psnA, 'D99010200001', '2025-11-20T10:00:00+08:00', 200);
  await visit('H99010200001', w.psnA, 'D99010200001', '2026-01-15T10:00:00+08:00', 100);
  await visit('H99010200001', w.psnA, 'D99010200001', '2026-03-31T23:30:00+08:00', 300); // late evening: still March in Beijing
  await visit('H99020000002', w.psnB, 'D99020000002', '2026-02-10T10:00:00+08:00', 150);
  for (const u of ['jb1', 'sh2', 'jg1', 'admin']) tokens[u] = await loginAs(app, u);
}, 300_000);
afterAll(async () => {
  await w?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const income = { admdvs: '990100', insutype: '310', fund_pay_type: '310100', year: YEAR };

describe('/api/fund', () => {
  it('is for the agency: 机构用户 is refused; 审核员 may read his own city but neither another city nor record income', async () => {
    const inst = await call(app, tokens.jg1!, 'GET', `/api/fund/overview?year=${YEAR}`);
    expect([inst.status, inst.body.message]).toEqual([403, '无权访问：基金收支只对医保经办机构人员开放']);
    expect((await call(app, tokens.sh2!, 'GET', `/api/fund/overview?year=${YEAR}`)).status).toBe(200);
    expect((await call(app, tokens.sh2!, 'GET', `/api/fund/overview?year=${YEAR}&admdvs=990100`)).status).toBe(403);
    expect((await call(app, tokens.sh2!, 'POST', '/api/fund/income', { ...income, admdvs: '990200', month: 1, clct_inc: '1.00' })).status).toBe(403);
    expect((await call(app, tokens.jb1!, 'POST', '/api/fund/income', { ...income, admdvs: '990200', month: 1, clct_inc: '1.00' })).status).toBe(403);
  });

  it('refuses bad entries with Chinese problems and writes nothing', async () => {
    const bad = await call<{ message: string; problems: { field: string }[] }>(app, tokens.jb1!, 'POST', '/api/fund/income', { ...income, fund_pay_type: '123456', month: 1, clct_inc: '1.005' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('基金支付类型“123456”不在码表中');
    expect(bad.body.problems.map((p) => p.field).sort()).toEqual(['clct_inc', 'fund_pay_type']);
    const zero = await call(app, tokens.jb1!, 'POST', '/api/fund/income', { ...income, month: 2, clct_inc: '0' });
    expect([zero.status, zero.body.message]).toEqual([400, '基金收入登记有误：征缴收入、财政补助收入、利息收入、其他收入不能都为 0']);
    expect((await w.db.k.selectFrom('fund_income').select('fund_inc_id').execute()).length).toBe(0);
  });

  it('records income (a correction is a new entry) and an opening balance, each with its log row', async () => {
    const a = await call<{ fund_inc_id: number; total: string }>(app, tokens.jb1!, 'POST', '/api/fund/income', { ...income, month: 1, clct_inc: '1000', fin_subs_inc: 250.5 });
    expect([a.status, a.body.total]).toEqual([201, '1250.50']);
    expect((await call(app, tokens.jb1!, 'POST', '/api/fund/income', { ...income, month: 1, clct_inc: '-100.00', memo: '更正：重复征缴' })).status).toBe(201);
    expect((await call(app, tokens.jb1!, 'POST', '/api/fund/income', { ...income, month: 3, int_inc: '12.34', oth_inc: '7' })).status).toBe(201);
    const open = await call(app, tokens.jb1!, 'POST', '/api/fund/opening-balance', { ...income, open_balc: '5000.00' });
    expect([open.status, open.body.open_balc]).toEqual([200, '5000.00']);
    const logs = await w.db.k.selectFrom('opt_log').select('action').where('action', 'like', 'fund.%').execute();
    expect(logs.map((l) => l.action).sort()).toEqual(['fund.income.record', 'fund.income.record', 'fund.income.record', 'fund.opening.set']);
  });

  it('overview: income by kind, expenditure from the ledger, balance and months of reserve month by month', async () => {
    const r = await call<Overview>(app, tokens.jb1!, 'GET', `/api/fund/overview?year=${YEAR}`);
    expect(r.status).toBe(200);
    const o = r.body;
    expect(o.months.map((m) => m.income).slice(0, 4)).toEqual(['1150.50', '0.00', '19.34', '0.00']);
    expect(o.months[0]!.by_kind).toEqual({ clct_inc: '900.00', fin_subs_inc: '250.50', int_inc: '0.00', oth_inc: '0.00' });
    const spend = await ledgerByMonth('9901');
    expect([...spend.values()].every((v) => v > 0)).toBe(true);
    const first = Math.min(...spend.keys());
    let balance = yuanToFen('5000.00');
    expect(o.opening_balance).toBe('5000.00');
    for (const m of o.months) {
      const i = YEAR * 12 + m.month - 1;
      const out = spend.get(i) ?? 0;
      expect(m.expenditure, `month ${m.month}`).toBe(fenToYuan(out));
      balance += yuanToFen(m.income) - out;
      expect(m.balance).toBe(fenToYuan(balance));
      let sum = 0;
      let n = 0;
      for (let j = Math.max(i - 11, first); j <= i; j++, n++) sum += spend.get(j) ?? 0;
      expect(m.months_of_reserve, `month ${m.month}`).toBe(monthsOfReserve(balance, sum, n));
    }
    expect(o.months[1]!.expenditure).toBe('0.00'); // 乙市's February visit is not 甲市's
    expect(o.by_fund.find((f) => f.fund_pay_type === '310100')?.income).toBe('1169.84');
  });

  it('scopes by area: 乙市 sees its own expenditure and none of 甲市 income; the province sees both', async () => {
    const b = (await call<Overview>(app, tokens.sh2!, 'GET', `/api/fund/overview?year=${YEAR}`)).body;
    const spendB = await ledgerByMonth('9902');
    expect(b.totals.income).toBe('0.00');
    expect(b.totals.expenditure).toBe(fenToYuan([...spendB].filter(([i]) => Math.floor(i / 12) === YEAR).reduce((s, [, v]) => s + v, 0)));
    const all = (await call<Overview>(app, tokens.admin!, 'GET', `/api/fund/overview?year=${YEAR}`)).body;
    const a = (await call<Overview>(app, tokens.jb1!, 'GET', `/api/fund/overview?year=${YEAR}`)).body;
    expect(yuanToFen(all.totals.expenditure)).toBe(yuanToFen(a.totals.expenditure) + yuanToFen(b.totals.expenditure));
    expect(all.totals.income).toBe(a.totals.income);
  });

  it('carries an earlier opening balance forward with the flows of the years between', async () => {
    const o2025 = (await call<Overview>(app, tokens.jb1!, 'GET', `/api/fund/overview?year=2025&fund_pay_type=310100&insutype=310`)).body;
    expect(o2025.opening_balance).toBe('0.00'); // no row for 2025 or before
    const o2027 = (await call<Overview>(app, tokens.jb1!, 'GET', `/api/fund/overview?year=2027&fund_pay_type=310100&insutype=310`)).body;
    const o2026 = (await call<Overview>(app, tokens.jb1!, 'GET', `/api/fund/overview?year=${YEAR}&fund_pay_type=310100&insutype=310`)).body;
    expect(o2027.opening_balance).toBe(o2026.months[11]!.balance);
  });

  it('overview: expenditure of the month a year earlier, 同比 and 环比 growth, and 同比 of the year so far', async () => {
    const o = (await call<Overview>(app, tokens.jb1!, 'GET', `/api/fund/overview?year=${YEAR}`)).body;
    const spend = await ledgerByMonth('9901');
    const at = (m: number) => spend.get(YEAR * 12 + m - 1) ?? 0;
    for (const m of o.months) {
      expect(m.expenditure_prev_year, `month ${m.month}`).toBe(fenToYuan(at(m.month - 12)));
      expect(m.expenditure_yoy, `month ${m.month}`).toBe(growthPct(at(m.month), at(m.month - 12)));
      expect(m.expenditure_mom, `month ${m.month}`).toBe(growthPct(at(m.month), at(m.month - 1)));
    }
    // March 2026 against March 2025 (王丙's fee above the 起付线 grew): growth, checked against floats only loosely
    const mar = o.months[2]!;
    expect(at(3) > at(-9) && at(-9) > 0).toBe(true);
    expect(Math.abs(Number(mar.expenditure_yoy) - ((at(3) - at(-9)) / at(-9)) * 100)).toBeLessThan(0.051);
    expect(o.months[0]!.expenditure_mom).toBeNull(); // nothing spent in December 2025
    expect(o.months[3]!.expenditure_mom).toBe('-100.0'); // April spent nothing after March
    // the year so far ends with March, the latest month with income or expenditure
    expect(o.through_month).toBe(3);
    const ytd = at(1) + at(2) + at(3);
    const ytdPrev = at(-11) + at(-10) + at(-9);
    expect([o.totals.expenditure_prev_year, o.totals.expenditure_yoy]).toEqual([fenToYuan(ytdPrev), growthPct(ytd, ytdPrev)]);
  });

  it('warns about months with 可支付月数 below 6 or expenditure growing above the threshold', async () => {
    const a = (await call<Overview>(app, tokens.jb1!, 'GET', `/api/fund/overview?year=${YEAR}`)).body;
    expect(a.thresholds).toEqual({ growth_pct: 15, reserve_red_months: 6, reserve_amber_months: 9 });
    // the warnings are exactly what the month figures say, up to the latest month with flows
    const expected = (o: Overview, limit: number) =>
      o.months
        .filter((m) => m.month <= (o.through_month ?? 0))
        .flatMap((m) => [
          ...(m.months_of_reserve !== null && Number(m.months_of_reserve) < 6 ? [[m.month, 'reserve_low', 'red', m.months_of_reserve]] : []),
          ...(m.expenditure_yoy !== null && Number(m.expenditure_yoy) > limit ? [[m.month, 'expenditure_growth', 'amber', m.expenditure_yoy]] : []),
        ]);
    expect(a.warnings.map((x) => [x.month, x.kind, x.level, x.value])).toEqual(expected(a, 15));
    expect(a.warnings.some((x) => x.month === 3 && x.kind === 'expenditure_growth')).toBe(true);
    expect(a.warnings.find((x) => x.kind === 'expenditure_growth')!.message).toContain('基金支出同比增长');
    // a higher threshold silences the growth warning
    const quiet = (await call<Overview>(app, tokens.jb1!, 'GET', `/api/fund/overview?year=${YEAR}&growth_threshold=1000`)).body;
    expect(quiet.thresholds.growth_pct).toBe(1000);
    expect(quiet.warnings.filter((x) => x.kind === 'expenditure_growth')).toEqual(expected(quiet, 1000).filter((x) => x[1] === 'expenditure_growth'));
    // 甲市's 统筹 fund in 2025 spent in March without income or opening balance: overdrawn, a red warning
    const b = (await call<Overview>(app, tokens.jb1!, 'GET', '/api/fund/overview?year=2025&insutype=310&fund_pay_type=310100')).body;
    expect(b.through_month).toBe(3);
    expect(b.warnings.map((x) => [x.month, x.kind, x.level, x.value])).toEqual(expected(b, 15));
    expect(b.warnings[0]).toMatchObject({ month: 3, kind: 'reserve_low', level: 'red', threshold: '6', message: expect.stringContaining('低于 6 个月预警线') });
    expect(Number(b.warnings[0]!.value)).toBeLessThan(0);
    const bad = await call(app, tokens.jb1!, 'GET', `/api/fund/overview?year=${YEAR}&growth_threshold=0`);
    expect(bad.status).toBe(400);
  });

  it('by fund: opening balance, income, expenditure and balance add up to the scope figures', async () => {
    const o = (await call<Overview>(app, tokens.jb1!, 'GET', `/api/fund/overview?year=${YEAR}`)).body;
    for (const f of o.by_fund) {
      expect(f.net).toBe(fenToYuan(yuanToFen(f.income) - yuanToFen(f.expenditure)));
      expect(f.balance, `${f.insutype}/${f.fund_pay_type}`).toBe(fenToYuan(yuanToFen(f.opening_balance) + yuanToFen(f.net)));
    }
    const sum = (k: 'opening_balance' | 'income' | 'expenditure' | 'balance') => fenToYuan(o.by_fund.reduce((s, f) => s + yuanToFen(f[k]), 0));
    expect([sum('opening_balance'), sum('income'), sum('expenditure'), sum('balance')]).toEqual([o.opening_balance, o.totals.income, o.totals.expenditure, o.months[11]!.balance]);
    expect(o.by_fund.find((f) => f.insutype === '310' && f.fund_pay_type === '310100')?.opening_balance).toBe('5000.00');
  });

  it('shows the CMI of the latest DRG run of the year', async () => {
    tmp = mkdtempSync(join(tmpdir(), 'yibao-fund-'));
    const file = join(tmp, 'cases.jsonl');
    const c = (id: string, date: string, cost: string, dx: string[]) => JSON.stringify({ id, fixmedins_code: 'H99010200001', dscg_date: date, medfee_sumamt: cost, psn_part_amt: '100.00', gend: '1', age: 60, ipt_days: 7, dscg_way: '1', diagnoses: dx, procedures: [] });
    writeFileSync(file, [c('A1', '2025-03-01', '8000.00', ['K22.301', 'K11.901']), c('A2', '2025-04-01', '16000.00', ['J18.900']), c('B1', '2026-03-01', '9000.00', ['K22.301', 'K11.901']), c('B2', '2026-05-01', '15000.00', ['J18.900']), c('B3', '2026-06-01', '15000.00', ['J18.900'])].join('\n'));
    await saveParams(w.db, SYSTEM_ACTOR, { admdvs: '990100', pay_type: 'drg', setl_year: YEAR }, { begndate: `${YEAR}-01-01`, budget: '30000.00', base_rate: '10000', params: { year_weights: { '2025': 1 }, trim: { method: 'none' } } });
    const run = await runPayYear(w.db, SYSTEM_ACTOR, { pay_type: 'drg', year: YEAR, admdvs: '990100', cases: file });
    const cases = await w.db.k.selectFrom('pay_case').select(['grp_code', 'case_type']).where('run_id', '=', run.run_id).execute();
    const weights = new Map((await w.db.k.selectFrom('pay_weight').select(['grp_code', 'rw']).where('run_id', '=', run.run_id).execute()).map((x) => [x.grp_code, Number(x.rw)]));
    const rws = cases.filter((x) => x.case_type !== 'ungrouped').map((x) => weights.get(x.grp_code)!);
    const o = (await call<Overview>(app, tokens.jb1!, 'GET', `/api/fund/overview?year=${YEAR}`)).body;
    expect(o.drg.runs.map((x) => [x.admdvs, x.grouped_cnt])).toEqual([['990100', rws.length]]);
    expect(o.drg.cmi).toBe((rws.reduce((s, x) => s + x, 0) / rws.length).toFixed(4));
    expect((await call<Overview>(app, tokens.sh2!, 'GET', `/api/fund/overview?year=${YEAR}`)).body.drg).toEqual({ cmi: null, runs: [] });
  });
});
