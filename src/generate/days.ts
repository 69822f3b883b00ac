/**
 * addDays of platform/time.ts for the generator's inner loops (every fee line has a fee date some days after
 * its encounter's): the same results, memoised per start date and offset, so the same few thousand date
 * strings are built once per thread instead of a Date and an ISO string per line. The memo is bounded by the
 * dates of the generated period (at most 36 months) times the offsets asked (MEMO_DAYS).
 */
import { addDays as computeAddDays } from '../platform/time.js';

const MEMO_DAYS = 400;
const memo = new Map<string, string[]>();

export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days) || days < 0 || days >= MEMO_DAYS) return computeAddDays(date, days);
  let row = memo.get(date);
  if (!row) memo.set(date, (row = []));
  return (row[days] ??= computeAddDays(date, days));
}
