/**
 * The cases of a year run, kept compact (病例列存): one entry per case read (history and paid year), in typed-array
 * columns that grow by doubling, with repeated strings (institutions, groups, statuses, reasons for no group) stored
 * once and referenced by index. A run of a million cases holds a few dozen bytes per case here instead of the parsed
 * JSON, the grouper's input and a scored object per case. Null numbers are NaN (floats) or -1 (integers).
 * Owns storage only: the run (run.ts) decides what goes in.
 */
import type { Fen } from '../../platform/money.js';
import type { CaseType, PayCase } from './types.js';

/** Strings stored once, referenced by index. */
export class Interner {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  of(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

export const CASE_TYPES: readonly CaseType[] = ['normal', 'high', 'low', 'special', 'ungrouped'];
export const caseTypeNo = (t: CaseType): number => CASE_TYPES.indexOf(t);

type Columns = {
  inst: Int32Array;
  year: Int16Array;
  month: Int8Array;
  lv: Int32Array;
  cost: Float64Array;
  psn: Float64Array;
  los: Int32Array;
  // grouping
  grp: Int32Array;
  grpName: Int32Array;
  stas: Int32Array;
  why: Int32Array;
  // weights and scoring (paid-year cases)
  base: Float64Array;
  mean: Float64Array;
  rw: Float64Array;
  coef: Int32Array;
  type: Int8Array;
  points: Float64Array;
};

const NEW: { [K in keyof Columns]: (n: number) => Columns[K] } = {
  inst: (n) => new Int32Array(n),
  year: (n) => new Int16Array(n),
  month: (n) => new Int8Array(n),
  lv: (n) => new Int32Array(n),
  cost: (n) => new Float64Array(n),
  psn: (n) => new Float64Array(n),
  los: (n) => new Int32Array(n),
  grp: (n) => new Int32Array(n),
  grpName: (n) => new Int32Array(n),
  stas: (n) => new Int32Array(n),
  why: (n) => new Int32Array(n),
  base: (n) => new Float64Array(n),
  mean: (n) => new Float64Array(n),
  rw: (n) => new Float64Array(n),
  coef: (n) => new Int32Array(n),
  type: (n) => new Int8Array(n),
  points: (n) => new Float64Array(n),
};

export class CaseTable {
  n = 0;
  readonly ids: string[] = [];
  readonly insts = new Interner();
  /** '' = level unknown */
  readonly lvs = new Interner();
  readonly grps = new Interner();
  /** group names; '' = none (stored as null) */
  readonly names = new Interner();
  readonly stases = new Interner();
  readonly whys = new Interner();
  c: Columns;

  constructor(capacity = 1024) {
    this.c = Object.fromEntries(Object.entries(NEW).map(([k, f]) => [k, f(capacity)])) as Columns;
    this.names.of('');
  }

  private grow(): void {
    const cap = this.c.inst.length * 2;
    for (const [k, f] of Object.entries(NEW) as [keyof Columns, (n: number) => Columns[keyof Columns]][]) {
      const next = f(cap);
      (next as Float64Array).set(this.c[k] as Float64Array);
      (this.c as Record<string, unknown>)[k] = next;
    }
  }

  /** Adds a case (without its grouper inputs); returns its index. */
  push(x: PayCase): number {
    if (this.n === this.c.inst.length) this.grow();
    const i = this.n++;
    const c = this.c;
    this.ids.push(x.id);
    c.inst[i] = this.insts.of(x.fixmedins_code);
    c.year[i] = Number(x.dscg_date.slice(0, 4));
    c.month[i] = Number(x.dscg_date.slice(5, 7));
    c.lv[i] = this.lvs.of(x.hosp_lv ?? '');
    c.cost[i] = x.cost;
    c.psn[i] = x.psn_pay;
    c.los[i] = x.los ?? -1;
    c.grp[i] = -1;
    c.base[i] = NaN;
    c.mean[i] = NaN;
    c.rw[i] = NaN;
    return i;
  }

  setGroup(i: number, grp: string, name: string | null, stas: string): void {
    this.c.grp[i] = this.grps.of(grp);
    this.c.grpName[i] = this.names.of(name ?? '');
    this.c.stas[i] = this.stases.of(stas);
  }

  inst(i: number): string {
    return this.insts.values[this.c.inst[i]!]!;
  }
  lv(i: number): string | null {
    return this.lvs.values[this.c.lv[i]!] || null;
  }
  los(i: number): number | null {
    const v = this.c.los[i]!;
    return v < 0 ? null : v;
  }
  grp(i: number): string {
    const g = this.c.grp[i]!;
    return g < 0 ? '' : this.grps.values[g]!;
  }
  grpName(i: number): string | null {
    return this.names.values[this.c.grpName[i]!] || null;
  }
  stas(i: number): string {
    return this.stases.values[this.c.stas[i]!]!;
  }
  cost(i: number): Fen {
    return this.c.cost[i]!;
  }
  /** a NaN column value → null */
  static num(v: number): number | null {
    return Number.isNaN(v) ? null : v;
  }
}
