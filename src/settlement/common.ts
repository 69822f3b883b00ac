/**
 * Small helpers every settlement step uses: running a Db-taking service inside an open transaction, wire times
 * (Beijing wall time 'yyyy-MM-dd HH:mm:ss') to instants and back, reading amounts exactly with the field named in
 * the Chinese error, and the problem-list error all validations throw.
 */
import type { Kysely } from 'kysely';
import type { Db, Tables } from '../platform/db.js';
import { validationError, type FieldProblem } from '../platform/errors.js';
import { fenToYuan, yuanToFen, type Fen } from '../platform/money.js';
import { beijingDate, beijingDateTime, isIsoDate } from '../platform/time.js';
import type { Exec } from './types.js';

/**
 * The same database seen through an open transaction: services that take a Db (catalogue, policy, enrollment)
 * then run on the transaction's connection. Needed on PGlite, whose single connection the transaction holds.
 */
export function onExec(db: Db, exec: Exec): Db {
  return { ...db, k: exec as Kysely<Tables> };
}

const DT_RE = /^(\d{4}-\d{2}-\d{2})(?: (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,3})?)?$/;

/** A wire date-time (Beijing) as an instant; a date alone means its midnight. Invalid text → validation error. */
export function wireTime(text: string, field: string): Date {
  const m = DT_RE.exec(text.trim());
  if (!m || !isIsoDate(m[1]!) || Number(m[2] ?? 0) > 23 || Number(m[3] ?? 0) > 59 || Number(m[4] ?? 0) > 59) {
    throw validationError(`${field} 时间格式错误：“${text}”，应为 yyyy-MM-dd HH:mm:ss`, [{ field, message: '应为 yyyy-MM-dd HH:mm:ss' }]);
  }
  return new Date(`${m[1]}T${m[2] ?? '00'}:${m[3] ?? '00'}:${m[4] ?? '00'}+08:00`);
}

/** An instant as the wire's 'yyyy-MM-dd HH:mm:ss' (Beijing), null stays null. */
export function toWireTime(at: Date | null): string | null {
  return at === null ? null : beijingDateTime(at);
}

/** The Beijing date of an instant. */
export const dayOf = (at: Date): string => beijingDate(at);

/** A money field (yuan, at most 2 decimals) read exactly into fen; the error names the field. */
export function amountFen(value: string | number, field: string): Fen {
  return yuanToFen(value, field);
}

/** An optional money field; absent stays undefined. */
export function optAmountFen(value: string | number | undefined, field: string): Fen | undefined {
  return value === undefined ? undefined : yuanToFen(value, field);
}

export const yuan = (fen: Fen): string => `${fenToYuan(fen)} 元`;

/** Collects field problems and throws them as one validation error (the gateway lists each after the lead). */
export class Problems {
  readonly list: FieldProblem[] = [];
  add(field: string, message: string): void {
    this.list.push({ field, message });
  }
  get any(): boolean {
    return this.list.length > 0;
  }
  throwIfAny(lead: string): void {
    if (this.list.length) throw validationError(lead, this.list);
  }
}

/** Year of a 'yyyy-MM-dd' date. */
export const yearOf = (date: string): number => Number(date.slice(0, 4));
