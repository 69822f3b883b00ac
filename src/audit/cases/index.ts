/**
 * Review workflow of audit suspects (疑点审核): cases over suspects of one institution moved through 初审 → 复审 →
 * 机构申诉 → 调查核实 → 违规处理 (拒付/追回) or 排除, with step time limits, assignment and a full trail.
 *
 *   types.ts     tables of migration 0018, the audit_suspect view, states, Access
 *   workflow.ts  the transition table (pure)          limits.ts   time limits and due dates
 *   service.ts   createCase / caseAction (one transaction each)
 *   queries.ts   suspects and cases as the API shows them          access.ts   who sees which rows
 *   read-helpers.ts  paging, yuan out, Beijing day bounds (shared with metrics/)
 */
export { accessSql, canSee } from './access.js';
export { dueDateOf, loadLimits, setLimit, type StepLimit } from './limits.js';
export { getCase, getSuspect, listCases, listSuspects, type CaseQuery, type SuspectQuery } from './queries.js';
export { caseAction, createCase, MAX_CASE_SUSPECTS, type ActionInput, type Assignee, type NewCase } from './service.js';
export { CASE_STAS, DSPO_TYPES, OPEN_STAS, SUSPECT_STAS, withSuspects, type Access, type CaseCap, type CaseStas, type DspoType } from './types.js';
export { allowedActions, CASE_ACTIONS, nextState, STEPS, type CaseAction, type Conclusion } from './workflow.js';
