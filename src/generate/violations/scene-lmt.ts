/**
 * 限就医方式 (POL-MDT-01): 美罗培南, limited to inpatients of level-2+ institutions, charged at an outpatient
 * visit of a level-2 or level-3 institution (so only the scene restriction is broken).
 */
import type { ViolationType } from './types.js';

export const sceneLmt: ViolationType = {
  code: 'scene_lmt',
  name: '药品限住院使用（门诊开具）',
  rules: ['POL-MDT-01'],
  kinds: ['opt'],
  inject(d) {
    if (d.inst.hosp_lv !== '2' && d.inst.hosp_lv !== '3') return null;
    const line = d.addItem({ name: '美罗培南', kind: 'drug', cnt: 1 }, 0, 1);
    if (!line) return null;
    return { feedetl_sns: [line.fee.feedetl_sn], amt: line.fee.det_item_fee_sumamt, memo: '限住院使用的美罗培南在门诊开具' };
  },
};
