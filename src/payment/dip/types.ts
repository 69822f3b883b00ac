/**
 * DIP (按病种分值付费) types: the catalogue (病种目录库) with its groups and auxiliary catalogues, the historical cases a
 * catalogue is built from, a case to group and the result — and the tables of migration 0012 that hold catalogues as
 * versioned data. Money is integer fen in code (numeric(16,2) in SQL).
 */
import type { Generated } from 'kysely';
import type { Fen } from '../../platform/money.js';

/** 0 保守治疗 · 1 诊断性操作 · 2 治疗性操作 · 3 相关手术 (higher = more resource-intensive, drg-dip.md §2.2). */
export type OprnType = '0' | '1' | '2' | '3';
export const OPRN_TYPE_NAMES: Record<OprnType, string> = { '0': '保守治疗', '1': '诊断性操作', '2': '治疗性操作', '3': '相关手术' };

/** core 核心病种 · comprehensive 综合病种 · basic 基层病种 */
export type GroupType = 'core' | 'comprehensive' | 'basic';
export const GROUP_TYPE_NAMES: Record<GroupType, string> = { core: '核心病种', comprehensive: '综合病种', basic: '基层病种' };

export type AuxType = 'cci' | 'tumour' | 'age';
export const AUX_TYPE_NAMES: Record<AuxType, string> = { cci: '疾病严重程度', tumour: '肿瘤严重程度', age: '年龄特征' };

/** One historical case (a settled inpatient stay) for building a catalogue. */
export interface HistoryCase {
  id?: string;
  /** principal diagnosis, 医保版 ICD-10 code */
  pdx: string;
  /** secondary diagnoses (CC/MCC severity, metastases) */
  dx?: readonly string[];
  /** procedures, 医保版 ICD-9-CM-3 codes, main first */
  procedures?: readonly string[];
  /** total cost in fen */
  cost: Fen;
  /** the year of discharge */
  year: number;
  died?: boolean;
  /** age in whole years at admission */
  age?: number | null;
  /** length of stay in days */
  los?: number | null;
}

/** A case to group: a history case without the year (cost optional: only the closest-mean tie-break uses it). */
export type DipCase = Omit<HistoryCase, 'year' | 'cost'> & { cost?: Fen | null };

export interface DipGroup {
  dip_code: string;
  dip_name: string;
  grp_type: GroupType;
  /** K80.1 (core/basic: diagnosis subcategory), K80 (category), A00-B99 (chapter range) */
  diag_key: string;
  oprn_type: OprnType;
  /** '' | 51.2300 | 51.2300+54.5100 ('+' all required) | 51.2200/51.2300 ('/' any of) */
  oprn_combo: string;
  combo_parts: number;
  case_cnt: number;
  mean_cost: Fen;
  mean_los: number | null;
  rw: number;
  score: number;
}

export interface DipAux {
  dip_code: string;
  aux_type: AuxType;
  aux_lv: string;
  aux_name: string;
  factor: number;
  case_cnt: number;
  mean_cost: Fen | null;
}

/** How a catalogue was built (stored with it; grouping reads comboTypes / procKeyLength / cciMinLos / ageBands / scale). */
export interface CatalogueParams {
  /** core group minimum case count (drg-dip.md §2.2: 15 in DIP 1.0) */
  threshold: number;
  /** a category × procedure-type comprehensive group needs this many cases, else its cases go to the chapter range */
  comprehensiveMin: number;
  /** year → weight (drg-dip.md §2.3: last 3 years 1:2:7) */
  yearWeights: Record<string, number>;
  trim: TrimMethod;
  /** groups with fewer (kept) cases are not trimmed */
  trimMinCases: number;
  /** score = RW × scale */
  scale: number;
  /** which procedure types form the combination of a core group */
  comboTypes: OprnType[];
  /** procedure codes are cut to this many characters when keyed (null: the full code) */
  procKeyLength: number | null;
  /** an auxiliary level needs this many cases to get a factor */
  auxMinCases: number;
  /** CCI levels 2–4 apply only when the stay is longer than this many days (Jining: 3) */
  cciMinLos: number;
  ageBands: AgeBand[];
}

export type TrimMethod = { method: 'sd'; k: number } | { method: 'percentile'; low: number; high: number } | { method: 'none' };

export interface AgeBand {
  lv: string;
  name: string;
  min: number;
  max: number;
}

export interface DipCatalogue {
  cat_ver: string | null;
  params: CatalogueParams;
  /** M, the mean cost of all cases (null for an imported catalogue) */
  overall_mean: Fen | null;
  case_cnt: number;
  groups: DipGroup[];
  aux: DipAux[];
}

// ---------- tables (migration 0012) ----------

export interface DipCatalogueTable {
  cat_ver: string;
  cat_name: string;
  admdvs: string;
  source: 'built' | 'imported';
  stas: Generated<'draft' | 'published' | 'retired'>;
  begndate: string | null;
  enddate: string | null;
  params: unknown;
  overall_mean: string | null;
  case_cnt: Generated<number>;
  grp_cnt: Generated<number>;
  opter_id: string;
  opter_name: string;
  crte_time: Generated<Date>;
  publ_time: Date | null;
}

export interface DipGroupTable {
  cat_ver: string;
  dip_code: string;
  dip_name: string;
  grp_type: GroupType;
  diag_key: string;
  oprn_type: OprnType;
  oprn_combo: Generated<string>;
  combo_parts: Generated<number>;
  case_cnt: Generated<number>;
  mean_cost: string;
  mean_los: string | null;
  rw: string;
  score: string;
}

export interface DipAuxTable {
  cat_ver: string;
  dip_code: string;
  aux_type: AuxType;
  aux_lv: string;
  aux_name: string;
  factor: string;
  case_cnt: Generated<number>;
  mean_cost: string | null;
}

declare module '../../platform/db.js' {
  interface Tables {
    dip_catalogue: DipCatalogueTable;
    dip_group: DipGroupTable;
    dip_aux: DipAuxTable;
  }
}
