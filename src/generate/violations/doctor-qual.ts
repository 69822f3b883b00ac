/** 医保医师资格: the encounter is billed under a doctor whose payment qualification is suspended that day. */
import type { ViolationType } from './types.js';

export const doctorQual: ViolationType = {
  code: 'doctor_qual',
  name: '医保医师暂停支付资格期间发生费用',
  rules: ['MGT-DOC-01'],
  kinds: ['opt', 'mts', 'ipt'],
  inject(d, rng, world) {
    const suspended = d.inst.doctors.filter((p) => {
      const w = world.suspensions.get(p.prac_code);
      return w !== undefined && w.begndate <= d.date && d.date <= w.enddate;
    });
    if (!suspended.length) return null;
    d.doctor = rng.pick(suspended);
    const w = world.suspensions.get(d.doctor.prac_code)!;
    return { feedetl_sns: null, amt: 'insured', memo: `医师 ${d.doctor.prac_code} 在 ${w.begndate} 至 ${w.enddate} 暂停医保支付资格` };
  },
};
