/**
 * The settlement policy engine's public surface: classify fee lines (§1), find the policy that applies,
 * settle (§2), reverse, and serialise to the national nodes. Later settlement services (encounters, fee
 * storage, the 2206/2207/2303/2304 handlers) import from here, not from the individual modules.
 */
export type * from './types.js';
export { classifyLine, classifyLines, type ItemLookup } from './classify.js';
export { loadItemsForLines, type LineCatalogueContext } from './catalogue-loader.js';
export { medTypeFamily, requireMedTypeFamily, psnTypeGroup, sceneOf, MED_TYPE_FAM_NAMES, PSN_TYPE_GRP_NAMES } from './keys.js';
export { settle, sumLines, type LineTotals } from './engine.js';
export { settlementProblems } from './invariants.js';
export { reverseSettlement, type ReversalState } from './reversal.js';
export { emptyAccumulators, applyDelta, negateDelta, groupOf } from './accumulators.js';
export { settlementToWire, setlinfoToWire, setldetailToWire, lineToWire, NO_PRICE_CAP } from './wire.js';
export { policyProblems, checkPolicy } from './policy-check.js';
export { findPolicy, listPolicies, insertPolicies, pickMostSpecific, specificity, policyId, type PolicyQuery, type PolicyLoadReport } from './store.js';
export { demoPolicies, insertDemoPolicies } from './demo-policies.js';
export { FUND_NAMES, fundName } from './funds.js';
export { exactLineAmount, pricMicro, cnt10k, pricFen } from './price.js';
