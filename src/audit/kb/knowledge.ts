/**
 * The knowledge base as the real-time engine uses it: one in-memory, indexed snapshot of everything a rule may ask
 * (the catalogue with its caps and restrictions, the audit knowledge tables, practitioners' payment qualification,
 * the death registry, institutions' levels), every version kept so that the row valid on the service date
 * applies. Built from plain rows (`buildKnowledge`, used by tests and the benchmark) or read from the database
 * (`loadKnowledge`). The engine never queries the database while it evaluates.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { validOnDate, type Period } from '../../platform/effective.js';
import { yuanToFen, type Fen } from '../../platform/money.js';
import { diagMatches, restrictionFromRow, splitList } from '../../standards/catalogue/restrictions.js';
import type { Restriction } from '../../standards/catalogue/types.js';
import { toQ4 } from '../num.js';
import type { AuditKbCycleTable, AuditKbDrugTable, AuditKbFreqTable, AuditKbHerbTable, AuditKbItemTable, AuditKbPairTable } from '../types.js';
import { CodeIndex } from './code-index.js';

// ---------- knowledge inputs (import rows; also what buildKnowledge takes) ----------

interface Dated {
  /** Row number in the source (1-based, header = row 1 for files), for reports. */
  row?: number;
  begndate: string;
  enddate?: string | null;
}

/** 项目知识: what audit knows about an item beyond the catalogue's restriction. */
export interface KbItemInput extends Dated {
  hilist_code: string;
  /** 儿童专用: highest age allowed, in years (Y) or days (D). */
  child_age_max?: number | null;
  child_age_unit?: 'Y' | 'D' | null;
  /** Diagnoses that exempt a patient from the catalogue's age band. */
  age_exempt_diag?: string[];
  /** 限开单科室: department code prefixes. */
  dept_codes?: string[];
  /** Clinical indications (wider than the payment scope). */
  indication_diag?: string[];
  /** Per-day charge group: 1 床位费 2 护理费 3 诊查费. */
  daily_grp?: '1' | '2' | '3' | null;
  /** 不予支付 (beyond 丙类). */
  not_paid?: boolean;
  memo?: string | null;
}

/** 项目对: 1 包含 2 互斥 3 配伍禁忌 4 依存. */
export interface KbPairInput extends Dated {
  item_a: string;
  item_b: string;
  pair_type: '1' | '2' | '3' | '4';
  /** 1 同处方 2 同日 3 当次就诊. */
  scope: '1' | '2' | '3';
  /** B: B is the offending line (A participates); 2: both are. */
  hit_side?: 'B' | '2';
  /** 1: bypassed when a line carries an accepted modifier (mdfr_codg). */
  bypass_flag?: '0' | '1';
  memo?: string | null;
}

/** 频次/数量限制. */
export interface KbFreqInput extends Dated {
  hilist_code: string;
  /** D 每日 V 每次就诊 N 每N日 Y 每自然年. */
  period: 'D' | 'V' | 'N' | 'Y';
  period_days?: number | null;
  max_cnt: number | string;
  /** 1 per line, 2 per date of service (absolute), 3 per date of service, appealable. */
  mai?: '1' | '2' | '3';
  /** The per-visit limit is per inpatient day. */
  los_scale?: boolean;
  memo?: string | null;
}

/** 药品用量知识. */
export interface KbDrugInput extends Dated {
  hilist_code: string;
  ingr_code?: string | null;
  std_daily_qty?: number | string | null;
  max_daily_qty?: number | string | null;
  max_days?: number | null;
  memo?: string | null;
}

/** 单味不予支付的中药饮片. */
export interface KbHerbInput extends Dated {
  hilist_code: string;
  memo?: string | null;
}

/** 计划性周期治疗 (化疗/放疗/透析): codes that exempt a readmission from 分解住院. */
export interface KbCycleInput extends Dated {
  cycle_type: '1' | '2' | '3' | '9';
  /** 1 诊断 (prefix or range) 2 手术操作 (prefix) 3 收费项目 (code or prefix*). */
  code_type: '1' | '2' | '3';
  code: string;
  memo?: string | null;
}

export interface KnowledgeSet {
  item?: KbItemInput[];
  pair?: KbPairInput[];
  freq?: KbFreqInput[];
  drug?: KbDrugInput[];
  herb?: KbHerbInput[];
  cycle?: KbCycleInput[];
}

// ---------- snapshot shapes ----------

export interface CatRow extends Period {
  hilist_code: string;
  insu_admdvs: string;
  hilist_name: string;
  list_type: string;
  med_chrgitm_type: string;
  chrgitm_lv: string;
}
export interface CapRow extends Period {
  hilist_code: string;
  insu_admdvs: string;
  hosp_lv: string;
  fen: Fen;
}
export interface LmtRow extends Period {
  hilist_code: string;
  insu_admdvs: string;
  r: Restriction;
}

export interface KbItem extends Period {
  hilist_code: string;
  child_age_max: number | null;
  child_age_unit: 'Y' | 'D';
  age_exempt_diag: string[];
  dept_codes: string[];
  indication_diag: string[];
  daily_grp: '1' | '2' | '3' | null;
  not_paid: boolean;
}
export interface KbPair extends Period {
  item_a: string;
  item_b: string;
  pair_type: '1' | '2' | '3' | '4';
  scope: '1' | '2' | '3';
  hit_side: 'B' | '2';
  bypass: boolean;
  memo: string | null;
}
export interface KbFreq extends Period {
  hilist_code: string;
  period: 'D' | 'V' | 'N' | 'Y';
  period_days: number;
  max_q4: number;
  mai: '1' | '2' | '3';
  los_scale: boolean;
}
export interface KbDrug extends Period {
  hilist_code: string;
  ingr_code: string | null;
  std_q4: number | null;
  max_q4: number | null;
  max_days: number | null;
}
export interface KbCycle extends Period {
  cycle_type: string;
  code_type: '1' | '2' | '3';
  code: string;
}
export interface Qualification extends Period {
  qual_stas: string;
}
export interface PracInfo {
  prac_name: string;
  regs: Period[];
  quals: Qualification[];
}

export interface KnowledgeRows {
  hilist: CatRow[];
  caps: CapRow[];
  lmts: LmtRow[];
  kb: KnowledgeSet;
  practitioners?: { prac_code: string; prac_name: string; begndate: string; enddate: string | null }[];
  qualifications?: { prac_code: string; qual_stas: string; begndate: string; enddate: string | null }[];
  deaths?: { psn_no: string; death_date: string }[];
  institutions?: { fixmedins_code: string; hosp_lv: string; begndate: string; enddate: string | null }[];
  /** The latest knowledge load included (0 = none). */
  kbVer?: number;
}

const period = (r: { begndate: string; enddate?: string | null }): Period => ({ begndate: r.begndate, enddate: r.enddate ?? null });

function group<T, K>(rows: T[], key: (r: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/** The version valid on the date, preferring the pool area's own catalogue when several areas have one. */
function pick<T extends Period & { insu_admdvs: string }>(rows: T[] | undefined, on: string, area: string | undefined): T | undefined {
  if (!rows) return undefined;
  let first: T | undefined;
  for (const r of rows) {
    if (!validOnDate(r, on)) continue;
    if (!area || r.insu_admdvs === area) return r;
    first ??= r;
  }
  return first;
}

/** Everything the catalogue says about one code (all versions, areas and levels): one hash look-up per line. */
export interface CatEntry {
  versions: CatRow[];
  caps: CapRow[];
  lmts: LmtRow[];
}

/** What the knowledge base holds about one item code, on any date: looked up once per code, then memoised. */
export interface CodeFacts {
  entry: CatEntry | undefined;
  items: readonly KbItem[];
  /** Pairs whose A item covers the code. */
  pairs: readonly KbPair[];
  freqs: readonly KbFreq[];
  drugs: readonly KbDrug[];
  herbs: readonly (KbHerbInput & Period)[];
  cycles: readonly KbCycle[];
}

const FACTS_MAX = 200_000;

/** The first row valid on the date (rows are ordered most specific first). */
export function validFirst<T extends Period>(rows: readonly T[], on: string): T | undefined {
  for (const r of rows) if (r.begndate <= on && (r.enddate === null || r.enddate >= on)) return r;
  return undefined;
}

/** Whether a row is valid on the date. */
export function validOn(r: Period, on: string): boolean {
  return r.begndate <= on && (r.enddate === null || r.enddate >= on);
}

/**
 * Every row valid on the date. Usually all of them are (a knowledge base is mostly open-ended rows): then the list
 * itself is answered, without a copy — rules call this for every line and every pair of a claim.
 */
export function validAll<T extends Period>(rows: readonly T[], on: string): readonly T[] {
  let i = 0;
  while (i < rows.length && validOn(rows[i]!, on)) i++;
  if (i === rows.length) return rows;
  const out = rows.slice(0, i);
  for (i++; i < rows.length; i++) if (validOn(rows[i]!, on)) out.push(rows[i]!);
  return out;
}

const pairTypeMemo = new WeakMap<readonly KbPair[], ReadonlySet<string>>();

/**
 * The pair types among a code's pairs (memoised per list: facts lists are cached per code). With 100,000 pairs a
 * line has dozens of them, nearly all 互斥/包含; a rule after another type (配伍禁忌, 耗材须配套) skips the line at once.
 */
export function pairTypesOf(pairs: readonly KbPair[]): ReadonlySet<string> {
  let t = pairTypeMemo.get(pairs);
  if (!t) pairTypeMemo.set(pairs, (t = new Set(pairs.map((p) => p.pair_type))));
  return t;
}

export class Knowledge {
  readonly loadedAt = new Date();
  private facts = new Map<string, CodeFacts>();
  readonly kbVer: number;
  private readonly cat = new Map<string, CatEntry>();
  readonly items = new CodeIndex<KbItem>();
  /** Pairs indexed by their A item. */
  readonly pairs = new CodeIndex<KbPair>();
  readonly freqs = new CodeIndex<KbFreq>();
  readonly drugs = new CodeIndex<KbDrug>();
  readonly herbs = new CodeIndex<KbHerbInput & Period>();
  readonly cycleItems = new CodeIndex<KbCycle>();
  readonly cycleDiags: KbCycle[] = [];
  readonly cycleOprns: KbCycle[] = [];
  private readonly pracs = new Map<string, PracInfo>();
  private readonly deaths = new Map<string, string>();
  private readonly insts: Map<string, { hosp_lv: string; begndate: string; enddate: string | null }[]>;

  constructor(rows: KnowledgeRows) {
    this.kbVer = rows.kbVer ?? 0;
    const entry = (code: string): CatEntry => {
      let e = this.cat.get(code);
      if (!e) this.cat.set(code, (e = { versions: [], caps: [], lmts: [] }));
      return e;
    };
    for (const r of rows.hilist) entry(r.hilist_code).versions.push(r);
    for (const r of rows.caps) entry(r.hilist_code).caps.push(r);
    for (const r of rows.lmts) entry(r.hilist_code).lmts.push(r);
    const kb = rows.kb;
    for (const r of kb.item ?? []) {
      this.items.add(r.hilist_code, {
        ...period(r),
        hilist_code: r.hilist_code,
        child_age_max: r.child_age_max ?? null,
        child_age_unit: r.child_age_unit ?? 'Y',
        age_exempt_diag: r.age_exempt_diag ?? [],
        dept_codes: r.dept_codes ?? [],
        indication_diag: r.indication_diag ?? [],
        daily_grp: r.daily_grp ?? null,
        not_paid: r.not_paid ?? false,
      });
    }
    for (const r of kb.pair ?? []) {
      this.pairs.add(r.item_a, { ...period(r), item_a: r.item_a, item_b: r.item_b, pair_type: r.pair_type, scope: r.scope, hit_side: r.hit_side ?? 'B', bypass: r.bypass_flag === '1', memo: r.memo ?? null });
    }
    for (const r of kb.freq ?? []) {
      this.freqs.add(r.hilist_code, { ...period(r), hilist_code: r.hilist_code, period: r.period, period_days: r.period === 'N' ? (r.period_days ?? 1) : r.period === 'D' ? 1 : 0, max_q4: toQ4(r.max_cnt) ?? 0, mai: r.mai ?? '2', los_scale: r.los_scale ?? false });
    }
    for (const r of kb.drug ?? []) {
      this.drugs.add(r.hilist_code, { ...period(r), hilist_code: r.hilist_code, ingr_code: r.ingr_code ?? null, std_q4: toQ4(r.std_daily_qty ?? null), max_q4: toQ4(r.max_daily_qty ?? null), max_days: r.max_days ?? null });
    }
    for (const r of kb.herb ?? []) this.herbs.add(r.hilist_code, { ...r, ...period(r) });
    for (const r of kb.cycle ?? []) {
      const c: KbCycle = { ...period(r), cycle_type: r.cycle_type, code_type: r.code_type, code: r.code };
      if (r.code_type === '1') this.cycleDiags.push(c);
      else if (r.code_type === '2') this.cycleOprns.push(c);
      else this.cycleItems.add(r.code, c);
    }
    const quals = group(rows.qualifications ?? [], (q) => q.prac_code);
    for (const [code, regs] of group(rows.practitioners ?? [], (p) => p.prac_code)) {
      this.pracs.set(code, { prac_name: regs[0]!.prac_name, regs: regs.map(period), quals: (quals.get(code) ?? []).map((q) => ({ ...period(q), qual_stas: q.qual_stas })) });
    }
    for (const d of rows.deaths ?? []) this.deaths.set(d.psn_no, d.death_date);
    this.insts = group(rows.institutions ?? [], (i) => i.fixmedins_code);
  }

  /** Everything known about a code (catalogue and audit knowledge, every version): one memoised look-up per line. */
  factsOf(code: string): CodeFacts {
    let f = this.facts.get(code);
    if (f) return f;
    f = {
      entry: this.cat.get(code),
      items: this.items.candidates(code),
      pairs: this.pairs.candidates(code),
      freqs: this.freqs.candidates(code),
      drugs: this.drugs.candidates(code),
      herbs: this.herbs.candidates(code),
      cycles: this.cycleItems.candidates(code),
    };
    if (this.facts.size >= FACTS_MAX) this.facts.clear();
    this.facts.set(code, f);
    return f;
  }

  /** The catalogue's rows for a code (any date), or undefined when the code was never in the catalogue. */
  entry(code: string): CatEntry | undefined {
    return this.cat.get(code);
  }

  /** The catalogue version of an item on a date, or undefined when it is not in the catalogue then. */
  item(code: string, on: string, area?: string): CatRow | undefined {
    return pick(this.cat.get(code)?.versions, on, area);
  }

  /** The price cap (fen) for a hospital level on a date, or null. */
  cap(code: string, hosp_lv: string, on: string, area?: string): Fen | null {
    const rows = this.cat.get(code)?.caps;
    if (!rows) return null;
    let first: CapRow | undefined;
    for (const c of rows) {
      if (c.hosp_lv !== hosp_lv || !validOnDate(c, on)) continue;
      if (!area || c.insu_admdvs === area) return c.fen;
      first ??= c;
    }
    return first ? first.fen : null;
  }

  restriction(code: string, on: string, area?: string): Restriction | null {
    return pick(this.cat.get(code)?.lmts, on, area)?.r ?? null;
  }

  /** A practitioner on a date: registered? and the payment-qualification status then (1 正常 2 暂停 3 终止). */
  practitioner(prac_code: string, on: string): { registered: boolean; qual_stas: string | null; prac_name: string | null } {
    const p = this.pracs.get(prac_code);
    if (!p) return { registered: false, qual_stas: null, prac_name: null };
    return { registered: p.regs.some((r) => validOnDate(r, on)), qual_stas: p.quals.find((q) => validOnDate(q, on))?.qual_stas ?? null, prac_name: p.prac_name };
  }

  deathDate(psn_no: string): string | undefined {
    return this.deaths.get(psn_no);
  }

  /** The registered level (1/2/3/9) of an institution on a date. */
  hospLv(fixmedins_code: string, on: string): string | undefined {
    return this.insts.get(fixmedins_code)?.find((i) => validOnDate(i, on))?.hosp_lv;
  }

  /** True when a diagnosis, procedure or item marks a planned treatment cycle (化疗/放疗/透析). */
  isCycle(kind: '1' | '2' | '3', code: string, on: string): boolean {
    if (kind === '3') return this.cycleItems.find(code, on) !== undefined;
    const list = kind === '1' ? this.cycleDiags : this.cycleOprns;
    for (const c of list) if (validOnDate(c, on) && (kind === '1' ? diagMatches(c.code, code) : code.startsWith(c.code))) return true;
    return false;
  }
}

export function buildKnowledge(rows: KnowledgeRows): Knowledge {
  return new Knowledge(rows);
}

// ---------- from the database ----------

export function itemFromTable(r: AuditKbItemTable): KbItemInput {
  return {
    hilist_code: r.hilist_code,
    child_age_max: r.child_age_max,
    child_age_unit: r.child_age_unit,
    age_exempt_diag: splitList(r.age_exempt_diag),
    dept_codes: splitList(r.dept_codes),
    indication_diag: splitList(r.indication_diag),
    daily_grp: r.daily_grp,
    not_paid: r.not_paid === '1',
    memo: r.memo,
    begndate: r.begndate,
    enddate: r.enddate,
  };
}
export const pairFromTable = (r: AuditKbPairTable): KbPairInput => ({ item_a: r.item_a, item_b: r.item_b, pair_type: r.pair_type, scope: r.scope, hit_side: r.hit_side, bypass_flag: r.bypass_flag, memo: r.memo, begndate: r.begndate, enddate: r.enddate });
export const freqFromTable = (r: AuditKbFreqTable): KbFreqInput => ({ hilist_code: r.hilist_code, period: r.period, period_days: r.period_days, max_cnt: r.max_cnt, mai: r.mai, los_scale: r.los_scale === '1', memo: r.memo, begndate: r.begndate, enddate: r.enddate });
export const drugFromTable = (r: AuditKbDrugTable): KbDrugInput => ({ hilist_code: r.hilist_code, ingr_code: r.ingr_code, std_daily_qty: r.std_daily_qty, max_daily_qty: r.max_daily_qty, max_days: r.max_days, memo: r.memo, begndate: r.begndate, enddate: r.enddate });
export const herbFromTable = (r: AuditKbHerbTable): KbHerbInput => ({ hilist_code: r.hilist_code, memo: r.memo, begndate: r.begndate, enddate: r.enddate });
export const cycleFromTable = (r: AuditKbCycleTable): KbCycleInput => ({ cycle_type: r.cycle_type, code_type: r.code_type, code: r.code, memo: r.memo, begndate: r.begndate, enddate: r.enddate });

/** Reads the whole knowledge base into a snapshot (all versions). */
export async function loadKnowledge(db: Db): Promise<Knowledge> {
  const k = db.k;
  const [hilist, caps, lmts, item, pair, freq, drug, herb, cycle, practitioners, qualifications, deaths, institutions, ver] = await Promise.all([
    k.selectFrom('hilist').select(['hilist_code', 'insu_admdvs', 'hilist_name', 'list_type', 'med_chrgitm_type', 'chrgitm_lv', 'begndate', 'enddate']).execute(),
    k.selectFrom('hilist_pric_uplmt').selectAll().execute(),
    k.selectFrom('hilist_lmt').selectAll().execute(),
    k.selectFrom('audit_kb_item').selectAll().execute(),
    k.selectFrom('audit_kb_pair').selectAll().execute(),
    k.selectFrom('audit_kb_freq').selectAll().execute(),
    k.selectFrom('audit_kb_drug').selectAll().execute(),
    k.selectFrom('audit_kb_herb').selectAll().execute(),
    k.selectFrom('audit_kb_cycle').selectAll().execute(),
    k.selectFrom('practitioner').select(['prac_code', 'prac_name', 'begndate', 'enddate']).execute(),
    k.selectFrom('practitioner_qualification').select(['prac_code', 'qual_stas', 'begndate', 'enddate']).execute(),
    k.selectFrom('psn').select(['psn_no', 'death_date']).where('death_date', 'is not', null).execute(),
    k.selectFrom('fixmedins').select(['fixmedins_code', 'hosp_lv', 'begndate', 'enddate']).execute(),
    k.selectFrom('audit_kb_load').select(sql<number>`coalesce(max(kb_ver), 0)::int8`.as('v')).executeTakeFirst(),
  ]);
  return buildKnowledge({
    hilist: hilist.map((h) => ({ ...h, list_type: h.list_type.trim(), med_chrgitm_type: h.med_chrgitm_type.trim(), chrgitm_lv: h.chrgitm_lv.trim(), insu_admdvs: h.insu_admdvs.trim() })),
    caps: caps.map((c) => ({ hilist_code: c.hilist_code, insu_admdvs: c.insu_admdvs.trim(), hosp_lv: c.hosp_lv.trim(), fen: yuanToFen(c.pric_uplmt_amt), begndate: c.begndate, enddate: c.enddate })),
    lmts: lmts.map((l) => ({ hilist_code: l.hilist_code, insu_admdvs: l.insu_admdvs.trim(), r: restrictionFromRow({ ...l, lmt_gend: l.lmt_gend?.trim() ?? null, lmt_min_hosp_lv: l.lmt_min_hosp_lv?.trim() ?? null }), begndate: l.begndate, enddate: l.enddate })),
    kb: { item: item.map(itemFromTable), pair: pair.map(pairFromTable), freq: freq.map(freqFromTable), drug: drug.map(drugFromTable), herb: herb.map(herbFromTable), cycle: cycle.map(cycleFromTable) },
    practitioners,
    qualifications,
    deaths: deaths.map((d) => ({ psn_no: d.psn_no, death_date: d.death_date! })),
    institutions: institutions.map((i) => ({ ...i, hosp_lv: i.hosp_lv.trim() })),
    kbVer: ver?.v ?? 0,
  });
}
