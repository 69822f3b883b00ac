/**
 * The evaluation's type ↔ rule table against both sides it joins: every violation type and look-alike the
 * generator can inject has rules here, and every rule named here is a 事后 rule of the default rule base.
 */
import { describe, expect, test } from 'vitest';
import { LOOKALIKE_TYPES, VIOLATION_TYPES } from '../../generate/violations/index.js';
import { DEFAULT_RULES } from '../rules/catalogue.js';
import { LOOKALIKE_RULES, VIOLATION_RULES } from './mapping.js';

describe('evaluation mapping', () => {
  test('every injected type and look-alike maps to at least one rule', () => {
    expect(VIOLATION_TYPES.map((t) => t.code).filter((c) => !VIOLATION_RULES[c]?.length)).toEqual([]);
    expect(LOOKALIKE_TYPES.map((t) => t.code).filter((c) => !LOOKALIKE_RULES[c]?.length)).toEqual([]);
  });

  test('every mapped rule is a rule of the default rule base that runs 事后', () => {
    const post = new Set(DEFAULT_RULES.filter((r) => r.stages.includes('3')).map((r) => r.rule_id));
    const named = [...Object.values(VIOLATION_RULES), ...Object.values(LOOKALIKE_RULES)].flat();
    expect(named.filter((id) => !post.has(id))).toEqual([]);
  });
});
