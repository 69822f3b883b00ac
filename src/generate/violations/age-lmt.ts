/** 限儿童用药: a children's drug (小儿…, limited to 14 and under) charged for an adult. */
import { ageOn } from '../../platform/time.js';
import type { ViolationType } from './types.js';

export const ageLmt: ViolationType = {
  code: 'age_lmt',
  name: '药品限儿童使用',
  rules: ['POL-AGE-01', 'POL-AGE-02', 'POL-AGE-04'],
  kinds: ['opt'],
  inject(d) {
    const age = ageOn(d.person.brdy, d.date);
    if (age < 18) return null;
    const line = d.addItem({ name: '小儿氨酚黄那敏', kind: 'drug', cnt: 1 }, 0, 2);
    if (!line) return null;
    return { feedetl_sns: [line.fee.feedetl_sn], amt: line.fee.det_item_fee_sumamt, memo: `${age} 岁患者使用限 14 岁及以下儿童的小儿氨酚黄那敏` };
  },
};
