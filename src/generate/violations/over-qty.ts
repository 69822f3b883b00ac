/**
 * 超量开药 (MED-QTY-01): an outpatient drug line dispensed at 5–8 times its usual quantity — far over the 7-day
 * outpatient supply; the amount at issue is the part above the usual quantity.
 */
import { priceTimesQuantity, type ViolationType } from './types.js';

export const overQty: ViolationType = {
  code: 'over_qty',
  name: '超量开药',
  rules: ['MED-QTY-01'],
  kinds: ['opt'],
  inject(d, rng) {
    const drugs = d.lines.filter((l) => l.kind === 'drug' && !l.fee.hilist_code.startsWith('T'));
    if (!drugs.length) return null;
    const line = rng.pick(drugs);
    const usual = line.fee.cnt;
    const cnt = String(Number(usual) * rng.int(5, 8));
    line.fee = { ...line.fee, cnt, det_item_fee_sumamt: priceTimesQuantity(line.fee.pric, cnt) };
    const amt = line.fee.det_item_fee_sumamt - priceTimesQuantity(line.fee.pric, usual);
    return { feedetl_sns: [line.fee.feedetl_sn], amt, memo: `门诊药品 ${line.fee.hilist_code} 开具 ${cnt}（常用量 ${usual}），超过门诊 7 日用量` };
  },
};
