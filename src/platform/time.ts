/**
 * Time in the national interface is Beijing time (UTC+8, no daylight saving). These helpers format an
 * instant as the wire wants it, independent of the machine's time zone.
 */
const OFFSET_MS = 8 * 3600_000;

function shifted(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString(); // "2026-11-23T09:04:05.123Z" in UTC+8 terms
}

/** 'yyyy-MM-dd' in Beijing time. */
export function beijingDate(at: Date = new Date()): string {
  return shifted(at).slice(0, 10);
}

/** 'yyyy-MM-dd HH:mm:ss' in Beijing time (the national DT format). */
export function beijingDateTime(at: Date = new Date()): string {
  const s = shifted(at);
  return `${s.slice(0, 10)} ${s.slice(11, 19)}`;
}

/** 'yyyyMMddHHmmss' (inf_refmsgid, msgid) or with milliseconds 'yyyyMMddHHmmssSSS' (refmsg_time). */
export function compactTime(at: Date = new Date(), withMillis = false): string {
  const s = shifted(at);
  const base = s.slice(0, 4) + s.slice(5, 7) + s.slice(8, 10) + s.slice(11, 13) + s.slice(14, 16) + s.slice(17, 19);
  return withMillis ? base + s.slice(20, 23) : base;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date in 'yyyy-MM-dd' form. */
export function isIsoDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Whole years between a birth date and a reference date (both 'yyyy-MM-dd'), as age is counted in China. */
export function ageOn(brdy: string, on: string): number {
  const [by, bm, bd] = brdy.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  let age = oy - by;
  if (om < bm || (om === bm && od < bd)) age -= 1;
  return age;
}

/** The instant a Beijing day 'yyyy-MM-dd' begins. */
export function beijingDayStart(d: string): Date {
  return new Date(`${d}T00:00:00+08:00`);
}

/** The instant after a Beijing day ends: the exclusive upper bound of a date range. */
export function beijingDayEnd(d: string): Date {
  return new Date(beijingDayStart(d).getTime() + 86_400_000);
}

/** Adds days to a 'yyyy-MM-dd' date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
