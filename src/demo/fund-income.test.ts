/**
 * Demo fund income: from the enrolled persons when nothing was settled yet, from the fund ledger once settlements
 * exist — income a little above expenditure and an opening reserve of about nine months — and only once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundOverview } from '../fund/index.js';
import { SYSTEM_ACTOR } from '../platform/oplog.js';
import { insertDemoPolicies } from '../settlement/policy/index.js';
import { settleVisit } from '../server/routes/settlements.fixture.js';
import { createTestWorld, type TestWorld } from '../server/test-app.js';
import { DEMO_FUND_MEMO, seedDemoFundIncome } from './fund-income.js';

let w: TestWorld;
beforeAll(async () => {
  w = await createTestWorld();
  await insertDemoPolicies(w.db, SYSTEM_ACTOR);
  // 甲市 settles (the ledger the second case reads); 乙市 does not (the first case estimates from enrollment)
  for (const [at, cnt] of [['2025-11-20T10:00:00+08:00', 200], ['2026-01-15T10:00:00+08:00', 100], ['2026-03-31T23:30:00+08:00', 300]] as const) {
    await settleVisit(w.db, { fixmedins_code: 'H99010200001', psn_no: w.psnA, atddr_no: 'D99010200001', items: [{ hilist_code: 'XA10BAE001A001010100001', pric: '0.90', cnt }], at: new Date(at) });
  }
}, 300_000);
afterAll(async () => w?.close());

describe('seedDemoFundIncome', () => {
  it('without settlements: estimated from the enrolled persons, through the month asked', async () => {
    const r = await seedDemoFundIncome(w.db, { prefix: '9902', year: 2025, throughMonth: 6 });
    expect(r.source).toBe('enrollment');
    expect(r.entries).toBeGreaterThan(0);
    const rows = await w.db.k.selectFrom('fund_income').select(['inc_month', 'memo', 'admdvs']).execute();
    expect(Math.max(...rows.map((x) => x.inc_month))).toBe(6);
    expect(rows.every((x) => x.memo === DEMO_FUND_MEMO && x.admdvs.startsWith('9902'))).toBe(true);
    expect((await seedDemoFundIncome(w.db, { prefix: '9902', year: 2025, throughMonth: 6 })).source).toBe('skipped');
  });

  it('with settlements: income a little above what the ledger paid, an opening reserve of nine months', async () => {
    const r = await seedDemoFundIncome(w.db, { prefix: '9901' });
    expect(r).toMatchObject({ source: 'ledger' });
    // the visits of 2026 fall under the deductible: the ledger (and so the income) is November 2025's
    const o = await fundOverview(w.db, { year: 2025, prefixes: ['9901'] });
    const income = Number(o.totals.income);
    const spent = Number(o.totals.expenditure);
    expect(spent).toBeGreaterThan(0);
    expect(income / spent).toBeGreaterThan(1.03);
    expect(income / spent).toBeLessThan(1.1);
    expect(o.months.filter((m) => m.income !== '0.00').map((m) => m.month)).toEqual(o.months.filter((m) => m.expenditure !== '0.00').map((m) => m.month));
    // the first year opens with nine months of its mean expenditure
    const nov = o.months[10]!;
    expect(Number(o.opening_balance)).toBeCloseTo(9 * Number(nov.expenditure), 1);
    expect(Number(nov.months_of_reserve)).toBeGreaterThan(8);
    expect(Number(nov.months_of_reserve)).toBeLessThan(11);
  }, 300_000);
});
