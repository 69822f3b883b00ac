/**
 * 手术项目未按规则折价收费 (MGT-SURG-01): a second operation the same day (the other side, 双侧) charged at the full
 * price instead of 50 %. The second line is at issue for the half it should not have charged.
 */
import type { ViolationType } from './types.js';

export const surgDiscount: ViolationType = {
  code: 'surg_discount',
  name: '手术项目未按规则折价收费',
  rules: ['MGT-SURG-01'],
  kinds: ['ipt'],
  // only surgical stays (about a fifth) can express it
  weight: 5,
  inject(d) {
    const op = d.lines.find((l) => l.kind === 'surgery');
    if (!op) return null;
    const sn = String(d.lines.length + 1).padStart(4, '0');
    const second = { ...op, fee: { ...op.fee, feedetl_sn: sn } };
    d.lines.push(second);
    return { feedetl_sns: [sn, op.fee.feedetl_sn], amt: op.fee.pric - Math.round(op.fee.pric / 2), memo: `同日第二台手术 ${op.fee.hilist_code} 按全价收费，应按 50% 收取` };
  },
};
