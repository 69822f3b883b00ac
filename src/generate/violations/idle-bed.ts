/**
 * 挂床住院 (MGT-ADM-02): in the middle of a stay of 7 days or more, 3–5 consecutive days carry only the per-day ward
 * charges (bed, nursing, ward round) and no treatment at all — the patient was not there. The ward charges of
 * those days are the lines involved and the amount at issue.
 */
import { addDays } from '../../platform/time.js';
import type { ViolationType } from './types.js';

/** The per-day ward charges every inpatient day carries (bundles.ts WARD_DAY), which are not treatment. */
export const WARD_CHARGES: ReadonlySet<string> = new Set(['普通病房床位费（三人间）', '二级护理', '住院诊察费']);

export const idleBed: ViolationType = {
  code: 'idle_bed',
  name: '挂床住院',
  rules: ['MGT-ADM-02'],
  kinds: ['ipt'],
  inject(d, rng) {
    if (d.los < 7) return null;
    const days = rng.int(3, Math.min(5, d.los - 4));
    // after the admission day and the day of surgery, before the last day
    const from = addDays(d.date, rng.int(2, d.los - 1 - days));
    const to = addDays(from, days - 1);
    const idle = (l: { fee: { fee_date: string } }) => l.fee.fee_date >= from && l.fee.fee_date <= to;
    if (!d.lines.some((l) => idle(l) && WARD_CHARGES.has(l.item.name))) return null;
    d.removeLines((l) => idle(l) && !WARD_CHARGES.has(l.item.name));
    const ward = d.lines.filter((l) => idle(l));
    return {
      feedetl_sns: ward.map((l) => l.fee.feedetl_sn),
      amt: ward.reduce((t, l) => t + l.fee.det_item_fee_sumamt, 0),
      memo: `${from} 至 ${to} 连续 ${days} 天仅有床位费、护理费、诊察费，无任何诊疗`,
    };
  },
};
