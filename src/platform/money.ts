/**
 * Money: the one place where yuan (元, decimal with 2 places, as on the wire and in SQL numeric(16,2))
 * and fen (分, integer, as in all code) are converted. No float arithmetic on money anywhere else.
 *
 * Fen are JS integers: safe up to 2^53 分 ≈ 90 万亿元, far beyond any settlement or fund balance.
 * Ratios (报销比例, 先自付比例) are exact decimals with up to 4 places, held as parts per 10,000.
 */
import { validationError } from './errors.js';

export type Fen = number;
/** A ratio in parts per ten thousand: 8500 = 85 %. */
export type RatioBp = number;

const MAX_FEN = Number.MAX_SAFE_INTEGER;
const YUAN_RE = /^([+-])?(\d+)(?:\.(\d{0,2}))?$/;

/**
 * Parses a yuan amount exactly. Accepts a decimal string ("1373.63", "-5", "0.5") or a JS number that
 * prints with at most 2 decimals (as clients send in JSON). Refuses 3+ decimals, exponents and junk:
 * silently rounding someone's money is worse than a clear error.
 */
export function yuanToFen(value: string | number, field = '金额'): Fen {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw validationError(`${field}不是有效数字`, [{ field, message: '不是有效数字' }]);
    text = String(value);
  } else {
    text = value.trim();
  }
  const m = YUAN_RE.exec(text);
  if (!m) {
    throw validationError(`${field}格式错误：“${String(value)}”，应为最多两位小数的金额`, [
      { field, message: '应为最多两位小数的金额' },
    ]);
  }
  const sign = m[1] === '-' ? -1 : 1;
  const whole = m[2]!;
  const frac = (m[3] ?? '').padEnd(2, '0');
  const fen = Number(whole) * 100 + Number(frac);
  if (!Number.isSafeInteger(fen) || fen > MAX_FEN) {
    throw validationError(`${field}超出允许范围`, [{ field, message: '超出允许范围' }]);
  }
  return sign * fen || 0; // avoid -0
}

/** Formats fen as a yuan string with exactly 2 decimals: 137363 → "1373.63", -5 → "-0.05". */
export function fenToYuan(fen: Fen): string {
  assertFen(fen);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${sign}${yuan}.${cents.toString().padStart(2, '0')}`;
}

/** Yuan as a JSON number for national output nodes (they carry numbers). Exact for ≤ 2 decimals. */
export function fenToYuanNumber(fen: Fen): number {
  return Number(fenToYuan(fen));
}

export function assertFen(fen: number): asserts fen is Fen {
  if (!Number.isSafeInteger(fen)) throw new TypeError(`金额（分）必须是安全整数：${fen}`);
}

/** Parses a ratio ("0.85", "85%", 0.1) into parts per 10,000, exactly, at most 4 decimals of the fraction. */
export function ratioToBp(value: string | number, field = '比例'): RatioBp {
  let text = typeof value === 'number' ? String(value) : value.trim();
  let percent = false;
  if (text.endsWith('%')) {
    percent = true;
    text = text.slice(0, -1);
  }
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw validationError(`${field}格式错误：“${String(value)}”`, [{ field, message: '格式错误' }]);
  const scale = percent ? 2 : 4; // digits after the point that fit into bp
  const frac = m[2] ?? '';
  if (frac.length > scale) throw validationError(`${field}精度过高：“${String(value)}”`, [{ field, message: '精度过高' }]);
  const bp = Number(m[1]) * 10 ** scale + Number(frac.padEnd(scale, '0') || '0');
  if (bp > 10_000) throw validationError(`${field}不能大于100%：“${String(value)}”`, [{ field, message: '不能大于100%' }]);
  return bp;
}

/** Ratio in bp as the decimal string SQL numeric(5,4) stores: 8500 → "0.8500". */
export function bpToRatio(bp: RatioBp): string {
  return `${Math.floor(bp / 10_000)}.${(bp % 10_000).toString().padStart(4, '0')}`;
}

/** fen × ratio, rounded half away from zero to the fen (四舍五入), computed exactly with BigInt. */
export function applyRatio(fen: Fen, bp: RatioBp): Fen {
  assertFen(fen);
  const product = BigInt(fen) * BigInt(bp);
  const neg = product < 0n;
  const abs = neg ? -product : product;
  const q = (abs + 5_000n) / 10_000n;
  const r = Number(q);
  return neg ? -r : r;
}

/** Sum of fen amounts, checked to stay exact. */
export function sumFen(values: Iterable<Fen>): Fen {
  let total = 0;
  for (const v of values) total += v;
  assertFen(total);
  return total;
}

/** Multiplies a unit price (fen) by a quantity given as a decimal string or number with up to 4 decimals. */
export function priceTimesQuantity(priceFen: Fen, cnt: string | number): Fen {
  const text = typeof cnt === 'number' ? String(cnt) : cnt.trim();
  const m = /^(\d+)(?:\.(\d{1,4}))?$/.exec(text);
  if (!m) throw validationError(`数量格式错误：“${String(cnt)}”`, [{ field: 'cnt', message: '格式错误' }]);
  const qty10k = BigInt(m[1]!) * 10_000n + BigInt((m[2] ?? '').padEnd(4, '0') || '0');
  const product = BigInt(priceFen) * qty10k;
  const r = Number((product + 5_000n) / 10_000n);
  assertFen(r);
  return r;
}
