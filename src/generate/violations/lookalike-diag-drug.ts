/**
 * Look-alike (legitimate): 达格列净 (limited to type 2 diabetes) for a patient whose visit carries an E11
 * diagnosis — within the indication, so an indication rule that flags it is a false positive.
 */
import type { ViolationType } from './types.js';

export const lookalikeDiagDrug: ViolationType = {
  code: 'lookalike_diag_drug',
  name: '药品限适应症使用（诊断符合，合规）',
  rules: ['POL-SCP-01'],
  kinds: ['opt', 'mts'],
  legit: true,
  inject(d) {
    const dx = d.diags.find((c) => c.startsWith('E11'));
    if (!dx) return null;
    const line = d.addItem({ name: '达格列净', kind: 'drug', cnt: 1 }, 0, 1);
    if (!line) return null;
    return { feedetl_sns: [line.fee.feedetl_sn], amt: 0, memo: `限 2 型糖尿病的达格列净，本次诊断 ${dx} 符合` };
  },
};
