/**
 * Settlement read queries for the staff console (结算查询): the paged, area-scoped search and one settlement's
 * detail (setl + setldetail with setl_proc_info + the per-line split it paid + the encounter + every settlement
 * and reversal of that encounter). Writes belong to src/settlement; this module only reads.
 *
 * Scope: a settlement belongs to an area through its institution (fixmedins.admdvs) and through the insured's
 * pooling area (insuplc_admdvs): the treating area and the paying area both see it. An institution user sees its
 * own institution's settlements only. Amounts stay numeric text as stored (yuan, 2 decimals).
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../platform/db.js';
import { maskValue } from '../../platform/logging.js';
import { getEncounter, getSettlement } from '../../settlement/queries.js';
import type { Scope } from '../auth/scope.js';
import { escapeLike } from './like.js';
import { beijingDayEnd, beijingDayStart } from '../../platform/time.js';

/** 2207 门诊结算 / 2208 门诊结算撤销 / 2304 住院结算 / 2305 住院结算撤销: what a setl row is, by flags. */
export const SETL_INFNO = {
  '2207': { ipt_otp_flag: '1', refd_setl_flag: '0', name: '门诊结算' },
  '2208': { ipt_otp_flag: '1', refd_setl_flag: '1', name: '门诊结算撤销' },
  '2304': { ipt_otp_flag: '2', refd_setl_flag: '0', name: '住院结算' },
  '2305': { ipt_otp_flag: '2', refd_setl_flag: '1', name: '住院结算撤销' },
} as const;
export type SetlInfno = keyof typeof SETL_INFNO;
export const SETL_INFNOS = Object.keys(SETL_INFNO) as SetlInfno[];


/**
 * The scope as a SQL condition on a setl (or any row with fixmedins_code and insuplc_admdvs) aliased `alias`.
 * Institution code and area prefixes are bound parameters.
 */
export function setlScopeSql(scope: Scope, alias: string): RawBuilder<boolean> {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  if (scope.fixmedins_code) return sql<boolean>`${col('fixmedins_code')} = ${scope.fixmedins_code}`;
  if (!scope.prefixes.length) return sql<boolean>`true`;
  const likes = scope.prefixes.map((p) => `${p}%`);
  const inArea = (c: RawBuilder<unknown>) => sql.join(likes.map((l) => sql`${c} like ${l}`), sql` or `);
  return sql<boolean>`((${inArea(sql`${col('insuplc_admdvs')}`)}) or exists (select 1 from fixmedins sf where sf.fixmedins_code = ${col('fixmedins_code')} and (${inArea(sql`sf.admdvs`)})))`;
}

/** The scope condition for rows that only carry an institution code (audit evaluations, warnings). */
export function institutionScopeSql(scope: Scope, alias: string): RawBuilder<boolean> {
  const code = sql.ref(`${alias}.fixmedins_code`);
  if (scope.fixmedins_code) return sql<boolean>`${code} = ${scope.fixmedins_code}`;
  if (!scope.prefixes.length) return sql<boolean>`true`;
  return sql<boolean>`exists (select 1 from fixmedins sf where sf.fixmedins_code = ${code} and (${sql.join(
    scope.prefixes.map((p) => sql`sf.admdvs like ${`${p}%`}`),
    sql` or `,
  )}))`;
}

/** The latest name of an institution (institutions are effective-dated). */
const instName = (alias: string) => sql<string | null>`(select f.fixmedins_name from fixmedins f where f.fixmedins_code = ${sql.ref(`${alias}.fixmedins_code`)} order by f.begndate desc limit 1)`;

export interface SettlementQuery {
  /** psn_no prefix or part of the person's name. */
  q?: string;
  psn_no?: string;
  fixmedins_code?: string;
  /** Settlement dates (Beijing), inclusive. */
  begndate?: string;
  enddate?: string;
  insutype?: string;
  med_type?: string;
  infno?: SetlInfno;
  /** 1 有效 / 0 已撤销 (a settlement that was reversed). */
  vali_flag?: '0' | '1';
  setl_id?: string;
  page_num?: number;
  page_size?: number;
}

export async function searchSettlements(db: Db, scope: Scope, query: SettlementQuery) {
  const page_num = Math.max(1, query.page_num ?? 1);
  const page_size = Math.min(Math.max(1, query.page_size ?? 20), 500);
  let base = db.k
    .selectFrom('setl as s')
    .innerJoin('mdtrt as m', 'm.mdtrt_id', 's.mdtrt_id')
    .innerJoin('psn as p', 'p.psn_no', 's.psn_no')
    .where(setlScopeSql(scope, 's'));
  const term = query.q?.trim();
  if (term) {
    const esc = escapeLike(term);
    base = base.where((eb) => eb.or([eb('s.psn_no', 'like', `${esc}%`), eb('p.psn_name', 'like', `%${esc}%`)]));
  }
  if (query.psn_no) base = base.where('s.psn_no', '=', query.psn_no);
  if (query.setl_id) base = base.where('s.setl_id', '=', query.setl_id);
  if (query.fixmedins_code) base = base.where('s.fixmedins_code', '=', query.fixmedins_code);
  if (query.begndate) base = base.where('s.setl_time', '>=', beijingDayStart(query.begndate));
  if (query.enddate) base = base.where('s.setl_time', '<', beijingDayEnd(query.enddate));
  if (query.insutype) base = base.where('s.insutype', '=', query.insutype);
  if (query.med_type) base = base.where('s.med_type', '=', query.med_type);
  if (query.vali_flag) base = base.where('s.vali_flag', '=', query.vali_flag);
  if (query.infno) {
    const k = SETL_INFNO[query.infno];
    base = base.where('m.ipt_otp_flag', '=', k.ipt_otp_flag).where('s.refd_setl_flag', '=', k.refd_setl_flag);
  }
  const total = (await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0;
  const rows = await base
    .select([
      's.setl_id',
      's.mdtrt_id',
      's.psn_no',
      'p.psn_name',
      'p.certno',
      's.insutype',
      's.med_type',
      'm.ipt_otp_flag',
      's.fixmedins_code',
      's.insuplc_admdvs',
      's.mdtrtarea_admvs',
      's.setl_time',
      's.medfee_sumamt',
      's.fund_pay_sumamt',
      's.acct_pay',
      's.psn_cash_pay',
      's.refd_setl_flag',
      's.init_setl_id',
      's.vali_flag',
    ])
    .select(instName('s').as('fixmedins_name'))
    .orderBy('s.setl_time', 'desc')
    .orderBy('s.setl_id', 'desc')
    .limit(page_size)
    .offset((page_num - 1) * page_size)
    .execute();
  return {
    page_num,
    page_size,
    total,
    list: rows.map((r) => ({ ...r, certno: maskValue(r.certno), setl_time: r.setl_time.toISOString(), infno: infnoOf(r.ipt_otp_flag, r.refd_setl_flag) })),
  };
}

export function infnoOf(ipt_otp_flag: string, refd_setl_flag: string): SetlInfno {
  return ipt_otp_flag === '2' ? (refd_setl_flag === '1' ? '2305' : '2304') : refd_setl_flag === '1' ? '2208' : '2207';
}

/** True when the settlement exists and the scope covers it. */
export async function settlementInScope(db: Db, scope: Scope, setl_id: string): Promise<boolean> {
  const r = await db.k.selectFrom('setl as s').select('s.setl_id').where('s.setl_id', '=', setl_id).where(setlScopeSql(scope, 's')).executeTakeFirst();
  return r !== undefined;
}

/**
 * One settlement for the console: the setl row, setldetail (with setl_proc_info), the fee lines with the split
 * this settlement paid (names and quantities from the uploaded line, the item name from the catalogue), the
 * encounter with its diagnoses, the person (certno masked) and every settlement / reversal of the encounter.
 * Undefined when it does not exist.
 */
export async function settlementDetail(db: Db, setl_id: string) {
  const s = await getSettlement(db, setl_id);
  if (!s) return undefined;
  const [enc, person, lines, history] = await Promise.all([
    getEncounter(db, s.setl.mdtrt_id),
    db.k.selectFrom('psn').select(['psn_no', 'psn_name', 'certno', 'gend', 'brdy']).where('psn_no', '=', s.setl.psn_no).executeTakeFirst(),
    db.k
      .selectFrom('setl_feedetl as l')
      .innerJoin('feedetl as f', 'f.feedetl_id', 'l.feedetl_id')
      .select([
        'l.feedetl_id',
        'l.feedetl_sn',
        'f.hilist_code',
        'f.medins_list_codg',
        'f.fee_ocur_time',
        'f.pric',
        'f.cnt',
        'f.med_chrgitm_type',
        'f.bilg_dept_name',
        'f.bilg_dr_name',
        'l.det_item_fee_sumamt',
        'l.fulamt_ownpay_amt',
        'l.overlmt_amt',
        'l.preselfpay_amt',
        'l.inscp_scp_amt',
        'l.chrgitm_lv',
        'l.selfpay_prop',
      ])
      .select(sql<string | null>`(select h.hilist_name from hilist h where h.hilist_code = f.hilist_code order by h.begndate desc limit 1)`.as('hilist_name'))
      .where('l.setl_id', '=', setl_id)
      .orderBy('l.feedetl_sn')
      .execute(),
    db.k
      .selectFrom('setl')
      .select(['setl_id', 'setl_time', 'refd_setl_flag', 'init_setl_id', 'vali_flag', 'medfee_sumamt', 'fund_pay_sumamt', 'psn_part_amt', 'medins_setl_id'])
      .where('mdtrt_id', '=', s.setl.mdtrt_id)
      .orderBy('setl_time')
      .orderBy('setl_id')
      .execute(),
  ]);
  const fixmedins = await db.k.selectFrom('fixmedins').select(['fixmedins_name', 'hosp_lv', 'admdvs']).where('fixmedins_code', '=', s.setl.fixmedins_code).orderBy('begndate', 'desc').limit(1).executeTakeFirst();
  const flag = enc?.mdtrt.ipt_otp_flag ?? '1';
  return {
    setlinfo: { ...s.setl, infno: infnoOf(flag, s.setl.refd_setl_flag), fixmedins_name: fixmedins?.fixmedins_name ?? null, hosp_lv: fixmedins?.hosp_lv ?? null },
    setldetail: s.setldetail,
    mulaid: s.mulaid,
    feedetail: lines.map((l) => ({ ...l, fee_ocur_time: l.fee_ocur_time.toISOString() })),
    // certificate numbers and telephone numbers are masked here as in every console list
    mdtrt: enc ? { ...enc.mdtrt, mdtrt_cert_no: enc.mdtrt.mdtrt_cert_no ? maskValue(enc.mdtrt.mdtrt_cert_no) : null, tel: enc.mdtrt.tel ? maskValue(enc.mdtrt.tel) : null } : null,
    diagnoses: enc?.diagnoses ?? [],
    person: person ? { ...person, certno: maskValue(person.certno) } : null,
    history: history.map((h) => ({ ...h, setl_time: h.setl_time.toISOString(), infno: infnoOf(flag, h.refd_setl_flag) })),
  };
}
