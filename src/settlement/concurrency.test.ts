/**
 * Settlement under concurrency. Simultaneous 2207s of one visit (different msgids, as a HIS retrying on two
 * windows would send them): exactly one settles, the others are refused in Chinese, the account is debited once.
 * On PostgreSQL they really run at once and the encounter lock decides; on PGlite they serialise — the outcome
 * must be the same. Simultaneous settlements of two visits of one person: both settle and the year's deductible
 * is taken once. Also measures one 2207 end to end (printed, not asserted).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadAccumulators } from './accumulators.js';
import { hisFeeLine, outpatientSettleData, registerVisit, settlementWorld, type SettlementWorld } from './testing.js';

let w: SettlementWorld;
const year = Number(new Date().toISOString().slice(0, 4));

beforeAll(async () => {
  w = await settlementWorld();
});
afterAll(async () => w.close());

const lines = (mdtrt_id: string, psn_no: string) => [hisFeeLine(mdtrt_id, psn_no, 'F1', 'XA10BAE001A001010100001', '0.95', '1200', '1140.00'), hisFeeLine(mdtrt_id, psn_no, 'F2', 'XG04CAE002A002010100002', '18.50', '2', '37.00')];

describe(`concurrent settlement (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  test('eight simultaneous 2207 of one visit: exactly one succeeds, the account is debited once', async () => {
    const z = w.people.zhang;
    const balance = await w.balance(z);
    const mdtrt_id = await registerVisit(w, z, 'CC-1');
    expect((await w.call('2204', { feedetail: lines(mdtrt_id, z) })).err_msg).toBeNull();
    const answers = await Promise.all(Array.from({ length: 8 }, () => w.call<{ setlinfo: { setl_id: string; acct_pay: number } }>('2207', outpatientSettleData(z, mdtrt_id, '1177.00'))));
    const ok = answers.filter((a) => a.infcode === 0);
    expect(ok).toHaveLength(1);
    for (const a of answers.filter((x) => x.infcode !== 0)) expect(a.err_msg).toBe(`就诊ID ${mdtrt_id} 已结算，不能重复结算；如需重新结算，请先撤销原结算`);
    const setl = await w.db.k.selectFrom('setl').select(['setl_id']).where('mdtrt_id', '=', mdtrt_id).execute();
    expect(setl).toEqual([{ setl_id: ok[0]!.output.setlinfo.setl_id }]);
    expect(await w.balance(z)).toBe(balance - Math.round(ok[0]!.output.setlinfo.acct_pay * 100));
    const moves = await w.db.k.selectFrom('psn_acct_ledger').select('amt').where('psn_no', '=', z).where('ref_type', '=', 'setl').execute();
    expect(moves).toHaveLength(1);
  });

  test('two visits of one person settled at once: both settle, the year deductible is taken once', async () => {
    const s = w.people.sun;
    const a = await registerVisit(w, s, 'CC-A');
    const b = await registerVisit(w, s, 'CC-B');
    expect((await w.call('2204', { feedetail: lines(a, s) })).err_msg).toBeNull();
    expect((await w.call('2204', { feedetail: lines(b, s) })).err_msg).toBeNull();
    const [ra, rb] = await Promise.all([w.call<{ setlinfo: Record<string, number> }>('2207', outpatientSettleData(s, a, '1177.00')), w.call<{ setlinfo: Record<string, number> }>('2207', outpatientSettleData(s, b, '1177.00'))]);
    expect([ra.err_msg, rb.err_msg]).toEqual([null, null]);
    // 1,173.30 in scope each: the first pays the 1,000.00 deductible, the second none
    expect([ra.output.setlinfo.act_pay_dedc, rb.output.setlinfo.act_pay_dedc].sort()).toEqual([0, 1000]);
    const acc = await loadAccumulators(w.db.k, { psn_no: s, insutype: '310', year });
    expect(acc.groups['普通门诊']!.dedc_used).toBe(100_000);
    expect(acc.groups['普通门诊']!.pool_paid).toBe(Math.round((ra.output.setlinfo.hifp_pay! + rb.output.setlinfo.hifp_pay!) * 100));
  });

  test('time of one 2207 end to end (gateway, settlement, commit)', async () => {
    const z = w.people.zhao;
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const mdtrt_id = await registerVisit(w, z, `CC-T${i}`);
      expect((await w.call('2204', { feedetail: lines(mdtrt_id, z) })).err_msg).toBeNull();
      const t0 = performance.now();
      const r = await w.call('2207', outpatientSettleData(z, mdtrt_id, '1177.00', { acct_used_flag: '0' }));
      times.push(performance.now() - t0);
      expect(r.err_msg).toBeNull();
    }
    times.sort((x, y) => x - y);
    console.log(`[${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}] 2207 median ${times[2]!.toFixed(1)} ms (min ${times[0]!.toFixed(1)}, max ${times[4]!.toFixed(1)})`);
  });
});
