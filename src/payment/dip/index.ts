/**
 * DIP (按病种分值付费, Diagnosis-Intervention Packet): building a catalogue from history (build.ts), grouping a case
 * with the reasons in Chinese (group.ts), catalogues as versioned SQL data (store.ts), importing a published
 * catalogue (import.ts), and the stored settlement lists as history (history.ts). Point-value payment is not here.
 *
 *   const { catalogue } = await buildDipCatalogue(cases, { threshold: 15 });
 *   new DipGrouper(catalogue).group({ pdx: 'K80.101', procedures: ['51.2300'], cost: 1_200_000 });
 */
import './types.js';

export { buildDipCatalogue, weightedMean, trimOutliers, trimByYear, cciLevel, tumourLevel, ageBand, DEFAULT_PARAMS, DEFAULT_AGE_BANDS, DEFAULT_YEAR_PATTERN } from './build.js';
export type { BuildOptions, BuildReport } from './build.js';
export { DipGrouper, UNMATCHED_CODE } from './group.js';
export type { DipResult, DipStatus } from './group.js';
export { featuresOf, matchCombo } from './features.js';
export type { CaseFeatures, ComboMatch } from './features.js';
export { defaultKnowledge, drgKnowledge, procTypeFrom, DIAGNOSTIC_PREFIXES } from './knowledge.js';
export type { Knowledge } from './knowledge.js';
export { saveDipCatalogue, publishDipCatalogue, loadDipCatalogue, dipCatalogueInForce, listDipCatalogues } from './store.js';
export type { CatalogueInfo, CatalogueMeta } from './store.js';
export { importDipCatalogue, readDipCatalogueFile, DIP_COLUMNS } from './import.js';
export type { ImportOptions } from './import.js';
export { setlListHistory, dipCaseOf } from './history.js';
export type { HistoryQuery } from './history.js';
export { OPRN_TYPE_NAMES, GROUP_TYPE_NAMES, AUX_TYPE_NAMES } from './types.js';
export type { AgeBand, AuxType, CatalogueParams, DipAux, DipCase, DipCatalogue, DipGroup, GroupType, HistoryCase, OprnType, TrimMethod } from './types.js';
