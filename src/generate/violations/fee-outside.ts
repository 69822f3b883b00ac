/**
 * 收费跨期 (fee date outside the encounter): a line of an inpatient stay dated 5–30 days before admission, so
 * its fee_ocur_time lies outside the stay's begntime–endtime; the whole line is at issue.
 */
import { addDays } from '../../platform/time.js';
import type { ViolationType } from './types.js';

export const feeOutside: ViolationType = {
  code: 'fee_outside',
  name: '收费跨期（费用发生日期不在就诊期间）',
  rules: ['MGT-LAG-02', 'MGT-LAG-01'],
  kinds: ['ipt'],
  inject(d, rng) {
    const movable = d.lines.filter((l) => l.kind !== 'service' || l.fee.fee_date !== d.date);
    if (!movable.length) return null;
    const line = rng.pick(movable);
    const fee_date = addDays(d.date, -rng.int(5, 30));
    line.fee = { ...line.fee, fee_date };
    line.order_time = `${fee_date} 09:${String(rng.int(10, 59))}:00`;
    return { feedetl_sns: [line.fee.feedetl_sn], amt: line.fee.det_item_fee_sumamt, memo: `费用发生日期 ${fee_date} 早于入院日期 ${d.date}` };
  },
};
