/**
 * Planned treatment cycles (化疗/放疗/透析): readmissions for them are not 分解住院 (MGT-ADM-01 exempts them through
 * the knowledge base's audit_kb_cycle: Z51.0/Z51.1/Z49/N18.5, procedures 99.25/92.2/39.95/54.98).
 */
import type { Bundle } from '../bundles.js';

const CYCLE_DIAGS = ['Z51.0', 'Z51.1', 'Z49', 'N18.5'];
const CYCLE_OPRNS = ['99.25', '92.2', '39.95', '54.98'];

export function isCycleBundle(b: Bundle): boolean {
  return CYCLE_DIAGS.some((c) => b.diag.startsWith(c)) || (b.oprn ?? []).some((o) => CYCLE_OPRNS.some((c) => o.startsWith(c)));
}
