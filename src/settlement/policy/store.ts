/**
 * Policy rows in SQL (migration 0008: setl_policy, setl_policy_band, setl_policy_maf): writing a set of
 * policies all-or-nothing, and finding the one that applies to a settlement.
 *
 * Precedence. Candidates are the rows of the insured region, insurance type and med_type family that are
 * valid on the date, whose institution level is the institution's or '*' and whose person-type group is the
 * person's or '*'. The most specific wins: an exact person-type group beats '*', then an exact institution
 * level beats '*' — i.e. (grp, lv) > (grp, *) > (*, lv) > (*, *). Person type ranks first because local
 * policy documents set ratios for 退休/在职/学生 across all levels more often than the reverse. Two rows with
 * the same key cannot be valid on the same date (overlaps are refused on write), so the choice is unique.
 */
import type { Selectable } from 'kysely';
import type { Db, Tables } from '../../platform/db.js';
import { findOverlaps } from '../../platform/effective.js';
import { notFound, validationError, type FieldProblem } from '../../platform/errors.js';
import { bpToRatio, fenToYuan, ratioToBp, yuanToFen } from '../../platform/money.js';
import { recordOperation, type Actor } from '../../platform/oplog.js';
import { isIsoDate } from '../../platform/time.js';
import { RefCache, versionsOn, writingTo } from '../../platform/cache.js';
import { MED_TYPE_FAM_NAMES, psnTypeGroup, requireMedTypeFamily } from './keys.js';
import { policyProblems } from './policy-check.js';
import type { Band, Policy, PolicyInput } from './types.js';

export interface SetlPolicyTable {
  policy_id: string;
  insu_admdvs: string;
  insutype: string;
  med_type_fam: string;
  hosp_lv: string;
  psn_type_grp: string;
  acc_grp: string;
  dedc_scope: string;
  dedc_amt: string;
  dedc_amt_next: string | null;
  pool_fund: string;
  pool_band_basis: string;
  pool_lmt_amt: string;
  large_fund: string | null;
  large_basis: string | null;
  large_dedc_amt: string | null;
  large_lmt_amt: string | null;
  cvl_dedc_ratio: string | null;
  cvl_ratio: string | null;
  cvl_lmt_amt: string | null;
  maf_lmt_amt: string | null;
  acct_ownpay_flag: string;
  acct_mulaid_flag: string;
  memo: string | null;
  begndate: string;
  enddate: string | null;
}

export interface SetlPolicyBandTable {
  policy_id: string;
  layer: string;
  seq: number;
  upto_amt: string | null;
  ratio: string;
}

export interface SetlPolicyMafTable {
  policy_id: string;
  psn_idet_type: string;
  maf_ratio: string;
}

declare module '../../platform/db.js' {
  interface Tables {
    setl_policy: SetlPolicyTable;
    setl_policy_band: SetlPolicyBandTable;
    setl_policy_maf: SetlPolicyMafTable;
  }
}

type PolicyRow = Selectable<SetlPolicyTable>;

/** The stable id of a policy version: admdvs-insutype-fam-lv-grp-yyyymmdd ('*' kept as is). */
export function policyId(p: Pick<PolicyInput, 'insu_admdvs' | 'insutype' | 'med_type_fam' | 'hosp_lv' | 'psn_type_grp' | 'begndate'>): string {
  return [p.insu_admdvs, p.insutype, p.med_type_fam, p.hosp_lv, p.psn_type_grp, p.begndate.replace(/-/g, '')].join('-');
}

const keyOf = (p: { insu_admdvs: string; insutype: string; med_type_fam: string; hosp_lv: string; psn_type_grp: string }) =>
  [p.insu_admdvs, p.insutype, p.med_type_fam, p.hosp_lv, p.psn_type_grp].join('|');

// ---------- writing ----------

function toRow(p: PolicyInput): PolicyRow {
  const money = (v: number | null | undefined) => (v === null || v === undefined ? null : fenToYuan(v));
  const ratio = (v: number | null | undefined) => (v === null || v === undefined ? null : bpToRatio(v));
  return {
    policy_id: policyId(p),
    insu_admdvs: p.insu_admdvs,
    insutype: p.insutype,
    med_type_fam: p.med_type_fam,
    hosp_lv: p.hosp_lv,
    psn_type_grp: p.psn_type_grp,
    acc_grp: p.acc_grp,
    dedc_scope: p.dedc.scope,
    dedc_amt: fenToYuan(p.dedc.amt),
    dedc_amt_next: money(p.dedc.amt_next),
    pool_fund: p.pool.fund,
    pool_band_basis: p.pool.basis,
    pool_lmt_amt: fenToYuan(p.pool.lmt),
    large_fund: p.large?.fund ?? null,
    large_basis: p.large?.basis ?? null,
    large_dedc_amt: money(p.large?.threshold),
    large_lmt_amt: money(p.large?.lmt),
    cvl_dedc_ratio: ratio(p.cvlserv?.dedc_bp),
    cvl_ratio: ratio(p.cvlserv?.bp),
    cvl_lmt_amt: money(p.cvlserv?.lmt),
    maf_lmt_amt: money(p.maf?.lmt),
    acct_ownpay_flag: p.acct.ownpay ? '1' : '0',
    acct_mulaid_flag: p.acct.mulaid ? '1' : '0',
    memo: p.memo,
    begndate: p.begndate,
    enddate: p.enddate ?? null,
  };
}

function bandRows(id: string, layer: 'pool' | 'large', bands: readonly Band[]): SetlPolicyBandTable[] {
  return bands.map((b, i) => ({ policy_id: id, layer, seq: i + 1, upto_amt: b.upto === null ? null : fenToYuan(b.upto), ratio: bpToRatio(b.bp) }));
}

export interface PolicyLoadReport {
  inserted: number;
}

/**
 * Writes policy versions in one transaction, after checking every one: shape (policy-check.ts), and no two
 * versions of the same key — in the input or already stored — valid on a common day. All or nothing.
 */
export async function insertPolicies(db: Db, policies: readonly PolicyInput[], actor: Actor): Promise<PolicyLoadReport> {
  const problems: FieldProblem[] = policies.flatMap((p, i) => policyProblems(p, i + 1));
  if (!problems.length && policies.length) {
    const existing = await db.k
      .selectFrom('setl_policy')
      .select(['insu_admdvs', 'insutype', 'med_type_fam', 'hosp_lv', 'psn_type_grp', 'begndate', 'enddate'])
      .where('insu_admdvs', 'in', [...new Set(policies.map((p) => p.insu_admdvs))])
      .execute();
    const all = [...policies.map((p) => ({ ...p, enddate: p.enddate ?? null })), ...existing];
    for (const [a, b] of findOverlaps(all, keyOf)) {
      // name the later input row (or the input row, against a stored version) and point at the other
      const n = policies.length;
      const mine = a < n && b < n ? Math.max(a, b) : a < n ? a : b;
      const other = mine === a ? b : a;
      const where = other < policies.length ? `第${other + 1}条` : '库中已有版本';
      problems.push({ row: mine + 1, field: 'begndate', message: `政策 ${keyOf(all[mine]!)} 的有效期与${where}（${all[other]!.begndate} 起）重叠` });
    }
  }
  if (problems.length) throw validationError(`待遇政策有 ${problems.length} 处错误，未写入`, problems);
  if (!policies.length) return { inserted: 0 };
  await writingTo('policy', () => db.k.transaction().execute(async (trx) => {
    const rows = policies.map(toRow);
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('setl_policy').values(rows.slice(i, i + 500)).execute();
    const bands = policies.flatMap((p) => [...bandRows(policyId(p), 'pool', p.pool.bands), ...(p.large ? bandRows(policyId(p), 'large', p.large.bands) : [])]);
    for (let i = 0; i < bands.length; i += 1000) await trx.insertInto('setl_policy_band').values(bands.slice(i, i + 1000)).execute();
    const maf = policies.flatMap((p) => Object.entries(p.maf?.ratios ?? {}).map(([t, bp]) => ({ policy_id: policyId(p), psn_idet_type: t, maf_ratio: bpToRatio(bp) })));
    if (maf.length) await trx.insertInto('setl_policy_maf').values(maf).execute();
    await recordOperation(trx, actor, { action: 'policy.insert', target_type: 'setl_policy', after: { inserted: rows.length, ids: rows.map((r) => r.policy_id) } });
  }));
  return { inserted: policies.length };
}

// ---------- reading ----------

/** Keys of a settlement that a policy is chosen by. */
export interface PolicyQuery {
  insu_admdvs: string;
  insutype: string;
  med_type: string;
  /** The institution's level: '1' | '2' | '3' | '9'. */
  hosp_lv: string;
  psn_type: string;
  /** Settlement date ('yyyy-MM-dd'). */
  on: string;
}

/** Rank of a candidate row; higher is more specific (person-type group outranks institution level). */
export function specificity(row: { hosp_lv: string; psn_type_grp: string }): number {
  return (row.psn_type_grp === '*' ? 0 : 2) + (row.hosp_lv === '*' ? 0 : 1);
}

/** The most specific of the candidate rows (already filtered by key and date), or undefined. */
export function pickMostSpecific<T extends { hosp_lv: string; psn_type_grp: string }>(candidates: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const c of candidates) if (!best || specificity(c) > specificity(best)) best = c;
  return best;
}

/**
 * Every version of every policy of one (insured region, insurance type, med_type family), built, cached for the
 * process (insertPolicies invalidates): a settlement picks among a handful of rows in memory.
 */
const policyCache = new RefCache<Policy[]>('policy', { max: 2_000 });

function policiesOf(db: Db, insu_admdvs: string, insutype: string, fam: string): Promise<Policy[]> {
  return policyCache.get(db, `${insu_admdvs}|${insutype}|${fam}`, async () => {
    const rows = await db.k.selectFrom('setl_policy').selectAll().where('insu_admdvs', '=', insu_admdvs).where('insutype', '=', insutype).where('med_type_fam', '=', fam).orderBy('policy_id').execute();
    return loadPolicies(db, rows);
  });
}

/** The policy that applies, or a NOT_FOUND error naming the keys. */
export async function findPolicy(db: Db, q: PolicyQuery): Promise<Policy> {
  if (!isIsoDate(q.on)) throw validationError(`日期格式错误：${q.on}`, [{ field: 'on', message: '应为 yyyy-MM-dd' }]);
  const fam = requireMedTypeFamily(q.med_type);
  const grp = psnTypeGroup(q.psn_type);
  const grps = grp ? [grp, '*'] : ['*'];
  const candidates = versionsOn(await policiesOf(db, q.insu_admdvs, q.insutype, fam), q.on).filter((p) => (p.hosp_lv === q.hosp_lv || p.hosp_lv === '*') && grps.includes(p.psn_type_grp));
  const policy = pickMostSpecific(candidates);
  if (!policy) {
    throw notFound(`未找到适用的待遇政策：参保地 ${q.insu_admdvs}，险种 ${q.insutype}，${MED_TYPE_FAM_NAMES[fam]}，机构等级 ${q.hosp_lv}，人员类别 ${q.psn_type}，日期 ${q.on}`);
  }
  // a copy: the engine and its callers must not be able to change the cached version
  return structuredClone(policy);
}

/** Every version stored for a region (for the console and tests), oldest first within a key. */
export async function listPolicies(db: Db, insu_admdvs: string): Promise<Policy[]> {
  const rows = await db.k.selectFrom('setl_policy').selectAll().where('insu_admdvs', '=', insu_admdvs).orderBy('policy_id').execute();
  return loadPolicies(db, rows);
}

async function loadPolicies(db: Db, rows: PolicyRow[]): Promise<Policy[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.policy_id);
  const [bands, mafs] = await Promise.all([
    db.k.selectFrom('setl_policy_band').selectAll().where('policy_id', 'in', ids).orderBy('policy_id').orderBy('layer').orderBy('seq').execute(),
    db.k.selectFrom('setl_policy_maf').selectAll().where('policy_id', 'in', ids).orderBy('psn_idet_type').execute(),
  ]);
  return rows.map((r) => fromRows(r, bands.filter((b) => b.policy_id === r.policy_id), mafs.filter((m) => m.policy_id === r.policy_id)));
}

function fromRows(r: PolicyRow, bands: Tables['setl_policy_band'][], mafs: Tables['setl_policy_maf'][]): Policy {
  const money = (v: string | null) => (v === null ? null : yuanToFen(v));
  const layer = (name: string): Band[] => bands.filter((b) => b.layer === name).map((b) => ({ upto: money(b.upto_amt), bp: ratioToBp(b.ratio) }));
  return {
    policy_id: r.policy_id,
    insu_admdvs: r.insu_admdvs,
    insutype: r.insutype,
    med_type_fam: r.med_type_fam as Policy['med_type_fam'],
    hosp_lv: r.hosp_lv as Policy['hosp_lv'],
    psn_type_grp: r.psn_type_grp as Policy['psn_type_grp'],
    acc_grp: r.acc_grp,
    dedc: { scope: r.dedc_scope as Policy['dedc']['scope'], amt: yuanToFen(r.dedc_amt), amt_next: money(r.dedc_amt_next) },
    pool: { fund: r.pool_fund, basis: r.pool_band_basis as Policy['pool']['basis'], bands: layer('pool'), lmt: yuanToFen(r.pool_lmt_amt) },
    large:
      r.large_fund === null
        ? null
        : {
            fund: r.large_fund as '330100' | '390200',
            basis: r.large_basis as 'over_limit' | 'burden',
            threshold: yuanToFen(r.large_dedc_amt ?? '0'),
            bands: layer('large'),
            lmt: yuanToFen(r.large_lmt_amt ?? '0'),
          },
    cvlserv: r.cvl_ratio === null ? null : { dedc_bp: ratioToBp(r.cvl_dedc_ratio ?? '0'), bp: ratioToBp(r.cvl_ratio), lmt: yuanToFen(r.cvl_lmt_amt ?? '0') },
    maf: r.maf_lmt_amt === null ? null : { ratios: Object.fromEntries(mafs.map((m) => [m.psn_idet_type, ratioToBp(m.maf_ratio)])), lmt: yuanToFen(r.maf_lmt_amt) },
    acct: { ownpay: r.acct_ownpay_flag === '1', mulaid: r.acct_mulaid_flag === '1' },
    memo: r.memo,
    begndate: r.begndate,
    enddate: r.enddate,
  };
}
