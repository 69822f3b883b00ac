/**
 * Look-alike (legitimate): a drug charged early on the discharge day of a stay (出院带药) — dated late, but
 * inside the stay's begntime–endtime, so a 收费跨期 rule that flags it is a false positive.
 */
import { addDays } from '../../platform/time.js';
import type { ViolationType } from './types.js';

export const lookalikeDischargeDrug: ViolationType = {
  code: 'lookalike_discharge_drug',
  name: '出院当日带药（在住院期间内，合规）',
  rules: ['MGT-LAG-01'],
  kinds: ['ipt'],
  legit: true,
  inject(d, rng) {
    if (d.los < 1) return null;
    const drugs = d.lines.filter((l) => l.kind === 'drug' && !l.fee.hilist_code.startsWith('T'));
    if (!drugs.length) return null;
    const orig = rng.pick(drugs);
    const fee_date = addDays(d.date, d.los);
    const feedetl_sn = String(d.lines.length + 1).padStart(4, '0');
    // discharge is 09:00–11:59: the take-home drug is charged before it
    d.lines.push({ fee: { ...orig.fee, feedetl_sn, fee_date }, order_time: `${fee_date} 08:${String(rng.int(10, 59))}:00`, kind: orig.kind, item: orig.item });
    return { feedetl_sns: [feedetl_sn], amt: 0, memo: `出院日 ${fee_date} 带药 ${orig.fee.hilist_code}，在住院期间内` };
  },
};
