/**
 * Look-alike (legitimate): a transfer (医嘱转院, 离院方式 2) — the patient leaves one hospital in the morning and is
 * admitted to another of the same or a higher level that afternoon for the same condition. Two stays at two
 * institutions meet on one day but do not overlap, so 同时住院 must not flag it; and a 分解住院 rule that ignores
 * the way of discharge flags it wrongly too. The second stay carries the label.
 */
import { addDays } from '../../platform/time.js';
import { pickOtherHospital } from '../timeline.js';
import type { Lv } from '../world.js';
import { DEFERRED, type ViolationType } from './types.js';

export const lookalikeTransfer: ViolationType = {
  code: 'lookalike_transfer',
  name: '同日转院（合规）',
  rules: ['MGT-ADM-03', 'MGT-ADM-01'],
  kinds: ['ipt'],
  legit: true,
  inject(d, rng, world) {
    if (d.los < 1 || !d.bundle?.los) return null;
    const levels = (['1', '2', '3'] as const).filter((lv): lv is Exclude<Lv, '9'> => lv >= d.inst.hosp_lv && lv >= (d.bundle!.minLv ?? '1'));
    const other = pickOtherHospital(rng, world, d.inst.pool, levels, [d.inst.fixmedins_code]);
    if (!other) return null;
    d.dscg_way = '2';
    d.follow({
      kind: 'ipt',
      date: addDays(d.date, d.los),
      // discharge is 09:00–11:59; the receiving hospital admits in the afternoon
      time: `${rng.int(13, 17)}:${String(rng.int(0, 59)).padStart(2, '0')}:00`,
      bundle: d.bundle,
      inst: other,
      inject: (f, prev) => ({ feedetl_sns: null, amt: 0, memo: `${prev.endDate} 自 ${prev.inst.fixmedins_name} 医嘱转院（就诊ID ${prev.mdtrt_id}），当日入住 ${f.inst.fixmedins_name}` }),
    });
    return DEFERRED;
  },
};
