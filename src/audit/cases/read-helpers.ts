/**
 * Small helpers the audit read side shares (cases/queries.ts, metrics/): paging bounds, numeric(16,2) text out as
 * a yuan number (through platform/money), and the instants that bound a Beijing calendar day.
 */
import { fenToYuanNumber, yuanToFen } from '../../platform/money.js';

export function pageOf(q: { page_num?: number; page_size?: number }): { page_num: number; page_size: number; offset: number } {
  const page_num = Math.max(1, q.page_num ?? 1);
  const page_size = Math.min(Math.max(1, q.page_size ?? 20), 500);
  return { page_num, page_size, offset: (page_num - 1) * page_size };
}

/** numeric(16,2) as text (or a numeric aggregate) → yuan as a JSON number; null stays null. */
export function yuanOut(v: unknown): number | null {
  return v === null || v === undefined ? null : fenToYuanNumber(yuanToFen(String(v)));
}

