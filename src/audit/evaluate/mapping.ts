/**
 * The answer key's vocabulary ↔ the rule base: which rule ids (src/audit/rules/catalogue.ts) should catch each
 * violation type `yibao generate --violations` injects, and which rules each look-alike legitimate case imitates
 * (docs/synthetic-data.md, "Injected violations"). Kept as data so a new injector or rule is one line here.
 */

/** Violation type → the rules that catch it (any of them counts). */
export const VIOLATION_RULES: Readonly<Record<string, readonly string[]>> = {
  gend_lmt: ['POL-GEN-01'],
  age_lmt: ['POL-AGE-01', 'POL-AGE-02', 'POL-AGE-04'],
  over_price: ['MGT-PRC-01'],
  // the same item twice a day is also 超频次 (an item with a daily limit) or, for a per-day ward charge
  // (bed, 诊查费), 住院天数超计费
  dup_charge: ['MGT-DUP-01', 'MGT-FRQ-01', 'MGT-LOS-01'],
  over_freq: ['MGT-FRQ-01', 'MGT-LOS-01'],
  bed_days: ['MGT-LOS-01'],
  single_herb: ['POL-TCM-01'],
  doctor_qual: ['MGT-DOC-01'],
  trace_dup: ['MGT-TRC-01'],
  dead_psn: ['MGT-ID-01'],
  over_qty: ['MED-QTY-01'],
  fee_outside: ['MGT-LAG-01'],
  diag_lmt: ['POL-SCP-01'],
  scene_lmt: ['POL-MDT-01'],
};

/** Look-alike legitimate type → the rules it looks like a hit of (a hit is a false positive). */
export const LOOKALIKE_RULES: Readonly<Record<string, readonly string[]>> = {
  lookalike_child_drug: ['POL-AGE-01', 'POL-AGE-02', 'POL-AGE-04'],
  lookalike_lab_repeat: ['MGT-DUP-01', 'MGT-FRQ-01'],
  lookalike_mts_qty: ['MED-QTY-01'],
  lookalike_diag_drug: ['POL-SCP-01'],
  lookalike_discharge_drug: ['MGT-LAG-01'],
};

/** Types whose detection is a statistical score rather than a deterministic rule (none injected yet). */
export const STATISTICAL_TYPES: ReadonlySet<string> = new Set<string>();

/** The rules of a ground-truth type (violation or look-alike), empty when unknown. */
export function rulesOf(vio_type: string, legit_flag: string): readonly string[] {
  return (legit_flag === '1' ? LOOKALIKE_RULES[vio_type] : VIOLATION_RULES[vio_type]) ?? [];
}

/** Every rule some violation type maps to. */
export const MAPPED_RULES: ReadonlySet<string> = new Set(Object.values(VIOLATION_RULES).flat());
