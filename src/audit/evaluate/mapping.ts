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
  // a fee dated outside its encounter (MGT-LAG-02); MGT-LAG-01 is the 180-days-before-settlement reading of 收费跨期
  fee_outside: ['MGT-LAG-02', 'MGT-LAG-01'],
  diag_lmt: ['POL-SCP-01'],
  scene_lmt: ['POL-MDT-01'],
  lv_lmt: ['POL-LV-01'],
  // an inclusion pair (静脉输液 includes 静脉注射)
  incl_charge: ['MGT-DUP-01'],
  surg_discount: ['MGT-SURG-01'],
  // the billed code differs from the product the trace code identifies: 串换 when dearer, and 追溯码与药品不符 always
  swap_item: ['MGT-SWP-01', 'MGT-TRC-02'],
  trace_dup_xinst: ['MGT-TRC-01'],
  // identity: a failed face check, or two cities within hours (the branches of 冒名就医)
  idchk_fail: ['MGT-ID-01'],
  travel_impostor: ['MGT-ID-01'],
  idle_bed: ['MGT-ADM-02'],
  low_adm: ['MGT-ADM-04'],
  split_adm: ['MGT-ADM-01'],
  concurrent_ipt: ['MGT-ADM-03'],
  dup_drug: ['MED-QTY-02'],
  visit_freq: ['MED-VIS-01'],
};

/** Look-alike legitimate type → the rules it looks like a hit of (a hit is a false positive). */
export const LOOKALIKE_RULES: Readonly<Record<string, readonly string[]>> = {
  lookalike_child_drug: ['POL-AGE-01', 'POL-AGE-02', 'POL-AGE-04'],
  lookalike_lab_repeat: ['MGT-DUP-01', 'MGT-FRQ-01'],
  lookalike_mts_qty: ['MED-QTY-01'],
  lookalike_diag_drug: ['POL-SCP-01'],
  lookalike_discharge_drug: ['MGT-LAG-02', 'MGT-LAG-01'],
  lookalike_chemo_cycle: ['MGT-ADM-01'],
  lookalike_second_surgery: ['MGT-SURG-01'],
  lookalike_transfer: ['MGT-ADM-03', 'MGT-ADM-01'],
};

/** Types whose detection is a statistical score rather than a deterministic rule (none injected yet). */
export const STATISTICAL_TYPES: ReadonlySet<string> = new Set<string>();

/** The rules of a ground-truth type (violation or look-alike), empty when unknown. */
export function rulesOf(vio_type: string, legit_flag: string): readonly string[] {
  return (legit_flag === '1' ? LOOKALIKE_RULES[vio_type] : VIOLATION_RULES[vio_type]) ?? [];
}

/** Every rule some violation type maps to. */
export const MAPPED_RULES: ReadonlySet<string> = new Set(Object.values(VIOLATION_RULES).flat());
