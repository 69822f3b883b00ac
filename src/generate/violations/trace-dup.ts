/** 追溯码重复: a drug line uploads a trace code (药品追溯码) already used by an earlier sale of the same drug. */
import type { ViolationType } from './types.js';

export const traceDup: ViolationType = {
  code: 'trace_dup',
  name: '药品追溯码重复',
  rules: ['MGT-TRC-01'],
  kinds: ['opt', 'mts', 'pharm'],
  inject(d) {
    const line = d.lines.find((l) => d.traces.has(l.fee.hilist_code));
    if (!line) return null;
    line.trace = d.traces.get(line.fee.hilist_code)!.trace;
    return { feedetl_sns: [line.fee.feedetl_sn], amt: line.fee.det_item_fee_sumamt, memo: `追溯码 ${line.trace} 已在此前销售中使用` };
  },
};
