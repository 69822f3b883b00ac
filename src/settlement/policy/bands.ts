/**
 * Banded ratios (分段比例) with a payment limit: the one computation behind the pooled fund and the
 * large-amount layers. An amount is laid on an axis from a starting position (0 for each settlement, or the
 * year's accumulated base); each band pays its ratio on the part of the amount that falls inside it, rounded
 * per band to the fen. When the payment would pass the limit, the fund pays exactly what is left of the limit
 * and the rest of the amount is "over the limit" (for 职工大额, whose basis it is).
 */
import { applyRatio, type Fen, type RatioBp } from '../../platform/money.js';
import type { Band } from './types.js';

export interface BandStep {
  /** The band's bounds on the axis. */
  lo: Fen;
  hi: Fen | null;
  /** Part of the amount that fell in this band. */
  amount: Fen;
  bp: RatioBp;
  pay: Fen;
  /** True when the limit cut this band's payment. */
  limited: boolean;
}

export interface BandWalk {
  pay: Fen;
  /** Part of the amount whose payment fitted under the limit. */
  covered: Fen;
  /** amount − covered: the part above the limit. */
  uncovered: Fen;
  steps: BandStep[];
  /** The ratio at the end of the walk (the marginal ratio), for pool_prop_selfpay. */
  endBp: RatioBp;
  limited: boolean;
}

/** The band containing a position (the first whose upper bound is above it). */
export function bandAt(bands: readonly Band[], pos: Fen): Band {
  const b = bands.find((x) => x.upto === null || pos < x.upto) ?? bands[bands.length - 1];
  if (!b) throw new RangeError('分段比例为空');
  return b;
}

/** Smallest x with x × bp ≥ room (in fen), computed exactly. */
function ceilBase(room: Fen, bp: RatioBp): Fen {
  return Number((BigInt(room) * 10_000n + BigInt(bp) - 1n) / BigInt(bp));
}

/**
 * Pays `amount` laid on the axis from `from`, band by band, never more than `limit` in total.
 * Bands must ascend and end with an open band (checked where policies are loaded).
 */
export function walkBands(bands: readonly Band[], from: Fen, amount: Fen, limit: Fen): BandWalk {
  const steps: BandStep[] = [];
  let pos = from;
  let rest = amount;
  let room = Math.max(0, limit);
  let pay = 0;
  let covered = 0;
  let limited = false;
  let endBp = bandAt(bands, from).bp;
  let lo = 0;
  for (const b of bands) {
    const bandLo = lo;
    if (b.upto !== null) lo = b.upto;
    if (rest === 0) break;
    if (b.upto !== null && pos >= b.upto) continue;
    const seg = b.upto === null ? rest : Math.min(rest, b.upto - pos);
    let segPay = applyRatio(seg, b.bp);
    let segCovered = seg;
    if (segPay > room) {
      limited = true;
      segPay = room;
      segCovered = Math.min(seg, ceilBase(room, b.bp));
    }
    steps.push({ lo: bandLo, hi: b.upto, amount: seg, bp: b.bp, pay: segPay, limited });
    pay += segPay;
    room -= segPay;
    covered += segCovered;
    pos += seg;
    rest -= seg;
    endBp = b.bp;
    if (limited) break;
  }
  if (!limited && rest > 0) throw new RangeError('分段比例的最后一段必须不设上限');
  return { pay, covered, uncovered: amount - covered, steps, endBp, limited };
}
