/**
 * 同时住院 (MGT-ADM-03): during a stay of 4 days or more the same person is admitted to another hospital — an
 * admission 1 to LOS−1 days after the first, overlapping it. One of the two stays cannot be real; the later one
 * carries the ground truth, and the amount at issue is what insurance paid for it.
 */
import { addDays, ageOn } from '../../platform/time.js';
import { pickBundle, pickOtherHospital } from '../timeline.js';
import { DEFERRED, type ViolationType } from './types.js';

export const concurrentIpt: ViolationType = {
  code: 'concurrent_ipt',
  name: '同时住院',
  rules: ['MGT-ADM-03'],
  kinds: ['ipt'],
  inject(d, rng, world) {
    if (d.los < 4) return null;
    const bundle = pickBundle(rng, 'ipt', ageOn(d.person.brdy, d.date), d.person.gend);
    if (!bundle) return null;
    const levels = (['1', '2', '3'] as const).filter((lv) => lv >= (bundle.minLv ?? '1'));
    const other = pickOtherHospital(rng, world, d.inst.pool, levels, [d.inst.fixmedins_code]);
    if (!other) return null;
    const k = rng.int(1, d.los - 1);
    d.follow({
      kind: 'ipt',
      date: addDays(d.date, k),
      bundle,
      inst: other,
      inject: (f, prev) => ({
        feedetl_sns: null,
        amt: 'insured',
        memo: `${f.date} 入住 ${f.inst.fixmedins_name} 时仍在 ${prev.inst.fixmedins_name} 住院（${prev.date} 至 ${prev.endDate}，就诊ID ${prev.mdtrt_id}）`,
      }),
    });
    return DEFERRED;
  },
};
