/** 住院天数超计费: bed fee charged for more days than the stay (an extra bed day on the discharge day). */
import { addDays } from '../../platform/time.js';
import type { ViolationType } from './types.js';

export const bedDays: ViolationType = {
  code: 'bed_days',
  name: '床位费超住院天数计费',
  rules: ['MGT-LOS-01'],
  kinds: ['ipt'],
  inject(d) {
    if (d.los < 1) return null;
    const line = d.addItem({ name: '普通病房床位费（三人间）', kind: 'service', cnt: 1 }, d.los, 1);
    if (!line) return null;
    return { feedetl_sns: [line.fee.feedetl_sn], amt: line.fee.det_item_fee_sumamt, memo: `住院 ${d.los} 天，床位费计 ${d.los + 1} 天（出院日 ${addDays(d.date, d.los)} 仍计床位费）` };
  },
};
