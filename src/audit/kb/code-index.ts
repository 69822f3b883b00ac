/**
 * Knowledge keyed by item code, where a key is either a national code or a code prefix ending in '*' (one row
 * for every maker's version of a generic drug, say). Look-ups are hash hits: the exact code, then one probe per
 * prefix length present. Rows are effective-dated; the row valid on the service date is the one that applies.
 */
import { validOnDate, type Period } from '../../platform/effective.js';

export const isPrefixPattern = (code: string): boolean => code.endsWith('*');

/** True when a knowledge key (code or 'prefix*') covers the item code. */
export function codeMatches(pattern: string, code: string): boolean {
  return pattern.endsWith('*') ? code.startsWith(pattern.slice(0, -1)) : pattern === code;
}

const NONE: readonly never[] = [];
/** Distinct codes remembered per index (a request may send any code; the memo is dropped when it grows past this). */
const MEMO_MAX = 200_000;

export class CodeIndex<T extends Period> {
  private readonly exact = new Map<string, T[]>();
  private readonly byLen = new Map<number, Map<string, T[]>>();
  private lens: number[] = [];
  /** code → every row whose key covers it, on any date (exact first, then longer prefixes first). */
  private memo = new Map<string, readonly T[]>();
  size = 0;

  add(pattern: string, row: T): void {
    this.size++;
    this.memo.clear();
    if (!isPrefixPattern(pattern)) {
      push(this.exact, pattern, row);
      return;
    }
    const prefix = pattern.slice(0, -1);
    let m = this.byLen.get(prefix.length);
    if (!m) {
      this.byLen.set(prefix.length, (m = new Map()));
      this.lens = [...this.byLen.keys()].sort((a, b) => b - a);
    }
    push(m, prefix, row);
  }

  /** Every row whose key covers the code, on any date. */
  candidates(code: string): readonly T[] {
    const hit = this.memo.get(code);
    if (hit) return hit;
    let out: T[] | undefined;
    const e = this.exact.get(code);
    if (e) out = [...e];
    for (const len of this.lens) {
      if (len > code.length) continue;
      const list = this.byLen.get(len)!.get(code.slice(0, len));
      if (list) (out ??= []).push(...list);
    }
    const result: readonly T[] = out ?? NONE;
    if (this.memo.size >= MEMO_MAX) this.memo.clear();
    this.memo.set(code, result);
    return result;
  }

  /** The most specific row valid on the date: the exact code first, then the longest prefix. */
  find(code: string, on: string): T | undefined {
    for (const r of this.candidates(code)) if (validOnDate(r, on)) return r;
    return undefined;
  }

  /** Every row valid on the date whose key covers the code (exact first, then longer prefixes first). */
  findAll(code: string, on: string): T[] {
    const out: T[] = [];
    for (const r of this.candidates(code)) if (validOnDate(r, on)) out.push(r);
    return out;
  }

  /** True when some row (on any date) covers the code: a cheap pre-filter. */
  mayHave(code: string): boolean {
    return this.candidates(code).length > 0;
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
