/**
 * Look-alike (legitimate): planned chemotherapy (Z51.1, 99.25) in a two-weekly regimen — the next cycle is admitted
 * 14 days after the first, 6–12 days after discharge: a readmission within 15 days for the same diagnosis that a
 * 分解住院 rule must exempt as a planned cycle. The stay is made a chemotherapy stay (at a level 2+ hospital) for
 * a patient of the chemotherapy bundle's ages; the second cycle carries the label.
 */
import { addDays, ageOn } from '../../platform/time.js';
import { BUNDLES } from '../bundles.js';
import { pickOtherHospital } from '../timeline.js';
import { DEFERRED, type ViolationType } from './types.js';

const CHEMO = BUNDLES.find((b) => b.key === 'chemo')!;
const CYCLE_DAYS = 14;

export const lookalikeChemoCycle: ViolationType = {
  code: 'lookalike_chemo_cycle',
  name: '计划性化疗再入院（合规）',
  rules: ['MGT-ADM-01'],
  kinds: ['ipt'],
  legit: true,
  prepare(spec, person, rng, world) {
    const age = ageOn(person.brdy, spec.date);
    if (age < CHEMO.ages[0] || age > CHEMO.ages[1]) return null;
    const inst = spec.inst.hosp_lv >= '2' ? spec.inst : pickOtherHospital(rng, world, spec.inst.pool, ['2', '3']);
    if (!inst) return null;
    // short enough that the next cycle comes after this discharge
    return { ...spec, bundle: CHEMO, inst, los: rng.int(CHEMO.los!.min, 6) };
  },
  inject(d) {
    if (d.bundle !== CHEMO) return null;
    d.follow({
      kind: 'ipt',
      date: addDays(d.date, CYCLE_DAYS),
      bundle: CHEMO,
      inst: d.inst,
      los: Math.min(d.los, 6),
      inject: (f, prev) => ({ feedetl_sns: null, amt: 0, memo: `计划性化疗第二周期：${prev.endDate} 出院后 ${CYCLE_DAYS - prev.los} 天按方案再次入院（主诊断 ${f.diags[0]}）` }),
    });
    return DEFERRED;
  },
};
