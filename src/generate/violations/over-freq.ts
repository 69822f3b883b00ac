/** 超频次: a once-a-day charge (住院诊察费) billed twice for one day of the stay. */
import { priceTimesQuantity, type ViolationType } from './types.js';

export const overFreq: ViolationType = {
  code: 'over_freq',
  name: '超频次收费',
  rules: ['MGT-FRQ-01', 'MGT-LOS-01'],
  kinds: ['ipt'],
  inject(d, rng, world) {
    const code = world.itemCode(d.inst, { name: '住院诊察费', kind: 'service', cnt: 1 }, 'ipt', true);
    const daily = d.lines.filter((l) => l.fee.hilist_code === code);
    if (!daily.length) return null;
    const line = rng.pick(daily);
    line.fee = { ...line.fee, cnt: '2', det_item_fee_sumamt: priceTimesQuantity(line.fee.pric, '2') };
    return { feedetl_sns: [line.fee.feedetl_sn], amt: line.fee.pric, memo: `住院诊察费每日限 1 次，${line.fee.fee_date} 计费 2 次` };
  },
};
