/** 单味中药饮片: a decoction piece prescribed on its own (single-herb prescriptions are not paid). */
import type { ViolationType } from './types.js';

const HERBS = ['黄芪', '党参', '当归', '茯苓', '白术', '甘草', '枸杞子', '山药'];

export const singleHerb: ViolationType = {
  code: 'single_herb',
  name: '单味中药饮片支付',
  rules: ['POL-TCM-01'],
  kinds: ['opt'],
  inject(d, rng) {
    if (d.lines.some((l) => l.fee.hilist_code.startsWith('T'))) return null;
    const name = rng.pick(HERBS);
    const line = d.addItem({ name, kind: 'drug', cnt: 1 }, 0, rng.int(3, 6) * 10);
    if (!line) return null;
    return { feedetl_sns: [line.fee.feedetl_sn], amt: line.fee.det_item_fee_sumamt, memo: `处方中仅有单味饮片${name}` };
  },
};
