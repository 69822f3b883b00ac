/**
 * Look-alike (legitimate): a children's drug (小儿氨酚黄那敏, limited to 14 and under) for a 13- or 14-year-old —
 * within the limit, so an age rule that flags it is a false positive.
 */
import { ageOn } from '../../platform/time.js';
import type { ViolationType } from './types.js';

export const lookalikeChildDrug: ViolationType = {
  code: 'lookalike_child_drug',
  name: '药品限儿童使用（限龄内，合规）',
  rules: ['POL-AGE-01', 'POL-AGE-02', 'POL-AGE-04'],
  kinds: ['opt'],
  legit: true,
  inject(d) {
    const age = ageOn(d.person.brdy, d.date);
    if (age < 13 || age > 14) return null;
    const line = d.addItem({ name: '小儿氨酚黄那敏', kind: 'drug', cnt: 1 }, 0, 1);
    if (!line) return null;
    return { feedetl_sns: [line.fee.feedetl_sn], amt: 0, memo: `${age} 岁患者使用限 14 岁及以下的儿童药品，在限定年龄内` };
  },
};
