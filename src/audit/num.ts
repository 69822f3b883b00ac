/**
 * Exact numbers for audit: quantities in ten-thousandths (q4, as numeric(12,4) holds them), unit prices in
 * millionths of a yuan (µ元, as N(16,6) unit prices allow), amounts in fen through platform/money. No float
 * arithmetic on money: amounts derived from a price and a quantity, or prorated, are computed with BigInt and
 * rounded half away from zero to the fen.
 */
import type { Fen } from '../platform/money.js';

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

function roundDiv(num: bigint, den: bigint): number {
  const neg = num < 0n !== den < 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  const q = (n * 2n + d) / (2n * d);
  return Number(neg ? -q : q);
}

/** Unit price (µ元) × quantity (q4) in fen. */
export function microTimesQ4(micro: number, q4: number): Fen {
  return roundDiv(BigInt(micro) * BigInt(q4), 100_000_000n);
}

/** amount × part / whole, rounded to the fen (prorating a line amount). */
export function prorate(fen: Fen, part: number, whole: number): Fen {
  if (whole === 0) return 0;
  return roundDiv(BigInt(fen) * BigInt(Math.round(part)), BigInt(Math.round(whole)));
}

// ---------- dates without Date objects (the engine compares and shifts many 'yyyy-MM-dd' dates) ----------

const digit = (s: string, i: number) => s.charCodeAt(i) - 48;

/** Days since 1970-01-01 of a 'yyyy-MM-dd' date (proleptic Gregorian; Hinnant's days_from_civil). */
export function dayNo(date: string): number {
  let y = digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3);
  const m = digit(date, 5) * 10 + digit(date, 6);
  const d = digit(date, 8) * 10 + digit(date, 9);
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The 'yyyy-MM-dd' date of a day number (civil_from_days). */
export function dateOfDayNo(z: number): string {
  const zz = z + 719_468;
  const era = Math.floor(zz / 146_097);
  const doe = zz - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** Whole days from a to b ('yyyy-MM-dd'): b − a. */
export function daysBetween(a: string, b: string): number {
  return dayNo(b) - dayNo(a);
}

/** date + n days. */
export function plusDays(date: string, n: number): string {
  return n === 0 ? date : dateOfDayNo(dayNo(date) + n);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True for a real calendar date written 'yyyy-MM-dd' (no Date object, no regex). */
export function isDate(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const m = digit(s, 5) * 10 + digit(s, 6);
  const d = digit(s, 8) * 10 + digit(s, 9);
  if (y === 0 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : MONTH_DAYS[m - 1]!);
}
