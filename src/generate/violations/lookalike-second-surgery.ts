/**
 * Look-alike (legitimate): a second operation the same day (the other side, 双侧) charged at half the price, as
 * the rule requires — two surgery lines of one day, so a 手术折价 rule that does not compare prices flags it.
 */
import { priceTimesQuantity, type ViolationType } from './types.js';

export const lookalikeSecondSurgery: ViolationType = {
  code: 'lookalike_second_surgery',
  name: '同日第二台手术按 50% 收费（合规）',
  rules: ['MGT-SURG-01'],
  kinds: ['ipt'],
  // only surgical stays (about a fifth) can express it
  weight: 5,
  legit: true,
  inject(d) {
    const op = d.lines.find((l) => l.kind === 'surgery');
    if (!op) return null;
    const sn = String(d.lines.length + 1).padStart(4, '0');
    // half the standard price, rounded down to the fen: never above the rule's 50 %
    const pric = Math.floor(op.fee.pric / 2);
    d.lines.push({ ...op, fee: { ...op.fee, feedetl_sn: sn, pric, det_item_fee_sumamt: priceTimesQuantity(pric, op.fee.cnt) } });
    return { feedetl_sns: [sn], amt: 0, memo: `同日第二台手术 ${op.fee.hilist_code} 按标准价 50% 收费` };
  },
};
