/**
 * The violation types the generator can inject and the look-alike legitimate cases (one module each; add a
 * module and list it here), and the choice of one for an encounter: the types of the list that fit its kind, in
 * a random order (weighted: a type that few encounters can express is tried earlier more often); the first
 * with a `prepare` step that accepts the encounter is the one (it reshapes the encounter before its lines are
 * drawn), else the inject-only types from there on are tried on the drafted encounter, the first that can be
 * expressed being injected.
 */
import type { Rng } from '../../demo/prng.js';
import type { GenPerson } from '../persons.js';
import type { World } from '../world.js';
import { ageLmt } from './age-lmt.js';
import { bedDays } from './bed-days.js';
import { concurrentIpt } from './concurrent-ipt.js';
import { deadPsn } from './dead-psn.js';
import { diagLmt } from './diag-lmt.js';
import { doctorQual } from './doctor-qual.js';
import { dupCharge } from './dup-charge.js';
import { dupDrug } from './dup-drug.js';
import { feeOutside } from './fee-outside.js';
import { gendLmt } from './gend-lmt.js';
import { idchkFail } from './idchk-fail.js';
import { idleBed } from './idle-bed.js';
import { inclCharge } from './incl-charge.js';
import { lowAdm } from './low-adm.js';
import { lvLmt } from './lv-lmt.js';
import { overFreq } from './over-freq.js';
import { overPrice } from './over-price.js';
import { overQty } from './over-qty.js';
import { sceneLmt } from './scene-lmt.js';
import { singleHerb } from './single-herb.js';
import { splitAdm } from './split-adm.js';
import { surgDiscount } from './surg-discount.js';
import { swapItem } from './swap-item.js';
import { traceDup } from './trace-dup.js';
import { traceDupXinst } from './trace-dup-xinst.js';
import { travelImpostor } from './travel-impostor.js';
import { visitFreq } from './visit-freq.js';
import { lookalikeChemoCycle } from './lookalike-chemo-cycle.js';
import { lookalikeChildDrug } from './lookalike-child-drug.js';
import { lookalikeDiagDrug } from './lookalike-diag-drug.js';
import { lookalikeDischargeDrug } from './lookalike-discharge-drug.js';
import { lookalikeLabRepeat } from './lookalike-lab-repeat.js';
import { lookalikeMtsQty } from './lookalike-mts-qty.js';
import { lookalikeSecondSurgery } from './lookalike-second-surgery.js';
import { lookalikeTransfer } from './lookalike-transfer.js';
import type { EncounterSpec, ViolationType } from './types.js';

export type { Draft, DraftLine, EncounterRef, EncounterSpec, FollowUp, Injection, InjectResult, TraceUse, ViolationType } from './types.js';
export { DEFERRED } from './types.js';
export { deadPsn };

export const VIOLATION_TYPES: readonly ViolationType[] = [
  // within one encounter
  gendLmt, ageLmt, overPrice, dupCharge, overFreq, bedDays, singleHerb, doctorQual, traceDup, deadPsn, overQty, feeOutside, diagLmt, sceneLmt,
  lvLmt, inclCharge, surgDiscount, swapItem, traceDupXinst, idchkFail, idleBed, lowAdm,
  // across encounters of one person
  splitAdm, concurrentIpt, dupDrug, travelImpostor, visitFreq,
];
export const LOOKALIKE_TYPES: readonly ViolationType[] = [
  lookalikeChildDrug, lookalikeLabRepeat, lookalikeMtsQty, lookalikeDiagDrug, lookalikeDischargeDrug,
  lookalikeChemoCycle, lookalikeSecondSurgery, lookalikeTransfer,
];

/** The types to try on an encounter, and the encounter as the chosen type reshaped it (module header). */
export function chooseTypes(list: readonly ViolationType[], spec: EncounterSpec, person: GenPerson, rng: Rng, world: World): { spec: EncounterSpec; tries: ViolationType[] } {
  // a random order weighted by `weight` (sorting by −ln(u) ÷ weight: weighted sampling without replacement)
  const fit = list
    .filter((v) => v.kinds.includes(spec.kind))
    .map((v) => ({ v, key: -Math.log(1 - rng.next()) / (v.weight ?? 1) }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.v);
  for (let i = 0; i < fit.length; i++) {
    const t = fit[i]!;
    if (!t.prepare) return { spec, tries: fit.slice(i).filter((v) => !v.prepare) };
    const reshaped = t.prepare(spec, person, rng, world);
    if (reshaped) return { spec: reshaped, tries: [t] };
  }
  return { spec, tries: [] };
}
