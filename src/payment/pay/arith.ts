/**
 * Exact arithmetic of point-value payment: points and coefficients are integers in 1/10,000 (Pt4 / Bp4), money is
 * integer fen, every product or quotient is rounded once, half away from zero (prorate, shared with audit), and a
 * pool is split by points with the largest-remainder method so that the parts add up to the pool to the fen.
 * Where rounding happens is listed in docs/payment.md.
 */
import { prorate, q4Text, toQ4 } from '../../platform/decimal.js';
import { validationError } from '../../platform/errors.js';
import type { Fen } from '../../platform/money.js';
import type { Bp4, Pt4 } from './types.js';

export const ONE: Bp4 = 10_000;

/** A non-negative decimal with at most 4 places ("1.05", 3, "0.005") as an integer × 10,000. */
export function dec4(value: unknown, field: string): Bp4 {
  const v = typeof value === 'number' || typeof value === 'string' ? toQ4(value) : null;
  if (v === null || v < 0) throw validationError(`参数 ${field} 应为不超过4位小数的非负数，实际为 ${JSON.stringify(value)}`, [{ field, message: '应为不超过4位小数的非负数' }]);
  return v;
}

/** Pt4 / Bp4 as the decimal SQL numeric takes and people read: 1_234_500 → "123.45". */
export const text4 = (x: number): string => q4Text(x);

/** Pt4 / Bp4 with exactly 4 decimals, as SQL numeric(…,4) prints it: 1_000_000 → "100.0000". */
export function fixed4(x: number): string {
  const a = Math.abs(x);
  return `${x < 0 ? '-' : ''}${Math.floor(a / 10_000)}.${String(a % 10_000).padStart(4, '0')}`;
}

/** a × b ÷ c, rounded half away from zero (c > 0). */
export const mulDiv = (a: number, b: number, c: number): number => prorate(a, b, c);

/** cost ÷ mean as a Bp4 ratio (4 decimals). */
export const ratio4 = (cost: Fen, mean: Fen): Bp4 => (mean > 0 ? mulDiv(cost, ONE, mean) : 0);

/** base points × factor (both × 10,000) → points × 10,000. */
export const times4 = (pt: Pt4, factor: Bp4): Pt4 => mulDiv(pt, factor, ONE);

/**
 * Splits `total` fen in proportion to `weights` (largest remainder, ties to the earlier index): every part is the
 * exact share rounded down or up, and the parts add up to `total`. All-zero weights give all-zero parts.
 */
export function apportion(total: Fen, weights: readonly number[]): Fen[] {
  const sum = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (sum === 0n) return weights.map(() => 0);
  const t = BigInt(total);
  const parts = weights.map((w) => (t * BigInt(w)) / sum);
  const rems = weights.map((w, i) => ({ i, r: t * BigInt(w) - parts[i]! * sum }));
  let left = t - parts.reduce((s, p) => s + p, 0n);
  rems.sort((a, b) => (b.r > a.r ? 1 : b.r < a.r ? -1 : a.i - b.i));
  for (const { i } of rems) {
    if (left <= 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return parts.map(Number);
}

/** pool ÷ points in 元 per point, 6 decimals ("125.000000"); null without points. */
export function pointValueText(pool: Fen, points: Pt4): string | null {
  if (points <= 0) return null;
  // 元/点 = (pool / 100) / (points / 10^4) = pool × 100 / points; × 10^6 for 6 decimals
  const micro = (BigInt(pool) * 100_000_000n * 2n + BigInt(points)) / (2n * BigInt(points));
  const s = micro.toString().padStart(7, '0');
  return `${s.slice(0, -6)}.${s.slice(-6)}`;
}
