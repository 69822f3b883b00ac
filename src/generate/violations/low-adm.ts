/**
 * 低标准入院 (MGT-ADM-04): a patient admitted for a condition treated in outpatient care — a cold, acute bronchitis,
 * gastroenteritis, gastritis, low back pain, headache, uncomplicated hypertension — for 1–3 days, with the
 * outpatient treatment plus ward charges, at low cost (kept under 1,500 元 by dropping the costliest extras). The
 * stay is the violation; the amount at issue is what insurance paid for it.
 */
import { ageOn } from '../../platform/time.js';
import { BUNDLES, type Bundle } from '../bundles.js';
import { WARD_CHARGES } from './idle-bed.js';
import type { ViolationType } from './types.js';

/** Principal diagnoses managed in outpatient care (the categories of the rule's default list). */
const MILD = ['J06', 'J20', 'A09', 'K29', 'M54', 'R51', 'I10'];
const MAX_FEE_FEN = 150_000;

/** The outpatient bundle as a short inpatient stay. */
const AS_STAY: ReadonlyMap<string, Bundle> = new Map(
  BUNDLES.filter((b) => b.setting === 'opt' && MILD.includes(b.diag.slice(0, 3))).map((b) => [
    b.key,
    { ...b, key: `low-adm-${b.key}`, setting: 'ipt', los: { median: 2, sigma: 0.3, min: 1, max: 3 } } satisfies Bundle,
  ]),
);
const STAYS = new Set(AS_STAY.values());

export const lowAdm: ViolationType = {
  code: 'low_adm',
  name: '低标准入院',
  rules: ['MGT-ADM-04'],
  kinds: ['ipt'],
  prepare(spec, person, rng) {
    const age = ageOn(person.brdy, spec.date);
    const fit = [...AS_STAY.values()].filter((b) => age >= b.ages[0] && age <= b.ages[1] && (!b.gend || b.gend === person.gend));
    if (!fit.length) return null;
    return { ...spec, bundle: rng.pick(fit), los: rng.int(1, 3) };
  },
  inject(d) {
    if (!d.bundle || !STAYS.has(d.bundle)) return null;
    let total = d.lines.reduce((t, l) => t + l.fee.det_item_fee_sumamt, 0);
    const extras = d.lines.filter((l) => !WARD_CHARGES.has(l.item.name)).sort((a, b) => b.fee.det_item_fee_sumamt - a.fee.det_item_fee_sumamt);
    const drop = new Set<unknown>();
    for (const l of extras) {
      if (total <= MAX_FEE_FEN) break;
      drop.add(l);
      total -= l.fee.det_item_fee_sumamt;
    }
    if (total > MAX_FEE_FEN) return null;
    d.removeLines((l) => drop.has(l));
    return { feedetl_sns: null, amt: 'insured', memo: `主诊断 ${d.diags[0]} 属门诊可治疗病种，住院 ${Math.max(1, d.los)} 天，医疗费用 ${(total / 100).toFixed(2)} 元` };
  },
};
