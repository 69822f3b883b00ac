/**
 * The contract of an injected violation (注入违规): a type names its rule (audit-rules.md §3.2), the encounter
 * kinds it can be expressed in, and `inject`, which alters an encounter's draft before it is classified and
 * settled — so the settlement, lines and ids the auditors see carry the violation exactly as a hospital's
 * upload would — and says which lines are involved and what amount is at issue. One module per type; index.ts
 * lists them. The answer key goes to gen_violation, never into the tables the audit engine reads.
 */
import type { Rng } from '../../demo/prng.js';
import type { Fen } from '../../platform/money.js';
import type { FeeLine } from '../../settlement/policy/index.js';
import type { PractitionerInput } from '../../standards/practitioners/practitioners.js';
import type { BundleItem } from '../bundles.js';
import type { GenPerson } from '../persons.js';
import type { Kind } from '../timeline.js';
import type { Institution, World } from '../world.js';

export interface DraftLine {
  fee: FeeLine;
  order_time: string;
  kind: BundleItem['kind'];
  /** A trace code to upload instead of a fresh one (追溯码重复). */
  trace?: string;
}

/** An encounter before classification and settlement. */
export interface Draft {
  kind: Kind;
  person: GenPerson;
  inst: Institution;
  date: string;
  /** Length of stay in days (0 outside hospital). */
  los: number;
  diags: string[];
  doctor: PractitionerInput | null;
  lines: DraftLine[];
  /** Adds a line of a clinical item as this institution stocks and prices it, on day `day` of the encounter. */
  addItem(item: BundleItem, day: number, cnt: number): DraftLine | undefined;
  /** Trace codes of the person's earlier drug lines, by hilist_code. */
  traces: ReadonlyMap<string, string>;
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

export interface ViolationType {
  /** Stable code, the ground truth's vio_type. */
  code: string;
  /** Chinese rule name. */
  name: string;
  kinds: readonly Kind[];
  /** A look-alike legitimate case (labelled legit_flag 1), injected to measure false positives. */
  legit?: boolean;
  inject(d: Draft, rng: Rng, world: World): Injection | null;
}

/** Recomputes a line's amount after its price or quantity changed. */
export { priceTimesQuantity } from '../../platform/money.js';
