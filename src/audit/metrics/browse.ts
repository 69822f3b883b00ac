/**
 * Read-only browsing for the console and the API: the knowledge-base tables (each paged, by code and date), the
 * knowledge loads (versions), and the evaluation log of 3101/3102 (audit_eval with its warnings and the doctors'
 * dispositions) — the raw material the metrics in index.ts aggregate. Evaluations are scoped through the calling
 * institution's area. Amounts leave as yuan numbers.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { notFound, validationError } from '../../platform/errors.js';
import { validOnSql } from '../../platform/effective.js';
import { pageOf, yuanOut } from '../cases/read-helpers.js';
import { beijingDateTime, beijingDayEnd, beijingDayStart } from '../../platform/time.js';

export const KB_KINDS = ['item', 'pair', 'freq', 'drug', 'herb', 'cycle'] as const;
export type KbBrowseKind = (typeof KB_KINDS)[number];

/** The column a code search looks at, per knowledge table. */
const CODE_COLS: Record<KbBrowseKind, string[]> = {
  item: ['hilist_code'],
  pair: ['item_a', 'item_b'],
  freq: ['hilist_code'],
  drug: ['hilist_code', 'ingr_code'],
  herb: ['hilist_code'],
  cycle: ['code'],
};

interface Paged {
  page_num?: number;
  page_size?: number;
}
const yuan = (v: string) => yuanOut(v)!;

/** One knowledge table, paged: rows whose code starts with `code` (letters, digits, '.', '-', '*' only), valid on `on` (or every version). */
export async function browseKnowledge(db: Db, kind: KbBrowseKind, q: Paged & { code?: string; on?: string; kb_ver?: number }) {
  const { page_num, page_size, offset } = pageOf(q);
  const cols = CODE_COLS[kind];
  const conds = [sql`true`];
  if (q.code && !/^[A-Za-z0-9.*-]+$/.test(q.code)) throw validationError('编码只能包含字母、数字、“.”、“-”、“*”', [{ field: 'code', message: '编码格式不正确' }]);
  if (q.code) conds.push(sql`(${sql.join(cols.map((c) => sql`${sql.ref(c)} like ${`${q.code}%`}`), sql` or `)})`);
  if (q.on) conds.push(validOnSql(q.on));
  if (q.kb_ver) conds.push(sql`kb_ver = ${q.kb_ver}`);
  const table = sql.table(`audit_kb_${kind}`);
  const w = sql.join(conds, sql` and `);
  const total = (await sql<{ n: number }>`select count(*)::int8 as n from ${table} where ${w}`.execute(db.k)).rows[0]?.n ?? 0;
  const list = (await sql<Record<string, unknown>>`select * from ${table} where ${w} order by ${sql.join(cols.map((c) => sql.ref(c)))}, begndate limit ${page_size} offset ${offset}`.execute(db.k)).rows;
  return { kind, page_num, page_size, total, list };
}

export async function listKnowledgeLoads(db: Db, q: Paged & { kb_kind?: string }) {
  const { page_num, page_size, offset } = pageOf(q);
  let base = db.k.selectFrom('audit_kb_load');
  if (q.kb_kind) base = base.where('kb_kind', '=', q.kb_kind);
  const total = (await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0;
  const rows = await base.selectAll().orderBy('kb_ver', 'desc').limit(page_size).offset(offset).execute();
  return { page_num, page_size, total, list: rows.map((r) => ({ ...r, load_time: beijingDateTime(r.load_time) })) };
}

export interface EvalQuery extends Paged {
  from?: string;
  to?: string;
  fixmedins_code?: string;
  infno?: string;
  trig_scen?: string;
  /** Only evaluations with at least one hit. */
  hit?: boolean;
  prefixes?: readonly string[];
}

function evalScope(prefixes: readonly string[] | undefined) {
  if (!prefixes?.length) return sql<boolean>`true`;
  return sql<boolean>`exists (select 1 from fixmedins f where f.fixmedins_code = audit_eval.fixmedins_code and (${sql.join(prefixes.map((p) => sql`f.admdvs like ${`${p}%`}`), sql` or `)}))`;
}

const evalView = <T extends { reqt_time: Date; rsp_time: Date; ana_dura: string; medfee_sumamt: string; vola_amt: string }>(e: T) => ({
  ...e,
  reqt_time: beijingDateTime(e.reqt_time),
  rsp_time: beijingDateTime(e.rsp_time),
  ana_dura: Number(e.ana_dura),
  medfee_sumamt: yuan(e.medfee_sumamt),
  vola_amt: yuan(e.vola_amt),
});

export async function listEvaluations(db: Db, q: EvalQuery) {
  const { page_num, page_size, offset } = pageOf(q);
  let base = db.k.selectFrom('audit_eval').where(evalScope(q.prefixes));
  if (q.from) base = base.where('reqt_time', '>=', beijingDayStart(q.from));
  if (q.to) base = base.where('reqt_time', '<', beijingDayEnd(q.to));
  if (q.fixmedins_code) base = base.where('fixmedins_code', '=', q.fixmedins_code);
  if (q.infno) base = base.where('infno', '=', q.infno);
  if (q.trig_scen) base = base.where('trig_scen', '=', q.trig_scen);
  if (q.hit) base = base.where('hit_cnt', '>', 0);
  const total = (await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0;
  const rows = await base.selectAll().orderBy('reqt_time', 'desc').orderBy('eval_id').limit(page_size).offset(offset).execute();
  return { page_num, page_size, total, list: rows.map(evalView) };
}

export async function getEvaluation(db: Db, eval_id: string, prefixes?: readonly string[]) {
  const e = await db.k.selectFrom('audit_eval').selectAll().where('eval_id', '=', eval_id).where(evalScope(prefixes)).executeTakeFirst();
  if (!e) throw notFound(`未找到评估记录 ${eval_id}，或其机构不在您的管辖区划内`);
  const warnings = await db.k.selectFrom('audit_warn_rslt').selectAll().where('eval_id', '=', eval_id).orderBy('warn_rslt_id').execute();
  const ids = warnings.map((w) => w.warn_rslt_id);
  const dspo = ids.length ? await db.k.selectFrom('audit_warn_dspo').selectAll().where('warn_rslt_id', 'in', ids).orderBy('dspo_id').execute() : [];
  return {
    evaluation: evalView(e),
    warnings: warnings.map((w) => ({
      ...evalView(w),
      dspo_time: w.dspo_time ? beijingDateTime(w.dspo_time) : null,
      dispositions: dspo.filter((d) => d.warn_rslt_id === w.warn_rslt_id).map((d) => ({ ...d, dspo_time: beijingDateTime(d.dspo_time) })),
    })),
  };
}
