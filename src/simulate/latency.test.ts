import { describe, expect, test } from 'vitest';
import { LatencyHistogram } from './latency.js';
import { Recorder } from './recorder.js';

describe('LatencyHistogram', () => {
  test('percentiles of 1..1000 ms are within 2 % of the exact ones', () => {
    const h = new LatencyHistogram();
    for (let ms = 1000; ms >= 1; ms--) h.record(ms);
    for (const [p, exact] of [[50, 500], [95, 950], [99, 990], [100, 1000]] as const) {
      expect(Math.abs(h.percentile(p) - exact) / exact).toBeLessThanOrEqual(0.02);
    }
    expect(h.summary()).toMatchObject({ count: 1000, mean: 500.5, max: 1000 });
  });

  test('sub-millisecond and very long samples land in range; an empty histogram reads 0', () => {
    const h = new LatencyHistogram();
    expect(h.percentile(99)).toBe(0);
    h.record(0.0004);
    h.record(3_600_000);
    expect(h.percentile(1)).toBeLessThanOrEqual(0.00103); // the resolution floor is 1 µs
    expect(h.percentile(100)).toBe(3_600_000);
  });

  test('merging two histograms equals recording everything in one', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    const all = new LatencyHistogram();
    for (let i = 1; i <= 500; i++) {
      (i % 2 ? a : b).record(i * 0.37);
      all.record(i * 0.37);
    }
    a.merge(b);
    expect(a.summary()).toEqual(all.summary());
  });
});

describe('Recorder', () => {
  test('counts refusals by transaction and message with the ids masked, and flows by kind', () => {
    const r = new Recorder();
    r.call('2207', 12, null);
    r.call('2207', 30, '就诊ID 990100202612021000000001 已结算，不能重复结算');
    r.call('2207', 31, '就诊ID 990100202612021000000002 已结算，不能重复结算');
    r.call('1101', 3, '通讯失败：ECONNREFUSED');
    r.flow('outpatient', true);
    r.flow('outpatient', false);
    const c = r.counts();
    expect(c.transactions.map((t) => [t.infno, t.count, t.errors])).toEqual([['1101', 1, 1], ['2207', 3, 2]]);
    expect(c.errors).toEqual([
      { message: '2207：就诊ID … 已结算，不能重复结算', count: 2 },
      { message: '1101：通讯失败：ECONNREFUSED', count: 1 },
    ]);
    expect(c.flows.outpatient).toEqual({ done: 1, failed: 1 });
  });
});
