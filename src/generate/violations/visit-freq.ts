/**
 * 门急诊就诊频次异常 (MED-VIS-01): three more outpatient visits the same day at three other hospitals of the same
 * city, an hour apart (doctor shopping: four visits a day is the rule's daily threshold). The last visit carries
 * the ground truth; the amount at issue is what insurance paid for it.
 */
import { pickOtherHospital } from '../timeline.js';
import { DEFERRED, type Draft, type ViolationType } from './types.js';
import type { Institution } from '../world.js';

const EXTRA_VISITS = 3;

export const visitFreq: ViolationType = {
  code: 'visit_freq',
  name: '门急诊就诊频次异常',
  rules: ['MED-VIS-01'],
  kinds: ['opt'],
  inject(d: Draft, rng, world) {
    if (!d.bundle) return null;
    const hour = Number(d.begntime.slice(11, 13));
    const taken = [d.inst.fixmedins_code];
    const insts: Institution[] = [];
    for (let i = 0; i < EXTRA_VISITS; i++) {
      const inst = pickOtherHospital(rng, world, d.inst.pool, ['1', '2', '3'].filter((lv) => lv >= (d.bundle!.minLv ?? '1')) as ('1' | '2' | '3')[], taken);
      if (!inst) return null;
      taken.push(inst.fixmedins_code);
      insts.push(inst);
    }
    insts.forEach((inst, i) => {
      const last = i === EXTRA_VISITS - 1;
      d.follow({
        kind: 'opt',
        date: d.date,
        time: `${String(hour + i + 1).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00`,
        bundle: d.bundle,
        inst,
        inject: (f, prev) => (last ? { feedetl_sns: null, amt: 'insured', memo: `${f.date} 同日第 ${EXTRA_VISITS + 1} 次门诊（首次就诊ID ${prev.mdtrt_id}，${prev.inst.fixmedins_name}），同一诊断 ${f.diags[0]} 辗转 ${EXTRA_VISITS + 1} 家医院` } : null),
      });
    });
    return DEFERRED;
  },
};
