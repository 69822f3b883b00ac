/**
 * Exact decimals without floats: quantities and other 4-decimal figures in ten-thousandths (q4, as numeric(…,4)
 * holds them), unit prices in millionths of a yuan (µ元, as N(16,6) unit prices allow), amounts in fen through
 * platform/money. Products and prorations are computed with BigInt and rounded half away from zero to the unit.
 * Shared by audit (claim lines) and payment (points, coefficients, point values); parsed by hand because audit runs
 * these several times per line of every claim.
 */
import type { Fen } from './money.js';

/**
 * A decimal (JSON number or numeric string, optional sign, at most `scale` decimals) as an integer in units of
 * 10^-scale, or null. Parsed by hand: this runs several times per line of every claim.
 */
function scaled(v: number | string, scale: number, maxDecimals: number): number | null {
  let s: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    if (Number.isInteger(v)) {
      const r = v * 10 ** scale;
      return Number.isSafeInteger(r) ? r : null;
    }
    s = String(v);
  } else s = v.trim();
  const n = s.length;
  let i = 0;
  let neg = false;
  if (n === 0) return null;
  if (s.charCodeAt(0) === 45) {
    neg = true;
    i = 1;
  } else if (s.charCodeAt(0) === 43) i = 1;
  let whole = 0;
  let digits = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) break;
    if (c < 48 || c > 57) return null;
    whole = whole * 10 + (c - 48);
    digits++;
  }
  if (digits === 0) return null;
  let frac = 0;
  let fd = 0;
  if (i < n) {
    i++; // the point
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return null;
      if (++fd > maxDecimals) return null;
      frac = frac * 10 + (c - 48);
    }
  }
  const r = whole * 10 ** scale + frac * 10 ** (scale - fd);
  if (!Number.isSafeInteger(r)) return null;
  return neg ? -r : r || 0;
}

/** A quantity with up to 4 decimals in ten-thousandths, or null when it is not such a number. */
export function toQ4(v: number | string | null | undefined): number | null {
  return v === null || v === undefined ? null : scaled(v, 4, 4);
}

/** A unit price with up to 6 decimals in µ元, or null. */
export function toMicro(v: number | string | null | undefined): number | null {
  return v === null || v === undefined ? null : scaled(v, 6, 6);
}

/** An amount in fen, or null when it is not a yuan amount with at most 2 decimals. */
export function toFen(v: number | string | null | undefined): Fen | null {
  return v === null || v === undefined ? null : scaled(v, 2, 2);
}

/** q4 → the quantity as people write it ("2", "1.5"). */
export function q4Text(q: number): string {
  const sign = q < 0 ? '-' : '';
  const a = Math.abs(q);
  const frac = String(a % 10_000).padStart(4, '0').replace(/0+$/, '');
  return `${sign}${Math.floor(a / 10_000)}${frac ? `.${frac}` : ''}`;
}

/** µ元 → yuan text with at least 2 decimals ("12.50", "0.035"). */
export function microText(u: number): string {
  const sign = u < 0 ? '-' : '';
  const a = Math.abs(u);
  let frac = String(a % 1_000_000).padStart(6, '0').replace(/0+$/, '');
  if (frac.length < 2) frac = frac.padEnd(2, '0');
  return `${sign}${Math.floor(a / 1_000_000)}.${frac}`;
}

/** num ÷ den rounded half away from zero, exactly (den ≠ 0). */
export function divRoundHalfAway(num: bigint, den: bigint): bigint {
  const neg = num < 0n !== den < 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  const q = (n * 2n + d) / (2n * d);
  return neg ? -q : q;
}

const roundDiv = (num: bigint, den: bigint): number => Number(divRoundHalfAway(num, den));

/** Unit price (µ元) × quantity (q4) in fen. */
export function microTimesQ4(micro: number, q4: number): Fen {
  return roundDiv(BigInt(micro) * BigInt(q4), 100_000_000n);
}

/** amount × part / whole, rounded to the fen (prorating a line amount). */
export function prorate(fen: Fen, part: number, whole: number): Fen {
  if (whole === 0) return 0;
  return roundDiv(BigInt(fen) * BigInt(Math.round(part)), BigInt(Math.round(whole)));
}
