/**
 * 冒名就医（异地同时就医）(MGT-ID-01, impossible travel): 30–150 minutes after an outpatient visit the same
 * credentials register an outpatient visit in another city of the region — no patient makes that trip and back
 * in the time, so one of the two is someone else using the card. The later visit carries the ground truth; the
 * amount at issue is what insurance paid for it.
 */
import { ageOn } from '../../platform/time.js';
import { pickBundle, pickInstitution, otherPools } from '../timeline.js';
import { DEFERRED, type ViolationType } from './types.js';

export const travelImpostor: ViolationType = {
  code: 'travel_impostor',
  name: '冒名就医（短时间内异地就医）',
  rules: ['MGT-ID-01'],
  kinds: ['opt'],
  inject(d, rng, world) {
    const bundle = pickBundle(rng, 'opt', ageOn(d.person.brdy, d.date), d.person.gend);
    const city = otherPools(d.inst.pool);
    const inst = bundle && city.length ? pickInstitution(rng, world, 'opt', d.person.insuplc_admdvs, bundle.minLv, rng.pick(city)) : null;
    if (!bundle || !inst) return null;
    const [h, m] = d.begntime.slice(11, 16).split(':').map(Number) as [number, number];
    const at = h * 60 + m + rng.int(30, 150);
    d.follow({
      kind: 'opt',
      date: d.date,
      time: `${String(Math.floor(at / 60)).padStart(2, '0')}:${String(at % 60).padStart(2, '0')}:00`,
      bundle,
      inst,
      inject: (f, prev) => ({
        feedetl_sns: null,
        amt: 'insured',
        memo: `${prev.begntime.slice(0, 16)} 在 ${prev.inst.fixmedins_name}（${prev.inst.pool}）就诊后，${f.begntime.slice(11, 16)} 又在另一城市的 ${f.inst.fixmedins_name}（${f.inst.pool}）就诊`,
      }),
    });
    return DEFERRED;
  },
};
