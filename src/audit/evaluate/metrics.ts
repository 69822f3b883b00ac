/**
 * Matching suspects (疑点) to the generator's answer key and the detection metrics — pure functions, no I/O.
 *
 * Matching rule: a suspect matches a ground-truth row when (1) its rule_id is one of the row's type's rules
 * (mapping.ts), (2) same psn_no, (3) the row's encounter is the suspect's mdtrt_id or one of its mdtrt_ids, and
 * (4) when the row names fee lines (feedetl_sns) and the suspect's evidence has lines on that encounter, they
 * share at least one line, 违规项 or 涉及项 (vola_item_type 1 or 2): for a count rule which of two identical lines
 * is the excess one is arbitrary, so the pair counts. A row without lines (a whole encounter) or a suspect
 * without line evidence is matched at encounter level.
 *
 * Metrics per violation type: truth rows, TP = rows matched by ≥ 1 suspect, FN = the rest, recall = TP ÷ rows;
 * suspects = those of the type's rules, of which matched = those matching some violation row (of any type
 * sharing the rule), FP = suspects − matched, precision = matched ÷ suspects; amount recall = Σ over rows of
 * min(row amount, Σ vola_amt of the suspects matching it) ÷ Σ row amounts. Overall: the same over every row and
 * over the suspects of every mapped rule (each suspect once). Look-alikes (legit_flag 1): per type, how many
 * rows a suspect of the imitated rules matches (each such suspect is also an FP of that rule's type). Suspects of
 * rules no type maps to are counted apart per rule, with how many fall on an injected violation's encounter and
 * how many on a look-alike's (those are false positives).
 */
import type { Fen } from '../../platform/money.js';
import { MAPPED_RULES, VIOLATION_RULES, rulesOf } from './mapping.js';

export interface TruthRow {
  vio_id: string;
  vio_type: string;
  legit_flag: '0' | '1';
  psn_no: string;
  mdtrt_id: string;
  /** Lines involved; null = the whole encounter. */
  feedetl_sns: string[] | null;
  amt: Fen;
}

export interface SuspectLine {
  mdtrt_id?: string;
  feedetl_sn: string;
  vola_item_type: string;
}

export interface SuspectRow {
  suspect_id: string;
  rule_id: string;
  psn_no: string;
  mdtrt_id: string | null;
  mdtrt_ids: string[];
  vola_amt: Fen;
  lines: SuspectLine[];
}

/** Whether suspect s matches truth row t (the module header's rule). */
export function matches(t: TruthRow, s: SuspectRow): boolean {
  if (!rulesOf(t.vio_type, t.legit_flag).includes(s.rule_id)) return false;
  if (s.psn_no !== t.psn_no) return false;
  if (s.mdtrt_id !== t.mdtrt_id && !s.mdtrt_ids.includes(t.mdtrt_id)) return false;
  if (!t.feedetl_sns?.length) return true;
  const here = s.lines.filter((l) => !l.mdtrt_id || l.mdtrt_id === t.mdtrt_id);
  if (!here.length) return true;
  return here.some((l) => t.feedetl_sns!.includes(l.feedetl_sn));
}

export interface TypeMetrics {
  vio_type: string;
  rules: readonly string[];
  truth: number;
  tp: number;
  fn: number;
  suspects: number;
  matched_suspects: number;
  fp: number;
  /** Null when there is nothing to divide by. */
  precision: number | null;
  recall: number | null;
  truth_amt: Fen;
  caught_amt: Fen;
  amount_recall: number | null;
}

export interface LookalikeMetrics {
  vio_type: string;
  rules: readonly string[];
  cases: number;
  hit: number;
  /** Suspect ids that hit a look-alike. */
  suspect_ids: string[];
}

export interface OtherRuleMetrics {
  rule_id: string;
  suspects: number;
  on_violation_encounter: number;
  on_lookalike: number;
}

export interface Evaluation {
  types: TypeMetrics[];
  overall: TypeMetrics;
  lookalikes: LookalikeMetrics[];
  other_rules: OtherRuleMetrics[];
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/** Suspects indexed by person, so matching is linear in practice. */
function byPerson(suspects: SuspectRow[]): Map<string, SuspectRow[]> {
  const m = new Map<string, SuspectRow[]>();
  for (const s of suspects) {
    const list = m.get(s.psn_no);
    if (list) list.push(s);
    else m.set(s.psn_no, [s]);
  }
  return m;
}

function metricsOf(vio_type: string, rules: readonly string[], rows: TruthRow[], hits: Map<string, SuspectRow[]>, suspects: SuspectRow[], matchedIds: Set<string>): TypeMetrics {
  let tp = 0;
  let truth_amt = 0;
  let caught_amt = 0;
  for (const t of rows) {
    const h = hits.get(t.vio_id) ?? [];
    truth_amt += t.amt;
    if (!h.length) continue;
    tp++;
    caught_amt += Math.min(t.amt, h.reduce((a, s) => a + s.vola_amt, 0));
  }
  const matched_suspects = suspects.filter((s) => matchedIds.has(s.suspect_id)).length;
  return {
    vio_type,
    rules,
    truth: rows.length,
    tp,
    fn: rows.length - tp,
    suspects: suspects.length,
    matched_suspects,
    fp: suspects.length - matched_suspects,
    precision: ratio(matched_suspects, suspects.length),
    recall: ratio(tp, rows.length),
    truth_amt,
    caught_amt,
    amount_recall: ratio(caught_amt, truth_amt),
  };
}

/** Matches every suspect against the answer key and computes the metrics of the module header. */
export function evaluate(truth: TruthRow[], suspects: SuspectRow[]): Evaluation {
  const index = byPerson(suspects);
  const hits = new Map<string, SuspectRow[]>();
  const matchedIds = new Set<string>();
  for (const t of truth) {
    const h = (index.get(t.psn_no) ?? []).filter((s) => matches(t, s));
    hits.set(t.vio_id, h);
    if (t.legit_flag === '0') for (const s of h) matchedIds.add(s.suspect_id);
  }
  const violations = truth.filter((t) => t.legit_flag === '0');
  const legit = truth.filter((t) => t.legit_flag === '1');
  const typeNames = [...new Set([...Object.keys(VIOLATION_RULES), ...violations.map((t) => t.vio_type)])];
  const types = typeNames.map((vio_type) => {
    const rules = VIOLATION_RULES[vio_type] ?? [];
    return metricsOf(
      vio_type,
      rules,
      violations.filter((t) => t.vio_type === vio_type),
      hits,
      suspects.filter((s) => rules.includes(s.rule_id)),
      matchedIds,
    );
  });
  const overall = metricsOf('overall', [...MAPPED_RULES], violations, hits, suspects.filter((s) => MAPPED_RULES.has(s.rule_id)), matchedIds);

  const lookalikes = [...new Set(legit.map((t) => t.vio_type))].sort().map((vio_type) => {
    const rows = legit.filter((t) => t.vio_type === vio_type);
    const ids = new Set(rows.flatMap((t) => (hits.get(t.vio_id) ?? []).map((s) => s.suspect_id)));
    return { vio_type, rules: rulesOf(vio_type, '1'), cases: rows.length, hit: rows.filter((t) => hits.get(t.vio_id)?.length).length, suspect_ids: [...ids].sort() };
  });

  const encOf = (rows: TruthRow[]) => new Set(rows.map((t) => `${t.psn_no}|${t.mdtrt_id}`));
  const vioEnc = encOf(violations);
  const legitEnc = encOf(legit);
  const onAny = (s: SuspectRow, set: Set<string>) => [s.mdtrt_id, ...s.mdtrt_ids].some((m) => m && set.has(`${s.psn_no}|${m}`));
  const other = new Map<string, OtherRuleMetrics>();
  for (const s of suspects) {
    if (MAPPED_RULES.has(s.rule_id)) continue;
    const o = other.get(s.rule_id) ?? { rule_id: s.rule_id, suspects: 0, on_violation_encounter: 0, on_lookalike: 0 };
    o.suspects++;
    if (onAny(s, vioEnc)) o.on_violation_encounter++;
    if (onAny(s, legitEnc)) o.on_lookalike++;
    other.set(s.rule_id, o);
  }
  return { types, overall, lookalikes, other_rules: [...other.values()].sort((a, b) => a.rule_id.localeCompare(b.rule_id)) };
}
