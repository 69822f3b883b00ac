/**
 * Loading the demo region (演示统筹区) into an empty database, deterministically from a seed: the areas of
 * province 99, designated institutions with agreements, practitioners with qualification history, the
 * provincial catalogue, insured persons (cards, insurance relations, assistance identities, opening account
 * balances) and family mutual-aid links.
 *
 * Every part goes through the domain's own bulk loader, so the same validation as a file import runs, and
 * each part is all-or-nothing (one transaction). A part that has been loaded is recorded in `std_load`
 * (`demo-region/<part>`), the whole region as `demo-region`, each with a checksum of the load parameters:
 * a warm start finds `demo-region` and does nothing; a start after an interrupted load resumes at the first
 * part not yet recorded. Content does not depend on when it is loaded (fixed DEMO_AS_OF, not today).
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Db } from '../platform/db.js';
import { conflict, isYibaoError, validationError, YibaoError } from '../platform/errors.js';
import { formatPsnNo } from '../platform/ids.js';
import type { Logger } from '../platform/logging.js';
import { recordOperation, SYSTEM_ACTOR, type Actor } from '../platform/oplog.js';
import { importAreas, type AreaInput } from '../standards/admdvs-import.js';
import { bulkLoadCatalogue } from '../standards/catalogue/load.js';
import type { CatalogueItemInput, Restriction, Scene } from '../standards/catalogue/types.js';
import { bulkLoadInstitutions, type InstitutionInput } from '../standards/institutions/institutions.js';
import { usccCheckChar } from '../standards/institutions/uscc.js';
import { bulkLoadPractitioners, type PractitionerInput } from '../standards/practitioners/practitioners.js';
import { bulkEnroll, type EnrollInput } from '../enrollment/persons.js';
import type { PsnFamilyTable } from '../enrollment/types.js';
import { contentChecksum, type ChecksumTable } from './checksum.js';
import { generateCatalogue, type DemoCatalogueItem, type DemoRestriction } from './gen-catalogue.js';
import { generateInstitutions, generatePractitioners } from './gen-institutions.js';
import { generateFamilyLinks, generatePeople } from './gen-people.js';
import { Rng } from './prng.js';
import { DEMO_AREAS, DEMO_AS_OF, DEMO_BEGNDATE, DEMO_CATALOGUE_ADMDVS } from './region.js';
import { insertDemoPolicies } from '../settlement/policy/demo-policies.js';
import { installDefaultRules } from '../audit/rules/store.js';
import { seedDemoFundIncome } from './fund-income.js';
import { importKnowledge } from '../audit/kb/import.js';
import { demoKnowledgeSet } from '../audit/kb/demo.js';
import type { KnowledgeSet } from '../audit/kb/knowledge.js';

export interface DemoParams {
  seed: number;
  persons: number;
}

/** The `std_load` source of the whole region; parts are recorded as `demo-region/<part>`. */
export const DEMO_SOURCE = 'demo-region';
/** Bump when a generator changes what a seed produces, so a loaded region is known to be an older one. */
export const DEMO_GENERATOR_VERSION = 2;
/** Persons are numbered 1…N in their area; live enrollment draws from seq_psn, which starts at 1,000,000. */
export const DEMO_MAX_PERSONS = 900_000;

const ACTOR: Actor = { ...SYSTEM_ACTOR, name: '系统（演示数据）' };

export const DEMO_PARTS = ['areas', 'institutions', 'practitioners', 'catalogue', 'persons', 'family', 'policies', 'audit'] as const;
export type DemoPart = (typeof DEMO_PARTS)[number];

const PART_LABEL: Record<DemoPart, string> = {
  areas: '医保区划',
  institutions: '定点医药机构',
  practitioners: '医保医师',
  catalogue: '医保目录',
  persons: '参保人员',
  family: '家庭共济关系',
  policies: '待遇政策',
  audit: '智能审核规则库与知识库',
};

/** Every table the demo region writes, with what legitimately differs between two loads left out. */
export const DEMO_TABLES: readonly ChecksumTable[] = [
  { table: 'admdvs', exclude: [] },
  { table: 'fixmedins', exclude: [] },
  { table: 'fixmedins_agreement', exclude: [] },
  { table: 'practitioner', exclude: [] },
  { table: 'practitioner_qualification', exclude: [] },
  { table: 'hilist', exclude: [] },
  { table: 'hilist_pric_uplmt', exclude: [] },
  { table: 'hilist_selfpay', exclude: [] },
  { table: 'hilist_lmt', exclude: [] },
  { table: 'psn', exclude: ['crte_time', 'updt_time'] },
  { table: 'psn_card', exclude: [] },
  { table: 'psn_insu', exclude: ['psn_insu_rltsid'] },
  { table: 'psn_idet', exclude: [] },
  { table: 'psn_acct_ledger', exclude: ['acct_ledger_id', 'move_time'] },
  { table: 'psn_family', exclude: [] },
  { table: 'setl_policy', exclude: [] },
  { table: 'setl_policy_band', exclude: [] },
  { table: 'setl_policy_maf', exclude: [] },
];

export function checkDemoParams(p: DemoParams): void {
  const problems = [];
  if (!Number.isSafeInteger(p.seed) || p.seed < 0 || p.seed > 0xffff_ffff) problems.push({ field: 'demoSeed', message: '演示数据种子应为 0 到 4294967295 之间的整数' });
  if (!Number.isSafeInteger(p.persons) || p.persons < 0 || p.persons > DEMO_MAX_PERSONS) problems.push({ field: 'demoPersons', message: `演示参保人数应为 0 到 ${DEMO_MAX_PERSONS} 之间的整数` });
  if (problems.length) throw validationError(`演示统筹区参数无效：${problems.map((x) => x.message).join('；')}`, problems);
}

/** The checksum recorded in `std_load`: what was asked for (seed, size, generator version, as-of date). */
export function demoParamsChecksum(p: DemoParams): string {
  const canonical = JSON.stringify({ source: DEMO_SOURCE, version: DEMO_GENERATOR_VERSION, asOf: DEMO_AS_OF, seed: p.seed, persons: p.persons });
  return createHash('sha256').update(canonical).digest('hex');
}

// ---------- the region as loader inputs (pure, no database) ----------

export interface DemoFamilyRow extends PsnFamilyTable {
  rlts: '10' | '20' | '30';
}

export interface DemoRegionData {
  areas: AreaInput[];
  institutions: InstitutionInput[];
  practitioners: PractitionerInput[];
  suspensions: { prac_code: string; begndate: string; enddate: string; reason: string }[];
  catalogue: CatalogueItemInput[];
  persons: EnrollInput[];
  /** psn_no of each person, in the order of `persons`. */
  psnNos: string[];
  family: DemoFamilyRow[];
  /** The audit knowledge base built from the demo catalogue's codes (exclusive pairs, frequency limits, doses …). */
  knowledge: KnowledgeSet;
}

const SCENE: Record<NonNullable<DemoRestriction['lmt_scene']>, Scene[]> = { outpatient: ['1', '3'], inpatient: ['2'] };

function restrictionOf(r: DemoRestriction | undefined): Restriction | null {
  if (!r) return null;
  return {
    lmt_gend: r.lmt_gend ?? null,
    lmt_age_min: r.lmt_age_min ?? null,
    lmt_age_max: r.lmt_age_max ?? null,
    lmt_diag: r.lmt_diag ?? [],
    lmt_min_hosp_lv: r.lmt_min_hosp_lv ?? null,
    lmt_scene: r.lmt_scene ? SCENE[r.lmt_scene] : [],
    lmt_insutype: [],
    lmt_max_days: r.lmt_max_days ?? null,
    lmt_max_cnt: null,
    lmt_memo: r.lmt_memo,
  };
}

const DRUG_TYPES = new Set(['101', '102', '103']);

function catalogueInput(it: DemoCatalogueItem): CatalogueItemInput {
  return {
    hilist_code: it.hilist_code,
    insu_admdvs: DEMO_CATALOGUE_ADMDVS,
    hilist_name: it.hilist_name,
    list_type: it.list_type,
    med_chrgitm_type: it.med_chrgitm_type,
    chrgitm_lv: it.chrgitm_lv,
    selfpay_bp: it.selfpay_bp,
    // pharmacies (level 9) sell drugs under the primary-care cap
    pric_uplmt: DRUG_TYPES.has(it.list_type) ? { ...it.pric_uplmt, '9': it.pric_uplmt['1'] } : { ...it.pric_uplmt },
    dosform: it.dosform ?? null,
    spec: it.spec ?? null,
    pacunt: it.pacunt ?? null,
    prodentp_name: it.prodentp_name ?? null,
    prcunt: it.prcunt ?? null,
    restriction: restrictionOf(it.restriction),
    begndate: DEMO_BEGNDATE,
    enddate: null,
  };
}

const RLTS = { 配偶: '10', 子女: '20', 父母: '30' } as const;
const IDET = { 特困: '2201', 低保: '2202' } as const;

/** Generates the whole region as loader inputs. Same params → the same data, on any machine, on any day. */
export function generateDemoRegion(params: DemoParams): DemoRegionData {
  checkDemoParams(params);
  const root = new Rng(params.seed);
  const areas: AreaInput[] = DEMO_AREAS.map((a) => ({ ...a, begndate: DEMO_BEGNDATE, enddate: null }));

  const insts = generateInstitutions(root.fork('institutions'));
  const institutions: InstitutionInput[] = insts.map((i) => ({
    fixmedins_code: i.fixmedins_code,
    fixmedins_name: i.fixmedins_name,
    fixmedins_type: i.fixmedins_type,
    hosp_lv: i.hosp_lv,
    admdvs: i.admdvs,
    uscc: i.uscc_body + usccCheckChar(i.uscc_body),
    medins_natu: i.medins_natu,
    addr: i.addr,
    begndate: DEMO_BEGNDATE,
    enddate: null,
  }));

  const pracs = generatePractitioners(root.fork('practitioners'), insts);
  const practitioners: PractitionerInput[] = pracs.map((p) => ({
    prac_code: p.prac_code,
    prac_name: p.prac_name,
    prac_type: p.prac_type,
    certno: null,
    gend: p.gend,
    fixmedins_code: p.fixmedins_code,
    dept_name: p.dept,
    profttl: p.profttl,
    begndate: DEMO_BEGNDATE,
    enddate: null,
  }));
  const suspensions = pracs.filter((p) => p.suspension).map((p) => ({ prac_code: p.prac_code, ...p.suspension! }));

  const cat = generateCatalogue(params.seed);
  const catalogue = [...cat.drugs, ...cat.herbs, ...cat.services, ...cat.consumables].map(catalogueInput);

  const people = generatePeople(root.fork('people'), params.persons, DEMO_AS_OF);
  const persons: EnrollInput[] = people.map((p) => ({
    certno: p.certno,
    psn_name: p.psn_name,
    gend: p.gend,
    brdy: p.brdy,
    naty: p.naty,
    psn_type: p.psn_type,
    insutype: p.insutype,
    insuplc_admdvs: p.insuplc_admdvs,
    begndate: p.begndate,
    tel: p.tel,
    addr: p.addr,
    emp_name: p.emp_name,
    cvlserv_flag: p.cvlserv_flag,
    acct_balc: p.acct_balc,
    card_no: p.card_no,
    idet_type: p.idet ? IDET[p.idet] : null,
  }));
  const psnNos = persons.map((p, i) => formatPsnNo(p.insuplc_admdvs, i + 1));
  const family: DemoFamilyRow[] = generateFamilyLinks(root.fork('family'), people).map((l) => ({
    psn_no: psnNos[l.owner]!,
    mem_psn_no: psnNos[l.member]!,
    rlts: RLTS[l.rlts],
    begndate: l.begndate,
    enddate: null,
  }));

  return { areas, institutions, practitioners, suspensions, catalogue, persons, psnNos, family, knowledge: demoKnowledgeSet(cat) };
}

// ---------- loading ----------

export interface DemoPartResult {
  part: DemoPart;
  label: string;
  rows: number;
  ms: number;
  /** Already loaded by an earlier (interrupted) start. */
  skipped: boolean;
}

export interface DemoLoadResult {
  /** Nothing was written: the region was already there. */
  skipped: boolean;
  /** The region present was loaded with other parameters (kept as it is). */
  mismatch: boolean;
  checksum: string;
  parts: DemoPartResult[];
}

async function loadedChecksums(db: Db): Promise<Map<string, string>> {
  const rows = await db.k.selectFrom('std_load').select(['source', 'checksum']).where('source', 'like', `${DEMO_SOURCE}%`).execute();
  return new Map(rows.map((r) => [r.source, r.checksum.trim()]));
}

async function insertFamily(db: Db, rows: DemoFamilyRow[]): Promise<number> {
  await db.k.transaction().execute(async (trx) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const t = trx as unknown as Kysely<any>;
    for (let i = 0; i < rows.length; i += 2000) await t.insertInto('psn_family').values(rows.slice(i, i + 2000)).execute();
    await recordOperation(trx, ACTOR, { action: 'psn.family_bulk', target_type: 'psn_family', after: { file: DEMO_SOURCE, read: rows.length } });
  });
  return rows.length;
}

async function loadPart(db: Db, part: DemoPart, data: DemoRegionData): Promise<number> {
  switch (part) {
    case 'areas':
      return (await importAreas(db, data.areas, ACTOR, DEMO_SOURCE)).inserted;
    case 'institutions':
      return (await bulkLoadInstitutions(db, data.institutions, ACTOR, DEMO_SOURCE)).inserted;
    case 'practitioners':
      return (await bulkLoadPractitioners(db, data.practitioners, ACTOR, { file: DEMO_SOURCE, suspensions: data.suspensions })).inserted;
    case 'catalogue':
      return (await bulkLoadCatalogue(db, data.catalogue, ACTOR, { kind: 'demo', file: DEMO_SOURCE })).inserted;
    case 'persons': {
      if (!data.persons.length) return 0;
      return (await bulkEnroll(db, data.persons, ACTOR, { psnNoFor: (i) => data.psnNos[i]!, file: DEMO_SOURCE })).report.inserted;
    }
    case 'family':
      return insertFamily(db, data.family);
    case 'policies':
      // Settlement policies are configuration, not generated: the same rows for every seed.
      return (await insertDemoPolicies(db, ACTOR)).inserted;
    case 'audit': {
      const rules = await installDefaultRules(db, ACTOR);
      const kb = await importKnowledge(db, ACTOR, data.knowledge, { file: DEMO_SOURCE });
      return rules + kb.reduce((n, r) => n + r.inserted, 0);
    }
  }
}

/**
 * Loads the demo region, or does nothing when it is there already (one query). Needs the national code
 * tables loaded (enrollment validates against them). Throws a Chinese YibaoError naming the part that failed;
 * the parts loaded before it stay, and the next call resumes from the failed part.
 */
export async function loadDemoRegion(db: Db, params: DemoParams, log?: Logger): Promise<DemoLoadResult> {
  checkDemoParams(params);
  const checksum = demoParamsChecksum(params);
  const have = await loadedChecksums(db);
  const whole = have.get(DEMO_SOURCE);
  if (whole !== undefined) {
    const mismatch = whole !== checksum;
    if (mismatch) log?.warn({ source: DEMO_SOURCE, seed: params.seed, persons: params.persons }, '已加载的演示统筹区与本次参数（种子、人数）不同，保留已加载内容');
    return { skipped: true, mismatch, checksum, parts: [] };
  }
  for (const part of DEMO_PARTS) {
    const c = have.get(`${DEMO_SOURCE}/${part}`);
    if (c !== undefined && c !== checksum) {
      throw conflict(`演示统筹区已按其他参数加载了一部分（${PART_LABEL[part]}），不能按本次参数（种子 ${params.seed}、人数 ${params.persons}）继续加载。请改回原参数，或清空数据库后重新启动。`);
    }
  }

  const t0 = performance.now();
  const data = generateDemoRegion(params);
  log?.info({ ms: Math.round(performance.now() - t0) }, '演示统筹区数据已生成');
  const parts: DemoPartResult[] = [];
  for (const part of DEMO_PARTS) {
    const source = `${DEMO_SOURCE}/${part}`;
    if (have.has(source)) {
      parts.push({ part, label: PART_LABEL[part], rows: 0, ms: 0, skipped: true });
      continue;
    }
    const started = performance.now();
    let rows: number;
    try {
      rows = await loadPart(db, part, data);
    } catch (e) {
      if (isYibaoError(e)) throw new YibaoError(e.code, `加载演示统筹区（${PART_LABEL[part]}）失败：${e.message}`, e.problems, { cause: e });
      throw e;
    }
    await db.k.insertInto('std_load').values({ source, checksum, row_cnt: rows }).execute();
    const ms = Math.round(performance.now() - started);
    parts.push({ part, label: PART_LABEL[part], rows, ms, skipped: false });
    log?.info({ part, rows, ms }, `演示统筹区：已加载${PART_LABEL[part]} ${rows} 条`);
  }
  // fund income and opening balances, so that 运行监测 shows 基金收支 and 可支付月数 from the first start (estimated from
  // the enrolled persons while the ledger is empty; skipped when already seeded)
  const fund = await seedDemoFundIncome(db);
  log?.info({ entries: fund.entries, openings: fund.openings, source: fund.source }, '演示统筹区：已登记基金收入');
  const total = parts.reduce((s, p) => s + p.rows, 0);
  await db.k.transaction().execute(async (trx) => {
    await trx.insertInto('std_load').values({ source: DEMO_SOURCE, checksum, row_cnt: total }).execute();
    await recordOperation(trx, ACTOR, {
      action: 'demo.load',
      target_type: DEMO_SOURCE,
      after: { seed: params.seed, persons: params.persons, asOf: DEMO_AS_OF, version: DEMO_GENERATOR_VERSION, checksum, parts: Object.fromEntries(parts.map((p) => [p.part, p.rows])) },
    });
  });
  return { skipped: false, mismatch: false, checksum, parts };
}

/**
 * Content checksum of every demo table (SHA-256; creation instants and serial ids left out). The same seed
 * and size give the same checksum on PGlite and on PostgreSQL, whenever loaded.
 */
export async function demoChecksum(db: Db): Promise<{ checksum: string; rows: Record<string, number> }> {
  return contentChecksum(db, [...DEMO_TABLES]);
}

/** Whether the whole demo region is recorded as loaded, and with which parameter checksum. */
export async function demoLoadedChecksum(db: Db): Promise<string | undefined> {
  return (await loadedChecksums(db)).get(DEMO_SOURCE);
}
