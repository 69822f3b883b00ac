import { expect, test } from 'vitest';
import { addDays, ageOn, beijingDate, beijingDateTime, compactTime, isIsoDate } from './time.js';
import { formatDatedId, formatPsnNo, formatRefmsgid } from './ids.js';

const at = new Date('2026-11-22T17:04:05.123Z'); // 2026-11-23 01:04:05.123 in Beijing

test('formats Beijing time whatever the machine zone', () => {
  expect(beijingDate(at)).toBe('2026-11-23');
  expect(beijingDateTime(at)).toBe('2026-11-23 01:04:05');
  expect(compactTime(at)).toBe('20261123010405');
  expect(compactTime(at, true)).toBe('20261123010405123');
});

test('validates calendar dates', () => {
  expect(isIsoDate('2024-02-29')).toBe(true);
  expect(isIsoDate('2023-02-29')).toBe(false);
  expect(isIsoDate('2023-13-01')).toBe(false);
  expect(isIsoDate('2023-1-01')).toBe(false);
});

test('counts age in whole years and adds days', () => {
  expect(ageOn('1990-03-07', '2026-03-06')).toBe(35);
  expect(ageOn('1990-03-07', '2026-03-07')).toBe(36);
  expect(ageOn('2000-02-29', '2001-02-28')).toBe(0);
  expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
  expect(addDays('2024-01-01', -1)).toBe('2023-12-31');
});

test('national-style ids have the documented shapes', () => {
  expect(formatRefmsgid('990100', at, 514555)).toBe('990100202611230104050000514555');
  expect(formatRefmsgid('990100', at, 1)).toHaveLength(30);
  expect(formatPsnNo('990101', 1234567)).toBe('99010100000001234567');
  expect(formatDatedId('990101', at, 42)).toBe('99010120261123900000000042');
  expect(formatDatedId('990101', at, 42, 'mdtrt')).not.toBe(formatDatedId('990101', at, 42, 'setl'));
  expect(formatDatedId('990101', at, 42, 'setl')).toBe('99010120261123200000000042');
});
