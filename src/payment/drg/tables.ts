/**
 * Loads one DRG version — a folder holding the files of reference-data/chs-drg-1.1 (mdcs.json, adrgs.json,
 * drgs.json, cc.json, mcc.json, cc-exclusion.json, valid-or-procedures.json, diagnoses.json, procedures.json,
 * diagnosis-map.json, procedure-map.json) — as DATA: every file is validated, every entry condition and split
 * rule is compiled into closures, every code list becomes a Set and every code table a Map. Nothing about a
 * particular version is in code: CHS-DRG 2.0 or a regional variant in the same layout loads as it is.
 *
 * Any defect refuses the whole version with a DrgTableError that names each file, entry and JSON path.
 * Oddities that do not change grouping (e.g. a map value with surrounding spaces) are fixed and listed in
 * `warnings`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { YibaoError } from '../../platform/errors.js';
import { REFERENCE_DATA_DIR } from '../../standards/reference-data.js';
import { compileCondition, type CompileScope, type Cond, type Facts, type TableProblem } from './conditions.js';

export const DEFAULT_DRG_VERSION = 'chs-drg-1.1';

export const TABLE_FILES = [
  'mdcs.json',
  'adrgs.json',
  'drgs.json',
  'cc.json',
  'mcc.json',
  'cc-exclusion.json',
  'valid-or-procedures.json',
  'diagnoses.json',
  'procedures.json',
  'diagnosis-map.json',
  'procedure-map.json',
] as const;

/** How a DRG split rule is written in adrgs.json (`when`). */
export type SplitWhen = 'MCC' | 'CC_OR_MCC' | 'ELSE' | 'ALWAYS' | 'CONDITION';

export interface DrgRule {
  drg: string;
  name: string | null;
  when: SplitWhen;
  /** Chinese label of the rule for the trace. */
  label: string;
  test(f: Facts): boolean;
  /** Present for object-valued `when` (an extension): explains the decision. */
  cond: Cond | null;
}

export interface AdrgDef {
  code: string;
  mdc: string;
  name: string;
  kind: string | null;
  condition: Cond;
  rules: DrgRule[];
  noMatchResult: string | null;
}

export interface QyDef {
  drg: string;
  /** As the table says; a grouper may override it. */
  enabled: boolean;
  /** The check runs before adrgs[at]; at === adrgs.length means after the last ADRG. */
  at: number;
  position: string;
  condition: Cond;
}

export interface MdcDef {
  index: number;
  code: string;
  letter: string;
  name: string;
  preMdc: boolean;
  gate: Cond;
  adrgs: AdrgDef[];
  qy: QyDef | null;
}

export interface DrgTables {
  /** The version id (folder name) and the folder. */
  version: string;
  dir: string;
  scheme: string | null;
  source: string | null;
  /** MDCs in the order the grouper tries them (mdcs.json `order`). */
  mdcs: MdcDef[];
  adrgs: ReadonlyMap<string, AdrgDef>;
  drgNames: ReadonlyMap<string, string>;
  cc: ReadonlyMap<string, string>;
  mcc: ReadonlyMap<string, string>;
  ccExclusion: ReadonlyMap<string, string>;
  validOr: ReadonlySet<string>;
  diagnoses: ReadonlyMap<string, string>;
  procedures: ReadonlyMap<string, string>;
  diagnosisMap: ReadonlyMap<string, string>;
  procedureMap: ReadonlyMap<string, string>;
  /** Codes the version knows: its dictionary plus every code its grouping tables use. */
  knownDiagnoses: ReadonlySet<string>;
  knownProcedures: ReadonlySet<string>;
  warnings: string[];
  loadMs: number;
}

/** A version's tables were refused: `problems` names every defect (file, entry, path). */
export class DrgTableError extends YibaoError {
  readonly tableProblems: TableProblem[];
  constructor(version: string, problems: TableProblem[]) {
    const first = problems[0];
    super(
      'CONFIG',
      `DRG 分组表 ${version} 校验不通过，共 ${problems.length} 处错误${first ? `；第一处：${describeTableProblem(first)}` : ''}`,
      problems.map((p) => ({ field: `${p.file} 条目 ${p.entry}${p.path ? ` ${p.path}` : ''}`, message: p.message })),
    );
    this.name = 'DrgTableError';
    this.tableProblems = problems;
  }
}

export function describeTableProblem(p: TableProblem): string {
  return `${p.file} 条目 ${p.entry}${p.path ? `（${p.path}）` : ''}：${p.message}`;
}

/**
 * The project's reference-data directory. REFERENCE_DATA_DIR names the bundled 1.1 folder itself today; if it
 * is ever changed to name the root, this still finds the root.
 */
function referenceRoot(): string {
  return existsSync(join(REFERENCE_DATA_DIR, 'mdcs.json')) ? dirname(REFERENCE_DATA_DIR) : REFERENCE_DATA_DIR;
}

/**
 * The folder of a version. A bare id ("chs-drg-1.1", "chs-drg-2.0", "suzhou-2023") is a folder of the
 * project's reference-data directory (next to the bundled 1.1 tables); a path (absolute, or containing a
 * slash) is used as it is.
 */
export function resolveVersionDir(version: string): string {
  if (isAbsolute(version) || version.includes('/') || version.includes('\\')) return resolve(version);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(version)) {
    throw new YibaoError('CONFIG', `DRG 版本名不合法：“${version}”（只允许字母、数字、点、下划线和连字符）`);
  }
  return join(referenceRoot(), version);
}

const cache = new Map<string, DrgTables>();

/** Loads (once per folder, then from memory) the tables of a version id or folder. */
export function loadDrgTables(version: string = DEFAULT_DRG_VERSION): DrgTables {
  const dir = resolveVersionDir(version);
  let t = cache.get(dir);
  if (!t) {
    t = readDrgTables(dir);
    cache.set(dir, t);
  }
  return t;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads, validates and compiles the tables in `dir`, without the cache. Throws DrgTableError. */
export function readDrgTables(dir: string, version: string = basename(dir)): DrgTables {
  const t0 = performance.now();
  const problems: TableProblem[] = [];
  const warnings: string[] = [];
  const raw: Partial<Record<(typeof TABLE_FILES)[number], unknown>> = {};
  for (const file of TABLE_FILES) {
    let text: string;
    try {
      text = readFileSync(join(dir, file), 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push({ file, entry: '（整个文件）', path: '', message: code === 'ENOENT' ? `文件不存在（${join(dir, file)}）` : `无法读取：${(e as Error).message}` });
      continue;
    }
    try {
      raw[file] = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (e) {
      problems.push({ file, entry: '（整个文件）', path: '', message: `不是有效的 JSON：${(e as Error).message}` });
    }
  }
  if (problems.length) throw new DrgTableError(version, problems);

  const drgNames = stringMap(raw['drgs.json'], 'drgs.json', problems, warnings);
  const cc = stringMap(raw['cc.json'], 'cc.json', problems, warnings);
  const mcc = stringMap(raw['mcc.json'], 'mcc.json', problems, warnings);
  const ccExclusion = stringMap(raw['cc-exclusion.json'], 'cc-exclusion.json', problems, warnings);
  const diagnoses = stringMap(raw['diagnoses.json'], 'diagnoses.json', problems, warnings);
  const procedures = stringMap(raw['procedures.json'], 'procedures.json', problems, warnings);
  const diagnosisMap = stringMap(raw['diagnosis-map.json'], 'diagnosis-map.json', problems, warnings, true);
  const procedureMap = stringMap(raw['procedure-map.json'], 'procedure-map.json', problems, warnings, true);
  const validOr = stringSet(raw['valid-or-procedures.json'], 'valid-or-procedures.json', problems);

  const knownDiagnoses = new Set<string>(diagnoses.keys());
  const knownProcedures = new Set<string>(procedures.keys());
  for (const m of [cc, mcc, ccExclusion]) for (const k of m.keys()) knownDiagnoses.add(k);
  for (const p of validOr) knownProcedures.add(p);

  // adrgs.json first (MDCs refer to ADRGs), compiled with the trauma map of their MDC, so read MDC maps first.
  const mdcFile = 'mdcs.json';
  const adrgFile = 'adrgs.json';
  const mdcDoc = raw[mdcFile];
  const adrgDoc = raw[adrgFile];
  const rawMdcs = isObject(mdcDoc) && Array.isArray(mdcDoc.mdcs) ? (mdcDoc.mdcs as unknown[]) : null;
  const rawAdrgs = isObject(adrgDoc) && Array.isArray(adrgDoc.adrgs) ? (adrgDoc.adrgs as unknown[]) : null;
  if (!rawMdcs) problems.push({ file: mdcFile, entry: '（整个文件）', path: 'mdcs', message: '必须是含 mdcs 数组的对象' });
  if (!rawAdrgs) problems.push({ file: adrgFile, entry: '（整个文件）', path: 'adrgs', message: '必须是含 adrgs 数组的对象' });
  if (!rawMdcs || !rawAdrgs) throw new DrgTableError(version, problems);

  // Trauma-region maps by MDC code (validated with the MDC below).
  const traumaMaps = new Map<string, Map<string, string>>();
  rawMdcs.forEach((m, i) => {
    if (!isObject(m) || typeof m.code !== 'string') return;
    if (m.traumaRegionMap === undefined) return;
    const entry = m.code;
    if (!isObject(m.traumaRegionMap)) {
      problems.push({ file: mdcFile, entry, path: 'traumaRegionMap', message: '必须是 诊断编码 → 部位 的对象' });
      return;
    }
    const regions = Array.isArray(m.traumaRegions) ? new Set(m.traumaRegions) : null;
    const map = new Map<string, string>();
    for (const [code, region] of Object.entries(m.traumaRegionMap)) {
      if (typeof region !== 'string' || region === '') {
        problems.push({ file: mdcFile, entry, path: `traumaRegionMap.${code}`, message: `部位必须是非空字符串，实际为 ${JSON.stringify(region)}` });
      } else if (regions && !regions.has(region)) {
        problems.push({ file: mdcFile, entry, path: `traumaRegionMap.${code}`, message: `部位“${region}”不在 traumaRegions 中` });
      } else map.set(code, region);
      knownDiagnoses.add(code);
    }
    traumaMaps.set(m.code, map);
    void i;
  });

  // ADRGs.
  const adrgs = new Map<string, AdrgDef>();
  rawAdrgs.forEach((a, i) => {
    const entry = isObject(a) && typeof a.code === 'string' && a.code ? a.code : `第 ${i + 1} 个`;
    const p = (path: string, message: string) => problems.push({ file: adrgFile, entry, path, message });
    if (!isObject(a)) return p('', '条目必须是对象');
    if (typeof a.code !== 'string' || !a.code) return p('code', 'code 必须是非空字符串');
    if (adrgs.has(a.code)) return p('code', `ADRG 编码 ${a.code} 重复`);
    if (typeof a.mdc !== 'string' || !a.mdc) return p('mdc', 'mdc 必须是非空字符串');
    if (typeof a.name !== 'string') p('name', 'name 必须是字符串');
    if (a.kind !== undefined && typeof a.kind !== 'string') p('kind', 'kind 必须是字符串');
    if (a.noMatchResult !== undefined && typeof a.noMatchResult !== 'string') p('noMatchResult', 'noMatchResult 必须是字符串');
    const lists = checkLists(a.lists, adrgFile, entry, problems, knownDiagnoses, knownProcedures);
    const scope: CompileScope = {
      file: adrgFile,
      entry,
      label: a.code,
      lists,
      listCache: new Map(),
      validOr,
      traumaRegionMap: traumaMaps.get(a.mdc) ?? null,
      severity: false,
    };
    const condition = compileCondition(a.condition, scope, 'condition', problems);
    const rules = compileRules(a.drgs, { ...scope, severity: true }, drgNames, problems);
    adrgs.set(a.code, {
      code: a.code,
      mdc: a.mdc,
      name: typeof a.name === 'string' ? a.name : a.code,
      kind: typeof a.kind === 'string' ? a.kind : null,
      condition,
      rules,
      noMatchResult: typeof a.noMatchResult === 'string' ? a.noMatchResult : null,
    });
  });

  // MDCs.
  const byCode = new Map<string, MdcDef>();
  const used = new Set<string>();
  rawMdcs.forEach((m, i) => {
    const entry = isObject(m) && typeof m.code === 'string' && m.code ? m.code : `第 ${i + 1} 个`;
    const p = (path: string, message: string) => problems.push({ file: mdcFile, entry, path, message });
    if (!isObject(m)) return p('', '条目必须是对象');
    if (typeof m.code !== 'string' || !m.code) return p('code', 'code 必须是非空字符串');
    if (byCode.has(m.code)) return p('code', `MDC 编码 ${m.code} 重复`);
    const letter = typeof m.letter === 'string' && m.letter ? m.letter : m.code.slice(-1);
    if (m.letter !== undefined && typeof m.letter !== 'string') p('letter', 'letter 必须是字符串');
    if (m.name !== undefined && typeof m.name !== 'string') p('name', 'name 必须是字符串');
    if (m.preMdc !== undefined && typeof m.preMdc !== 'boolean') p('preMdc', 'preMdc 必须是 true 或 false');
    const lists = checkLists(m.lists, mdcFile, entry, problems, knownDiagnoses, knownProcedures);
    const scope: CompileScope = {
      file: mdcFile,
      entry,
      label: m.code,
      lists,
      listCache: new Map(),
      validOr,
      traumaRegionMap: traumaMaps.get(m.code) ?? null,
      severity: false,
    };
    const gate = compileCondition(m.gate, scope, 'gate', problems);
    const list: AdrgDef[] = [];
    if (!Array.isArray(m.adrgs)) p('adrgs', 'adrgs 必须是 ADRG 编码数组');
    else {
      m.adrgs.forEach((code, j) => {
        const a = typeof code === 'string' ? adrgs.get(code) : undefined;
        if (typeof code !== 'string') p(`adrgs[${j}]`, `ADRG 编码必须是字符串，实际为 ${JSON.stringify(code)}`);
        else if (!a) p(`adrgs[${j}]`, `ADRG ${code} 在 adrgs.json 中不存在`);
        else if (a.mdc !== m.code) p(`adrgs[${j}]`, `ADRG ${code} 在 adrgs.json 中属于 ${a.mdc}，不属于 ${m.code}`);
        else if (used.has(code)) p(`adrgs[${j}]`, `ADRG ${code} 被重复列出`);
        else {
          used.add(code);
          list.push(a);
        }
      });
    }
    let qy: QyDef | null = null;
    if (m.qy !== undefined && m.qy !== null) {
      qy = compileQy(m.qy, list, scope, problems);
    }
    byCode.set(m.code, {
      index: -1,
      code: m.code,
      letter,
      name: typeof m.name === 'string' ? m.name : m.code,
      preMdc: m.preMdc === true,
      gate,
      adrgs: list,
      qy,
    });
  });
  for (const a of adrgs.values()) {
    if (!byCode.has(a.mdc)) problems.push({ file: adrgFile, entry: a.code, path: 'mdc', message: `MDC ${a.mdc} 在 mdcs.json 中不存在` });
    else if (!used.has(a.code)) warnings.push(`adrgs.json 条目 ${a.code}：未被 ${a.mdc} 的 adrgs 列出，分组时不会用到`);
  }

  // Order: mdcs.json `order` (every MDC exactly once); without it, the array order.
  const mdcs: MdcDef[] = [];
  const order = (mdcDoc as Record<string, unknown>).order;
  if (order === undefined) mdcs.push(...byCode.values());
  else if (!Array.isArray(order)) problems.push({ file: mdcFile, entry: '（整个文件）', path: 'order', message: 'order 必须是 MDC 编码数组' });
  else {
    order.forEach((code, i) => {
      const m = typeof code === 'string' ? byCode.get(code) : undefined;
      if (!m) problems.push({ file: mdcFile, entry: '（整个文件）', path: `order[${i}]`, message: `MDC ${JSON.stringify(code)} 不在 mdcs 中` });
      else if (mdcs.includes(m)) problems.push({ file: mdcFile, entry: '（整个文件）', path: `order[${i}]`, message: `MDC ${code} 重复` });
      else mdcs.push(m);
    });
    for (const m of byCode.values()) {
      if (!mdcs.includes(m)) problems.push({ file: mdcFile, entry: m.code, path: 'order', message: `MDC ${m.code} 未出现在 order 中` });
    }
  }
  mdcs.forEach((m, i) => (m.index = i));

  if (problems.length) throw new DrgTableError(version, dedupe(problems));
  const doc = mdcDoc as Record<string, unknown>;
  return {
    version,
    dir,
    scheme: typeof doc.scheme === 'string' ? doc.scheme : null,
    source: typeof doc.source === 'string' ? doc.source : null,
    mdcs,
    adrgs,
    drgNames,
    cc,
    mcc,
    ccExclusion,
    validOr,
    diagnoses,
    procedures,
    diagnosisMap,
    procedureMap,
    knownDiagnoses,
    knownProcedures,
    warnings,
    loadMs: Math.round(performance.now() - t0),
  };
}

function dedupe(problems: TableProblem[]): TableProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.file}\u0000${p.entry}\u0000${p.path}\u0000${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A flat object code → string. Values are trimmed (with a warning) when `trimValues`; keys must be non-empty. */
function stringMap(doc: unknown, file: string, problems: TableProblem[], warnings: string[], trimValues = false): Map<string, string> {
  const map = new Map<string, string>();
  if (!isObject(doc)) {
    problems.push({ file, entry: '（整个文件）', path: '', message: '必须是 编码 → 字符串 的 JSON 对象' });
    return map;
  }
  for (const [k, v] of Object.entries(doc)) {
    if (k.trim() === '') {
      problems.push({ file, entry: JSON.stringify(k), path: '', message: '编码不能为空' });
      continue;
    }
    if (typeof v !== 'string' || v.trim() === '') {
      problems.push({ file, entry: k, path: '', message: `值必须是非空字符串，实际为 ${JSON.stringify(v)}` });
      continue;
    }
    if (trimValues && v !== v.trim()) {
      warnings.push(`${file} 条目 ${k}：值 ${JSON.stringify(v)} 含首尾空白，已去除`);
      map.set(k, v.trim());
    } else map.set(k, v);
  }
  return map;
}

function stringSet(doc: unknown, file: string, problems: TableProblem[]): Set<string> {
  const set = new Set<string>();
  if (!Array.isArray(doc)) {
    problems.push({ file, entry: '（整个文件）', path: '', message: '必须是编码数组' });
    return set;
  }
  doc.forEach((c, i) => {
    if (typeof c !== 'string' || c.trim() === '') problems.push({ file, entry: `第 ${i + 1} 个`, path: `[${i}]`, message: `必须是非空字符串，实际为 ${JSON.stringify(c)}` });
    else set.add(c);
  });
  return set;
}

/** An entry's `lists`: each an array of codes, or (procGroups and the like) an object code → label. */
function checkLists(
  raw: unknown,
  file: string,
  entry: string,
  problems: TableProblem[],
  knownDx: Set<string>,
  knownProc: Set<string>,
): Record<string, unknown> {
  if (raw === undefined) return {};
  if (!isObject(raw)) {
    problems.push({ file, entry, path: 'lists', message: 'lists 必须是对象' });
    return {};
  }
  for (const [name, list] of Object.entries(raw)) {
    const known = /proc/i.test(name) ? knownProc : knownDx;
    if (Array.isArray(list)) {
      list.forEach((c, i) => {
        if (typeof c !== 'string' || c.trim() === '') problems.push({ file, entry, path: `lists.${name}[${i}]`, message: `列表元素必须是非空字符串，实际为 ${JSON.stringify(c)}` });
        else known.add(c);
      });
    } else if (isObject(list)) {
      for (const [code, label] of Object.entries(list)) {
        if (typeof label !== 'string' || label === '') problems.push({ file, entry, path: `lists.${name}.${code}`, message: `组号必须是非空字符串，实际为 ${JSON.stringify(label)}` });
        known.add(code);
      }
    } else problems.push({ file, entry, path: `lists.${name}`, message: '列表必须是编码数组或 编码 → 组号 的对象' });
  }
  return raw;
}

const WHEN_LABEL: Record<Exclude<SplitWhen, 'CONDITION'>, string> = {
  MCC: '伴 MCC',
  CC_OR_MCC: '伴 CC 或 MCC',
  ELSE: '其他情况',
  ALWAYS: '不细分',
};

function compileRules(raw: unknown, scope: CompileScope, drgNames: Map<string, string>, problems: TableProblem[]): DrgRule[] {
  const p = (path: string, message: string) => problems.push({ file: scope.file, entry: scope.entry, path, message });
  if (!Array.isArray(raw) || raw.length === 0) {
    p('drgs', 'drgs 必须是非空的细分规则数组');
    return [];
  }
  const rules: DrgRule[] = [];
  let unconditional = -1;
  raw.forEach((r, i) => {
    const at = `drgs[${i}]`;
    if (!isObject(r)) return p(at, '细分规则必须是 { drg, when } 对象');
    if (typeof r.drg !== 'string' || !r.drg) return p(`${at}.drg`, 'drg 必须是非空字符串');
    if (!drgNames.has(r.drg)) p(`${at}.drg`, `DRG ${r.drg} 在 drgs.json 中不存在`);
    if (unconditional >= 0) p(at, `规则不可达：前面的第 ${unconditional + 1} 条规则无条件成立`);
    const name = drgNames.get(r.drg) ?? null;
    const w = r.when;
    if (w === 'MCC') rules.push({ drg: r.drg, name, when: w, label: WHEN_LABEL[w], test: (f) => f.hasMCC, cond: null });
    else if (w === 'CC_OR_MCC') rules.push({ drg: r.drg, name, when: w, label: WHEN_LABEL[w], test: (f) => f.hasMCC || f.hasCC, cond: null });
    else if (w === 'ELSE' || w === 'ALWAYS') {
      if (w === 'ALWAYS' && raw.length !== 1) p(`${at}.when`, 'ALWAYS 只能用于唯一的一条规则（不细分的 ADRG）');
      unconditional = i;
      rules.push({ drg: r.drg, name, when: w, label: WHEN_LABEL[w], test: () => true, cond: null });
    } else if (isObject(w)) {
      const cond = compileCondition(w, scope, `${at}.when`, problems);
      rules.push({ drg: r.drg, name, when: 'CONDITION', label: '条件', test: cond.test, cond });
    } else p(`${at}.when`, `when 必须是 MCC、CC_OR_MCC、ELSE、ALWAYS 或条件对象，实际为 ${JSON.stringify(w)}`);
  });
  return rules;
}

function compileQy(raw: unknown, adrgs: AdrgDef[], scope: CompileScope, problems: TableProblem[]): QyDef | null {
  const p = (path: string, message: string) => {
    problems.push({ file: scope.file, entry: scope.entry, path, message });
    return null;
  };
  if (!isObject(raw)) return p('qy', 'qy 必须是对象');
  if (typeof raw.drg !== 'string' || !raw.drg) return p('qy.drg', 'qy.drg 必须是非空字符串');
  if (typeof raw.enabled !== 'boolean') return p('qy.enabled', 'qy.enabled 必须是 true 或 false');
  const position = raw.position;
  let at: number;
  if (position === 'after last ADRG') at = adrgs.length;
  else if (typeof position === 'string' && /^before \S+$/.test(position)) {
    const code = position.slice('before '.length);
    at = adrgs.findIndex((a) => a.code === code);
    if (at < 0) return p('qy.position', `qy.position 引用的 ADRG ${code} 不在本 MDC 的 adrgs 中`);
  } else return p('qy.position', `qy.position 必须是 "before <ADRG>" 或 "after last ADRG"，实际为 ${JSON.stringify(position)}`);
  const condition = compileCondition(raw.condition, scope, 'qy.condition', problems);
  return { drg: raw.drg, enabled: raw.enabled, at, position, condition };
}
