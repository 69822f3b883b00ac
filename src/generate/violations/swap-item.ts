/**
 * 串换药品 (MGT-SWP-01, seen through MGT-TRC-02): a drug line bills the dearest maker's code of the same generic
 * drug while the box dispensed — the product its 药品追溯码 names — is the institution's usual, cheaper one. The
 * amount at issue is the difference between what was billed and the dispensed product's price.
 */
import { priceTimesQuantity, type ViolationType } from './types.js';

/** How many institutions' stock to look through for dearer makers of the same drug. */
const SCAN = 60;

export const swapItem: ViolationType = {
  code: 'swap_item',
  name: '串换药品（收费编码与追溯码产品不符）',
  rules: ['MGT-SWP-01', 'MGT-TRC-02'],
  kinds: ['pharm', 'mts'],
  inject(d, rng, world) {
    const lv = d.inst.hosp_lv;
    const drugs = d.lines.filter((l) => l.kind === 'drug' && !l.fee.hilist_code.startsWith('T') && !l.trace);
    if (!drugs.length) return null;
    const line = rng.pick(drugs);
    const actual = line.fee.hilist_code;
    // the same drug (name and form) from other makers, as other institutions stock it (world.itemCode spreads makers)
    const name = world.item(actual, lv).hilist_name;
    let dearest = actual;
    const step = Math.max(1, Math.floor(world.institutions.length / SCAN));
    for (let i = 0; i < world.institutions.length; i += step) {
      const code = world.itemCode(world.institutions[i]!, line.item, d.kind, false);
      if (code && world.item(code, lv).hilist_name === name && world.price(code, lv) > world.price(dearest, lv)) dearest = code;
    }
    if (dearest === actual) return null;
    const pric = world.price(dearest, lv);
    const before = line.fee.det_item_fee_sumamt;
    line.fee = { ...line.fee, hilist_code: dearest, pric, det_item_fee_sumamt: priceTimesQuantity(pric, line.fee.cnt) };
    line.traceOf = actual;
    return {
      feedetl_sns: [line.fee.feedetl_sn],
      amt: line.fee.det_item_fee_sumamt - before,
      memo: `实际发放 ${actual}（追溯码产品），按更贵的 ${dearest} 收费`,
    };
  },
};
