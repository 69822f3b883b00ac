/**
 * Code tables (码表): validation of coded values against `dict_item` (valid on a date), labels for display,
 * and the 1901 字典表查询 answer. Owns table `dict_item` (migration 0002).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Db, Tables } from '../platform/db.js';
import { validationError } from '../platform/errors.js';
import { validOnSql } from '../platform/effective.js';
import { beijingDate } from '../platform/time.js';
import { DICT_BEGNDATE, DICT_TABLES } from './dict-data.js';
import { invalidate, RefCache } from '../platform/cache.js';

export interface DictItemTable {
  dict_type: string;
  value: string;
  label: string;
  parent_value: string | null;
  sort: number;
  begndate: string;
  enddate: string | null;
}

declare module '../platform/db.js' {
  interface Tables {
    dict_item: DictItemTable;
  }
}

/** Writes the shipped code tables (inside the caller's transaction); returns the number of rows. */
export async function insertShippedDict(trx: Transaction<Tables> | Kysely<Tables>): Promise<number> {
  const rows: DictItemTable[] = [];
  for (const [dict_type, table] of Object.entries(DICT_TABLES)) {
    table.items.forEach(([value, label], i) =>
      rows.push({ dict_type, value, label, parent_value: null, sort: i + 1, begndate: DICT_BEGNDATE, enddate: null }),
    );
  }
  for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('dict_item').values(rows.slice(i, i + 1000)).execute();
  // inside a caller's transaction the caller invalidates again once it has committed (national-load.ts)
  invalidate('dict');
  return rows.length;
}

export async function listDict(db: Db, dict_type: string, on: string = beijingDate()): Promise<DictItemTable[]> {
  return db.k.selectFrom('dict_item').selectAll().where('dict_type', '=', dict_type).where(validOnSql(on)).orderBy('sort').execute();
}

/** A snapshot of all code tables valid on a date: type → value → label. For bulk validation. */
export type DictSnapshot = Map<string, Map<string, string>>;

/** Snapshots by date, cached for the process (a few dates are in use at a time); shared: read them, never change them. */
const snapshots = new RefCache<DictSnapshot>('dict', { max: 64 });

export async function loadDictSnapshot(db: Db, on: string = beijingDate()): Promise<DictSnapshot> {
  return snapshots.get(db, on, async () => {
    const rows = await db.k.selectFrom('dict_item').select(['dict_type', 'value', 'label']).where(validOnSql(on)).execute();
    const snap: DictSnapshot = new Map();
    for (const r of rows) {
      let m = snap.get(r.dict_type);
      if (!m) snap.set(r.dict_type, (m = new Map()));
      m.set(r.value, r.label);
    }
    return snap;
  });
}

/** Names of code tables that other domains' migrations insert (their rows are not shipped in DICT_TABLES). */
const MIGRATION_DICT_LABELS: Record<string, string> = {
  trig_scen: '触发场景',
  audit_stage: '审核环节',
  sev_deg: '严重程度',
  vola_amt_stas: '违规金额统计标志',
  vola_item_type: '违规项目类型',
  vola_bhvr_type: '违规行为类型',
  rule_cls: '规则分类',
  time_window: '时间窗口',
  audit_scene: '审核场景',
  vola_amt_formula: '违规金额计算方式',
  warn_dspo_way: '提醒处理方式',
};

/** The Chinese name of a code table for messages ("性别"), falling back to the field name. */
export function dictName(dict_type: string): string {
  return DICT_TABLES[dict_type]?.label ?? MIGRATION_DICT_LABELS[dict_type] ?? dict_type;
}

/** Returns a Chinese problem text when the value is not in the table, else null. */
export function dictProblem(snap: DictSnapshot, dict_type: string, value: string): string | null {
  const table = snap.get(dict_type);
  if (!table) return `码表 ${dict_type} 不存在`;
  return table.has(value) ? null : `“${value}”不是有效的${dictName(dict_type)}代码`;
}

export async function requireDictValue(db: Db, dict_type: string, value: string, field = dict_type, on: string = beijingDate(), row?: number): Promise<void> {
  const hit = await db.k
    .selectFrom('dict_item')
    .select('value')
    .where('dict_type', '=', dict_type)
    .where('value', '=', value)
    .where(validOnSql(on))
    .executeTakeFirst();
  if (!hit) throw validationError(`${field}：“${value}”不是有效的${dictName(dict_type)}代码`, [{ row, field, message: `不是有效的${dictName(dict_type)}代码` }]);
}

export async function dictLabel(db: Db, dict_type: string, value: string, on: string = beijingDate()): Promise<string | undefined> {
  const r = await db.k.selectFrom('dict_item').select('label').where('dict_type', '=', dict_type).where('value', '=', value).where(validOnSql(on)).executeTakeFirst();
  return r?.label;
}

export interface Query1901 {
  type: string;
  parentValue?: string | null;
  admdvs?: string | null;
  date?: string | null;
  valiFlag?: string | null;
}

/** 1901 字典表查询: rows in the camelCase shape the interface uses for this one transaction. */
export async function queryDict1901(db: Db, input: Query1901) {
  const on = input.date || beijingDate();
  let q = db.k.selectFrom('dict_item').selectAll().where('dict_type', '=', input.type);
  if (input.parentValue) q = q.where('parent_value', '=', input.parentValue);
  if (input.valiFlag !== '0') q = q.where(validOnSql(on));
  const rows = await q.orderBy('sort').execute();
  return rows.map((r) => ({
    type: r.dict_type,
    label: r.label,
    value: r.value,
    parentValue: r.parent_value,
    sort: r.sort,
    valiFlag: r.enddate === null || r.enddate >= on ? '1' : '0',
    createUser: 'system',
    createDate: `${r.begndate} 00:00:00`,
    version: r.begndate.replace(/-/g, ''),
  }));
}
