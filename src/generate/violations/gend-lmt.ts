/** 限性别项目: a drug the catalogue restricts to the other sex (来曲唑 for women, 坦索罗辛 for men). */
import type { ViolationType } from './types.js';

export const gendLmt: ViolationType = {
  code: 'gend_lmt',
  name: '药品限性别使用',
  rules: ['POL-GEN-01'],
  kinds: ['opt', 'ipt'],
  inject(d) {
    const name = d.person.gend === '1' ? '来曲唑' : '坦索罗辛';
    const line = d.addItem({ name, kind: 'drug', cnt: 1 }, 0, 1);
    if (!line) return null;
    return { feedetl_sns: [line.fee.feedetl_sn], amt: line.fee.det_item_fee_sumamt, memo: `${d.person.gend === '1' ? '男性' : '女性'}患者使用限${d.person.gend === '1' ? '女性' : '男性'}药品${name}` };
  },
};
