/**
 * CHS-DRG grouping (按病组付费 — the grouper part). Tables are data (tables.ts), conditions are compiled once
 * (conditions.ts), either input shape is accepted (normalise.ts), and the grouper never throws (grouper.ts).
 *
 *   const g = drgGrouper('chs-drg-1.1');
 *   g.group({ gend: '1', age: 60, diagnoses: ['K22.301', 'K11.901'], procedures: [] }).drg  // 'GZ13'
 */
import { DrgGrouper, type GrouperOptions } from './grouper.js';
import { DEFAULT_DRG_VERSION, loadDrgTables } from './tables.js';

export { DrgGrouper, validate } from './grouper.js';
export type { CcMcc, CcMccHit, CodeMapping, DrgResult, DrgStatus, GrouperOptions } from './grouper.js';
export { normaliseCase } from './normalise.js';
export { describeSummary, groupJsonl } from './jsonl.js';
export type { JsonlSummary } from './jsonl.js';
export type { DrgCase, Normalised } from './normalise.js';
export { DEFAULT_DRG_VERSION, DrgTableError, TABLE_FILES, describeTableProblem, loadDrgTables, readDrgTables, resolveVersionDir } from './tables.js';
export type { AdrgDef, DrgRule, DrgTables, MdcDef, QyDef } from './tables.js';
export type { Cond, Explained, Facts, TableProblem } from './conditions.js';

/** A grouper for a version id (a folder under reference-data/) or a folder path. Tables load once per folder. */
export function drgGrouper(version: string = DEFAULT_DRG_VERSION, options: GrouperOptions = {}): DrgGrouper {
  return new DrgGrouper(loadDrgTables(version), options);
}
