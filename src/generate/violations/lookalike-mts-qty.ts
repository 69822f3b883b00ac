/**
 * Look-alike (legitimate): a chronic-disease (门诊慢特病) drug dispensed at three times the usual quantity — a
 * long prescription the 30-day 慢特病 supply allows, so a quantity rule that flags it is a false positive.
 */
import { priceTimesQuantity, type ViolationType } from './types.js';

export const lookalikeMtsQty: ViolationType = {
  code: 'lookalike_mts_qty',
  name: '慢特病长处方（30 日内，合规）',
  rules: ['MED-QTY-01'],
  kinds: ['mts'],
  legit: true,
  inject(d, rng) {
    const drugs = d.lines.filter((l) => l.kind === 'drug');
    if (!drugs.length) return null;
    const line = rng.pick(drugs);
    const cnt = String(Number(line.fee.cnt) * 3);
    line.fee = { ...line.fee, cnt, det_item_fee_sumamt: priceTimesQuantity(line.fee.pric, cnt) };
    return { feedetl_sns: [line.fee.feedetl_sn], amt: 0, memo: `慢特病药品 ${line.fee.hilist_code} 长处方 ${cnt}，在 30 日用量内` };
  },
};
