/**
 * The entry-condition DSL of the CHS-DRG tables (reference-data/chs-drg-1.1/README.md, "The condition DSL"),
 * compiled once at load into closures. Each compiled condition has two faces:
 *  - `test(f)`: the fast path used for every case (Set lookups, no allocation);
 *  - `explain(f)`: the same decision, with a Chinese sentence saying why (used only for the trace and for the
 *    reason of an ungroupable case). A unit test checks that both always agree.
 *
 * Condition kinds of the README: always, all, any, not, pdxIn, anyDxIn, mainProcIn, anyProcIn,
 * mainProcValidOr, anyProcValidOr, procGroupHas, sex, ageYears, ageDays, birthWeight, traumaRegionCount.
 * Extensions (not used by 1.1, for versions whose DRG splits look at more than CC/MCC): otherDxIn, losDays,
 * dischargeWay, and — only inside a DRG split rule's `when` — hasMCC, hasCCOrMCC.
 *
 * A malformed condition is never half-compiled: the problem is recorded (file, entry, path) and the loader
 * refuses the whole version.
 */

/** What a condition looks at: the normalised case, plus the CC/MCC result once it is known (DRG split). */
export interface Facts {
  sex: string;
  age: number | null;
  ageDays: number | null;
  weight: number | null;
  los: number | null;
  dischargeWay: string | null;
  /** dx[0] is the principal diagnosis. */
  dx: readonly string[];
  /** proc[0] is the main procedure; may be empty. */
  proc: readonly string[];
  hasMCC: boolean;
  hasCC: boolean;
}

export interface Explained {
  ok: boolean;
  text: string;
}

export interface Cond {
  readonly kind: string;
  readonly children: readonly Cond[];
  test(f: Facts): boolean;
  explain(f: Facts): Explained;
}

/** One defect found in a table, named by file, entry and the JSON path inside the entry. */
export interface TableProblem {
  file: string;
  entry: string;
  path: string;
  message: string;
}

/** Where a condition is compiled: the entry it belongs to and the version-wide sets it may use. */
export interface CompileScope {
  file: string;
  entry: string;
  /** Display name of the entry in sentences ("MDCG", "GZ1"). */
  label: string;
  lists: Record<string, unknown>;
  /** Sets already built for this entry's named lists (so a list named twice is one Set). */
  listCache: Map<string, ReadonlySet<string>>;
  validOr: ReadonlySet<string>;
  /** The MDC's trauma-region map (for an ADRG: its MDC's). */
  traumaRegionMap: ReadonlyMap<string, string> | null;
  /** True only for a DRG split rule's `when`: allows hasMCC / hasCCOrMCC. */
  severity: boolean;
  /** The entry's `lists.procGroups` once built (procGroupHas may appear several times in one entry). */
  procGroupMap?: ReadonlyMap<string, string>;
}

const LIST_LABEL: Record<string, string> = {
  principalDiagnoses: '主要诊断表',
  dx: '诊断表（dx）',
  proc: '手术表（proc）',
  proc2: '第二手术表（proc2）',
};

const CMP_KEYS = ['eq', 'gt', 'gte', 'lt', 'lte'] as const;
type CmpKey = (typeof CMP_KEYS)[number];
const CMP_SIGN: Record<CmpKey, string> = { eq: '=', gt: '>', gte: '≥', lt: '<', lte: '≤' };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A leaf or a node built from a test and an explain function. */
function node(kind: string, test: (f: Facts) => boolean, explain: (f: Facts) => Explained, children: Cond[] = []): Cond {
  return { kind, children, test, explain };
}

/** Stand-in returned after a problem has been recorded, so compilation can go on and report every defect. */
const BROKEN: Cond = node('broken', () => false, () => ({ ok: false, text: '（条件有误）' }));

interface Ctx {
  scope: CompileScope;
  problems: TableProblem[];
}

function problem(ctx: Ctx, path: string, message: string): Cond {
  ctx.problems.push({ file: ctx.scope.file, entry: ctx.scope.entry, path, message });
  return BROKEN;
}

/** A list operand: a name of the entry's `lists` (an array of codes) or an inline array. */
function resolveSet(ctx: Ctx, operand: unknown, path: string): { set: ReadonlySet<string>; label: string } | null {
  const { scope } = ctx;
  if (typeof operand === 'string') {
    const cached = scope.listCache.get(operand);
    const label = ` ${scope.label} 的${LIST_LABEL[operand] ?? `列表 ${operand}`}`;
    if (cached) return { set: cached, label };
    const raw = scope.lists[operand];
    if (raw === undefined) {
      problem(ctx, path, `引用的列表“${operand}”在本条目的 lists 中不存在`);
      return null;
    }
    const set = codeArray(ctx, raw, `lists.${operand}`);
    if (!set) return null;
    scope.listCache.set(operand, set);
    return { set, label };
  }
  if (Array.isArray(operand)) {
    const set = codeArray(ctx, operand, path);
    return set ? { set, label: ` ${scope.label} 的内联列表` } : null;
  }
  problem(ctx, path, '列表操作数必须是列表名（字符串）或编码数组');
  return null;
}

function codeArray(ctx: Ctx, raw: unknown, path: string): Set<string> | null {
  if (!Array.isArray(raw)) {
    problem(ctx, path, '列表必须是编码数组');
    return null;
  }
  const set = new Set<string>();
  let ok = true;
  raw.forEach((c, i) => {
    if (typeof c !== 'string' || c.trim() === '') {
      problem(ctx, `${path}[${i}]`, `列表元素必须是非空字符串，实际为 ${JSON.stringify(c)}`);
      ok = false;
    } else set.add(c);
  });
  return ok ? set : null;
}

interface Cmp {
  test(x: number | null): boolean;
  text: string;
}

function compileCmp(ctx: Ctx, raw: unknown, path: string): Cmp | null {
  if (!isObject(raw) || Object.keys(raw).length === 0) {
    problem(ctx, path, '比较条件必须是含 eq/gt/gte/lt/lte 的对象');
    return null;
  }
  const parts: [CmpKey, number][] = [];
  for (const [k, v] of Object.entries(raw)) {
    if (!(CMP_KEYS as readonly string[]).includes(k)) {
      problem(ctx, `${path}.${k}`, `未知的比较符“${k}”（只允许 eq、gt、gte、lt、lte）`);
      return null;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      problem(ctx, `${path}.${k}`, `比较值必须是数字，实际为 ${JSON.stringify(v)}`);
      return null;
    }
    parts.push([k as CmpKey, v]);
  }
  const one = (k: CmpKey, n: number): ((x: number) => boolean) => {
    switch (k) {
      case 'eq':
        return (x) => x === n;
      case 'gt':
        return (x) => x > n;
      case 'gte':
        return (x) => x >= n;
      case 'lt':
        return (x) => x < n;
      case 'lte':
        return (x) => x <= n;
    }
  };
  const fns = parts.map(([k, n]) => one(k, n));
  const text = parts.map(([k, n]) => `${CMP_SIGN[k]} ${n}`).join(' 且 ');
  // A missing value (null) satisfies no comparison (README, Known differences §3).
  const test =
    fns.length === 1
      ? ((f0) => (x: number | null) => x !== null && f0(x))(fns[0]!)
      : (x: number | null) => {
          if (x === null) return false;
          for (const fn of fns) if (!fn(x)) return false;
          return true;
        };
  return { test, text };
}

const show = (x: number | null, unit: string): string => (x === null ? '未填写' : `${x}${unit}`);
const sexName = (s: string): string => (s === '1' ? '男' : s === '2' ? '女' : s === '' ? '空' : `“${s}”`);

/** Compiles one condition object. Problems go to `problems`; a broken condition never matches. */
export function compileCondition(raw: unknown, scope: CompileScope, path: string, problems: TableProblem[]): Cond {
  return compile({ scope, problems }, raw, path);
}

function compile(ctx: Ctx, raw: unknown, path: string): Cond {
  if (!isObject(raw)) return problem(ctx, path, `条件必须是对象，实际为 ${JSON.stringify(raw)}`);
  const keys = Object.keys(raw);
  if (keys.length !== 1) return problem(ctx, path, `条件对象必须恰好有一个键，实际为 ${keys.length} 个（${keys.join('、')}）`);
  const key = keys[0]!;
  const arg = raw[key];
  const at = `${path}.${key}`;
  const { scope } = ctx;

  switch (key) {
    case 'always': {
      if (arg !== true) return problem(ctx, at, 'always 的值必须是 true');
      return node('always', () => true, () => ({ ok: true, text: '无条件' }));
    }

    case 'all':
    case 'any': {
      if (!Array.isArray(arg) || arg.length === 0) return problem(ctx, at, `${key} 的值必须是非空条件数组`);
      const cs = arg.map((c, i) => compile(ctx, c, `${at}[${i}]`));
      if (key === 'all') {
        const test = (f: Facts): boolean => {
          for (const c of cs) if (!c.test(f)) return false;
          return true;
        };
        const explain = (f: Facts): Explained => {
          const texts: string[] = [];
          for (const c of cs) {
            const e = c.explain(f);
            texts.push(e.text);
            if (!e.ok) return { ok: false, text: texts.join('，') };
          }
          return { ok: true, text: texts.join('，') };
        };
        return node('all', test, explain, cs);
      }
      const test = (f: Facts): boolean => {
        for (const c of cs) if (c.test(f)) return true;
        return false;
      };
      const explain = (f: Facts): Explained => {
        const texts: string[] = [];
        for (const c of cs) {
          const e = c.explain(f);
          if (e.ok) return { ok: true, text: e.text };
          texts.push(e.text);
        }
        return { ok: false, text: `以下均不满足：${texts.map((t) => `（${t}）`).join('或')}` };
      };
      return node('any', test, explain, cs);
    }

    case 'not': {
      const c = compile(ctx, arg, at);
      return node(
        'not',
        (f) => !c.test(f),
        (f) => {
          const e = c.explain(f);
          return { ok: !e.ok, text: e.ok ? `不应满足但满足：${e.text}` : e.text };
        },
        [c],
      );
    }

    case 'pdxIn': {
      const l = resolveSet(ctx, arg, at);
      if (!l) return BROKEN;
      const { set, label } = l;
      return node(
        'pdxIn',
        (f) => f.dx.length > 0 && set.has(f.dx[0]!),
        (f) => {
          const ok = f.dx.length > 0 && set.has(f.dx[0]!);
          return { ok, text: `主要诊断 ${f.dx[0] ?? '（无）'} ${ok ? '在' : '不在'}${label}中` };
        },
      );
    }

    case 'anyDxIn':
    case 'otherDxIn': {
      const l = resolveSet(ctx, arg, at);
      if (!l) return BROKEN;
      const { set, label } = l;
      const from = key === 'anyDxIn' ? 0 : 1;
      const who = key === 'anyDxIn' ? '诊断' : '其他诊断';
      const find = (f: Facts): string | undefined => {
        for (let i = from; i < f.dx.length; i++) if (set.has(f.dx[i]!)) return f.dx[i];
        return undefined;
      };
      return node(
        key,
        (f) => find(f) !== undefined,
        (f) => {
          const hit = find(f);
          return hit !== undefined ? { ok: true, text: `${who} ${hit} 在${label}中` } : { ok: false, text: `没有${who}在${label}中` };
        },
      );
    }

    case 'mainProcIn': {
      const l = resolveSet(ctx, arg, at);
      if (!l) return BROKEN;
      const { set, label } = l;
      return node(
        'mainProcIn',
        (f) => f.proc.length > 0 && set.has(f.proc[0]!),
        (f) => {
          if (f.proc.length === 0) return { ok: false, text: `无手术操作（需要主要手术在${label}中）` };
          const ok = set.has(f.proc[0]!);
          return { ok, text: `主要手术 ${f.proc[0]} ${ok ? '在' : '不在'}${label}中` };
        },
      );
    }

    case 'anyProcIn': {
      const l = resolveSet(ctx, arg, at);
      if (!l) return BROKEN;
      const { set, label } = l;
      const find = (f: Facts): string | undefined => {
        for (const p of f.proc) if (set.has(p)) return p;
        return undefined;
      };
      return node(
        'anyProcIn',
        (f) => find(f) !== undefined,
        (f) => {
          const hit = find(f);
          return hit !== undefined ? { ok: true, text: `手术 ${hit} 在${label}中` } : { ok: false, text: `没有手术在${label}中` };
        },
      );
    }

    case 'mainProcValidOr': {
      if (arg !== true) return problem(ctx, at, 'mainProcValidOr 的值必须是 true');
      const { validOr } = scope;
      return node(
        'mainProcValidOr',
        (f) => f.proc.length > 0 && validOr.has(f.proc[0]!),
        (f) => {
          if (f.proc.length === 0) return { ok: false, text: '无手术操作（需要主要手术为有效手术室手术）' };
          const ok = validOr.has(f.proc[0]!);
          return { ok, text: `主要手术 ${f.proc[0]} ${ok ? '是' : '不是'}有效手术室手术` };
        },
      );
    }

    case 'anyProcValidOr': {
      if (arg !== true) return problem(ctx, at, 'anyProcValidOr 的值必须是 true');
      const { validOr } = scope;
      const find = (f: Facts): string | undefined => {
        for (const p of f.proc) if (validOr.has(p)) return p;
        return undefined;
      };
      return node(
        'anyProcValidOr',
        (f) => find(f) !== undefined,
        (f) => {
          const hit = find(f);
          return hit !== undefined ? { ok: true, text: `手术 ${hit} 是有效手术室手术` } : { ok: false, text: '没有有效手术室手术' };
        },
      );
    }

    case 'procGroupHas': {
      if (typeof arg !== 'string' || arg === '') return problem(ctx, at, 'procGroupHas 的值必须是非空的组号字符串');
      const groups = procGroups(ctx, at);
      if (!groups) return BROKEN;
      if (![...groups.values()].includes(arg)) return problem(ctx, at, `手术组“${arg}”在本条目的 procGroups 中不存在`);
      const find = (f: Facts): string | undefined => {
        for (const p of f.proc) if (groups.get(p) === arg) return p;
        return undefined;
      };
      return node(
        'procGroupHas',
        (f) => find(f) !== undefined,
        (f) => {
          const hit = find(f);
          return hit !== undefined
            ? { ok: true, text: `手术 ${hit} 属于 ${scope.label} 的手术组 ${arg}` }
            : { ok: false, text: `没有手术属于 ${scope.label} 的手术组 ${arg}` };
        },
      );
    }

    case 'sex': {
      if (arg !== '1' && arg !== '2') return problem(ctx, at, `sex 的值必须是 "1" 或 "2"，实际为 ${JSON.stringify(arg)}`);
      return node(
        'sex',
        (f) => f.sex === arg,
        (f) => {
          const ok = f.sex === arg;
          return { ok, text: `性别为${sexName(f.sex)}，${ok ? '符合' : '不符合'}要求（${sexName(arg)}）` };
        },
      );
    }

    case 'ageYears':
    case 'ageDays':
    case 'birthWeight':
    case 'losDays': {
      const cmp = compileCmp(ctx, arg, at);
      if (!cmp) return BROKEN;
      const pick: (f: Facts) => number | null =
        key === 'ageYears' ? (f) => f.age : key === 'ageDays' ? (f) => f.ageDays : key === 'birthWeight' ? (f) => f.weight : (f) => f.los;
      const what: readonly [string, string] = (
        { ageYears: ['年龄', ' 岁'], ageDays: ['日龄', ' 天'], birthWeight: ['出生体重', ' 克'], losDays: ['住院天数', ' 天'] } as const
      )[key];
      return node(
        key,
        (f) => cmp.test(pick(f)),
        (f) => {
          const x = pick(f);
          const ok = cmp.test(x);
          return { ok, text: `${what[0]} ${show(x, what[1])}${ok ? '满足' : '不满足'} ${cmp.text}` };
        },
      );
    }

    case 'dischargeWay': {
      const l = resolveSet(ctx, arg, at);
      if (!l) return BROKEN;
      const { set } = l;
      const test = (f: Facts): boolean => f.dischargeWay !== null && set.has(f.dischargeWay);
      return node('dischargeWay', test, (f) => {
        const ok = test(f);
        return { ok, text: `离院方式 ${f.dischargeWay ?? '未填写'} ${ok ? '属于' : '不属于'} ${[...set].join('、')}` };
      });
    }

    case 'traumaRegionCount': {
      const map = scope.traumaRegionMap;
      if (!map) return problem(ctx, at, 'traumaRegionCount 需要本 MDC 的 traumaRegionMap，但未定义');
      const cmp = compileCmp(ctx, arg, at);
      if (!cmp) return BROKEN;
      const regions = (f: Facts): string[] => {
        const seen: string[] = [];
        for (const d of f.dx) {
          const r = map.get(d);
          if (r !== undefined && !seen.includes(r)) seen.push(r);
        }
        return seen;
      };
      return node(
        'traumaRegionCount',
        (f) => cmp.test(regions(f).length),
        (f) => {
          const rs = regions(f);
          const ok = cmp.test(rs.length);
          return { ok, text: `创伤部位 ${rs.length} 个${rs.length ? `（${rs.join('、')}）` : ''}，${ok ? '满足' : '不满足'} ${cmp.text}` };
        },
      );
    }

    case 'hasMCC':
    case 'hasCCOrMCC': {
      if (!scope.severity) return problem(ctx, at, `${key} 只能用于 DRG 细分规则（drgs[].when）`);
      if (arg !== true) return problem(ctx, at, `${key} 的值必须是 true`);
      const test = key === 'hasMCC' ? (f: Facts) => f.hasMCC : (f: Facts) => f.hasMCC || f.hasCC;
      const what = key === 'hasMCC' ? 'MCC' : 'CC 或 MCC';
      return node(key, test, (f) => {
        const ok = test(f);
        return { ok, text: ok ? `有 ${what}` : `无 ${what}` };
      });
    }

    default:
      return problem(ctx, at, `未知的条件类型“${key}”`);
  }
}

function procGroups(ctx: Ctx, path: string): ReadonlyMap<string, string> | null {
  if (ctx.scope.procGroupMap) return ctx.scope.procGroupMap;
  const raw = ctx.scope.lists.procGroups;
  if (!isObject(raw)) {
    problem(ctx, path, 'procGroupHas 需要本条目的 lists.procGroups（手术编码 → 组号 的对象），但未定义或不是对象');
    return null;
  }
  const map = new Map<string, string>();
  for (const [code, label] of Object.entries(raw)) {
    if (typeof label !== 'string' || label === '') {
      problem(ctx, `lists.procGroups.${code}`, `组号必须是非空字符串，实际为 ${JSON.stringify(label)}`);
      return null;
    }
    map.set(code, label);
  }
  ctx.scope.procGroupMap = map;
  return map;
}
