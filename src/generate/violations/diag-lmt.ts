/**
 * 限定支付范围（限适应症）(POL-SCP-01): 达格列净, limited to type 2 diabetes (E11), charged at a visit with no
 * E11 diagnosis — the restriction makes the line 全自费, which the auditor sees from the diagnoses alone.
 */
import type { ViolationType } from './types.js';

export const diagLmt: ViolationType = {
  code: 'diag_lmt',
  name: '药品限适应症使用（无符合的诊断）',
  rules: ['POL-SCP-01'],
  kinds: ['opt', 'mts'],
  inject(d) {
    if (d.diags.some((c) => c.startsWith('E11'))) return null;
    const line = d.addItem({ name: '达格列净', kind: 'drug', cnt: 1 }, 0, 1);
    if (!line) return null;
    return { feedetl_sns: [line.fee.feedetl_sn], amt: line.fee.det_item_fee_sumamt, memo: `限 2 型糖尿病的达格列净，本次诊断 ${d.diags.join('、') || '（无）'} 均不符` };
  },
};
