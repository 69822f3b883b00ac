/**
 * Loading the knowledge base (知识库): validation of every kind of knowledge row (Chinese messages naming the row
 * and field), and the atomic loader — everything is checked first, then one transaction writes every kind given,
 * records the load as a knowledge version (audit_kb_load.kb_ver), closes the versions it replaces on the day
 * before (history by closing rows, never updates of content) and logs the operation. Also CSV/TSV file import per
 * kind and retiring a knowledge point from a date.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Db, Tables } from '../../platform/db.js';
import { findOverlaps, validOnDate } from '../../platform/effective.js';
import { validationError, type FieldProblem } from '../../platform/errors.js';
import { recordOperation, type Actor } from '../../platform/oplog.js';
import { addDays, isIsoDate } from '../../platform/time.js';
import { diagPatternProblem, splitList } from '../../standards/catalogue/restrictions.js';
import { checkColumns, readDelimitedFile, rejectIfProblems, type ImportReport } from '../../standards/import-report.js';
import { q4Text, toQ4 } from '../num.js';
import { auditDataChanged } from '../rules/store.js';
import {
  cycleFromTable,
  drugFromTable,
  freqFromTable,
  herbFromTable,
  itemFromTable,
  pairFromTable,
  type KbCycleInput,
  type KbDrugInput,
  type KbFreqInput,
  type KbHerbInput,
  type KbItemInput,
  type KbPairInput,
  type KnowledgeSet,
} from './knowledge.js';

export type KbKind = keyof KnowledgeSet;
type Table = 'audit_kb_item' | 'audit_kb_pair' | 'audit_kb_freq' | 'audit_kb_drug' | 'audit_kb_herb' | 'audit_kb_cycle';
type AnyInput = { row?: number; begndate: string; enddate?: string | null };
type Row = Record<string, unknown> & { begndate: string; enddate: string | null };

const CODE_RE = /^[A-Z0-9][A-Z0-9.-]{0,49}\*?$/;
const DEPT_RE = /^[A-Za-z0-9.-]{1,30}$/;
const OPRN_RE = /^\d{2}(\.\d{0,4})?$/;

interface KindDef {
  label: string;
  table: Table;
  key: string[];
  columns: { required: string[]; optional: string[] };
  check(r: AnyInput, p: (field: string, message: string) => void): void;
  toRow(r: AnyInput): Row;
  fromTable(t: never): AnyInput;
  fromCells(v: Record<string, string>, p: (field: string, message: string) => void): AnyInput;
}

const codeProblem = (code: string | undefined, what: string): string | null =>
  !code ? `${what}不能为空` : CODE_RE.test(code) ? null : `${what}“${code}”格式错误，应为大写字母和数字组成的编码，或以 * 结尾的编码前缀`;
const qty = (v: number | string | null | undefined) => (v === null || v === undefined || v === '' ? null : toQ4(v));
const qtyText = (v: number | string | null | undefined) => {
  const q = qty(v);
  return q === null ? null : q4Text(q);
};
const joined = (xs: string[] | undefined) => (xs?.length ? xs.join(',') : null);
const common = ['begndate', 'enddate', 'memo'];

function checkQty(p: (f: string, m: string) => void, field: string, v: number | string | null | undefined, required: boolean): void {
  if (v === null || v === undefined || v === '') {
    if (required) p(field, '不能为空');
    return;
  }
  const q = toQ4(v);
  if (q === null) p(field, `“${String(v)}”应为最多4位小数的数字`);
  else if (q <= 0) p(field, '应大于0');
  else if (q > 99_999_999_9999) p(field, '超出允许范围');
}
function checkInt(p: (f: string, m: string) => void, field: string, v: number | null | undefined, min: number, max: number): void {
  if (v === null || v === undefined) return;
  if (!Number.isInteger(v) || v < min || v > max) p(field, `应为 ${min} 到 ${max} 之间的整数`);
}
function checkDiags(p: (f: string, m: string) => void, field: string, list: string[] | undefined): void {
  for (const d of list ?? []) {
    const prob = diagPatternProblem(d);
    if (prob) p(field, prob);
  }
}

// cells → input helpers (file import)
const cellInt = (v: string | undefined, field: string, p: (f: string, m: string) => void): number | null => {
  if (!v) return null;
  if (!/^-?\d+$/.test(v)) {
    p(field, `“${v}”应为整数`);
    return null;
  }
  return Number(v);
};
const cellBool = (v: string | undefined, field: string, p: (f: string, m: string) => void): boolean | undefined => {
  if (!v) return undefined;
  if (['1', '是', 'true', 'Y'].includes(v)) return true;
  if (['0', '否', 'false', 'N'].includes(v)) return false;
  p(field, `“${v}”应为 1（是）或 0（否）`);
  return undefined;
};
const dates = (v: Record<string, string>) => ({ begndate: v.begndate ?? '', enddate: v.enddate || null, memo: v.memo || null });

const KINDS: Record<KbKind, KindDef> = {
  item: {
    label: '项目知识',
    table: 'audit_kb_item',
    key: ['hilist_code'],
    columns: { required: ['hilist_code', 'begndate'], optional: ['child_age_max', 'child_age_unit', 'age_exempt_diag', 'dept_codes', 'indication_diag', 'daily_grp', 'not_paid', ...common] },
    check(x, p) {
      const r = x as KbItemInput;
      const c = codeProblem(r.hilist_code, '项目编码');
      if (c) p('hilist_code', c);
      checkInt(p, 'child_age_max', r.child_age_max, 0, r.child_age_unit === 'D' ? 6574 : 18);
      if (r.child_age_unit && r.child_age_unit !== 'Y' && r.child_age_unit !== 'D') p('child_age_unit', '应为 Y（岁）或 D（天）');
      if (r.child_age_unit && (r.child_age_max === null || r.child_age_max === undefined)) p('child_age_max', '填写了年龄单位时须填写儿童专用年龄上限');
      checkDiags(p, 'age_exempt_diag', r.age_exempt_diag);
      checkDiags(p, 'indication_diag', r.indication_diag);
      for (const d of r.dept_codes ?? []) if (!DEPT_RE.test(d)) p('dept_codes', `科室编码“${d}”格式错误`);
      if (r.daily_grp && !['1', '2', '3'].includes(r.daily_grp)) p('daily_grp', '应为 1 床位费、2 护理费 或 3 诊查费');
      const any = (r.child_age_max ?? null) !== null || r.age_exempt_diag?.length || r.dept_codes?.length || r.indication_diag?.length || r.daily_grp || r.not_paid;
      if (!any) p('hilist_code', '未填写任何知识（儿童专用年龄、豁免诊断、限定科室、临床适应症、按日计费组、不予支付至少一项）');
    },
    toRow(x) {
      const r = x as KbItemInput;
      const hasAge = r.child_age_max !== null && r.child_age_max !== undefined;
      return {
        hilist_code: r.hilist_code,
        child_age_max: hasAge ? r.child_age_max! : null,
        child_age_unit: hasAge ? (r.child_age_unit ?? 'Y') : null,
        age_exempt_diag: joined(r.age_exempt_diag),
        dept_codes: joined(r.dept_codes),
        indication_diag: joined(r.indication_diag),
        daily_grp: r.daily_grp ?? null,
        not_paid: r.not_paid ? '1' : '0',
        memo: r.memo ?? null,
        begndate: r.begndate,
        enddate: r.enddate ?? null,
      };
    },
    fromTable: itemFromTable as (t: never) => AnyInput,
    fromCells(v, p) {
      return {
        hilist_code: v.hilist_code ?? '',
        child_age_max: cellInt(v.child_age_max, 'child_age_max', p),
        child_age_unit: (v.child_age_unit || null) as 'Y' | null,
        age_exempt_diag: splitList(v.age_exempt_diag),
        dept_codes: splitList(v.dept_codes),
        indication_diag: splitList(v.indication_diag),
        daily_grp: (v.daily_grp || null) as '1' | null,
        not_paid: cellBool(v.not_paid, 'not_paid', p) ?? false,
        ...dates(v),
      } satisfies KbItemInput;
    },
  },
  pair: {
    label: '项目对（包含/互斥/配伍禁忌/依存）',
    table: 'audit_kb_pair',
    key: ['item_a', 'item_b', 'pair_type'],
    columns: { required: ['item_a', 'item_b', 'pair_type', 'scope', 'begndate'], optional: ['hit_side', 'bypass_flag', ...common] },
    check(x, p) {
      const r = x as KbPairInput;
      const a = codeProblem(r.item_a, '项目A编码');
      if (a) p('item_a', a);
      const b = codeProblem(r.item_b, '项目B编码');
      if (b) p('item_b', b);
      if (!a && !b && r.item_a === r.item_b && !r.item_a.endsWith('*')) p('item_b', '项目B不能与项目A相同（同一项目的次数限制请用频次知识）');
      if (!['1', '2', '3', '4'].includes(r.pair_type)) p('pair_type', '应为 1 包含、2 互斥、3 配伍禁忌 或 4 依存');
      if (!['1', '2', '3'].includes(r.scope)) p('scope', '应为 1 同处方、2 同日 或 3 当次就诊');
      if (r.hit_side !== undefined && r.hit_side !== 'B' && r.hit_side !== '2') p('hit_side', '应为 B（项目B违规）或 2（两项均违规）');
      if (r.bypass_flag !== undefined && r.bypass_flag !== '0' && r.bypass_flag !== '1') p('bypass_flag', '应为 0（不可豁免）或 1（可凭修饰符豁免）');
      if (r.bypass_flag === '1' && (r.pair_type === '3' || r.pair_type === '4')) p('bypass_flag', '配伍禁忌和依存项目对不可豁免');
    },
    toRow(x) {
      const r = x as KbPairInput;
      return { item_a: r.item_a, item_b: r.item_b, pair_type: r.pair_type, scope: r.scope, hit_side: r.hit_side ?? 'B', bypass_flag: r.bypass_flag ?? '0', memo: r.memo ?? null, begndate: r.begndate, enddate: r.enddate ?? null };
    },
    fromTable: pairFromTable as (t: never) => AnyInput,
    fromCells(v) {
      return { item_a: v.item_a ?? '', item_b: v.item_b ?? '', pair_type: (v.pair_type ?? '') as '1', scope: (v.scope ?? '') as '1', hit_side: (v.hit_side || 'B') as 'B', bypass_flag: (v.bypass_flag || '0') as '0', ...dates(v) } satisfies KbPairInput;
    },
  },
  freq: {
    label: '频次/数量限制',
    table: 'audit_kb_freq',
    key: ['hilist_code', 'period'],
    columns: { required: ['hilist_code', 'period', 'max_cnt', 'begndate'], optional: ['period_days', 'mai', 'los_scale', ...common] },
    check(x, p) {
      const r = x as KbFreqInput;
      const c = codeProblem(r.hilist_code, '项目编码');
      if (c) p('hilist_code', c);
      if (!['D', 'V', 'N', 'Y'].includes(r.period)) p('period', '应为 D 每日、V 每次就诊、N 每N日 或 Y 每自然年');
      if (r.period === 'N') {
        if (r.period_days === null || r.period_days === undefined) p('period_days', '周期为 N 时须填写天数');
        else checkInt(p, 'period_days', r.period_days, 2, 366);
      } else if (r.period_days !== null && r.period_days !== undefined) p('period_days', '只有周期为 N 时才填写天数');
      checkQty(p, 'max_cnt', r.max_cnt, true);
      if (r.mai !== undefined && !['1', '2', '3'].includes(r.mai)) p('mai', '应为 1 按明细行、2 按服务日（绝对）或 3 按服务日（可申诉）');
      if (r.los_scale && r.period !== 'V') p('los_scale', '只有每次就诊的限量可以按住院天数折算');
    },
    toRow(x) {
      const r = x as KbFreqInput;
      return { hilist_code: r.hilist_code, period: r.period, period_days: r.period === 'N' ? (r.period_days ?? null) : null, max_cnt: qtyText(r.max_cnt)!, mai: r.mai ?? '2', los_scale: r.los_scale ? '1' : '0', memo: r.memo ?? null, begndate: r.begndate, enddate: r.enddate ?? null };
    },
    fromTable: freqFromTable as (t: never) => AnyInput,
    fromCells(v, p) {
      return { hilist_code: v.hilist_code ?? '', period: (v.period ?? '') as 'D', period_days: cellInt(v.period_days, 'period_days', p), max_cnt: v.max_cnt ?? '', mai: (v.mai || '2') as '2', los_scale: cellBool(v.los_scale, 'los_scale', p) ?? false, ...dates(v) } satisfies KbFreqInput;
    },
  },
  drug: {
    label: '药品用量',
    table: 'audit_kb_drug',
    key: ['hilist_code'],
    columns: { required: ['hilist_code', 'begndate'], optional: ['ingr_code', 'std_daily_qty', 'max_daily_qty', 'max_days', ...common] },
    check(x, p) {
      const r = x as KbDrugInput;
      const c = codeProblem(r.hilist_code, '药品编码');
      if (c) p('hilist_code', c);
      if (r.ingr_code && (r.ingr_code.length > 30 || !/^[A-Za-z0-9.-]+$/.test(r.ingr_code))) p('ingr_code', '成分编码应为不超过30位的字母数字');
      checkQty(p, 'std_daily_qty', r.std_daily_qty, false);
      checkQty(p, 'max_daily_qty', r.max_daily_qty, false);
      checkInt(p, 'max_days', r.max_days, 1, 366);
      const std = qty(r.std_daily_qty);
      const max = qty(r.max_daily_qty);
      if (std !== null && max !== null && std > 0 && max > 0 && std > max) p('max_daily_qty', '每日最大用量不能小于常用日用量');
      if ((r.std_daily_qty ?? null) === null && (r.max_daily_qty ?? null) === null && (r.max_days ?? null) === null) p('hilist_code', '常用日用量、每日最大用量、最大用药天数至少填写一项');
      if ((r.max_days ?? null) !== null && (r.std_daily_qty ?? null) === null) p('std_daily_qty', '填写最大用药天数时须填写常用日用量（用于折算天数）');
    },
    toRow(x) {
      const r = x as KbDrugInput;
      return { hilist_code: r.hilist_code, ingr_code: r.ingr_code ?? null, std_daily_qty: qtyText(r.std_daily_qty), max_daily_qty: qtyText(r.max_daily_qty), max_days: r.max_days ?? null, memo: r.memo ?? null, begndate: r.begndate, enddate: r.enddate ?? null };
    },
    fromTable: drugFromTable as (t: never) => AnyInput,
    fromCells(v, p) {
      return { hilist_code: v.hilist_code ?? '', ingr_code: v.ingr_code || null, std_daily_qty: v.std_daily_qty || null, max_daily_qty: v.max_daily_qty || null, max_days: cellInt(v.max_days, 'max_days', p), ...dates(v) } satisfies KbDrugInput;
    },
  },
  herb: {
    label: '单味不予支付饮片',
    table: 'audit_kb_herb',
    key: ['hilist_code'],
    columns: { required: ['hilist_code', 'begndate'], optional: common },
    check(x, p) {
      const r = x as KbHerbInput;
      const c = codeProblem(r.hilist_code, '饮片编码');
      if (c) p('hilist_code', c);
      else if (!r.hilist_code.startsWith('T')) p('hilist_code', '中药饮片编码应以 T 开头');
    },
    toRow(x) {
      const r = x as KbHerbInput;
      return { hilist_code: r.hilist_code, memo: r.memo ?? null, begndate: r.begndate, enddate: r.enddate ?? null };
    },
    fromTable: herbFromTable as (t: never) => AnyInput,
    fromCells(v) {
      return { hilist_code: v.hilist_code ?? '', ...dates(v) } satisfies KbHerbInput;
    },
  },
  cycle: {
    label: '计划性周期治疗',
    table: 'audit_kb_cycle',
    key: ['cycle_type', 'code_type', 'code'],
    columns: { required: ['cycle_type', 'code_type', 'code', 'begndate'], optional: common },
    check(x, p) {
      const r = x as KbCycleInput;
      if (!['1', '2', '3', '9'].includes(r.cycle_type)) p('cycle_type', '应为 1 化疗、2 放疗、3 透析 或 9 其他');
      if (r.code_type === '1') {
        const d = r.code ? diagPatternProblem(r.code) : '诊断编码不能为空';
        if (d) p('code', d);
      } else if (r.code_type === '2') {
        if (!OPRN_RE.test(r.code ?? '')) p('code', `手术操作编码前缀“${r.code ?? ''}”格式错误，应如 99.25`);
      } else if (r.code_type === '3') {
        const c = codeProblem(r.code, '收费项目编码');
        if (c) p('code', c);
      } else p('code_type', '应为 1 诊断、2 手术操作 或 3 收费项目');
    },
    toRow(x) {
      const r = x as KbCycleInput;
      return { cycle_type: r.cycle_type, code_type: r.code_type, code: r.code, memo: r.memo ?? null, begndate: r.begndate, enddate: r.enddate ?? null };
    },
    fromTable: cycleFromTable as (t: never) => AnyInput,
    fromCells(v) {
      return { cycle_type: (v.cycle_type ?? '') as '1', code_type: (v.code_type ?? '') as '1', code: v.code ?? '', ...dates(v) } satisfies KbCycleInput;
    },
  },
};

export const KB_KIND_LABELS: Record<KbKind, string> = Object.fromEntries(Object.entries(KINDS).map(([k, d]) => [k, d.label])) as Record<KbKind, string>;
export const KB_COLUMNS: Record<KbKind, { required: string[]; optional: string[] }> = Object.fromEntries(Object.entries(KINDS).map(([k, d]) => [k, d.columns])) as Record<KbKind, { required: string[]; optional: string[] }>;

const keyOf = (def: KindDef, r: Record<string, unknown>) => def.key.map((k) => String(r[k])).join('|');
const content = (r: Row) => JSON.stringify(Object.entries(r).filter(([k]) => k !== 'begndate' && k !== 'enddate' && k !== 'kb_ver' && k !== 'row').sort(([a], [b]) => (a < b ? -1 : 1)));

/** Every problem of the rows of one kind (row numbers from the rows, else 1-based positions). */
export function checkKnowledge<K extends KbKind>(kind: K, input: NonNullable<KnowledgeSet[K]>): FieldProblem[] {
  const def = KINDS[kind];
  const rows = input as AnyInput[];
  const problems: FieldProblem[] = [];
  const sound: (AnyInput & { row: number; enddate: string | null })[] = [];
  rows.forEach((r, i) => {
    const row = r.row ?? i + 1;
    const before = problems.length;
    const p = (field: string, message: string) => problems.push({ row, field, message: `【${def.label}】${message}` });
    def.check(r, p);
    if (!isIsoDate(r.begndate ?? '')) p('begndate', `开始日期“${r.begndate ?? ''}”格式错误，应为 yyyy-MM-dd`);
    else if (r.enddate) {
      if (!isIsoDate(r.enddate)) p('enddate', `结束日期“${r.enddate}”格式错误，应为 yyyy-MM-dd`);
      else if (r.enddate < r.begndate) p('enddate', '结束日期早于开始日期');
    }
    if (problems.length === before) sound.push({ ...r, row, enddate: r.enddate ?? null });
  });
  for (const [a, b] of findOverlaps(sound, (r) => keyOf(def, r as unknown as Record<string, unknown>))) {
    problems.push({ row: sound[b]!.row, field: 'begndate', message: `【${def.label}】${def.key.map((k) => (sound[b] as unknown as Record<string, unknown>)[k]).join(' / ')} 的有效期与第${sound[a]!.row}行重叠` });
  }
  return problems;
}

export interface KnowledgeLoadReport extends ImportReport {
  kb_ver: number;
}

type Trx = Transaction<Tables> | Kysely<Tables>;

async function writeKind(trx: Trx, actor: Actor, kind: KbKind, rows: AnyInput[], file: string | null): Promise<KnowledgeLoadReport> {
  const def = KINDS[kind];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const t = trx as unknown as Kysely<any>;
  const existing = ((await t.selectFrom(def.table).selectAll().execute()) as Row[]).map((e) => ({ raw: e, row: def.toRow(def.fromTable(e as never)) }));
  const byKey = new Map<string, typeof existing>();
  for (const e of existing) {
    const k = keyOf(def, e.row);
    const list = byKey.get(k);
    if (list) list.push(e);
    else byKey.set(k, [e]);
  }
  const problems: FieldProblem[] = [];
  const inserts: Row[] = [];
  const closes: { key: Record<string, unknown>; begndate: string; enddate: string }[] = [];
  let unchanged = 0;
  const sorted = rows.map((r, i) => ({ r, row: r.row ?? i + 1 })).sort((a, b) => (a.r.begndate < b.r.begndate ? -1 : a.r.begndate > b.r.begndate ? 1 : 0));
  for (const { r, row } of sorted) {
    const nr = def.toRow(r);
    const k = keyOf(def, nr);
    const versions = byKey.get(k) ?? [];
    const current = versions.find((v) => validOnDate(v.row, nr.begndate));
    if (current && content(current.row) === content(nr) && (current.row.enddate ?? null) === (nr.enddate ?? null)) {
      unchanged++;
      continue;
    }
    const later = versions.find((v) => v.row.begndate >= nr.begndate);
    if (later) {
      problems.push({ row, field: 'begndate', message: `【${def.label}】${def.key.map((x) => nr[x]).join(' / ')} 已有自 ${later.row.begndate} 起生效的版本，不能再导入自 ${nr.begndate} 起的版本` });
      continue;
    }
    if (current) {
      const enddate = addDays(nr.begndate, -1);
      closes.push({ key: Object.fromEntries(def.key.map((x) => [x, nr[x]])), begndate: current.row.begndate, enddate });
      current.row = { ...current.row, enddate };
    }
    inserts.push(nr);
    const entry = { raw: nr, row: nr };
    if (byKey.has(k)) byKey.get(k)!.push(entry);
    else byKey.set(k, [entry]);
  }
  rejectIfProblems(def.label, problems);
  const load = await t
    .insertInto('audit_kb_load')
    .values({ kb_kind: kind, file, read_cnt: rows.length, inserted_cnt: inserts.length, closed_cnt: closes.length, unchanged_cnt: unchanged, opter_id: actor.id, opter_name: actor.name })
    .returning('kb_ver')
    .executeTakeFirstOrThrow();
  const kb_ver = Number(load.kb_ver);
  for (const c of closes) {
    let u = t.updateTable(def.table).set({ enddate: c.enddate }).where('begndate', '=', c.begndate);
    for (const [k, v] of Object.entries(c.key)) u = u.where(k, '=', v);
    await u.execute();
  }
  for (let i = 0; i < inserts.length; i += 1000) await t.insertInto(def.table).values(inserts.slice(i, i + 1000).map((r) => ({ ...r, kb_ver }))).execute();
  await recordOperation(trx, actor, { action: 'audit.kb.load', target_type: def.table, target_id: String(kb_ver), after: { kind, file, read: rows.length, inserted: inserts.length, closed: closes.length, unchanged } });
  return { kind: `audit_kb_${kind}`, file: file ?? '(rows)', read: rows.length, inserted: inserts.length, closed: closes.length, unchanged, rejected: [], kb_ver };
}

/**
 * Loads knowledge of one or several kinds atomically: every row of every kind is validated first (one report of
 * all problems, nothing written), then one transaction writes them all. Returns one report per kind given.
 */
export async function importKnowledge(db: Db, actor: Actor, set: KnowledgeSet, opts: { file?: string } = {}): Promise<KnowledgeLoadReport[]> {
  const kinds = (Object.keys(KINDS) as KbKind[]).filter((k) => set[k] !== undefined);
  if (!kinds.length) throw validationError('未提供任何知识数据');
  const problems = kinds.flatMap((k) => checkKnowledge(k, set[k]!));
  rejectIfProblems('知识库', problems);
  const reports = await db.k.transaction().execute(async (trx) => {
    const out: KnowledgeLoadReport[] = [];
    for (const k of kinds) out.push(await writeKind(trx, actor, k, set[k] as AnyInput[], opts.file ?? null));
    return out;
  });
  auditDataChanged(db);
  return reports;
}

/** Reads a CSV/TSV file of one kind (columns: KB_COLUMNS[kind]; lists separated by 、，; or spaces) and loads it. */
export async function importKnowledgeFile(db: Db, actor: Actor, kind: KbKind, filePath: string): Promise<KnowledgeLoadReport> {
  const def = KINDS[kind];
  if (!def) throw validationError(`未知的知识类别：${String(kind)}（可选：${Object.keys(KINDS).join('、')}）`);
  const d = readDelimitedFile(filePath);
  checkColumns(d, def.columns.required, def.columns.optional);
  const problems: FieldProblem[] = [];
  const rows = d.rows.map(({ row, values }) => ({ ...def.fromCells(values, (field, message) => problems.push({ row, field, message: `【${def.label}】${message}` })), row }));
  rejectIfProblems(def.label, problems);
  const [report] = await importKnowledge(db, actor, { [kind]: rows } as KnowledgeSet, { file: filePath });
  return report!;
}

/** Retires a knowledge point: the version in force on `enddate` is closed on that day (history kept). */
export async function retireKnowledge(db: Db, actor: Actor, kind: KbKind, key: Record<string, string>, enddate: string): Promise<void> {
  const def = KINDS[kind];
  if (!isIsoDate(enddate)) throw validationError(`结束日期“${enddate}”格式错误，应为 yyyy-MM-dd`, [{ field: 'enddate', message: '应为 yyyy-MM-dd' }]);
  const missing = def.key.filter((k) => !key[k]);
  if (missing.length) throw validationError(`缺少键字段：${missing.join('、')}`, missing.map((field) => ({ field, message: '不能为空' })));
  await db.k.transaction().execute(async (trx) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const t = trx as unknown as Kysely<any>;
    let q = t.selectFrom(def.table).selectAll();
    for (const k of def.key) q = q.where(k, '=', key[k]);
    const versions = (await q.execute()) as Row[];
    const current = versions.find((v) => validOnDate(v, enddate));
    if (!current) throw validationError(`【${def.label}】${def.key.map((k) => key[k]).join(' / ')} 在 ${enddate} 没有生效的版本`, [{ field: 'enddate', message: '没有生效的版本' }]);
    let u = t.updateTable(def.table).set({ enddate }).where('begndate', '=', current.begndate);
    for (const k of def.key) u = u.where(k, '=', key[k]);
    await u.execute();
    await recordOperation(trx, actor, { action: 'audit.kb.retire', target_type: def.table, target_id: def.key.map((k) => key[k]).join('|'), before: current, after: { ...current, enddate } });
  });
  auditDataChanged(db);
}
