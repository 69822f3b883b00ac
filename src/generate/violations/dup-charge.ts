/** 重复收费: the same service charged twice for the same day (a second line with the same item and date). */
import type { ViolationType } from './types.js';

export const dupCharge: ViolationType = {
  code: 'dup_charge',
  name: '重复收费',
  rules: ['MGT-DUP-01', 'MGT-FRQ-01', 'MGT-LOS-01'],
  kinds: ['opt', 'ipt'],
  inject(d, rng) {
    const services = d.lines.filter((l) => l.kind === 'service');
    if (!services.length) return null;
    const orig = rng.pick(services);
    const sn = String(d.lines.length + 1).padStart(4, '0');
    const copy = { ...orig, fee: { ...orig.fee, feedetl_sn: sn } };
    d.lines.push(copy);
    return { feedetl_sns: [orig.fee.feedetl_sn, sn], amt: copy.fee.det_item_fee_sumamt, memo: `同一项目 ${orig.fee.hilist_code} 在 ${orig.fee.fee_date} 重复收费` };
  },
};
