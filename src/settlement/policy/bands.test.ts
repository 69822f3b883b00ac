import { describe, expect, test } from 'vitest';
import { bandAt, walkBands } from './bands.js';

const bands = [
  { upto: 1000, bp: 5000 },
  { upto: 3000, bp: 8000 },
  { upto: null, bp: 10_000 },
];
const BIG = Number.MAX_SAFE_INTEGER;

describe('walking banded ratios', () => {
  test('an amount inside the first band pays its ratio', () => {
    expect(walkBands(bands, 0, 600, BIG)).toMatchObject({ pay: 300, covered: 600, uncovered: 0, endBp: 5000, limited: false });
  });

  test('an amount crossing every band pays each part at its own ratio', () => {
    const w = walkBands(bands, 0, 4000, BIG);
    expect(w.steps.map((s) => [s.lo, s.hi, s.amount, s.pay])).toEqual([
      [0, 1000, 1000, 500],
      [1000, 3000, 2000, 1600],
      [3000, null, 1000, 1000],
    ]);
    expect(w).toMatchObject({ pay: 3100, endBp: 10_000 });
  });

  test('a start inside a later band skips the bands below it', () => {
    const w = walkBands(bands, 2500, 1000, BIG);
    expect(w.steps.map((s) => [s.amount, s.pay])).toEqual([
      [500, 400],
      [500, 500],
    ]);
  });

  test('a start exactly on a bound begins in the next band', () => {
    expect(walkBands(bands, 1000, 10, BIG).steps[0]).toMatchObject({ lo: 1000, hi: 3000, bp: 8000 });
    expect(bandAt(bands, 3000).bp).toBe(10_000);
  });

  test('the limit cuts the payment and what it could not cover is uncovered', () => {
    // 600 × 50 % = 300 but only 100 is left: covered = 100 / 50 % = 200
    expect(walkBands(bands, 0, 600, 100)).toMatchObject({ pay: 100, covered: 200, uncovered: 400, limited: true });
  });

  test('covered base rounds up so the limit is reached, never passed', () => {
    // room 1 at 85 %: 1 fen of base would pay 0.85 → 1; covered = ceil(1 / 0.85) = 2
    const w = walkBands([{ upto: null, bp: 8500 }], 0, 10, 1);
    expect(w).toMatchObject({ pay: 1, covered: 2, uncovered: 8 });
  });

  test('a zero limit pays nothing and leaves the whole amount uncovered', () => {
    expect(walkBands(bands, 0, 500, 0)).toMatchObject({ pay: 0, covered: 0, uncovered: 500, limited: true });
  });

  test('a zero amount pays nothing and reports the ratio where it stands', () => {
    expect(walkBands(bands, 1500, 0, BIG)).toMatchObject({ pay: 0, covered: 0, steps: [], endBp: 8000 });
  });
});
