/**
 * Unit prices as the national fee line carries them: N(16,6), i.e. up to 6 decimals of a yuan (拆零 prices such as
 * 0.083333 元/片 are common). A line's amount must be pric × cnt rounded half away from zero to the fen; this
 * computes that exactly with BigInt (no float ever touches the money). Additive to the engine: a FeeLine that
 * carries `pric_exact` is checked against it instead of its fen price.
 */
import { validationError } from '../../platform/errors.js';
import type { Fen } from '../../platform/money.js';

const PRIC_RE = /^(\d+)(?:\.(\d{1,6}))?$/;
const CNT_RE = /^(-)?(\d+)(?:\.(\d{1,4}))?$/;

/** A unit price in millionths of a yuan (exact), from a decimal string with at most 6 places. */
export function pricMicro(pric: string, field = 'pric'): bigint {
  const m = PRIC_RE.exec(pric.trim());
  if (!m) throw validationError(`单价格式错误：“${pric}”，应为不超过6位小数的非负数`, [{ field, message: '应为不超过6位小数的非负数' }]);
  return BigInt(m[1]!) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'));
}

/** A quantity in ten-thousandths (exact, signed), from a decimal string with at most 4 places. */
export function cnt10k(cnt: string, field = 'cnt'): bigint {
  const m = CNT_RE.exec(cnt.trim());
  if (!m) throw validationError(`数量格式错误：“${cnt}”，应为不超过4位小数的数`, [{ field, message: '应为不超过4位小数的数' }]);
  const v = BigInt(m[2]!) * 10_000n + BigInt((m[3] ?? '').padEnd(4, '0'));
  return m[1] ? -v : v;
}

/** pric × cnt in fen, rounded half away from zero (四舍五入到分). */
export function exactLineAmount(pric: string, cnt: string): Fen {
  return exactLineAmountSmall(pric, cnt) ?? exactLineAmountBig(pric, cnt);
}

/**
 * The same with plain integers when every step is exact below 2^53 (every line of a real bill): no BigInt per line.
 * undefined when the text does not parse (the BigInt path says why) or the product could leave the exact range.
 */
function exactLineAmountSmall(pric: string, cnt: string): Fen | undefined {
  const p = PRIC_RE.exec(pric.trim());
  const c = CNT_RE.exec(cnt.trim());
  // ≤ 9 integer digits of price and ≤ 9 of quantity keep both factors exact (micro < 1e15, 10k-units < 1e13)
  if (!p || !c || p[1]!.length > 9 || c[2]!.length > 9) return undefined;
  const micro = Number(p[1]!) * 1_000_000 + Number((p[2] ?? '').padEnd(6, '0'));
  const qty = Number(c[2]!) * 10_000 + Number((c[3] ?? '').padEnd(4, '0'));
  const abs = micro * qty;
  // a true product above the exact range always rounds to ≥ 2^53, so this test is exact
  if (abs + 50_000_000 > Number.MAX_SAFE_INTEGER) return undefined;
  const x = abs + 50_000_000;
  let fen = Math.floor(x / 100_000_000);
  // the float division may land on the neighbouring integer: correct with exact integer products
  if (fen * 100_000_000 > x) fen--;
  else if ((fen + 1) * 100_000_000 <= x) fen++;
  // as the BigInt path: negative exactly when the product is (a refund's quantity)
  return c[1] && abs > 0 ? -fen : fen;
}

function exactLineAmountBig(pric: string, cnt: string): Fen {
  // micro-yuan × 1e-4 = 1e-10 yuan; a fen is 1e-2 yuan → divide by 1e8
  const product = pricMicro(pric) * cnt10k(cnt);
  const neg = product < 0n;
  const abs = neg ? -product : product;
  const fen = Number((abs + 50_000_000n) / 100_000_000n);
  if (!Number.isSafeInteger(fen)) throw validationError('金额超出允许范围', [{ field: 'det_item_fee_sumamt', message: '超出允许范围' }]);
  return neg ? -fen : fen;
}

/** The price in whole fen when it has at most 2 decimals, else the nearest fen (for display and the fen field). */
export function pricFen(pric: string): Fen {
  const micro = pricMicro(pric);
  return Number((micro + 5_000n) / 10_000n);
}
