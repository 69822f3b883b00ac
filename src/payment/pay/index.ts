/**
 * DRG/DIP point-value payment under a regional global budget (点数法付费、年度清算): parameters per region and year
 * (params.ts, effective-dated), case sources (cases.ts), DRG weights from history (weights.ts), case points with
 * outliers and 特例单议 (score.ts), point values and statements (budget.ts), the year run as a job (run.ts) and
 * the reads for the console (queries.ts). Exact arithmetic in arith.ts. Formulas and rounding: docs/payment.md.
 *
 *   await saveParams(db, actor, { admdvs: '990100', pay_type: 'drg', setl_year: 2026 }, { begndate: '2026-01-01', budget: '50000000.00', base_rate: '13060.00' });
 *   const summary = await runPayYear(db, actor, { pay_type: 'drg', year: 2026, admdvs: '990100' });
 */
import './types.js';

export { apportion, dec4, pointValueText, ratio4, times4, text4, ONE } from './arith.js';
export { settleYear } from './budget.js';
export type { MonthRow, PaidCase, PrepayRow, Settlement, StmtRow } from './budget.js';
export { caseOfLine, dbCases, readCaseFile, regionInstitutions } from './cases.js';
export type { Institution } from './cases.js';
export { DEFAULT_RAW, paramHistory, paramsInForce, parseParams, rawOf, saveParams } from './params.js';
export type { ParamKey, ParamVersion, RawParams } from './params.js';
export { cmiByHospital, combinedCmi, costVsPayment, getRun, latestDrgCmi, latestRun, listRuns, months, outliers, statements } from './queries.js';
export type { DrgCmi } from './queries.js';
export { payYear, penaltiesOf, runPayYear, startPayYear } from './run.js';
export type { RunOptions, RunSummary, WriteOptions } from './run.js';
export { copyCaseRows, copyField } from './case-copy.js';
export type { PgCopyTarget } from './case-copy.js';
export { scoreCase, selectSpecial, stdAmount } from './score.js';
export type { ScoreInput, Scored } from './score.js';
export { cmiOf, drgWeights, yearWeightsFor } from './weights.js';
export type { GroupWeight, HistoryItem } from './weights.js';
export { CASE_TYPE_NAMES, PAY_TYPE_NAMES } from './types.js';
export type { Bp4, CaseType, PayCase, PayParams, PayType, Pt4 } from './types.js';
