/**
 * Fetches the catalogue items a set of fee lines needs, through the catalogue service: the treating region's
 * catalogue (就医地目录), the version in force on each line's fee date, with the price cap of the
 * institution's level and the self-pay ratio of the insurance type. One query set per distinct fee date,
 * since an admission may span a catalogue change.
 */
import type { Db } from '../../platform/db.js';
import { getItems } from '../../standards/catalogue/service.js';
import type { CatalogueItem } from '../../standards/catalogue/types.js';
import type { ItemLookup } from './classify.js';
import type { FeeLine } from './types.js';

export interface LineCatalogueContext {
  /** The catalogue's area (the treating province or pooling area); omitted = any area's catalogue. */
  catalogue_admdvs?: string;
  /** The treating institution's level, for the price cap. */
  hosp_lv: string;
  insutype: string;
}

export async function loadItemsForLines(db: Db, lines: readonly FeeLine[], ctx: LineCatalogueContext): Promise<ItemLookup> {
  const byDate = new Map<string, Set<string>>();
  for (const l of lines) {
    const codes = byDate.get(l.fee_date) ?? new Set<string>();
    codes.add(l.hilist_code);
    byDate.set(l.fee_date, codes);
  }
  const found = new Map<string, Map<string, CatalogueItem>>();
  for (const [on, codes] of byDate) {
    found.set(on, await getItems(db, [...codes], { on, hosp_lv: ctx.hosp_lv, insutype: ctx.insutype, insu_admdvs: ctx.catalogue_admdvs }));
  }
  return (line) => found.get(line.fee_date)?.get(line.hilist_code);
}
