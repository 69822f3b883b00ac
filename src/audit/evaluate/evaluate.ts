/**
 * `yibao audit evaluate`: detection quality of the 事后 batch audit against the generator's answer key (issue 5).
 * Reads the key (database or Parquet directory) and the suspects, matches and measures them (metrics.ts), and
 * renders the result (report.ts). Reads only; writes nothing to the database.
 */
import type { Db } from '../../platform/db.js';
import { loadSuspects, runWindow, truthFromDb, truthFromDir, type RunWindow } from './load.js';
import { evaluate, type Evaluation } from './metrics.js';

export interface EvaluateOptions {
  /** 'db' or a `yibao generate --out` directory. */
  truth: string;
  /** Only this batch run's suspects (and, with truth db, its window's encounters). */
  run_id?: string;
}

export interface EvaluateResult extends Evaluation {
  window: RunWindow | null;
  truth_rows: number;
  suspect_rows: number;
}

export async function evaluateRun(db: Db, o: EvaluateOptions): Promise<EvaluateResult> {
  const window = o.run_id ? await runWindow(db, o.run_id) : null;
  const truth = o.truth === 'db' ? await truthFromDb(db, window ?? undefined) : await truthFromDir(o.truth);
  const suspects = await loadSuspects(db, o.run_id);
  return { ...evaluate(truth, suspects), window, truth_rows: truth.length, suspect_rows: suspects.length };
}

export { evaluate, matches, type SuspectRow, type TruthRow, type Evaluation } from './metrics.js';
export { evaluationMarkdown, evaluationLines, TARGET } from './report.js';
export { VIOLATION_RULES, LOOKALIKE_RULES } from './mapping.js';
