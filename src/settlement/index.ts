/**
 * The settlement service (结算): encounters, fee lines (退费 lines netted), pre-settlement, settlement (中途结算, 事中
 * audit inside) and its reversal, 2601 冲正, and the audit-at-settlement setting.
 * The gateway's 22xx / 23xx / 24xx / 2601 transactions call these functions; each takes a Caller (who, from
 * where, with which msgid) and national-shaped input, validates everything before writing, and writes in one
 * transaction with its operation-log row. The policy engine (./policy) computes; this layer loads and stores.
 * It must not reach into the gateway: 2601's look-up of the original msgid is the gateway's.
 */
export type { Caller, DiagInput } from './types.js';
export { SETTLEMENT_TABLES } from './types.js';
export { registerEncounter, cancelEncounter, uploadVisitInfo, changeAdmission, discharge, cancelDischarge, type RegisterInput, type VisitInfoInput, type AdmissionChangeInput, type DischargeInput } from './encounters.js';
export { uploadFees, cancelFees, type FeeLineInput, type LineSplit, type CancelSelector } from './fees.js';
export { preSettle, settleEncounter, clrTypeOf, type SettleOutput } from './settle.js';
export type { SettleRequest } from './compute.js';
export { reverseSettlementOf, type ReverseOutput } from './reverse.js';
export { undoByMsgid, REVERSIBLE } from './correction.js';
export { loadAccumulators } from './accumulators.js';
export { setAuditAction, listAuditActions, type AuditActionInput } from './audit-config.js';
export { getSettlement, getEncounter, settlementsOf } from './queries.js';
