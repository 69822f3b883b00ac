/**
 * The violation types the generator can inject and the look-alike legitimate cases (one module each; add a
 * module and list it here), and the choice of one for an encounter: a type picked at random among those of
 * the list that fit its kind and can be expressed in it.
 */
import type { Rng } from '../../demo/prng.js';
import type { World } from '../world.js';
import { ageLmt } from './age-lmt.js';
import { bedDays } from './bed-days.js';
import { deadPsn } from './dead-psn.js';
import { diagLmt } from './diag-lmt.js';
import { doctorQual } from './doctor-qual.js';
import { dupCharge } from './dup-charge.js';
import { feeOutside } from './fee-outside.js';
import { gendLmt } from './gend-lmt.js';
import { overFreq } from './over-freq.js';
import { overPrice } from './over-price.js';
import { overQty } from './over-qty.js';
import { sceneLmt } from './scene-lmt.js';
import { singleHerb } from './single-herb.js';
import { traceDup } from './trace-dup.js';
import { lookalikeChildDrug } from './lookalike-child-drug.js';
import { lookalikeDiagDrug } from './lookalike-diag-drug.js';
import { lookalikeDischargeDrug } from './lookalike-discharge-drug.js';
import { lookalikeLabRepeat } from './lookalike-lab-repeat.js';
import { lookalikeMtsQty } from './lookalike-mts-qty.js';
import type { Draft, Injection, ViolationType } from './types.js';

export type { Draft, DraftLine, Injection, ViolationType } from './types.js';
export { deadPsn };

export const VIOLATION_TYPES: readonly ViolationType[] = [gendLmt, ageLmt, overPrice, dupCharge, overFreq, bedDays, singleHerb, doctorQual, traceDup, deadPsn, overQty, feeOutside, diagLmt, sceneLmt];
export const LOOKALIKE_TYPES: readonly ViolationType[] = [lookalikeChildDrug, lookalikeLabRepeat, lookalikeMtsQty, lookalikeDiagDrug, lookalikeDischargeDrug];

/** Tries the fitting types of `list` in a random order; the first that can be expressed is injected. */
export function injectOne(list: readonly ViolationType[], d: Draft, rng: Rng, world: World): { type: ViolationType; injection: Injection } | null {
  const fit = list.filter((v) => v.kinds.includes(d.kind));
  for (let n = fit.length; n > 0; n--) {
    const k = rng.int(0, n - 1);
    const type = fit[k]!;
    fit[k] = fit[n - 1]!;
    const injection = type.inject(d, rng, world);
    if (injection) return { type, injection };
  }
  return null;
}
