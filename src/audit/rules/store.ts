/**
 * The rule base (规则库) in the database: validation of a rule version (metadata against the audit code tables,
 * parameters against the implementation's schema and checks — a broken parameter is refused with a Chinese
 * message naming it), saving a new version (history by closing rows, operation log), installing the default
 * rules, and reading the rule base for the engine.
 */
import { Value } from '@sinclair/typebox/value';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { checkPeriod, closeAndInsert, validOnDate } from '../../platform/effective.js';
import { validationError, type FieldProblem } from '../../platform/errors.js';
import { recordOperation, SYSTEM_ACTOR, type Actor } from '../../platform/oplog.js';
import { isIsoDate } from '../../platform/time.js';
import { DICT_TABLES } from '../../standards/dict-data.js';
import { splitList } from '../../standards/catalogue/restrictions.js';
import { AMT_FORMULAS, AUDIT_SCENES, RULE_CLS, SEV_DEG, STAGES, TIME_WINDOWS, VOLA_BHVR_TYPES, type AuditRuleTable, type AuditScene, type Stage } from '../types.js';
import { DEFAULT_FUND_TYPE, DEFAULT_RULES, type RuleInput } from './catalogue.js';
import { RULE_IMPLS, type AnyRuleImpl, type RuleImpls } from './index.js';
import type { RuleDef } from './types.js';
import { batchParamSchema } from '../batch/params.js';

export const RULE_ID_RE = /^[A-Z]{2,5}(-[A-Z0-9]{1,8}){1,3}$/;
const LEVELS = new Set(['1', '2', '3', '9']);
const INSUTYPES = new Set(DICT_TABLES.insutype!.items.map(([v]) => v));

function describeParamError(e: ValueError): FieldProblem {
  const s = e.schema as { minimum?: number; maximum?: number; anyOf?: { const?: unknown }[] };
  const path = e.path.replace(/^\//, '').replace(/\//g, '.');
  const field = path ? `params.${path}` : 'params';
  switch (e.type) {
    case ValueErrorType.ObjectAdditionalProperties:
      return { field, message: '不是该规则的参数' };
    case ValueErrorType.ObjectRequiredProperty:
      return { field, message: '缺少必填参数' };
    case ValueErrorType.Object:
      return { field, message: '应为JSON对象' };
    case ValueErrorType.Integer:
      return { field, message: '应为整数' };
    case ValueErrorType.Number:
      return { field, message: '应为数字' };
    case ValueErrorType.Boolean:
      return { field, message: '应为 true 或 false' };
    case ValueErrorType.String:
      return { field, message: '应为字符串' };
    case ValueErrorType.Array:
      return { field, message: '应为数组' };
    case ValueErrorType.StringMinLength:
      return { field, message: '不能为空' };
    case ValueErrorType.StringMaxLength:
      return { field, message: '过长' };
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return { field, message: `不能小于${s.minimum}` };
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return { field, message: `不能大于${s.maximum}` };
    case ValueErrorType.Union: {
      const consts = (s.anyOf ?? []).map((x) => x.const);
      return { field, message: consts.every((c) => typeof c === 'string') ? `取值应为 ${consts.join('、')} 之一` : '取值类型不符' };
    }
    default:
      return { field, message: e.message };
  }
}

/** Parameters with defaults filled in, or the problems (Chinese, field = params.<name>). */
export function checkParams(impl: AnyRuleImpl, raw: unknown): { params: Record<string, unknown>; problems: FieldProblem[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { params: {}, problems: [{ field: 'params', message: '应为JSON对象' }] };
  const value = Value.Default(impl.params, structuredClone(raw)) as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const e of Value.Errors(impl.params, value)) {
    const p = describeParamError(e);
    if (seen.has(p.field!)) continue;
    seen.add(p.field!);
    problems.push(p);
  }
  if (!problems.length && impl.check) problems.push(...impl.check(value as never));
  return { params: value, problems };
}

/** Every problem of a rule version (metadata and parameters), with the parameters as they will be stored. */
export function checkRule(input: RuleInput, impls: RuleImpls = RULE_IMPLS): { problems: FieldProblem[]; params: Record<string, unknown> } {
  const problems: FieldProblem[] = [];
  const p = (field: string, message: string) => problems.push({ field, message });
  const oneOf = (field: string, v: string | undefined, table: Record<string, string>, what: string) => {
    if (v === undefined || !(v in table)) p(field, `“${v ?? ''}”不是有效的${what}（${Object.entries(table).map(([k, l]) => `${k} ${l}`).join('、')}）`);
  };
  if (!RULE_ID_RE.test(input.rule_id ?? '')) p('rule_id', '规则编码应为大写字母段加“-”分隔的编码，如 POL-GEN-01');
  if (!input.rule_name?.trim()) p('rule_name', '规则名称不能为空');
  else if (input.rule_name.length > 200) p('rule_name', '规则名称不能超过200个字符');
  oneOf('rule_cls', input.rule_cls, RULE_CLS, '规则分类');
  oneOf('rslt_type', input.rslt_type, SEV_DEG, '规则运行结果类型');
  oneOf('sev_deg', input.sev_deg ?? input.rslt_type, SEV_DEG, '严重程度');
  oneOf('time_window', input.time_window, TIME_WINDOWS, '时间区间');
  oneOf('vola_bhvr_type', input.vola_bhvr_type, VOLA_BHVR_TYPES, '违规行为分类');
  oneOf('vola_amt_formula', input.vola_amt_formula, AMT_FORMULAS, '违规金额计算方式');
  if (!input.stages?.length) p('stages', '监管环节不能为空');
  for (const s of input.stages ?? []) if (!(s in STAGES)) p('stages', `“${s}”不是有效的监管环节（1 事前、2 事中、3 事后）`);
  for (const s of input.scenes ?? []) if (!(s in AUDIT_SCENES)) p('scenes', `“${s}”不是有效的应用场景（1 门急诊、2 住院、3 购药、4 互联网、5 异地）`);
  for (const l of input.medins_lv ?? []) if (!LEVELS.has(l)) p('medins_lv', `“${l}”不是有效的医疗机构级别（1、2、3、9）`);
  for (const t of input.insutypes ?? []) if (!INSUTYPES.has(t)) p('insutypes', `“${t}”不是有效的险种类型`);
  if (!input.vola_evid?.trim()) p('vola_evid', '违规依据不能为空');
  else if (input.vola_evid.length > 500) p('vola_evid', '违规依据不能超过500个字符');
  if (!input.logic_dscr?.trim()) p('logic_dscr', '逻辑说明不能为空');
  if (!isIsoDate(input.begndate ?? '')) p('begndate', '开始日期应为 yyyy-MM-dd');
  else if (input.enddate) {
    if (!isIsoDate(input.enddate)) p('enddate', '结束日期应为 yyyy-MM-dd');
    else if (input.enddate < input.begndate) p('enddate', '结束日期早于开始日期');
  }
  const impl = impls.get(input.rule_id);
  const realtime = (input.stages ?? []).some((s) => s === '1' || s === '2');
  if (!impl) {
    if (realtime) p('stages', `规则 ${input.rule_id} 尚无事前/事中实现，监管环节只能为事后`);
    const raw = input.params ?? {};
    // a 事后-only rule (fraud models, batch SQL) is checked against its batch parameter schema when it has one
    const schema = batchParamSchema(input.rule_id);
    if (!schema) {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) p('params', '应为JSON对象');
      return { problems, params: raw as Record<string, unknown> };
    }
    const c = checkParams({ rule_id: input.rule_id, params: schema, formulas: [], run: () => [] } as unknown as AnyRuleImpl, raw);
    problems.push(...c.problems);
    return { problems, params: c.params };
  }
  if (input.vola_amt_formula in AMT_FORMULAS && !impl.formulas.includes(input.vola_amt_formula)) {
    p('vola_amt_formula', `规则 ${input.rule_id} 不支持“${AMT_FORMULAS[input.vola_amt_formula]}”，可选：${impl.formulas.map((f) => `${f} ${AMT_FORMULAS[f]}`).join('、')}`);
  }
  const params = checkParams(impl, input.params ?? {});
  problems.push(...params.problems);
  return { problems, params: params.params };
}

const list = (xs: readonly string[] | undefined) => (xs ?? []).join(',');

function toRow(input: RuleInput, params: Record<string, unknown>, rule_ver: number, actor: Actor): Omit<AuditRuleTable, 'updt_time'> {
  return {
    rule_id: input.rule_id,
    rule_name: input.rule_name.trim(),
    rule_cls: input.rule_cls,
    rule_ver,
    rslt_type: input.rslt_type,
    time_window: input.time_window,
    medins_lv: list(input.medins_lv),
    medins_type: list(input.medins_type),
    scenes: list(input.scenes),
    fund_type: input.fund_type ?? DEFAULT_FUND_TYPE,
    stages: list(input.stages),
    insutypes: list(input.insutypes),
    sev_deg: input.sev_deg ?? input.rslt_type,
    vola_bhvr_type: input.vola_bhvr_type,
    vola_evid: input.vola_evid.trim(),
    vola_amt_formula: input.vola_amt_formula,
    knowledge_refs: list(input.knowledge_refs),
    logic_dscr: input.logic_dscr.trim(),
    params: JSON.stringify(params),
    enabled: input.enabled === false ? '0' : '1',
    memo: input.memo ?? null,
    opter_id: actor.id,
    begndate: input.begndate,
    enddate: input.enddate ?? null,
  };
}

/** A rule version as the engine uses it, from a stored row (parameters re-checked, defaults filled in). */
export function ruleDefFromRow(row: Omit<AuditRuleTable, 'updt_time' | 'opter_id'>, impls: RuleImpls = RULE_IMPLS): RuleDef & { paramErr?: string } {
  const raw = typeof row.params === 'string' ? (JSON.parse(row.params) as unknown) : row.params;
  const impl = impls.get(row.rule_id);
  let params = (raw ?? {}) as Record<string, unknown>;
  let paramErr: string | undefined;
  if (impl) {
    const c = checkParams(impl, raw ?? {});
    params = c.params;
    if (c.problems.length) paramErr = `规则参数有误：${c.problems.map((x) => `${x.field}${x.message}`).join('；')}`;
  }
  return {
    rule_id: row.rule_id,
    rule_name: row.rule_name,
    rule_cls: row.rule_cls,
    rule_ver: row.rule_ver,
    rslt_type: row.rslt_type,
    time_window: row.time_window.trim(),
    medins_lv: splitList(row.medins_lv),
    medins_type: splitList(row.medins_type),
    scenes: splitList(row.scenes) as AuditScene[],
    fund_type: row.fund_type,
    stages: splitList(row.stages) as Stage[],
    insutypes: splitList(row.insutypes),
    sev_deg: row.sev_deg,
    vola_bhvr_type: row.vola_bhvr_type.trim(),
    vola_evid: row.vola_evid,
    vola_amt_formula: row.vola_amt_formula,
    knowledge_refs: splitList(row.knowledge_refs),
    logic_dscr: row.logic_dscr,
    params,
    enabled: row.enabled === '1',
    memo: row.memo,
    begndate: row.begndate,
    enddate: row.enddate,
    ...(paramErr ? { paramErr } : {}),
  };
}

/** A rule version from an input, validated (throws the Chinese VALIDATION error). For tests and benchmarks. */
export function ruleDefFromInput(input: RuleInput, impls: RuleImpls = RULE_IMPLS): RuleDef {
  const { problems, params } = checkRule(input, impls);
  if (problems.length) throw validationError(`规则 ${input.rule_id} 有误：${problems.map((x) => `${x.field}：${x.message}`).join('；')}`, problems);
  return ruleDefFromRow(toRow(input, params, 1, SYSTEM_ACTOR), impls);
}

/** All versions of all rules; `inForce(date)` gives one version per rule. */
export class RuleBase {
  readonly loadedAt = new Date();
  private readonly memo = new Map<string, RuleDef[]>();
  constructor(readonly rules: readonly (RuleDef & { paramErr?: string })[]) {}
  inForce(on: string): (RuleDef & { paramErr?: string })[] {
    let r = this.memo.get(on);
    if (!r) {
      r = this.rules.filter((x) => validOnDate(x, on));
      this.memo.set(on, r);
    }
    return r;
  }
  get(rule_id: string, on: string): (RuleDef & { paramErr?: string }) | undefined {
    return this.inForce(on).find((r) => r.rule_id === rule_id);
  }
}

/** The default rule base without a database (tests, benchmark). */
export function defaultRuleBase(impls: RuleImpls = RULE_IMPLS): RuleBase {
  return new RuleBase(DEFAULT_RULES.map((r) => ruleDefFromInput(r, impls)));
}

export async function loadRuleBase(db: Db, impls: RuleImpls = RULE_IMPLS): Promise<RuleBase> {
  const rows = await db.k.selectFrom('audit_rule').selectAll().orderBy('rule_id').orderBy('begndate').execute();
  return new RuleBase(rows.map((r) => ruleDefFromRow(r, impls)));
}

const listeners = new Set<(db: Db) => void>();
/** Called after every write to the rule base or knowledge base in this process (caches drop their snapshot). */
export function onAuditDataChanged(fn: (db: Db) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
export function auditDataChanged(db: Db): void {
  for (const fn of listeners) fn(db);
}

/**
 * Saves a rule version from its begndate: the version in force the day before is closed, history is kept. The
 * whole input is validated first; any problem refuses the save with one Chinese message listing them.
 */
export async function saveRule(db: Db, actor: Actor, input: RuleInput, impls: RuleImpls = RULE_IMPLS): Promise<RuleDef> {
  const { problems, params } = checkRule(input, impls);
  if (problems.length) throw validationError(`规则 ${input.rule_id ?? ''} 保存失败`, problems);
  checkPeriod({ begndate: input.begndate, enddate: input.enddate ?? null });
  const row = await db.k.transaction().execute(async (trx) => {
    const ver = await trx.selectFrom('audit_rule').select(sql<number>`coalesce(max(rule_ver), 0)::int8`.as('v')).where('rule_id', '=', input.rule_id).executeTakeFirst();
    const r = toRow(input, params, (ver?.v ?? 0) + 1, actor);
    const before = await closeAndInsert(trx, 'audit_rule', { rule_id: input.rule_id }, r);
    await recordOperation(trx, actor, { action: 'audit.rule.save', target_type: 'audit_rule', target_id: input.rule_id, before, after: { ...r, params } });
    return r;
  });
  auditDataChanged(db);
  return ruleDefFromRow(row, impls);
}

/** Switches a rule on or off from a date (a new version with everything else unchanged). */
export async function setRuleEnabled(db: Db, actor: Actor, rule_id: string, enabled: boolean, from: string): Promise<RuleDef> {
  const base = await loadRuleBase(db);
  const cur = base.get(rule_id, from);
  if (!cur) throw validationError(`规则 ${rule_id} 在 ${from} 不存在`, [{ field: 'rule_id', message: '规则不存在' }]);
  return saveRule(db, actor, { ...ruleInputOf(cur), enabled, begndate: from, enddate: null });
}

/** The input that would save this version again. */
export function ruleInputOf(d: RuleDef): RuleInput {
  return {
    rule_id: d.rule_id,
    rule_name: d.rule_name,
    rule_cls: d.rule_cls,
    rslt_type: d.rslt_type,
    time_window: d.time_window,
    medins_lv: d.medins_lv,
    medins_type: d.medins_type,
    scenes: d.scenes,
    fund_type: d.fund_type,
    stages: d.stages,
    insutypes: d.insutypes,
    sev_deg: d.sev_deg,
    vola_bhvr_type: d.vola_bhvr_type,
    vola_evid: d.vola_evid,
    vola_amt_formula: d.vola_amt_formula,
    knowledge_refs: d.knowledge_refs,
    logic_dscr: d.logic_dscr,
    params: d.params,
    enabled: d.enabled,
    memo: d.memo,
    begndate: d.begndate,
    enddate: d.enddate,
  };
}

/**
 * Installs the default rules whose rule_id has no row yet (an edited or retired rule is never touched). One
 * transaction; returns the number of rules installed.
 */
export async function installDefaultRules(db: Db, actor: Actor = SYSTEM_ACTOR, impls: RuleImpls = RULE_IMPLS): Promise<number> {
  const have = new Set((await db.k.selectFrom('audit_rule').select('rule_id').distinct().execute()).map((r) => r.rule_id));
  const todo = DEFAULT_RULES.filter((r) => !have.has(r.rule_id));
  if (!todo.length) return 0;
  const rows = todo.map((input) => {
    const { problems, params } = checkRule(input, impls);
    if (problems.length) throw validationError(`默认规则 ${input.rule_id} 有误：${problems.map((x) => `${x.field}：${x.message}`).join('；')}`, problems);
    return toRow(input, params, 1, actor);
  });
  await db.k.transaction().execute(async (trx) => {
    await trx.insertInto('audit_rule').values(rows).execute();
    await recordOperation(trx, actor, { action: 'audit.rule.install', target_type: 'audit_rule', after: { rules: rows.map((r) => r.rule_id) } });
  });
  auditDataChanged(db);
  return rows.length;
}
