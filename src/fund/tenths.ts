/**
 * One-decimal figures of the fund page computed exactly from integer fen: months of reserve and growth percentages
 * are tenths (bigint) rounded half away from zero, then written with one decimal. No float ever touches money.
 */
import { divRoundHalfAway } from '../platform/decimal.js';
import type { Fen } from '../platform/money.js';


/** Tenths as text with one decimal: 123n → '12.3', -5n → '-0.5'. */
export function tenthsText(t: bigint): string {
  const neg = t < 0n;
  const s = (neg ? -t : t).toString().padStart(2, '0');
  return `${neg ? '-' : ''}${s.slice(0, -1)}.${s.slice(-1)}`;
}

/** Growth of `cur` over `prev` in tenths of a percent; null when there is nothing to compare with (prev ≤ 0). */
export function growthTenths(cur: Fen, prev: Fen): bigint | null {
  if (prev <= 0) return null;
  return divRoundHalfAway((BigInt(cur) - BigInt(prev)) * 1000n, BigInt(prev));
}

/** Growth as a percent string with one decimal ('12.5'), or null (see growthTenths). */
export function growthPct(cur: Fen, prev: Fen): string | null {
  const t = growthTenths(cur, prev);
  return t === null ? null : tenthsText(t);
}
