/**
 * The parameter schemas of the 事后-only rules (the cross-visit rules of rules-sql.ts and the fraud models of
 * fwa-sql.ts), for checking a rule's parameters when it is saved rather than only when a batch runs it. Loads no
 * database driver. Rules with a real-time implementation keep theirs (rules/index.ts RULE_IMPLS).
 */
import type { TSchema } from '@sinclair/typebox';
import { FWA_RULES } from './fwa-sql.js';
import { BATCH_RULES } from './rules-sql.js';

/** The batch schema of a rule without a real-time implementation, or undefined. */
export function batchParamSchema(rule_id: string): TSchema | undefined {
  return (BATCH_RULES.get(rule_id) ?? FWA_RULES.get(rule_id))?.params;
}
