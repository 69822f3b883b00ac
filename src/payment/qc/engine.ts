/**
 * The quality-control engine: runs the rule list (rules.ts) over one settlement list and reports every failure with
 * its rule id, code, level, node, row (1-based), field, value and a Chinese message. Pure and synchronous: whatever
 * needs the database (codes valid on the discharge date, the settlement behind setl_id) comes in the context, which
 * context.ts loads; a rule whose facts are missing from the context is skipped, not failed.
 */
import { DICT_TABLES } from '../../standards/dict-data.js';
import { ageOn, isIsoDate } from '../../platform/time.js';
import { fieldLabel, type ListRow, type RowNode, type SetlListInput } from '../setl-list/fields.js';
import { inRange, isAsteriskOnly, isMorphology, rangeMatcher } from './codes.js';
import { QC_RULES, type QcLevel, type QcRule } from './rules.js';

/** The settlement behind a list's setl_id, as the settlement module knows it. */
export interface SettlementRef {
  setl_id: string;
  mdtrt_id: string;
  psn_no: string;
  fixmedins_code: string;
  /** false when the settlement was reversed */
  valid: boolean;
}

export interface QcContext {
  /** The calling institution (the envelope's fixmedins_code). */
  caller?: string;
  /** The settlement behind setl_id: null = none; undefined = not checked (no settlement data available). */
  settlement?: SettlementRef | null;
  /** Diagnosis codes valid on the check date → 医保版 name (at least the codes of the list). */
  diagnoses?: ReadonlyMap<string, string>;
  procedures?: ReadonlyMap<string, string>;
  /** The date codes are checked on (the discharge date). */
  checkDate?: string;
}

export interface QcFinding {
  rule_id: string;
  code: string;
  level: QcLevel;
  node: string;
  /** 1-based row of a row node; null for setlinfo and node-level rules */
  row: number | null;
  field: string;
  value: string | null;
  message: string;
}

export interface QcReport {
  passed: boolean;
  errors: QcFinding[];
  warnings: QcFinding[];
  /** how many rules ran */
  rules: number;
}

// ---------- dates ----------

interface When {
  date: string;
  /** 'HH:mm:ss', or null for a date alone */
  time: string | null;
}

const DT_RE = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?)?$/;

/**
 * Whether a 'yyyy-MM-dd' is a real calendar date, remembered: the rules read the same few hundred dates over and over
 * (a year of admissions and discharges), and the check builds a Date. The memory is dropped when it grows large.
 */
const calendarDates = new Map<string, boolean>();
function isCalendarDate(date: string): boolean {
  let ok = calendarDates.get(date);
  if (ok === undefined) {
    if (calendarDates.size >= 50_000) calendarDates.clear();
    calendarDates.set(date, (ok = isIsoDate(date)));
  }
  return ok;
}

/** parseWhen's answers by text, for the same reason (a When is never changed by its readers). */
const whens = new Map<string, When | null>();

export function parseWhen(text: string | undefined): When | null {
  if (text === undefined) return null;
  let w = whens.get(text);
  if (w === undefined) {
    if (whens.size >= 100_000) whens.clear();
    whens.set(text, (w = parseWhenText(text)));
  }
  return w;
}

function parseWhenText(text: string): When | null {
  const m = DT_RE.exec(text.trim());
  if (!m || !isCalendarDate(m[1]!)) return null;
  if (m[2] === undefined) return { date: m[1]!, time: null };
  const [h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4] ?? '0')];
  if (h > 23 || mi > 59 || s > 59) return null;
  return { date: m[1]!, time: `${m[2]}:${m[3]}:${m[4] ?? '00'}` };
}

/** Compares two instants; with either a date alone, at date precision. */
function cmpWhen(a: When, b: When, dateOnly = false): number {
  if (dateOnly || a.time === null || b.time === null) return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
  const x = `${a.date} ${a.time}`;
  const y = `${b.date} ${b.time}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

const showWhen = (w: When) => (w.time ? `${w.date} ${w.time}` : w.date);

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

// ---------- numbers ----------

const NUM_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A plain unsigned decimal ("12", "12.50") needs no regex and no trim: the common case, checked by hand. */
function plainDecimal(v: string): boolean {
  const n = v.length;
  if (n === 0 || n > 15) return false;
  let dot = false;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c === 46) {
      if (dot || i === 0) return false;
      dot = true;
    } else if (c < 48 || c > 57) return false;
  }
  return true;
}

const num = (v: string | undefined): number | null => (v === undefined ? null : plainDecimal(v) ? Number(v) : NUM_RE.test(v.trim()) ? Number(v.trim()) : null);
const decimalsOf = (v: string): number => {
  const i = v.indexOf('.');
  return i < 0 ? 0 : v.length - i - 1;
};
const badNumber = (x: string, decimals: number | undefined): boolean => num(x) === null || (decimals !== undefined && decimalsOf(x.trim()) > decimals);

/** 天/小时/分钟 written "d/h/m" (a separator of '/', '天小时分钟' letters tolerated): days ≥ 0, hours 0–24, minutes 0–60. */
export function parseDuration(text: string): { d: number; h: number; m: number } | null {
  const t = text.trim();
  const m = /^(\d+)\s*(?:\/|天)\s*(\d+)\s*(?:\/|小时)\s*(\d+)\s*(?:分钟|分)?$/.exec(t);
  if (!m) return null;
  const [d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (h > 24 || mi > 60) return null;
  return { d, h, m: mi };
}

// ---------- the facts every rule may need, computed once ----------

interface Facts {
  adm: When | null;
  dscg: When | null;
  ageYears: number | null;
  ageDays: number | null;
  /** the computed age from brdy on the admission date */
  ageFromBrdy: number | null;
  sex: string | null;
  /** western diagnoses (diag_type 1 or absent) with their 0-based index in diseinfo */
  western: { row: ListRow; i: number }[];
  principal: { row: ListRow; i: number }[];
  checkDate: string | null;
}

const isWestern = (r: ListRow) => r.diag_type === undefined || r.diag_type === '1';
const flagged = (v: string | undefined) => v === '1';

function factsOf(list: SetlListInput, ctx: QcContext): Facts {
  const s = list.setlinfo;
  const adm = parseWhen(s.adm_time) ?? parseWhen(s.setl_begn_date);
  const dscg = parseWhen(s.dscg_time) ?? parseWhen(s.setl_end_date);
  const brdy = parseWhen(s.brdy);
  const ageFromBrdy = brdy && adm && brdy.date <= adm.date ? ageOn(brdy.date, adm.date) : null;
  let ageYears = num(s.age);
  if (ageYears === null) ageYears = ageFromBrdy;
  let ageDays = num(s.nwb_age);
  if (ageDays === null && brdy && adm && brdy.date <= adm.date) ageDays = daysBetween(brdy.date, adm.date);
  if (ageDays === null && ageYears !== null && ageYears >= 1) ageDays = Math.floor(ageYears * 365);
  const western = (list.diseinfo ?? []).map((row, i) => ({ row, i })).filter((x) => isWestern(x.row));
  return {
    adm,
    dscg,
    ageYears,
    ageDays,
    ageFromBrdy,
    sex: s.gend ?? null,
    western,
    principal: western.filter((x) => flagged(x.row.maindiag_flag)),
    checkDate: ctx.checkDate ?? dscg?.date ?? null,
  };
}

function holds(when: string | undefined, f: Facts, row: ListRow | null): boolean {
  switch (when) {
    case undefined:
      return true;
    case 'newborn':
      return f.ageDays !== null && f.ageDays <= 28 && (f.ageYears ?? 0) < 1;
    case 'infant':
      return f.ageYears !== null && f.ageYears < 1;
    case 'hasAnst':
      return row?.anst_way !== undefined;
    default:
      return true;
  }
}

// ---------- the engine ----------

function fill(template: string, vars: Record<string, string | number | null | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (all, k: string) => {
    const v = vars[k];
    return v === undefined || v === null ? all : String(v);
  });
}

function split(path: string): { node: string; field: string | null } {
  const i = path.indexOf('.');
  return i < 0 ? { node: path, field: null } : { node: path.slice(0, i), field: path.slice(i + 1) };
}

function valueAt(list: SetlListInput, path: string): string | undefined {
  const { node, field } = split(path);
  if (node !== 'setlinfo' || !field) return undefined;
  return list.setlinfo[field];
}

function rowsOf(list: SetlListInput, node: string): ListRow[] {
  if (node === 'setlinfo') return [list.setlinfo];
  return (list[node as RowNode] as ListRow[] | undefined) ?? [];
}

function dictSet(rule: QcRule): string[] {
  if (rule.params?.values) return [...rule.params.values];
  const t = rule.params?.dict ? DICT_TABLES[rule.params.dict] : undefined;
  return t ? t.items.map(([v]) => v) : [];
}

const mainFlag = (r: ListRow) => flagged(r.main_oprn_flag) || r.oprn_oprt_type === '1';

/**
 * A rule with what does not depend on the list worked out once (node and field, label, the dictionary as a set, the
 * pattern compiled): runQc runs every rule on every list — a million lists in the payment benchmark — so nothing is
 * rebuilt per list and no closure is created per rule.
 */
interface Compiled {
  rule: QcRule;
  node: string;
  field: string | null;
  isRowNode: boolean;
  label: string;
  p: NonNullable<QcRule['params']>;
  /** the dict rule's values */
  allowed: ReadonlySet<string> | null;
  /** the values as the message lists them */
  valuesText: string;
  re: RegExp | null;
  /** params.ranges as a matcher (code → the range it falls in, or null) */
  inRanges: ((code: string) => string | null) | null;
}

const compiledCache = new WeakMap<readonly QcRule[], Compiled[]>();

function compile(rules: readonly QcRule[]): Compiled[] {
  let out = compiledCache.get(rules);
  if (out) return out;
  out = rules.map((rule) => {
    const { node, field } = split(rule.field);
    const values = dictSet(rule);
    return {
      rule,
      node,
      field,
      isRowNode: node !== 'setlinfo',
      label: fieldLabel(rule.field),
      p: rule.params ?? {},
      allowed: rule.kind === 'dict' ? new Set(values) : null,
      valuesText: values.join('、'),
      re: rule.kind === 'pattern' ? new RegExp(rule.params?.re ?? '.*') : null,
      inRanges: rule.params?.ranges ? rangeMatcher(rule.params.ranges) : null,
    };
  });
  compiledCache.set(rules, out);
  return out;
}

/** Records a finding of rule `c` (row index 0-based, or null for setlinfo and node-level rules). */
function addFinding(findings: QcFinding[], c: Compiled, rowIdx: number | null, value: string | null | undefined, detail?: string | number | null, fieldPath = c.rule.field): void {
  const rule = c.rule;
  findings.push({
    rule_id: rule.rule_id,
    code: rule.code,
    level: rule.level,
    node: c.node,
    row: rowIdx === null ? null : rowIdx + 1,
    field: fieldPath,
    value: value ?? null,
    message: fill(rule.message, { label: c.label, value: value ?? '', values: c.valuesText, min: c.p.min, max: c.p.max, detail }),
  });
}

/** Runs the rules over one list. Never throws for bad content: everything is a finding. */
export function runQc(list: SetlListInput, ctx: QcContext = {}, rules: readonly QcRule[] = QC_RULES): QcReport {
  const f = factsOf(list, ctx);
  const findings: QcFinding[] = [];

  for (const c of compile(rules)) {
    const { rule, node, field, isRowNode, p } = c;
    const rows = rowsOf(list, node);

    switch (rule.kind) {
      case 'required':
        if (!field) break;
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i]!;
          if (holds(p.when, f, row) && (row[field] === undefined || row[field] === '')) addFinding(findings, c, isRowNode ? i : null, null);
        }
        break;
      case 'nonEmptyNode':
        if (!rows.length) addFinding(findings, c, null, null);
        break;
      case 'dict':
        if (!field) break;
        for (let i = 0; i < rows.length; i++) {
          const v = rows[i]![field];
          if (v !== undefined && !c.allowed!.has(v)) addFinding(findings, c, isRowNode ? i : null, v);
        }
        break;
      case 'pattern':
        if (!field) break;
        for (let i = 0; i < rows.length; i++) {
          const v = rows[i]![field];
          if (v !== undefined && !c.re!.test(v)) addFinding(findings, c, isRowNode ? i : null, v);
        }
        break;
      case 'numeric':
        if (!field) break;
        for (let i = 0; i < rows.length; i++) {
          const v = rows[i]![field];
          if (v === undefined) continue;
          if (p.multi ? v.split(',').some((x) => badNumber(x, p.decimals)) : badNumber(v, p.decimals)) addFinding(findings, c, isRowNode ? i : null, v);
        }
        break;
      case 'range':
        if (!field) break;
        for (let i = 0; i < rows.length; i++) {
          const v = rows[i]![field];
          if (v === undefined) continue;
          for (const x of p.multi ? v.split(',') : [v]) {
            const n = num(x);
            if (n === null) continue; // not a number: the numeric rule reports it
            if ((p.min !== undefined && n < p.min) || (p.max !== undefined && n > p.max)) {
              addFinding(findings, c, isRowNode ? i : null, x.trim());
              break;
            }
          }
        }
        break;
      case 'dateFormat':
        if (!field) break;
        for (let i = 0; i < rows.length; i++) {
          const v = rows[i]![field];
          // D fields tolerate a time part and DT fields a date alone (clients send both); the calendar must be real
          if (v !== undefined && !parseWhen(v)) addFinding(findings, c, isRowNode ? i : null, v);
        }
        break;
      case 'dateOrder': {
        const a = parseWhen(valueAt(list, p.before ?? ''));
        const b = parseWhen(valueAt(list, p.after ?? ''));
        if (a && b && cmpWhen(a, b) > 0) {
          const own = valueAt(list, rule.field) ?? null;
          const other = rule.field === p.before ? b : a;
          addFinding(findings, c, null, own, showWhen(other));
        }
        break;
      }
      case 'withinStay': {
        const [k1, k2] = p.pair ?? ['', ''];
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i]!;
          const a = parseWhen(row[k1]);
          const b = parseWhen(row[k2]);
          const problems: string[] = [];
          if (a && b && k1 !== k2 && cmpWhen(a, b) > 0) problems.push(`开始时间 ${showWhen(a)} 晚于结束时间 ${showWhen(b)}`);
          for (const w of [a, b]) {
            if (!w) continue;
            if (f.adm && cmpWhen(w, f.adm, p.dateOnly) < 0) problems.push(`时间 ${showWhen(w)} 早于入院时间 ${showWhen(f.adm)}`);
            else if (f.dscg && cmpWhen(w, f.dscg, p.dateOnly) > 0) problems.push(`时间 ${showWhen(w)} 晚于出院时间 ${showWhen(f.dscg)}`);
            if (k1 === k2) break;
          }
          if (problems.length) addFinding(findings, c, i, row[k1] ?? row[k2] ?? null, [...new Set(problems)].join('；'));
        }
        break;
      }
      case 'duration':
        if (!field) break;
        for (let i = 0; i < rows.length; i++) {
          const v = rows[i]![field];
          if (v !== undefined && !parseDuration(v)) addFinding(findings, c, isRowNode ? i : null, v);
        }
        break;
      case 'iptDays': {
        const v = list.setlinfo.act_ipt_days;
        const n = num(v);
        if (n === null || !f.adm || !f.dscg || f.adm.date > f.dscg.date) break;
        const expected = Math.max(1, daysBetween(f.adm.date, f.dscg.date));
        if (n !== expected) addFinding(findings, c, null, v, expected);
        break;
      }
      case 'ageConsistency': {
        const v = list.setlinfo.age;
        const n = num(v);
        if (n === null || f.ageFromBrdy === null) break;
        if (Math.abs(Math.floor(n) - f.ageFromBrdy) > 0) addFinding(findings, c, null, v, f.ageFromBrdy);
        break;
      }
      case 'newbornAge': {
        const v = list.setlinfo.nwb_age;
        if (v !== undefined && f.ageYears !== null && f.ageYears >= 1) addFinding(findings, c, null, v, `${f.ageYears} 岁`);
        break;
      }
      case 'countMatch': {
        const v = valueAt(list, p.count ?? '');
        const n = num(v);
        if (n !== null && n !== rows.length) addFinding(findings, c, null, v, rows.length, p.count);
        break;
      }
      case 'principalCount': {
        const n = f.principal.length;
        if (p.min !== undefined && n < p.min) addFinding(findings, c, null, null);
        if (p.max !== undefined && n > p.max) addFinding(findings, c, f.principal[1]!.i, f.principal[1]!.row.diag_code, `第 ${f.principal.map((x) => x.i + 1).join('、')} 行都标为主诊断`);
        break;
      }
      case 'codeValid': {
        const known = p.dictKind === 'procedure' ? ctx.procedures : ctx.diagnoses;
        if (!known || !field) break;
        const checked = node === 'diseinfo' ? f.western : rows.map((row, i) => ({ row, i }));
        for (const { row, i } of checked) {
          const v = row[field];
          if (v !== undefined && !known.has(v)) addFinding(findings, c, isRowNode ? i : null, v, f.checkDate ?? '');
        }
        break;
      }
      case 'codeName': {
        const known = p.dictKind === 'procedure' ? ctx.procedures : ctx.diagnoses;
        if (!known || !field) break;
        const codeField = p.dictKind === 'procedure' ? 'oprn_oprt_code' : 'diag_code';
        const checked = node === 'diseinfo' ? f.western : rows.map((row, i) => ({ row, i }));
        for (const { row, i } of checked) {
          const code = row[codeField];
          const name = row[field];
          const official = code === undefined ? undefined : known.get(code);
          if (name !== undefined && official !== undefined && name !== official) addFinding(findings, c, isRowNode ? i : null, name, official);
        }
        break;
      }
      case 'principalNotIn':
        for (const { row, i } of f.principal) {
          const code = row.diag_code;
          if (code === undefined) continue;
          const hit = c.inRanges ? c.inRanges(code) : null;
          if (hit) addFinding(findings, c, i, code, hit);
          else if (p.shape === 'asterisk' && isAsteriskOnly(code)) addFinding(findings, c, i, code);
          else if (p.shape === 'morphology' && isMorphology(code)) addFinding(findings, c, i, code);
        }
        break;
      case 'principalSymptom':
        for (const { row, i } of f.principal) {
          const code = row.diag_code;
          if (code === undefined || !inRange(code, 'R00-R99')) continue;
          const definite = f.western.find((x) => x.i !== i && x.row.diag_code !== undefined && !/^[RVWXYZ]/i.test(x.row.diag_code) && !isMorphology(x.row.diag_code));
          if (definite) addFinding(findings, c, i, code, definite.row.diag_code);
        }
        break;
      case 'principalAdmCond': {
        const allowed = p.values ?? [];
        for (const { row, i } of f.principal) {
          if (row.adm_cond_type !== undefined && !allowed.includes(row.adm_cond_type)) addFinding(findings, c, i, row.adm_cond_type, row.diag_code);
        }
        break;
      }
      case 'principalTherapy': {
        const therapy = (list.oprninfo ?? []).map((r) => r.oprn_oprt_code).find((x) => x !== undefined && (p.procPrefixes ?? []).some((pre) => x.startsWith(pre)));
        if (!therapy) break;
        for (const { row, i } of f.principal) {
          const code = row.diag_code;
          if (code !== undefined && c.inRanges?.(code) && !(p.expect && inRange(code, p.expect))) addFinding(findings, c, i, code, therapy);
        }
        break;
      }
      case 'sexCode':
        if (f.sex !== p.sex) break;
        for (const { row, i } of p.principalOnly ? f.principal : f.western) {
          const hit = row.diag_code === undefined || !c.inRanges ? null : c.inRanges(row.diag_code);
          if (hit) addFinding(findings, c, i, row.diag_code, hit);
        }
        break;
      case 'ageCode': {
        if (f.ageDays === null) break;
        const tooOld = p.maxAgeDays !== undefined && f.ageDays > p.maxAgeDays;
        const tooYoung = p.minAgeDays !== undefined && f.ageDays < p.minAgeDays;
        if (!tooOld && !tooYoung) break;
        const age = f.ageYears !== null && f.ageYears >= 1 ? `${f.ageYears} 岁` : `${f.ageDays} 天`;
        for (const { row, i } of p.principalOnly ? f.principal : f.western) {
          if (row.diag_code !== undefined && c.inRanges?.(row.diag_code)) addFinding(findings, c, i, row.diag_code, age);
        }
        break;
      }
      case 'duplicateCode': {
        const seen = new Set<string>();
        for (const { row, i } of f.western) {
          const code = row.diag_code;
          if (code === undefined) continue;
          if (seen.has(code)) addFinding(findings, c, i, code);
          else seen.add(code);
        }
        break;
      }
      case 'mainOprnCount': {
        const mains = (list.oprninfo ?? []).map((r, i) => ({ r, i })).filter((x) => mainFlag(x.r));
        if (mains.length > 1) addFinding(findings, c, mains[1]!.i, mains[1]!.r.oprn_oprt_code, `第 ${mains.map((x) => x.i + 1).join('、')} 行都标为主要手术`);
        break;
      }
      case 'mainOprnMissing': {
        const ops = list.oprninfo ?? [];
        if (ops.length && !ops.some(mainFlag)) addFinding(findings, c, null, null, ops[0]!.oprn_oprt_code ?? '');
        break;
      }
      case 'settlement': {
        const st = ctx.settlement;
        const setlId = list.setlinfo.setl_id;
        if (st === undefined || setlId === undefined) break;
        if (p.check === 'exists' && st === null) addFinding(findings, c, null, setlId);
        if (st === null) break;
        if (p.check === 'valid' && !st.valid) addFinding(findings, c, null, setlId);
        if (p.check === 'institution' && ctx.caller !== undefined && st.fixmedins_code !== ctx.caller) addFinding(findings, c, null, setlId, `结算机构 ${st.fixmedins_code}`);
        if (p.check === 'mdtrt' && list.setlinfo.mdtrt_id !== undefined && list.setlinfo.mdtrt_id !== st.mdtrt_id) addFinding(findings, c, null, list.setlinfo.mdtrt_id, st.mdtrt_id);
        break;
      }
      case 'institution': {
        const v = list.setlinfo.fixmedins_code;
        if (ctx.caller !== undefined && v !== undefined && v !== ctx.caller) addFinding(findings, c, null, v, ctx.caller);
        break;
      }
      case 'moneyBalance': {
        const items = list.iteminfo ?? [];
        const amt = (v: string | undefined) => {
          const n = num(v);
          return n === null ? null : Math.round(n * 100);
        };
        const itemFen = items.map((r) => amt(r.amt));
        const payFen = (list.payinfo ?? []).filter((r) => r.fund_pay_type !== '310200').map((r) => amt(r.fund_payamt));
        const acct = amt(list.setlinfo.acct_pay);
        const cash = amt(list.setlinfo.psn_cashpay);
        if (!items.length || itemFen.includes(null) || payFen.includes(null) || acct === null || cash === null) break;
        const total = itemFen.reduce<number>((sum, x) => sum + x!, 0);
        const paid = payFen.reduce<number>((sum, x) => sum + x!, 0) + acct + cash;
        if (total !== paid) addFinding(findings, c, null, (total / 100).toFixed(2), (paid / 100).toFixed(2));
        break;
      }
    }
  }
  const errors = findings.filter((x) => x.level === 'blocking');
  const warnings = findings.filter((x) => x.level === 'warning');
  return { passed: errors.length === 0, errors, warnings, rules: rules.length };
}

/** One line per finding: "[2132] setlinfo.nwb_bir_wt：新生儿出生体重 150 克超出 200–20000 克". */
export function describeFinding(x: QcFinding): string {
  return `[${x.rule_id}] ${x.row !== null ? `${x.node}第${x.row}行 ` : ''}${x.field}：${x.message}`;
}

/** The date a list's codes are checked on: the discharge date, else the settlement end date, else `fallback`. */
export function checkDateOf(list: SetlListInput, fallback: string): string {
  return parseWhen(list.setlinfo.dscg_time)?.date ?? parseWhen(list.setlinfo.setl_end_date)?.date ?? fallback;
}

/** The codes of a list that must be looked up (western diagnoses, outpatient diagnoses, procedures). */
export function codesOf(list: SetlListInput): { diagnoses: string[]; procedures: string[] } {
  const dx = new Set<string>();
  for (const r of list.diseinfo ?? []) if (isWestern(r) && r.diag_code) dx.add(r.diag_code);
  for (const r of list.opspdiseinfo ?? []) if (r.diag_code) dx.add(r.diag_code);
  if (list.setlinfo.wm_dise_code) dx.add(list.setlinfo.wm_dise_code);
  const px = new Set<string>();
  for (const r of list.oprninfo ?? []) if (r.oprn_oprt_code) px.add(r.oprn_oprt_code);
  return { diagnoses: [...dx], procedures: [...px] };
}
