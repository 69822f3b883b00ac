/**
 * 重复开药 (MED-QTY-02): a hypertensive patient given a week of 氨氯地平 (one tablet a day, so 7 days' supply — within
 * the 7-day outpatient limit) buys another week at a pharmacy 1–3 days later, while 4–6 days of the first supply
 * are left. The purchase carries the ground truth; the amount at issue is its share for the overlapping days
 * (what the rule computes: the line prorated by overlap ÷ supply).
 */
import { addDays } from '../../platform/time.js';
import { pickInstitution } from '../timeline.js';
import { priceTimesQuantity, DEFERRED, type ViolationType } from './types.js';

const DRUG = '氨氯地平';
/** Days one unit lasts: one tablet a day (the usual dose, and the knowledge base's std_daily_qty). */
const DAILY = 1;
const SUPPLY_DAYS = 7;

export const dupDrug: ViolationType = {
  code: 'dup_drug',
  name: '重复开药（用药时间重叠）',
  rules: ['MED-QTY-02'],
  kinds: ['opt', 'mts'],
  inject(d, rng, world) {
    const first = d.lines.find((l) => l.item.name === DRUG);
    if (!first) return null;
    const pharmacy = pickInstitution(rng, world, 'pharm', d.person.insuplc_admdvs, '1', d.inst.pool);
    if (!pharmacy) return null;
    const cnt = String(SUPPLY_DAYS * DAILY);
    first.fee = { ...first.fee, cnt, det_item_fee_sumamt: priceTimesQuantity(first.fee.pric, cnt) };
    const gap = rng.int(1, 3);
    d.follow({
      kind: 'pharm',
      date: addDays(d.date, gap),
      bundle: null,
      inst: pharmacy,
      inject(f, prev) {
        f.removeLines((l) => l.item.name === DRUG);
        const line = f.addItem(first.item, 0, SUPPLY_DAYS * DAILY);
        if (!line) return null;
        const overlap = SUPPLY_DAYS - gap;
        return {
          feedetl_sns: [line.fee.feedetl_sn],
          amt: Math.round((line.fee.det_item_fee_sumamt * overlap) / SUPPLY_DAYS),
          memo: `${prev.date} 已开具${DRUG} ${SUPPLY_DAYS} 日量（就诊ID ${prev.mdtrt_id}），${gap} 天后在药店又购 ${SUPPLY_DAYS} 日量，用药重叠 ${overlap} 天`,
        };
      },
    });
    return DEFERRED;
  },
};
