/**
 * The contract of an injected violation (注入违规): a type names its rule (audit-rules.md §3.2) and the platform's
 * rule ids that should catch it (src/audit/rules/catalogue.ts), the encounter kinds it can be expressed in, and
 * up to three steps:
 * - `prepare` (optional) changes what an encounter will be before its lines are drawn — another clinical bundle, a
 *   length of stay (低标准入院, a chemotherapy cycle);
 * - `inject` alters the encounter's draft before it is classified and settled — so the settlement, lines and ids
 *   the auditors see carry the violation exactly as a hospital's upload would — and says which lines are involved
 *   and what amount is at issue; or, for a cross-encounter type, schedules follow-up encounters of the same person
 *   (`Draft.follow`: a readmission, a second stay elsewhere, a purchase at a pharmacy) and answers `{ deferred }`;
 * - a follow-up's own `inject`, which alters the follow-up's draft knowing the encounter that scheduled it and
 *   gives the ground-truth row (the follow-up is the encounter the auditor's rule flags).
 * One module per type; index.ts lists them. The answer key goes to gen_violation, never into the tables the audit
 * engine reads.
 */
import type { Rng } from '../../demo/prng.js';
import type { Fen } from '../../platform/money.js';
import type { FeeLine } from '../../settlement/policy/index.js';
import type { PractitionerInput } from '../../standards/practitioners/practitioners.js';
import type { Bundle, BundleItem } from '../bundles.js';
import type { GenPerson } from '../persons.js';
import type { Kind } from '../timeline.js';
import type { Institution, World } from '../world.js';

export interface DraftLine {
  fee: FeeLine;
  order_time: string;
  kind: BundleItem['kind'];
  /** The clinical item the line was drawn for (its name resolves to the institution's code). */
  item: BundleItem;
  /** A trace code to upload instead of a fresh one (追溯码重复). */
  trace?: string;
  /** The product (hilist_code) a fresh trace code identifies, when not the billed code (串换: the box dispensed). */
  traceOf?: string;
}

/** A drug sale of the person remembered for later trace-code look-ups. */
export interface TraceUse {
  trace: string;
  hilist_code: string;
  name: string;
  fixmedins_code: string;
  date: string;
}

/** What an encounter will be, before its lines are drawn. */
export interface EncounterSpec {
  kind: Kind;
  date: string;
  bundle: Bundle | null;
  inst: Institution;
  /** Length of stay instead of a drawn one (inpatient). */
  los?: number;
  /** Registration time 'HH:mm:ss' instead of a drawn one. */
  time?: string;
}

/** An encounter already generated, as a follow-up sees the one that scheduled it. */
export interface EncounterRef {
  mdtrt_id: string;
  kind: Kind;
  date: string;
  /** Discharge date (the visit date outside hospital). */
  endDate: string;
  /** 'yyyy-MM-dd HH:mm:ss'. */
  begntime: string;
  inst: Institution;
  bundle: Bundle | null;
  los: number;
  diags: readonly string[];
  lines: readonly DraftLine[];
}

/** A further encounter of the same person that a cross-encounter type schedules. */
export interface FollowUp extends EncounterSpec {
  /** Alters the follow-up's draft; the injection is the ground-truth row (null: the follow-up carries none). */
  inject(d: Draft, prev: EncounterRef, rng: Rng, world: World): Injection | null;
}

/** An encounter before classification and settlement. */
export interface Draft {
  kind: Kind;
  person: GenPerson;
  inst: Institution;
  date: string;
  /** Registration time 'yyyy-MM-dd HH:mm:ss'. */
  begntime: string;
  /** Length of stay in days (0 outside hospital). */
  los: number;
  bundle: Bundle | null;
  diags: string[];
  doctor: PractitionerInput | null;
  lines: DraftLine[];
  /**
   * Adds a line of a clinical item as this institution stocks and prices it, on day `day` of the encounter (even
   * an item its level would not stock: the violation is the point).
   */
  addItem(item: BundleItem, day: number, cnt: number): DraftLine | undefined;
  /** Adds a line of a given catalogue code (priced at this institution's level) for a clinical item. */
  addCode(item: BundleItem, hilist_code: string, day: number, cnt: number): DraftLine;
  /** Removes lines and numbers the rest 0001… again, as an upload without them would. */
  removeLines(drop: (l: DraftLine) => boolean): void;
  /** Trace codes of the person's earlier drug sales, by hilist_code. */
  traces: ReadonlyMap<string, TraceUse>;
  /** The identity check at registration: its way and result ('1' passed, '0' failed). */
  idchk: { chk_way?: string; chk_rslt: '0' | '1' };
  /** 离院方式 of a stay ('1' 医嘱离院, '2' 医嘱转院). */
  dscg_way: string;
  /** Schedules a further encounter of the person (a cross-encounter violation). */
  follow(f: FollowUp): void;
}

export interface Injection {
  /** The lines involved (feedetl_sn), or null when the whole encounter is the violation. */
  feedetl_sns: string[] | null;
  /**
   * Amount at issue: fen, the lines' 超限价 amount, or what insurance paid for the encounter (funds and
   * personal accounts).
   */
  amt: Fen | 'overlmt' | 'insured';
  memo: string;
}

/** What `inject` answers for a type expressed in follow-up encounters (they carry the ground-truth rows). */
export const DEFERRED = { deferred: true } as const;
export type InjectResult = Injection | typeof DEFERRED | null;

export interface ViolationType {
  /** Stable code, the ground truth's vio_type. */
  code: string;
  /** Chinese rule name. */
  name: string;
  /** The platform's rule ids (src/audit/rules/catalogue.ts) that should catch it, or that a look-alike imitates. */
  rules: readonly string[];
  kinds: readonly Kind[];
  /** A look-alike legitimate case (labelled legit_flag 1), injected to measure false positives. */
  legit?: boolean;
  /** Relative chance of being tried first (default 1): more for types that only few encounters can express. */
  weight?: number;
  /** Changes the encounter before its lines are drawn; null when the type cannot be expressed in it. */
  prepare?(spec: EncounterSpec, person: GenPerson, rng: Rng, world: World): EncounterSpec | null;
  inject(d: Draft, rng: Rng, world: World): InjectResult;
}

/** Recomputes a line's amount after its price or quantity changed. */
export { priceTimesQuantity } from '../../platform/money.js';
