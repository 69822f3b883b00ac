/** The compared figures of a reconciliation run: both sides, the difference in fen, what a transaction did not send. */
import { describe, expect, test } from 'vitest';
import { figuresOf } from './reconcile-list.js';

const base = { medfee_sumamt: '100.00', fund_pay_sumamt: '60.00', acct_pay: '10.00', cash_payamt: '30.00', setl_cnt: 3 };

describe('figuresOf', () => {
  test('3201: the account compared, the cash not sent; differences institution − centre, exact to the 分', () => {
    const f = Object.fromEntries(
      figuresOf({ infno: '3201', ...base, medins_medfee_sumamt: '100.01', medins_fund_pay_sumamt: '59.99', medins_acct_pay: '10.00', medins_cash_payamt: null, medins_setl_cnt: 2 }).map((x) => [x.key, x]),
    );
    expect(f.medfee_sumamt).toMatchObject({ medins: '100.01', centre: '100.00', diff: '0.01', money: true });
    expect(f.fund_pay_sumamt!.diff).toBe('-0.01');
    expect(f.acct_pay!.diff).toBe('0.00');
    expect(f.cash_payamt).toMatchObject({ medins: null, centre: '30.00', diff: null });
    expect(f.setl_cnt).toMatchObject({ medins: 2, centre: 3, diff: -1, money: false });
  });

  test('3202: the cash compared, the account not sent; no float drift on large sums', () => {
    const f = Object.fromEntries(
      figuresOf({ infno: '3202', ...base, medfee_sumamt: '12345678.91', medins_medfee_sumamt: '12345678.90', medins_fund_pay_sumamt: '60.00', medins_acct_pay: null, medins_cash_payamt: '30.10', medins_setl_cnt: 3 }).map((x) => [x.key, x]),
    );
    expect(f.medfee_sumamt!.diff).toBe('-0.01');
    expect(f.acct_pay).toMatchObject({ medins: null, diff: null });
    expect(f.cash_payamt!.diff).toBe('0.10');
    expect(f.setl_cnt!.diff).toBe(0);
  });
});
