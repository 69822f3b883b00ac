/**
 * The cheap field checks of a case file give exactly what the platform helpers give whenever they answer, and step
 * aside (undefined) for every text they do not read themselves.
 */
import { describe, expect, it } from 'vitest';
import { yuanToFen } from '../../platform/money.js';
import { isIsoDate } from '../../platform/time.js';
import { isPlainIsoDate, plainYuanToFen } from './fast-fields.js';

const platformFen = (s: string): number | 'error' => {
  try {
    return yuanToFen(s);
  } catch {
    return 'error';
  }
};

describe('plainYuanToFen', () => {
  const texts = ['0', '7', '12000.00', '12000.0', '12000.', '0.5', '0.05', '007.50', '999999999.99', '1000000000.00', '123456789012.34', '1.234', '.5', '-5', '+5', ' 5', '5 ', '1e3', '1,000.00', '', '.', '5.x', '５.00', '12.3.4'];
  for (const t of texts) {
    it(`"${t}"`, () => {
      const f = plainYuanToFen(t);
      if (f !== undefined) expect(f).toBe(platformFen(t));
      else expect(['0', '7', '12000.00', '12000.0', '12000.', '0.5', '0.05', '007.50', '999999999.99']).not.toContain(t);
    });
  }
  it('reads every plain amount of a sweep like yuanToFen', () => {
    for (let fen = 0; fen < 100_000; fen += 37) {
      for (const t of [(fen / 100).toFixed(2), (fen / 100).toFixed(1), String(Math.floor(fen / 100))]) expect(plainYuanToFen(t), t).toBe(platformFen(t));
    }
  });
});

describe('isPlainIsoDate', () => {
  const texts = ['2026-03-05', '2024-02-29', '2023-02-29', '1900-02-29', '2000-02-29', '2026-04-31', '2026-12-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-1-05', '2026/01/05', '20260105xx', '0050-01-01', '0999-12-31', '2026-03-05 08:00:00', '2026-03-05T08:00', '2026-0a-05', '２026-03-05'];
  for (const t of texts) {
    it(`"${t}"`, () => {
      const r = isPlainIsoDate(t);
      const year = Number(t.slice(0, 4));
      if (r === undefined) expect(t.length < 10 || year < 1000).toBe(true);
      else expect(r).toBe(isIsoDate(t.slice(0, 10)));
    });
  }
  it('agrees with isIsoDate on every day of 1999–2001 and on impossible days', () => {
    for (const y of [1999, 2000, 2001, 2100])
      for (let m = 0; m <= 13; m++)
        for (let d = 0; d <= 32; d++) {
          const t = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          expect(isPlainIsoDate(t), t).toBe(isIsoDate(t));
        }
  });
  it('steps aside for short texts', () => expect(isPlainIsoDate('2026-3-5')).toBeUndefined());
});
