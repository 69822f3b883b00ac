/**
 * Accumulator arithmetic (待遇累计): an empty record, adding a settlement's delta, negating it for a
 * reversal. Deltas have the same shape as the accumulators, so "after = before + delta" and "a reversal
 * restores exactly" are plain additions of integers.
 */
import type { Accumulators, GroupAcc } from './types.js';

export const ZERO_GROUP: Readonly<GroupAcc> = Object.freeze({ dedc_used: 0, pool_base: 0, pool_paid: 0 });

export function emptyAccumulators(): Accumulators {
  return { admissions: 0, groups: {}, large_base: 0, large_paid: 0, cvlserv_paid: 0, maf_paid: 0 };
}

export function groupOf(acc: Accumulators, grp: string): GroupAcc {
  return acc.groups[grp] ?? ZERO_GROUP;
}

/** 0 stays 0 (never −0), so a negated record compares equal to a computed one. */
export const neg = (x: number): number => (x === 0 ? 0 : -x);

export function applyDelta(acc: Accumulators, delta: Accumulators): Accumulators {
  const groups: Record<string, GroupAcc> = {};
  for (const [k, g] of Object.entries(acc.groups)) groups[k] = { ...g };
  for (const [k, d] of Object.entries(delta.groups)) {
    const g = groups[k] ?? { ...ZERO_GROUP };
    groups[k] = { dedc_used: g.dedc_used + d.dedc_used, pool_base: g.pool_base + d.pool_base, pool_paid: g.pool_paid + d.pool_paid };
  }
  return {
    admissions: acc.admissions + delta.admissions,
    groups,
    large_base: acc.large_base + delta.large_base,
    large_paid: acc.large_paid + delta.large_paid,
    cvlserv_paid: acc.cvlserv_paid + delta.cvlserv_paid,
    maf_paid: acc.maf_paid + delta.maf_paid,
  };
}

export function negateDelta(delta: Accumulators): Accumulators {
  const groups: Record<string, GroupAcc> = {};
  for (const [k, d] of Object.entries(delta.groups)) groups[k] = { dedc_used: neg(d.dedc_used), pool_base: neg(d.pool_base), pool_paid: neg(d.pool_paid) };
  return {
    admissions: neg(delta.admissions),
    groups,
    large_base: neg(delta.large_base),
    large_paid: neg(delta.large_paid),
    cvlserv_paid: neg(delta.cvlserv_paid),
    maf_paid: neg(delta.maf_paid),
  };
}
