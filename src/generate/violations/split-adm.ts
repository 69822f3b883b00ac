/**
 * 分解住院 (MGT-ADM-01): the stay is discharged and the patient readmitted to the same hospital 1–10 days later for
 * the same principal diagnosis — one episode billed as two. The readmission carries the ground truth; the amount
 * at issue is what insurance paid for it. Never for planned cycles (chemotherapy, dialysis), which the rule exempts.
 */
import { addDays } from '../../platform/time.js';
import { isCycleBundle } from './cycles.js';
import { DEFERRED, type ViolationType } from './types.js';

export const splitAdm: ViolationType = {
  code: 'split_adm',
  name: '分解住院',
  rules: ['MGT-ADM-01'],
  kinds: ['ipt'],
  inject(d, rng) {
    const bundle = d.bundle;
    if (!bundle?.los || isCycleBundle(bundle)) return null;
    const gap = rng.int(1, 10);
    d.follow({
      kind: 'ipt',
      date: addDays(d.date, d.los + gap),
      bundle,
      inst: d.inst,
      los: Math.max(bundle.los.min, Math.round(d.los / 2)),
      inject: (f, prev) => ({
        feedetl_sns: null,
        amt: 'insured',
        memo: `${prev.endDate} 出院（就诊ID ${prev.mdtrt_id}）后 ${gap} 天在同一机构再次入院，主诊断同为 ${f.diags[0]}`,
      }),
    });
    return DEFERRED;
  },
};
