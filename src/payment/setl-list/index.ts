/**
 * The settlement list (医疗保障基金结算清单): the national field set (fields.ts), the 4101/4101A input schema
 * (schema.ts), storage per settlement with versions, status (4102) and queries (4103) (service.ts), and the hook that
 * finds the settlement behind setl_id (settlement-hook.ts). Quality control is in ../qc.
 */
import './types.js';

export { LIST_NODES, ROW_NODES, fieldLabel, SETLINFO_FIELDS } from './fields.js';
export type { FieldDef, ListNode, ListRow, RowNode, SetlListInput } from './fields.js';
export { SetlListSchema, NODE_LABELS } from './schema.js';
export { lookupSettlement, type SettlementLookup } from './settlement-hook.js';
export {
  uploadSetlList,
  changeSetlListStatus,
  lockSetlList,
  querySetlLists,
  getSetlListDetail,
  mainOprnOf,
  principalOf,
  warnMsgOf,
  SetlListQcError,
} from './service.js';
export type { ListCaller, UploadOptions, UploadResult, StatusChange, StatusResult, ListQuery, ListSummary, ListDetail, ListVersionInfo } from './service.js';
export { STAS_NAMES, type SetlListStas } from './types.js';
