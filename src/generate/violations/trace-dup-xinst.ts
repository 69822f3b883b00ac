/**
 * 药品追溯码重复（跨机构）(MGT-TRC-01): a box sold earlier to the patient at one institution is sold again, with
 * the same trace code, at a pharmacy — the drug came back into the supply chain (回流药). The sale bills the box's
 * own product code at this institution's price; a repeat at the same institution is what the rule may treat as
 * 拆零, across institutions it cannot be. The whole line is at issue.
 */
import type { ViolationType } from './types.js';

export const traceDupXinst: ViolationType = {
  code: 'trace_dup_xinst',
  name: '药品追溯码重复（跨机构）',
  rules: ['MGT-TRC-01'],
  kinds: ['pharm'],
  inject(d, rng) {
    const earlier = [...d.traces.values()].filter((u) => u.fixmedins_code !== d.inst.fixmedins_code && u.date < d.date);
    if (!earlier.length) return null;
    const use = rng.pick(earlier);
    const line = d.addCode({ name: use.name, kind: 'drug', cnt: 1 }, use.hilist_code, 0, 1);
    line.trace = use.trace;
    return { feedetl_sns: [line.fee.feedetl_sn], amt: line.fee.det_item_fee_sumamt, memo: `追溯码 ${use.trace} 已于 ${use.date} 在 ${use.fixmedins_code} 销售，又在本机构销售` };
  },
};
