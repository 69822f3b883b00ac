/**
 * Cheap checks of the two fields every line of a case file carries (a million-line file pays for each call):
 * a plain yuan string and an ISO date, read by character codes without a regular expression, a match array or a
 * Date. Each gives exactly what the platform helper gives (yuanToFen, isIsoDate) or `undefined` when the text is
 * not of the plain shape, and the caller then asks the platform helper — so errors and edge cases stay theirs.
 */
import type { Fen } from '../../platform/money.js';

/** "12000.00", "0.5", "7" → fen; anything else (sign, spaces, more than 9 whole digits, 3+ decimals …) → undefined. */
export function plainYuanToFen(s: string): Fen | undefined {
  const n = s.length;
  let whole = 0;
  let i = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    whole = whole * 10 + d;
  }
  if (i === 0 || i > 9) return undefined; // 9 whole digits: far below 2^53 fen, no range check needed
  if (i === n) return whole * 100;
  if (s.charCodeAt(i) !== 46) return undefined; // '.'
  const rest = n - i - 1;
  if (rest > 2) return undefined;
  let frac = 0;
  for (let k = i + 1; k < n; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return undefined;
    frac = frac * 10 + d;
  }
  return whole * 100 + (rest === 1 ? frac * 10 : frac);
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const digit = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
};

/**
 * Whether the first 10 characters of `s` are a real yyyy-MM-dd date (years 1000–9999; earlier ones → undefined, as
 * Date.UTC reads 0–99 as 1900–1999), when `s` is at least 10 long; a shorter text → undefined too.
 */
export function isPlainIsoDate(s: string): boolean | undefined {
  if (s.length < 10) return undefined;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false; // '-'
  const y0 = digit(s, 0), y1 = digit(s, 1), y2 = digit(s, 2), y3 = digit(s, 3);
  const m0 = digit(s, 5), m1 = digit(s, 6), d0 = digit(s, 8), d1 = digit(s, 9);
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0) return false;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  if (y < 1000) return undefined;
  const m = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (m === 2 && leap ? 29 : DAYS[m - 1]!);
}
