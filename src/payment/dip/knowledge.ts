/**
 * What DIP needs to know about codes, with defaults taken from the CHS-DRG tables (src/payment/drg) so that no list is
 * duplicated: the procedure type of a procedure (valid operating-room procedure → 相关手术; the ICD-9-CM-3 diagnostic
 * subsections → 诊断性操作; anything else → 治疗性操作), the CC/MCC severity of the secondary diagnoses with the
 * principal diagnosis's exclusion table, and names for group titles. Every part can be replaced (a region's own
 * procedure-type list, a 2.0 CC table) by passing a Knowledge of its own.
 */
import { DrgGrouper, loadDrgTables, type DrgTables } from '../drg/index.js';
import type { OprnType } from './types.js';

export interface Knowledge {
  procType(code: string): OprnType;
  /** The severity the secondary diagnoses give: MCC, CC or none (dx[0] is the principal diagnosis). */
  severity(dx: readonly string[]): 'MCC' | 'CC' | 'none';
  diagnosisName(code: string): string | null;
  procedureName(code: string): string | null;
}

/**
 * ICD-9-CM-3 "diagnostic procedures on …" subcategories of the organ chapters, and the diagnostic sections
 * 87–91 (imaging, interview and examination, laboratory), 92.0–92.1 (radioisotope scans), 93.0, 94.0–94.1, 95.0–95.4.
 */
export const DIAGNOSTIC_PREFIXES: readonly string[] = [
  '87.', '88.', '89.', '90.', '91.', '92.0', '92.1', '93.0', '94.0', '94.1', '95.0', '95.1', '95.2', '95.3', '95.4',
  '01.1', '03.3', '06.1', '07.1', '08.1', '09.1', '12.2', '14.1', '16.2', '18.1', '20.3', '21.2', '22.1', '24.1', '25.0',
  '26.1', '27.2', '29.1', '31.4', '33.2', '34.2', '37.2', '38.2', '40.1', '41.3', '42.2', '44.1', '45.1', '45.2', '48.2',
  '49.2', '50.1', '51.1', '52.1', '54.2', '55.2', '56.3', '57.3', '58.2', '59.2', '60.1', '61.1', '62.1', '63.0', '64.1',
  '65.1', '66.1', '67.1', '68.1', '70.2', '71.1', '76.1', '77.4', '78.8', '80.2', '83.2', '85.1', '86.1',
];

/** Procedure type from a valid-OR set and the diagnostic prefixes. */
export function procTypeFrom(validOr: ReadonlySet<string>, diagnostic: readonly string[] = DIAGNOSTIC_PREFIXES): (code: string) => OprnType {
  // remembered by code: a year run asks for every procedure of a million cases, over a few thousand distinct codes
  const known = new Map<string, OprnType>();
  return (code) => {
    let t = known.get(code);
    if (t === undefined) {
      const c = code.trim();
      t = validOr.has(c) ? '3' : diagnostic.some((p) => c.startsWith(p)) ? '1' : '2';
      if (known.size >= 100_000) known.clear();
      known.set(code, t);
    }
    return t;
  };
}

let shared: Knowledge | null = null;

/** The default knowledge: CHS-DRG 1.1 tables (valid OR procedures, CC/MCC with exclusions, the 医保版 names). */
export function drgKnowledge(tables: DrgTables = loadDrgTables()): Knowledge {
  const grouper = new DrgGrouper(tables, { trace: false });
  const procType = procTypeFrom(tables.validOr);
  return {
    procType,
    severity: (dx) => (dx.length < 2 ? 'none' : grouper.ccMcc(dx).level),
    diagnosisName: (code) => tables.diagnoses.get(code) ?? null,
    procedureName: (code) => tables.procedures.get(code) ?? null,
  };
}

export function defaultKnowledge(): Knowledge {
  shared ??= drgKnowledge();
  return shared;
}
