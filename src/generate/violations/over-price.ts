/** 超标准收费: a service charged 20–50 % above the price cap of the institution's level. */
import { priceTimesQuantity, type ViolationType } from './types.js';

export const overPrice: ViolationType = {
  code: 'over_price',
  name: '超标准收费',
  rules: ['MGT-PRC-01'],
  kinds: ['opt', 'mts', 'ipt'],
  inject(d, rng, world) {
    // only a covered item with a cap shows as 超限价 (a 丙类 or restricted line is 全自费 anyway)
    const services = d.lines.filter((l) => {
      const it = world.item(l.fee.hilist_code, d.inst.hosp_lv);
      return l.kind === 'service' && it.chrgitm_lv !== '03' && it.pric_uplmt_fen !== null && !it.restriction;
    });
    if (!services.length) return null;
    const line = rng.pick(services);
    const raised = line.fee.pric + Math.max(10, Math.round((line.fee.pric * rng.int(20, 50)) / 1000) * 10);
    line.fee = { ...line.fee, pric: raised, det_item_fee_sumamt: priceTimesQuantity(raised, line.fee.cnt) };
    return { feedetl_sns: [line.fee.feedetl_sn], amt: 'overlmt', memo: `收费单价 ${(raised / 100).toFixed(2)} 元高于本级限价` };
  },
};
