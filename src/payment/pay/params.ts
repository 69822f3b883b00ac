/**
 * The parameters of point-value payment (付费参数) per region, payment type and settlement year: the budget and base
 * rate (money columns) and the rest (coefficients, thresholds, year weights, the 特例单议 cap, …) as exact decimal
 * strings in jsonb. Rows are effective-dated (platform/effective.ts): a change from date D closes the version in
 * force at D−1, so the history of every parameter is kept; a run uses the version in force on the year's last day.
 * Reading fills in defaults; saving validates everything first and writes nothing on bad input.
 */
import type { Db } from '../../platform/db.js';
import { closeAndInsert, validOnSql } from '../../platform/effective.js';
import { notFound, validationError } from '../../platform/errors.js';
import { fenToYuan, yuanToFen } from '../../platform/money.js';
import { recordOperation, type Actor } from '../../platform/oplog.js';
import { requireActorCovers } from '../../platform/scope.js';
import { isIsoDate } from '../../platform/time.js';
import { DEFAULT_DRG_VERSION } from '../drg/tables.js';
import { dec4, text4 } from './arith.js';
import type { PayParams, PayType } from './types.js';

/** The jsonb part as people write it (API body, CLI, stored row): decimals as strings or numbers. */
export type RawParams = Record<string, unknown>;

/** Defaults (drg-dip.md §1.7–1.8, §2.5–2.6): common local values; every one can be set per region and year. */
const COMMON: RawParams = {
  trim: { method: 'sd', k: 3 },
  trim_min_cases: 10,
  level_coef: { '1': '0.85', '2': '0.95', '3': '1', '9': '0.85' },
  scale: 100,
  special_ratio: '5',
  special_los: 60,
  prepay_ratio: '0.9',
  budget_includes_psn_pay: false,
  drg_version: DEFAULT_DRG_VERSION,
};

export const DEFAULT_RAW: Record<PayType, RawParams> = {
  drg: { ...COMMON, high_ratio: '3', low_ratio: '0.4', special_cap: '0.05', ungrouped: { method: 'cost', ratio: '0.9' } },
  dip: { ...COMMON, high_ratio: '2', low_ratio: '0.5', special_cap: '0.005', ungrouped: { method: 'cost', ratio: '0.7' } },
};

const KNOWN = new Set([...Object.keys(DEFAULT_RAW.drg), 'year_weights', 'dip_cat_ver']);

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function int(v: unknown, field: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw validationError(`参数 ${field} 应为不小于 ${min} 的整数，实际为 ${JSON.stringify(v)}`, [{ field, message: '应为整数' }]);
  return v;
}

/** Validates the jsonb part and fills in defaults; returns exact integers. Throws a Chinese error naming the field. */
export function parseParams(payType: PayType, budget: string | number, base_rate: string | number, raw: RawParams = {}): PayParams {
  if (!isObj(raw)) throw validationError('参数应为 JSON 对象');
  const unknown = Object.keys(raw).filter((k) => !KNOWN.has(k));
  if (unknown.length) throw validationError(`未知的参数：${unknown.join('、')}`, unknown.map((field) => ({ field, message: '未知参数' })));
  const r = { ...DEFAULT_RAW[payType], ...raw };
  const b = yuanToFen(budget, 'budget');
  if (b <= 0) throw validationError('年度预算 budget 应大于 0', [{ field: 'budget', message: '应大于 0' }]);
  const rate = yuanToFen(base_rate, 'base_rate');
  if (rate < 0) throw validationError('基础费率 base_rate 不能为负', [{ field: 'base_rate', message: '不能为负' }]);

  const yw: Record<string, number> = {};
  if (r.year_weights !== undefined) {
    if (!isObj(r.year_weights)) throw validationError('参数 year_weights 应为 {年度: 权重}', [{ field: 'year_weights', message: '格式错误' }]);
    for (const [y, w] of Object.entries(r.year_weights)) {
      if (!/^\d{4}$/.test(y)) throw validationError(`year_weights 的年度“${y}”应为4位数字`, [{ field: 'year_weights', message: '年度格式错误' }]);
      const v = dec4(w, `year_weights.${y}`);
      if (v <= 0) throw validationError(`year_weights 的权重应为正数（${y}）`, [{ field: 'year_weights', message: '权重应为正数' }]);
      yw[y] = v / 10_000;
    }
  }
  const t = r.trim;
  let trim: PayParams['trim'];
  if (!isObj(t)) throw validationError('参数 trim 应为对象', [{ field: 'trim', message: '格式错误' }]);
  if (t.method === 'none') trim = { method: 'none' };
  else if (t.method === 'sd') trim = { method: 'sd', k: dec4(t.k, 'trim.k') / 10_000 };
  else if (t.method === 'percentile') {
    const low = dec4(t.low, 'trim.low') / 10_000;
    const high = dec4(t.high, 'trim.high') / 10_000;
    if (!(low < high && high <= 100)) throw validationError('trim 的百分位应满足 0 ≤ low < high ≤ 100', [{ field: 'trim', message: '百分位错误' }]);
    trim = { method: 'percentile', low, high };
  } else throw validationError('trim.method 只能是 sd、percentile 或 none', [{ field: 'trim.method', message: '取值错误' }]);

  if (!isObj(r.level_coef)) throw validationError('参数 level_coef 应为 {医院等级: 系数}', [{ field: 'level_coef', message: '格式错误' }]);
  const level_coef: Record<string, number> = {};
  for (const [lv, c] of Object.entries(r.level_coef)) {
    if (!/^[1239]$/.test(lv)) throw validationError(`level_coef 的医院等级“${lv}”只能是 1、2、3、9`, [{ field: 'level_coef', message: '等级错误' }]);
    level_coef[lv] = dec4(c, `level_coef.${lv}`);
  }
  const u = r.ungrouped;
  let ungrouped: PayParams['ungrouped'];
  if (isObj(u) && u.method === 'cost') ungrouped = { method: 'cost', ratio: dec4(u.ratio, 'ungrouped.ratio') };
  else if (isObj(u) && u.method === 'rw') ungrouped = { method: 'rw', rw: dec4(u.rw, 'ungrouped.rw') };
  else throw validationError('参数 ungrouped 应为 {method:"cost",ratio} 或 {method:"rw",rw}', [{ field: 'ungrouped', message: '格式错误' }]);

  const p: PayParams = {
    budget: b,
    base_rate: rate,
    year_weights: yw,
    trim,
    trim_min_cases: int(r.trim_min_cases, 'trim_min_cases', 0),
    level_coef,
    scale: int(r.scale, 'scale', 1),
    high_ratio: dec4(r.high_ratio, 'high_ratio'),
    low_ratio: dec4(r.low_ratio, 'low_ratio'),
    special_ratio: dec4(r.special_ratio, 'special_ratio'),
    special_los: int(r.special_los, 'special_los', 1),
    special_cap: dec4(r.special_cap, 'special_cap'),
    ungrouped,
    prepay_ratio: dec4(r.prepay_ratio, 'prepay_ratio'),
    budget_includes_psn_pay: r.budget_includes_psn_pay === true,
    drg_version: typeof r.drg_version === 'string' && r.drg_version ? r.drg_version : DEFAULT_DRG_VERSION,
    dip_cat_ver: typeof r.dip_cat_ver === 'string' && r.dip_cat_ver ? r.dip_cat_ver : null,
  };
  if (typeof r.budget_includes_psn_pay !== 'boolean') throw validationError('参数 budget_includes_psn_pay 应为 true 或 false', [{ field: 'budget_includes_psn_pay', message: '应为布尔值' }]);
  if (p.low_ratio >= p.high_ratio) throw validationError('低倍率界值 low_ratio 应小于高倍率界值 high_ratio', [{ field: 'low_ratio', message: '应小于 high_ratio' }]);
  if (p.special_ratio < p.high_ratio) throw validationError('特例单议界值 special_ratio 不应小于高倍率界值 high_ratio', [{ field: 'special_ratio', message: '应不小于 high_ratio' }]);
  if (p.special_cap > 10_000 || p.prepay_ratio > 10_000) throw validationError('special_cap 与 prepay_ratio 不能大于 1', [{ field: 'special_cap', message: '不能大于 1' }]);
  return p;
}

/** The parameters as stored and shown (exact decimal strings). */
export function rawOf(p: PayParams): RawParams {
  return {
    year_weights: Object.fromEntries(Object.entries(p.year_weights).map(([y, w]) => [y, String(w)])),
    trim: p.trim,
    trim_min_cases: p.trim_min_cases,
    level_coef: Object.fromEntries(Object.entries(p.level_coef).map(([lv, c]) => [lv, text4(c)])),
    scale: p.scale,
    high_ratio: text4(p.high_ratio),
    low_ratio: text4(p.low_ratio),
    special_ratio: text4(p.special_ratio),
    special_los: p.special_los,
    special_cap: text4(p.special_cap),
    ungrouped: p.ungrouped.method === 'cost' ? { method: 'cost', ratio: text4(p.ungrouped.ratio) } : { method: 'rw', rw: text4(p.ungrouped.rw) },
    prepay_ratio: text4(p.prepay_ratio),
    budget_includes_psn_pay: p.budget_includes_psn_pay,
    drg_version: p.drg_version,
    ...(p.dip_cat_ver ? { dip_cat_ver: p.dip_cat_ver } : {}),
  };
}

export interface ParamKey {
  admdvs: string;
  pay_type: PayType;
  setl_year: number;
}

export interface ParamVersion extends ParamKey {
  begndate: string;
  enddate: string | null;
  budget: string;
  base_rate: string;
  params: RawParams;
  opter_id: string;
  opter_name: string;
  crte_time: string;
}

function checkKey(k: ParamKey): void {
  if (!/^\d{6}$/.test(k.admdvs)) throw validationError(`医保区划“${k.admdvs}”应为6位数字`, [{ field: 'admdvs', message: '格式错误' }]);
  if (k.pay_type !== 'drg' && k.pay_type !== 'dip') throw validationError(`付费方式只能是 drg 或 dip，实际为 ${String(k.pay_type)}`, [{ field: 'pay_type', message: '取值错误' }]);
  if (!Number.isInteger(k.setl_year) || k.setl_year < 2000 || k.setl_year > 2999) throw validationError(`年度应为4位数字，实际为 ${String(k.setl_year)}`, [{ field: 'setl_year', message: '格式错误' }]);
}

/** Writes a new version from `begndate` (closing the one in force the day before), with its operation-log row. */
export async function saveParams(db: Db, actor: Actor, key: ParamKey, v: { begndate: string; budget: string | number; base_rate: string | number; params?: RawParams }): Promise<ParamVersion> {
  checkKey(key);
  requireActorCovers(actor, key.admdvs);
  if (!isIsoDate(v.begndate)) throw validationError(`生效日期“${v.begndate}”格式错误，应为 yyyy-MM-dd`, [{ field: 'begndate', message: '格式错误' }]);
  const parsed = parseParams(key.pay_type, v.budget, v.base_rate, v.params ?? {});
  const row = {
    ...key,
    begndate: v.begndate,
    enddate: null,
    budget: fenToYuan(parsed.budget),
    base_rate: fenToYuan(parsed.base_rate),
    params: JSON.stringify(v.params ?? {}),
    opter_id: actor.id,
    opter_name: actor.name,
  };
  await db.k.transaction().execute(async (trx) => {
    const before = await closeAndInsert(trx, 'pay_param', { admdvs: key.admdvs, pay_type: key.pay_type, setl_year: String(key.setl_year) }, row);
    await recordOperation(trx, actor, { action: 'pay.param.save', target_type: 'pay_param', target_id: `${key.admdvs}-${key.pay_type}-${key.setl_year}`, admdvs: key.admdvs, before, after: { ...row, params: v.params ?? {} } });
  });
  const saved = (await paramHistory(db, key)).find((h) => h.begndate === v.begndate);
  return saved!;
}

const viewOf = (r: { admdvs: string; pay_type: PayType; setl_year: number; begndate: string; enddate: string | null; budget: string; base_rate: string; params: unknown; opter_id: string; opter_name: string; crte_time: Date }): ParamVersion => ({
  admdvs: r.admdvs,
  pay_type: r.pay_type,
  setl_year: r.setl_year,
  begndate: r.begndate,
  enddate: r.enddate,
  budget: r.budget,
  base_rate: r.base_rate,
  params: (typeof r.params === 'string' ? JSON.parse(r.params) : r.params) as RawParams,
  opter_id: r.opter_id,
  opter_name: r.opter_name,
  crte_time: new Date(r.crte_time).toISOString(),
});

/** Every version of a key, oldest first. */
export async function paramHistory(db: Db, key: ParamKey): Promise<ParamVersion[]> {
  checkKey(key);
  const rows = await db.k.selectFrom('pay_param').selectAll().where('admdvs', '=', key.admdvs).where('pay_type', '=', key.pay_type).where('setl_year', '=', key.setl_year).orderBy('begndate').execute();
  return rows.map(viewOf);
}

/** The version in force on `on` (default: the year's last day), parsed; a Chinese not-found error without one. */
export async function paramsInForce(db: Db, key: ParamKey, on = `${key.setl_year}-12-31`): Promise<{ version: ParamVersion; params: PayParams }> {
  checkKey(key);
  const r = await db.k.selectFrom('pay_param').selectAll().where('admdvs', '=', key.admdvs).where('pay_type', '=', key.pay_type).where('setl_year', '=', key.setl_year).where(validOnSql(on)).executeTakeFirst();
  if (!r) throw notFound(`区划 ${key.admdvs} ${key.setl_year} 年度没有 ${on} 生效的 ${key.pay_type.toUpperCase()} 付费参数，请先设置（yibao pay params 或管理端“付费参数”）`);
  const version = viewOf(r);
  return { version, params: parseParams(key.pay_type, r.budget, r.base_rate, version.params) };
}
