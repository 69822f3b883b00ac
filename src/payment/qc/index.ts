/**
 * Quality control of the settlement list (结算清单质控) before grouping: data-driven rules (rules.ts) run by a pure
 * engine (engine.ts) over a context loaded from the database (context.ts).
 *
 *   const ctx = await loadQcContext(db, list, { caller: 'H99010200001' });
 *   const report = runQc(list, ctx);   // { passed, errors: [{ rule_id, code, field, message … }], warnings }
 */
export { QC_RULES, FEMALE_ONLY, MALE_ONLY, NOT_PRINCIPAL_2_0 } from './rules.js';
export type { QcKind, QcLevel, QcParams, QcRule, QcWhen } from './rules.js';
export { runQc, describeFinding, checkDateOf, codesOf, parseWhen, parseDuration } from './engine.js';
export type { QcContext, QcFinding, QcReport, SettlementRef } from './engine.js';
export { loadQcContext, type QcLoadOptions } from './context.js';
export { inRange, inRanges, categoryOf, subcategoryOf, chapterOf, ICD10_CHAPTERS, isAsteriskOnly, isMorphology } from './codes.js';
