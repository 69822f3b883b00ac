/**
 * 限医院等级用药 (POL-LV-01): 美罗培南 — restricted to level-2 and higher institutions (重症感染住院患者) — given
 * during a stay at a level-1 hospital, which would not stock it otherwise. The line is at issue.
 */
import { pickOtherHospital } from '../timeline.js';
import type { ViolationType } from './types.js';

const DRUGS = ['美罗培南', '万古霉素'];

export const lvLmt: ViolationType = {
  code: 'lv_lmt',
  name: '药品限医院等级使用',
  rules: ['POL-LV-01'],
  kinds: ['ipt'],
  // a stay of a condition level-1 hospitals treat, moved to one of them
  prepare(spec, _person, rng, world) {
    if (spec.bundle?.minLv && spec.bundle.minLv !== '1') return null;
    const inst = spec.inst.hosp_lv === '1' ? spec.inst : pickOtherHospital(rng, world, spec.inst.pool, ['1']);
    return inst ? { ...spec, inst } : null;
  },
  inject(d, rng) {
    if (d.inst.hosp_lv !== '1') return null;
    const name = rng.pick(DRUGS);
    const line = d.addItem({ name, kind: 'drug', cnt: 1 }, Math.min(1, d.los), 2);
    if (!line) return null;
    return { feedetl_sns: [line.fee.feedetl_sn], amt: line.fee.det_item_fee_sumamt, memo: `限二级及以上医疗机构使用的${name}在一级医院使用` };
  },
};
