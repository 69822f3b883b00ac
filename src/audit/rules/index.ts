/**
 * The registry of rule implementations, keyed by rule_id: compiled TypeScript logic for the rules the real-time
 * engine runs. A rule of the rule base without an entry here can only be a 事后 (batch) rule.
 */
import { MANAGEMENT_RULES } from './management.js';
import { MEDICAL_RULES } from './medical.js';
import { POLICY_RULES } from './policy.js';
import type { RuleImpl } from './types.js';

export type AnyRuleImpl = RuleImpl<never>;
export type RuleImpls = ReadonlyMap<string, AnyRuleImpl>;

export function makeRuleImpls(impls: readonly AnyRuleImpl[]): RuleImpls {
  const m = new Map<string, AnyRuleImpl>();
  for (const r of impls) {
    if (m.has(r.rule_id)) throw new Error(`规则实现 ${r.rule_id} 重复登记`);
    m.set(r.rule_id, r);
  }
  return m;
}

export const RULE_IMPLS: RuleImpls = makeRuleImpls([...POLICY_RULES, ...MANAGEMENT_RULES, ...MEDICAL_RULES]);
