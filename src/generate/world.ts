/**
 * The fixed part of a generated region, built once per run from the seed: the demo region's institutions,
 * practitioners and provincial catalogue (src/demo, the very rows `yibao demo load` puts in the database, so a
 * `--db` run refers to codes that exist), the demo settlement policies as the engine's Policy objects, and
 * look-ups the encounter generator needs — which catalogue item an institution stocks under a clinical name,
 * the item as settlement sees it at an institution's level, the policy for a settlement's keys. Pure and
 * in memory; no database.
 */
import { generateDemoRegion } from '../demo/load.js';
import { DEMO_POOL_AREAS } from '../demo/region.js';
import type { InstitutionInput } from '../standards/institutions/institutions.js';
import type { PractitionerInput } from '../standards/practitioners/practitioners.js';
import type { CatalogueItem, CatalogueItemInput } from '../standards/catalogue/types.js';
import { demoPolicies, pickMostSpecific, policyId, psnTypeGroup, requireMedTypeFamily, type Policy } from '../settlement/policy/index.js';
import { validOnDate } from '../platform/effective.js';
import { validationError } from '../platform/errors.js';
import type { BundleItem } from './bundles.js';

export type Lv = '1' | '2' | '3' | '9';

export interface Institution {
  fixmedins_code: string;
  fixmedins_name: string;
  hosp_lv: Lv;
  /** The district it stands in, and its pooling area (统筹区). */
  admdvs: string;
  pool: string;
  medins_natu: string;
  pharmacy: boolean;
  doctors: PractitionerInput[];
  pharmacists: PractitionerInput[];
}

export interface World {
  institutions: Institution[];
  /** Hospitals and pharmacies of each pooling area, by level ('9' = pharmacies). */
  byPoolLv: Map<string, Institution[]>;
  /** Doctors whose payment qualification (医保支付资格) is suspended in a window. */
  suspensions: Map<string, { begndate: string; enddate: string }>;
  /** Resolves a clinical item name to the catalogue code an institution stocks (undefined: none). */
  itemCode(inst: Institution, item: BundleItem, setting: 'opt' | 'mts' | 'ipt' | 'pharm', daily: boolean): string | undefined;
  /** The catalogue item as settlement sees it at a level (cap for that level). */
  item(code: string, lv: Lv): CatalogueItem;
  /** The price an institution of that level charges (the level's cap, the guided price). */
  price(code: string, lv: Lv): number;
  policy(q: { insu_admdvs: string; insutype: string; med_type: string; hosp_lv: Lv; psn_type: string; on: string }): Policy;
  /**
   * The 7-digit product part of a 药品追溯码 ('8' and six digits) for a drug code: the generated region's stand-in
   * for the 码上放心 product registry, so a trace code names the product a box really was (串换 shows as a line
   * whose trace names another product than the billed code). One product per code, never shared (traceProducts).
   */
  traceProduct(hilist_code: string): string;
}

const DRUG_TYPES = new Set(['101', '102', '103']);

function poolOf(admdvs: string): string {
  return `${admdvs.slice(0, 4)}00`;
}

/** Deterministic hash of a text, for "which maker does this institution stock". */
function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Product identifiers of a 药品追溯码 after the leading '8': six digits. */
const PRODUCT_IDS = 1_000_000;

function productHash(hilist_code: string): number {
  let h = 0;
  for (let i = 0; i < hilist_code.length; i++) h = (Math.imul(h, 31) + hilist_code.charCodeAt(i)) >>> 0;
  return h % PRODUCT_IDS;
}

/**
 * A product identifier per drug code, distinct for distinct codes (as the registry's are; a hash alone made some
 * two drugs share one, and then a box of one "named" the other). Codes in code order take their hash, the next
 * free number on a clash (open addressing), so the assignment depends on the catalogue alone — not on which
 * chunk or thread asks first.
 */
export function traceProducts(codes: readonly string[]): Map<string, string> {
  if (codes.length >= PRODUCT_IDS) throw new Error(`药品数 ${codes.length} 超过了追溯码药品标识码的容量`);
  const used = new Set<number>();
  const out = new Map<string, string>();
  for (const code of [...new Set(codes)].sort()) {
    let id = productHash(code);
    while (used.has(id)) id = (id + 1) % PRODUCT_IDS;
    used.add(id);
    out.set(code, `8${String(id).padStart(6, '0')}`);
  }
  return out;
}

/** Picks K institutions keeping the mix: round robin over (pool, level) groups, in code order within each. */
function selectInstitutions(all: InstitutionInput[], k: number | undefined): InstitutionInput[] {
  if (k === undefined || k >= all.length) return all;
  const groups = new Map<string, InstitutionInput[]>();
  for (const i of all) {
    const key = `${poolOf(i.admdvs)}|${i.hosp_lv}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  const lists = [...groups.keys()].sort().map((key) => groups.get(key)!);
  const out: InstitutionInput[] = [];
  for (let round = 0; out.length < k; round++) {
    for (const l of lists) if (l[round] && out.length < k) out.push(l[round]!);
  }
  return out;
}

/** The smallest --institutions that still leaves every pooling area each level and a pharmacy. */
export const MIN_INSTITUTIONS = DEMO_POOL_AREAS.length * 4;

export function buildWorld(seed: number, institutions?: number): World {
  const region = generateDemoRegion({ seed, persons: 0 });
  if (institutions !== undefined && institutions < MIN_INSTITUTIONS) {
    throw validationError(`机构数至少为 ${MIN_INSTITUTIONS}（每个统筹区的一、二、三级医院和药店各一家）`, [{ field: 'institutions', message: `至少 ${MIN_INSTITUTIONS}` }]);
  }
  const chosen = selectInstitutions(region.institutions, institutions);
  const pracsBy = new Map<string, PractitionerInput[]>();
  for (const p of region.practitioners) pracsBy.set(p.fixmedins_code, [...(pracsBy.get(p.fixmedins_code) ?? []), p]);
  const insts: Institution[] = chosen.map((i) => ({
    fixmedins_code: i.fixmedins_code,
    fixmedins_name: i.fixmedins_name,
    hosp_lv: i.hosp_lv as Lv,
    admdvs: i.admdvs,
    pool: poolOf(i.admdvs),
    medins_natu: i.medins_natu,
    pharmacy: i.fixmedins_type === '2',
    doctors: (pracsBy.get(i.fixmedins_code) ?? []).filter((p) => p.prac_type === '1'),
    pharmacists: (pracsBy.get(i.fixmedins_code) ?? []).filter((p) => p.prac_type === '2'),
  }));
  const byPoolLv = new Map<string, Institution[]>();
  for (const i of insts) byPoolLv.set(`${i.pool}|${i.hosp_lv}`, [...(byPoolLv.get(`${i.pool}|${i.hosp_lv}`) ?? []), i]);

  const catalogue = new Map<string, CatalogueItemInput>(region.catalogue.map((c) => [c.hilist_code, c]));
  const candidates = new Map<string, string[]>();
  const findCandidates = (item: BundleItem, injection: boolean | undefined): string[] => {
    const key = `${item.kind}|${item.name}|${injection}`;
    const cached = candidates.get(key);
    if (cached) return cached;
    let found: CatalogueItemInput[];
    switch (item.kind) {
      case 'drug': {
        const all = region.catalogue.filter((c) => DRUG_TYPES.has(c.list_type) && (c.hilist_name === item.name || c.hilist_name === `${item.name}${c.dosform ?? ''}`));
        const inj = all.filter((c) => c.dosform === '注射剂');
        const oral = all.filter((c) => c.dosform !== '注射剂');
        found = injection === true && inj.length ? inj : injection === false && oral.length ? oral : all;
        break;
      }
      case 'service':
        found = region.catalogue.filter((c) => c.list_type === '201' && c.hilist_name === item.name);
        if (!found.length) found = region.catalogue.filter((c) => c.list_type === '201' && c.med_chrgitm_type !== '06' && c.hilist_name.startsWith(item.name));
        break;
      case 'consumable':
        found = region.catalogue.filter((c) => c.list_type === '301' && c.hilist_name.startsWith(`${item.name}（`));
        break;
      case 'surgery':
        found = region.catalogue.filter((c) => c.list_type === '201' && c.med_chrgitm_type === '06' && c.hilist_name.includes(item.name));
        break;
    }
    const codes = found.map((c) => c.hilist_code).sort();
    candidates.set(key, codes);
    return codes;
  };

  // item and price look-ups run for every fee line: nested maps by level, then code, build no key strings
  const items = new Map<Lv, Map<string, CatalogueItem>>();
  const item = (code: string, lv: Lv): CatalogueItem => {
    let byCode = items.get(lv);
    if (!byCode) items.set(lv, (byCode = new Map()));
    const hit = byCode.get(code);
    if (hit) return hit;
    const c = catalogue.get(code);
    if (!c) throw new Error(`生成器引用了目录中没有的编码 ${code}`);
    const built: CatalogueItem = {
      hilist_code: c.hilist_code,
      hilist_name: c.hilist_name,
      insu_admdvs: c.insu_admdvs,
      list_type: c.list_type,
      med_chrgitm_type: c.med_chrgitm_type,
      chrgitm_lv: c.chrgitm_lv,
      selfpay_bp: c.selfpay_bp,
      pric_uplmt_fen: c.pric_uplmt[lv] ?? null,
      restriction: c.restriction ?? null,
      dosform: c.dosform ?? null,
      spec: c.spec ?? null,
      pacunt: c.pacunt ?? null,
      prodentp_name: c.prodentp_name ?? null,
      prcunt: c.prcunt ?? null,
      memo: null,
      begndate: c.begndate,
      enddate: c.enddate ?? null,
    };
    byCode.set(code, built);
    return built;
  };
  const prices = new Map<Lv, Map<string, number>>();
  const price = (code: string, lv: Lv): number => {
    let byCode = prices.get(lv);
    if (!byCode) prices.set(lv, (byCode = new Map()));
    let p = byCode.get(code);
    if (p === undefined) {
      const c = catalogue.get(code)!;
      p = c.pric_uplmt[lv] ?? c.pric_uplmt['1'] ?? c.pric_uplmt['3']!;
      byCode.set(code, p);
    }
    return p;
  };
  /** What an institution stocks under a name, per injection flag: institution → kind|name → [undefined, true, false]. */
  const stocked = new Map<Institution, Map<string, (string | null)[]>>();
  const itemCode = (inst: Institution, it: BundleItem, setting: 'opt' | 'mts' | 'ipt' | 'pharm', daily: boolean): string | undefined => {
    const injection = it.kind === 'drug' ? (setting === 'ipt' && daily ? true : setting === 'ipt' ? undefined : false) : undefined;
    const slot = injection === undefined ? 0 : injection ? 1 : 2;
    let byName = stocked.get(inst);
    if (!byName) stocked.set(inst, (byName = new Map()));
    const key = it.kind === 'drug' ? it.name : `${it.kind}|${it.name}`;
    let slots = byName.get(key);
    if (!slots) byName.set(key, (slots = []));
    let code = slots[slot];
    if (code === undefined) {
      const codes = findCandidates(it, injection);
      code = codes.length ? codes[hashText(`${inst.fixmedins_code}|${it.name}|${injection}`) % codes.length]! : null;
      slots[slot] = code;
    }
    return code ?? undefined;
  };

  const policies = demoPolicies().map((p): Policy => ({ ...p, policy_id: policyId(p), enddate: p.enddate ?? null }));
  const policyCache = new Map<string, Policy[]>();
  const products = traceProducts(region.catalogue.filter((c) => DRUG_TYPES.has(c.list_type)).map((c) => c.hilist_code));

  return {
    institutions: insts,
    byPoolLv,
    suspensions: new Map(region.suspensions.map((s) => [s.prac_code, { begndate: s.begndate, enddate: s.enddate }])),
    itemCode,
    item,
    price,
    traceProduct(code) {
      const product = products.get(code);
      if (!product) throw new Error(`生成器为目录中没有的药品 ${code} 生成追溯码`);
      return product;
    },
    policy(q) {
      const fam = requireMedTypeFamily(q.med_type);
      const grp = psnTypeGroup(q.psn_type);
      const key = `${q.insu_admdvs}|${q.insutype}|${fam}|${q.hosp_lv}|${grp}`;
      let list = policyCache.get(key);
      if (!list) {
        list = policies.filter(
          (p) => p.insu_admdvs === q.insu_admdvs && p.insutype === q.insutype && p.med_type_fam === fam && (p.hosp_lv === q.hosp_lv || p.hosp_lv === '*') && (p.psn_type_grp === '*' || p.psn_type_grp === grp),
        );
        policyCache.set(key, list);
      }
      const found = pickMostSpecific(list.filter((p) => validOnDate(p, q.on)));
      if (!found) throw new Error(`演示待遇政策中没有适用于 ${key}（${q.on}）的政策`);
      return found;
    },
  };
}
