/**
 * Generated grouping cases drawn from a version's real code lists, in a plausible mix: mostly one organ-system
 * ADRG per case (its principal-diagnosis list, its procedure lists for surgical ADRGs), 0–8 secondary
 * diagnoses of which a good share are CC/MCC, some pre-MDC cases (transplants/ventilation, newborns with birth
 * weights, HIV, multiple trauma), and a little noise (any dictionary code as principal, codes that need
 * mapping, empty sex). One case in five is in the settlement-list (4101) shape.
 *
 * Used by the throughput benchmark (bench/drg.ts) and by property tests. Deterministic for a given `rand`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Rand = () => number;

interface RawAdrg {
  code: string;
  mdc: string;
  condition: unknown;
  lists: Record<string, string[] | Record<string, string>>;
}

interface RawMdc {
  code: string;
  preMdc?: boolean;
  lists: Record<string, string[]>;
  traumaRegionMap?: Record<string, string>;
}

export interface CaseSource {
  adrgs: RawAdrg[];
  mdcs: Map<string, RawMdc>;
  cc: string[];
  mcc: string[];
  dx: string[];
  validOr: string[];
  nonOr: string[];
  /** Diagnosis codes the version does not know but its diagnosis-map translates. */
  oldDx: string[];
}

const readJson = (dir: string, file: string): unknown => JSON.parse(readFileSync(join(dir, file), 'utf8'));

/** Reads the lists the generator draws from (a version folder in the chs-drg-1.1 layout). */
export function readCaseSource(dir: string): CaseSource {
  const adrgs = (readJson(dir, 'adrgs.json') as { adrgs: RawAdrg[] }).adrgs;
  const mdcs = new Map((readJson(dir, 'mdcs.json') as { mdcs: RawMdc[] }).mdcs.map((m) => [m.code, m]));
  const diagnoses = readJson(dir, 'diagnoses.json') as Record<string, string>;
  const procedures = readJson(dir, 'procedures.json') as Record<string, string>;
  const validOr = readJson(dir, 'valid-or-procedures.json') as string[];
  const valid = new Set(validOr);
  const map = readJson(dir, 'diagnosis-map.json') as Record<string, string>;
  const inLists = new Set<string>();
  for (const a of adrgs) for (const [k, v] of Object.entries(a.lists)) if (Array.isArray(v) && !k.startsWith('proc')) v.forEach((c) => inLists.add(c));
  for (const m of mdcs.values()) for (const v of Object.values(m.lists)) v.forEach((c) => inLists.add(c));
  return {
    adrgs,
    mdcs,
    cc: Object.keys(readJson(dir, 'cc.json') as object),
    mcc: Object.keys(readJson(dir, 'mcc.json') as object),
    dx: Object.keys(diagnoses),
    validOr,
    nonOr: Object.keys(procedures).filter((p) => !valid.has(p)),
    oldDx: Object.entries(map)
      .filter(([k, v]) => k !== v && !(k in diagnoses) && !inLists.has(k))
      .map(([k]) => k),
  };
}

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const isCode = (c: string): boolean => c.includes('.');

const codeLists = new WeakMap<RawMdc, string[]>();
/** The MDC's principal-diagnosis list without MDCZ's region labels. */
function codesOnly(mdc: RawMdc): string[] {
  let l = codeLists.get(mdc);
  if (!l) codeLists.set(mdc, (l = mdc.lists.principalDiagnoses!.filter(isCode)));
  return l;
}

interface Draft {
  sex: string;
  age: number | null;
  ageDays: number | null;
  weight: number | null;
  dx: string[];
  proc: string[];
}

function listOf(a: RawAdrg, name: string): string[] | null {
  const l = a.lists[name];
  return Array.isArray(l) && l.length ? l : null;
}

/** Procedures that satisfy an ADRG's procedure part (main procedure, both lists, or procedure groups). */
function proceduresFor(r: Rand, a: RawAdrg, src: CaseSource): string[] {
  const groups = a.lists.procGroups;
  if (groups && !Array.isArray(groups)) {
    const byLabel = new Map<string, string[]>();
    for (const [code, label] of Object.entries(groups)) byLabel.set(label, [...(byLabel.get(label) ?? []), code]);
    return [...byLabel.values()].map((codes) => pick(r, codes));
  }
  const proc = listOf(a, 'proc');
  const proc2 = listOf(a, 'proc2');
  const out: string[] = [];
  if (proc) out.push(pick(r, proc));
  if (proc2) out.push(pick(r, proc2));
  if (!proc && needsValidOr(a)) out.push(pick(r, src.validOr));
  return out;
}

const validOrNeed = new WeakMap<RawAdrg, boolean>();
function needsValidOr(a: RawAdrg): boolean {
  let v = validOrNeed.get(a);
  if (v === undefined) validOrNeed.set(a, (v = JSON.stringify(a.condition).includes('mainProcValidOr')));
  return v;
}

function secondaries(r: Rand, src: CaseSource): string[] {
  const x = r();
  const n = x < 0.25 ? 0 : x < 0.45 ? 1 : x < 0.6 ? 2 : x < 0.72 ? 3 : int(r, 4, 8);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const y = r();
    out.push(y < 0.35 ? pick(r, src.cc) : y < 0.45 ? pick(r, src.mcc) : pick(r, src.dx));
  }
  return out;
}

function adult(r: Rand): Pick<Draft, 'age' | 'ageDays' | 'weight'> {
  const age = r() < 0.85 ? int(r, 18, 95) : int(r, 1, 17);
  return { age, ageDays: r() < 0.5 ? null : age * 365 + int(r, 0, 364), weight: null };
}

function draft(r: Rand, src: CaseSource, preAdrgs: Map<string, RawAdrg[]>, organAdrgs: RawAdrg[]): Draft {
  const x = r();
  const sex = r() < 0.5 ? '1' : '2';
  if (x < 0.01) {
    // MDCA: transplant / ventilation / ECMO as main procedure.
    const a = pick(r, preAdrgs.get('MDCA')!);
    return { sex, ...adult(r), dx: [pick(r, src.dx), ...secondaries(r, src)], proc: proceduresFor(r, a, src) };
  }
  if (x < 0.03) {
    // MDCP: infants, mostly newborns with a birth weight.
    const mdc = src.mdcs.get('MDCP')!;
    const newborn = r() < 0.75;
    const ageDays = newborn ? int(r, 0, 28) : int(r, 29, 364);
    const a = pick(r, preAdrgs.get('MDCP')!);
    const dx = [pick(r, mdc.lists.principalDiagnoses!)];
    const special = listOf(a, 'dx');
    if (special) dx.push(pick(r, special));
    dx.push(...secondaries(r, src).slice(0, 3));
    const proc = r() < 0.2 ? proceduresFor(r, a, src) : [];
    return { sex, age: 0, ageDays, weight: newborn ? int(r, 700, 4500) : r() < 0.5 ? null : int(r, 1000, 4500), dx, proc };
  }
  if (x < 0.033) {
    const mdc = src.mdcs.get('MDCY')!;
    return { sex, ...adult(r), dx: [pick(r, mdc.lists.principalDiagnoses!), ...secondaries(r, src)], proc: r() < 0.3 ? [pick(r, src.validOr)] : [] };
  }
  if (x < 0.038) {
    // MDCZ: injuries in two or more body regions.
    const map = src.mdcs.get('MDCZ')!.traumaRegionMap!;
    const codes = Object.keys(map);
    const dx = [pick(r, codes), pick(r, codes), ...(r() < 0.5 ? [pick(r, codes)] : []), ...secondaries(r, src).slice(0, 2)];
    return { sex, ...adult(r), dx, proc: r() < 0.5 ? [pick(r, src.validOr)] : [] };
  }
  if (x < 0.058) {
    // Any dictionary code as principal diagnosis, any procedure mix.
    return { sex, ...adult(r), dx: [pick(r, src.dx), ...secondaries(r, src)], proc: r() < 0.4 ? [pick(r, r() < 0.5 ? src.validOr : src.nonOr)] : [] };
  }
  if (x < 0.063) {
    // Invalid: empty sex.
    return { sex: '', ...adult(r), dx: [pick(r, src.dx)], proc: [] };
  }
  // One organ-system ADRG.
  const a = pick(r, organAdrgs);
  const mdc = src.mdcs.get(a.mdc)!;
  const pdxList = listOf(a, 'dx') ?? codesOnly(mdc);
  const caseSex = a.mdc === 'MDCM' ? '1' : a.mdc === 'MDCN' || a.mdc === 'MDCO' ? '2' : sex;
  const dx = [pick(r, pdxList), ...secondaries(r, src)];
  let proc = proceduresFor(r, a, src);
  if (!proc.length && r() < 0.3) proc = [pick(r, src.nonOr)];
  if (r() < 0.25) proc.push(pick(r, src.nonOr));
  if (r() < 0.01 && src.oldDx.length) dx.push(pick(r, src.oldDx));
  return { sex: r() < 0.003 ? (caseSex === '1' ? '2' : '1') : caseSex, ...adult(r), dx, proc };
}

const DSCG = ['1', '1', '1', '1', '1', '1', '1', '1', '2', '4', '5', '9'];

function shape(r: Rand, d: Draft, n: number): unknown {
  const los = int(r, 1, 30);
  const dscg = pick(r, DSCG);
  if (r() >= 0.2) {
    return { id: `C${n}`, gend: d.sex, age: d.age, age_days: d.ageDays, nwb_bir_wt: d.weight, ipt_days: los, dscg_way: dscg, diagnoses: d.dx, procedures: d.proc };
  }
  // 4101: the main rows flagged, not necessarily first.
  const diseinfo = d.dx.map((c, i) => ({ diag_type: '1', diag_code: c, maindiag_flag: i === 0 ? '1' : '0', adm_cond_type: '1' }));
  const oprninfo = d.proc.map((c, i) => ({ oprn_oprt_type: i === 0 ? '1' : '2', oprn_oprt_code: c, oprn_oprt_date: '2024-03-02' }));
  if (diseinfo.length > 1 && r() < 0.5) diseinfo.push(diseinfo.shift()!);
  if (oprninfo.length > 1 && r() < 0.5) oprninfo.push(oprninfo.shift()!);
  const setlinfo: Record<string, unknown> = { setl_id: `S${n}`, gend: d.sex, act_ipt_days: los, dscg_way: dscg, nwb_bir_wt: d.weight };
  if (d.age === 0) setlinfo.nwb_age = d.ageDays;
  else setlinfo.age = d.age;
  return { setlinfo, diseinfo, oprninfo };
}

/** `count` cases (simple and 4101 shapes), deterministic for the given random source. */
export function generateCases(src: CaseSource, count: number, rand: Rand): unknown[] {
  const preAdrgs = new Map<string, RawAdrg[]>();
  const organAdrgs: RawAdrg[] = [];
  for (const a of src.adrgs) {
    if (src.mdcs.get(a.mdc)?.preMdc) preAdrgs.set(a.mdc, [...(preAdrgs.get(a.mdc) ?? []), a]);
    else organAdrgs.push(a);
  }
  const out: unknown[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = shape(rand, draft(rand, src, preAdrgs, organAdrgs), i + 1);
  return out;
}

/** A small seeded generator (mulberry32) for tests that need reproducible draws without other modules. */
export function seededRandom(seed: number): Rand {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}
