/**
 * 包含项目重复收费 (MGT-DUP-01, an inclusion pair): 静脉注射 charged on a day that already has 静脉输液 — the
 * infusion's price includes the venepuncture. The 静脉注射 line is the one at issue, the infusion takes part.
 */
import type { ViolationType } from './types.js';

export const inclCharge: ViolationType = {
  code: 'incl_charge',
  name: '包含项目重复收费（静脉输液含静脉注射）',
  rules: ['MGT-DUP-01'],
  kinds: ['ipt'],
  inject(d, rng) {
    const drips = d.lines.filter((l) => l.item.name === '静脉输液（第一组）');
    if (!drips.length) return null;
    const drip = rng.pick(drips);
    const day = Math.round((Date.parse(drip.fee.fee_date) - Date.parse(d.date)) / 86_400_000);
    const line = d.addItem({ name: '静脉注射', kind: 'service', cnt: 1 }, day, 1);
    if (!line) return null;
    return { feedetl_sns: [line.fee.feedetl_sn, drip.fee.feedetl_sn], amt: line.fee.det_item_fee_sumamt, memo: `${drip.fee.fee_date} 已收静脉输液，另收其包含的静脉注射` };
  },
};
