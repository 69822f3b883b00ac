/** rangeMatcher answers exactly as inRanges for every kind of spec (category range, prefix, one category) and code shape. */
import { describe, expect, test } from 'vitest';
import { FEMALE_ONLY, MALE_ONLY, NOT_PRINCIPAL_2_0 } from './rules.js';
import { ICD10_CHAPTERS, inRanges, rangeMatcher } from './codes.js';

const SPECS = [FEMALE_ONLY, MALE_ONLY, NOT_PRINCIPAL_2_0, ICD10_CHAPTERS.map((c) => c.range), ['V01-Y98'], ['i25.2', ' R65 ']];
const CODES = ['O80.000', 'o80.000', 'C53.900', 'D25.900', 'N40.x00', 'N70.000', 'Z33.x00', 'I25.200', 'I25.103', 'R65.000', 'B96.200', 'A01.000x005+J17.0*', 'V89.900', ' K35.800 ', 'M8140/3', 'P03.000', 'U85.x00', 'X'];

describe('rangeMatcher', () => {
  test.each(SPECS.map((s) => [s.join(','), s] as const))('agrees with inRanges for %s', (_name, specs) => {
    const match = rangeMatcher(specs);
    const hits = CODES.map((c) => match(c));
    expect(hits).toEqual(CODES.map((c) => inRanges(c, specs)));
    expect(hits.some((h) => h !== null)).toBe(true);
  });
});
