/**
 * Smart audit (智能审核), real-time side. Owns the knowledge base and the rule base (两库, migration 0011), the
 * 事前/事中 engine behind 3101/3102, the evaluation log (事前提醒结果) and the dispositions of 3103.
 *
 *   knowledge base   kb/knowledge.ts (snapshot, loadKnowledge/buildKnowledge), kb/import.ts (validated atomic loads,
 *                    versions by closing rows, files, retiring), kb/demo.ts (demo set from the demo catalogue)
 *   rule base        rules/catalogue.ts (default rules with their §3.1 metadata), rules/store.ts (validation, saving
 *                    versions, installing, loading), rules/{policy,management,medical}.ts (compiled logic by rule_id)
 *   engine           engine/claim.ts (the claim model), engine/engine.ts (evaluate / runRules), engine/history.ts
 *                    (HistoryProvider, DbHistoryProvider over the settlement tables), engine/log.ts
 *   service          service.ts (cached snapshots per database, auditRealtime = evaluate + log)
 *
 * What it must not do: reach into settlement while evaluating (history comes as data, or through a provider),
 * write anything but its own tables, or fail a whole evaluation because one rule failed. The batch (事后) engine,
 * the review workflow (初审/复审/申诉) and the rule-quality metrics are later work on these same tables.
 */
export { evaluate, runRules, type EngineOptions, type Evaluation } from './engine/engine.js';
export { prepareClaim, type Claim, type Enc, type Line, type Patient } from './engine/claim.js';
export { DbHistoryProvider, NO_HISTORY, staticHistory, type HistoryProvider, type HistoryQuery } from './engine/history.js';
export { recordDispositions, writeEvaluationLog, type DispositionInput } from './engine/log.js';
export { buildKnowledge, loadKnowledge, Knowledge, type KnowledgeRows, type KnowledgeSet } from './kb/knowledge.js';
export { checkKnowledge, importKnowledge, importKnowledgeFile, retireKnowledge, KB_COLUMNS, type KbKind } from './kb/import.js';
export { demoCatalogueRows, demoKnowledgeSet } from './kb/demo.js';
export { DEFAULT_RULES, type RuleInput } from './rules/catalogue.js';
export { RULE_IMPLS, makeRuleImpls } from './rules/index.js';
export { checkRule, defaultRuleBase, installDefaultRules, loadRuleBase, RuleBase, saveRule, setRuleEnabled } from './rules/store.js';
export { auditRealtime, invalidateAuditCache, knowledgeFor, rulesFor } from './service.js';
export type { AuditRequest, AuditResponse, JudgeResult } from './types.js';
