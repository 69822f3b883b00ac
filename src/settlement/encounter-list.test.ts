/** The encounter status derivation (the SQL filter twin is exercised over HTTP in server/routes/encounters.test.ts). */
import { describe, expect, test } from 'vitest';
import { ENCOUNTER_STATUSES, statusOf } from './encounter-list.js';

describe('statusOf', () => {
  test('the most final flag wins: cancelled over settled over discharged over open', () => {
    const flags = (vali_flag: string, setl_flag: string, mdtrt_stas: string) => statusOf({ vali_flag, setl_flag, mdtrt_stas });
    expect(flags('0', '0', '1')).toBe('cancelled');
    expect(flags('0', '1', '2')).toBe('cancelled');
    expect(flags('1', '1', '2')).toBe('settled');
    expect(flags('1', '1', '1')).toBe('settled');
    expect(flags('1', '0', '2')).toBe('discharged');
    expect(flags('1', '0', '1')).toBe('open');
  });

  test('every combination of the flags maps to one of the listed statuses', () => {
    const seen = new Set<string>();
    for (const v of ['0', '1']) for (const s of ['0', '1']) for (const m of ['1', '2']) seen.add(statusOf({ vali_flag: v, setl_flag: s, mdtrt_stas: m }));
    expect([...seen].sort()).toEqual([...ENCOUNTER_STATUSES].sort());
  });
});
