/**
 * Look-alike (legitimate): a laboratory test repeated on a later day of a stay (a follow-up 血常规/C反应蛋白) — the
 * same item twice in one encounter, but on different days, so a 重复收费 rule that ignores the date is wrong.
 */
import type { ViolationType } from './types.js';

export const lookalikeLabRepeat: ViolationType = {
  code: 'lookalike_lab_repeat',
  name: '重复收费（不同日复查，合规）',
  rules: ['MGT-DUP-01', 'MGT-FRQ-01'],
  kinds: ['ipt'],
  legit: true,
  inject(d) {
    if (d.los < 3) return null;
    const line = d.addItem({ name: '血常规', kind: 'service', cnt: 1 }, Math.min(3, d.los - 1), 1);
    if (!line) return null;
    return { feedetl_sns: [line.fee.feedetl_sn], amt: 0, memo: `住院第 ${Math.min(3, d.los - 1) + 1} 天复查血常规，与入院检查不在同一天` };
  },
};
