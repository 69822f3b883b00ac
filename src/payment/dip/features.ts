/**
 * What the DIP builder and grouper read from a case, computed the same way for both so that a catalogue groups the
 * history it was built from consistently: the principal diagnosis's subcategory (亚目, 'K80.1') and category ('K80'),
 * the procedures with their types, the procedure combination (the sorted distinct codes of the combination types,
 * joined by '+') and the case's procedure type (the highest of its procedures; 保守治疗 without any).
 * Also the combination matcher: '+' parts all required, '/' alternatives within a part.
 */
import { categoryOf, chapterOf, isMorphology, subcategoryOf } from '../qc/codes.js';
import type { Knowledge } from './knowledge.js';
import type { CatalogueParams, DipCase, OprnType } from './types.js';

export interface CaseFeatures {
  pdx: string;
  pdx4: string;
  cat3: string;
  chapter: string | null;
  /** distinct procedure keys in the order given (main first) */
  procs: string[];
  /** the type of each of procs, in the same order (an array, not a Map: one per case of a million-case history is kept) */
  types: OprnType[];
  /** the combination codes (types in params.comboTypes), sorted */
  combo: string[];
  caseType: OprnType;
}

export const PDX_RE = /^[A-Z]\d{2}/;

export function procKey(code: string, len: number | null): string {
  const c = code.trim();
  return len ? c.slice(0, len) : c;
}

/** The combination types as a set, made once per parameter list (featuresOf runs per case of a million-case year). */
const comboSets = new WeakMap<readonly OprnType[], ReadonlySet<OprnType>>();
function comboSetOf(types: readonly OprnType[]): ReadonlySet<OprnType> {
  let set = comboSets.get(types);
  if (!set) comboSets.set(types, (set = new Set(types)));
  return set;
}

export function featuresOf(c: Pick<DipCase, 'pdx' | 'procedures'>, params: Pick<CatalogueParams, 'comboTypes' | 'procKeyLength'>, k: Knowledge): CaseFeatures | null {
  // the text before any '+', with its first letter in upper case — without a new string when it already is (the
  // usual case: the code is then the string the case holds, already hashed by the look-ups of earlier cases' runs)
  const text = c.pdx.trim();
  const plus = text.indexOf('+');
  const raw = plus < 0 ? text : text.slice(0, plus);
  const c0 = raw.charCodeAt(0);
  const pdx = c0 >= 65 && c0 <= 90 ? raw : raw.charAt(0).toUpperCase() + raw.slice(1);
  if (!PDX_RE.test(pdx) || isMorphology(pdx)) return null;
  const procs: string[] = [];
  for (const p of c.procedures ?? []) {
    if (!p || !p.trim()) continue;
    const key = procKey(p, params.procKeyLength);
    if (!procs.includes(key)) procs.push(key);
  }
  const types = procs.map((p) => k.procType(p));
  const comboTypes = comboSetOf(params.comboTypes);
  const combo = procs.filter((_, i) => comboTypes.has(types[i]!)).sort();
  let caseType: OprnType = '0';
  for (const t of types) if (t > caseType) caseType = t;
  return { pdx, pdx4: subcategoryOf(pdx), cat3: categoryOf(pdx), chapter: chapterOf(pdx)?.range ?? null, procs, types, combo, caseType };
}

export interface ComboMatch {
  matched: boolean;
  parts: number;
  /** the case's procedures the combination covers */
  covered: string[];
  /** the parts no procedure of the case satisfies */
  missing: string[];
}

const altMatches = (alt: string, proc: string) => proc === alt || (alt.length < proc.length && proc.startsWith(alt));

/**
 * Matches a combination against a case. The empty combination (保守治疗) matches a case without any procedure of the
 * combination types; a non-empty one matches when every '+' part has an alternative among the case's procedures.
 */
export function matchCombo(combo: string, f: CaseFeatures, comboTypes: readonly OprnType[]): ComboMatch {
  if (combo === '') {
    const relevant = f.procs.filter((_, i) => comboTypes.includes(f.types[i]!));
    return { matched: relevant.length === 0, parts: 0, covered: [], missing: relevant.length ? [`（本病例有手术操作 ${relevant.join('、')}）`] : [] };
  }
  const parts = combo.split('+');
  const covered = new Set<string>();
  const missing: string[] = [];
  for (const part of parts) {
    const alts = part.split('/').map((a) => a.trim()).filter(Boolean);
    const hits = f.procs.filter((p) => alts.some((a) => altMatches(a, p)));
    if (hits.length) for (const h of hits) covered.add(h);
    else missing.push(part);
  }
  return { matched: missing.length === 0, parts: parts.length, covered: [...covered], missing };
}
