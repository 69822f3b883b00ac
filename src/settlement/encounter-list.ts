/**
 * 就诊登记 for the console: the paged search over encounters (mdtrt rows opened by 2201 / 2401) and one
 * encounter's detail — its facts, valid diagnoses by stage, the count and total of its fee lines and every
 * settlement / reversal of it. Read-only; the writes are encounters.ts.
 *
 * Status (状态) is derived from the row's flags, most final first: vali_flag 0 → 已撤销 (2202 / 2404 / 2601);
 * setl_flag 1 → 已结算 (a valid final settlement; a 中途结算 leaves the flag 0); mdtrt_stas 2 → 已出院 (2402, not
 * settled yet); otherwise open — 在院 for a stay, 就诊中 for an outpatient visit. 在院人员 (in_hosp) are the valid
 * stays not discharged, settled mid-stay or not.
 *
 * Scope is the caller's: `within(alias)` is a SQL condition on a row with fixmedins_code and insuplc_admdvs (the
 * routes pass the settlement scope, so an encounter is seen by the treating and the paying area). Certificate and
 * telephone numbers are masked in everything returned.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../platform/db.js';
import { maskValue } from '../platform/logging.js';
import { fenToYuan, yuanToFen } from '../platform/money.js';
import { toWireTime } from './common.js';
import { getEncounter } from './queries.js';
import { beijingDayEnd, beijingDayStart } from '../platform/time.js';

/** A scope condition on the row aliased `alias`. */
export type ScopeSql = (alias: string) => RawBuilder<boolean>;

export const ENCOUNTER_STATUSES = ['open', 'discharged', 'settled', 'cancelled'] as const;
export type EncounterStatus = (typeof ENCOUNTER_STATUSES)[number];

export function statusOf(r: { vali_flag: string; setl_flag: string; mdtrt_stas: string }): EncounterStatus {
  if (r.vali_flag === '0') return 'cancelled';
  if (r.setl_flag === '1') return 'settled';
  if (r.mdtrt_stas === '2') return 'discharged';
  return 'open';
}

/** The same derivation as a SQL filter on mdtrt aliased m (kept next to statusOf: they must agree). */
function statusSql(s: EncounterStatus): RawBuilder<boolean> {
  switch (s) {
    case 'cancelled':
      return sql<boolean>`m.vali_flag = '0'`;
    case 'settled':
      return sql<boolean>`m.vali_flag = '1' and m.setl_flag = '1'`;
    case 'discharged':
      return sql<boolean>`m.vali_flag = '1' and m.setl_flag = '0' and m.mdtrt_stas = '2'`;
    case 'open':
      return sql<boolean>`m.vali_flag = '1' and m.setl_flag = '0' and m.mdtrt_stas = '1'`;
  }
}

export interface EncounterQuery {
  /** psn_no prefix or part of the name. */
  q?: string;
  psn_no?: string;
  /** Exact certificate number (sent in a request body, never in a URL). */
  certno?: string;
  mdtrt_id?: string;
  ipt_otp_no?: string;
  fixmedins_code?: string;
  /** '1' 门诊 / 药店, '2' 住院. */
  ipt_otp_flag?: '1' | '2';
  med_type?: string;
  insutype?: string;
  /** Registration / admission dates (Beijing, begntime), inclusive. */
  begndate?: string;
  enddate?: string;
  status?: EncounterStatus;
  /** 在院人员: valid stays not discharged. */
  in_hosp?: boolean;
  page_num?: number;
  page_size?: number;
}


/** The latest name of an institution (institutions are effective-dated). */
const instName = sql<string | null>`(select f.fixmedins_name from fixmedins f where f.fixmedins_code = m.fixmedins_code order by f.begndate desc limit 1)`;
/** The main diagnosis in force: discharge's over admission's over the outpatient visit's. */
const mainDiag = sql<string | null>`(select d.diag_name from mdtrt_diag d where d.mdtrt_id = m.mdtrt_id and d.vali_flag = '1' and d.maindiag_flag = '1'
  order by case d.stage when 'dscg' then 0 when 'adm' then 1 else 2 end, d.diag_srt_no limit 1)`;

export async function searchEncounters(db: Db, within: ScopeSql, query: EncounterQuery) {
  const page_num = Math.max(1, query.page_num ?? 1);
  const page_size = Math.min(Math.max(1, query.page_size ?? 20), 500);
  let base = db.k.selectFrom('mdtrt as m').innerJoin('psn as p', 'p.psn_no', 'm.psn_no').where(within('m'));
  const term = query.q?.trim();
  if (term) {
    const esc = term.replace(/[\\%_]/g, (c) => `\\${c}`);
    base = base.where((eb) => eb.or([eb('m.psn_no', 'like', `${esc}%`), eb('p.psn_name', 'like', `%${esc}%`)]));
  }
  if (query.psn_no) base = base.where('m.psn_no', '=', query.psn_no);
  if (query.certno) base = base.where('p.certno', '=', query.certno.trim().toUpperCase());
  if (query.mdtrt_id) base = base.where('m.mdtrt_id', '=', query.mdtrt_id);
  if (query.ipt_otp_no) base = base.where('m.ipt_otp_no', '=', query.ipt_otp_no);
  if (query.fixmedins_code) base = base.where('m.fixmedins_code', '=', query.fixmedins_code);
  if (query.ipt_otp_flag) base = base.where('m.ipt_otp_flag', '=', query.ipt_otp_flag);
  if (query.med_type) base = base.where('m.med_type', '=', query.med_type);
  if (query.insutype) base = base.where('m.insutype', '=', query.insutype);
  if (query.begndate) base = base.where('m.begntime', '>=', beijingDayStart(query.begndate));
  if (query.enddate) base = base.where('m.begntime', '<', beijingDayEnd(query.enddate));
  if (query.status) base = base.where(statusSql(query.status));
  if (query.in_hosp) base = base.where('m.ipt_otp_flag', '=', '2').where('m.vali_flag', '=', '1').where('m.mdtrt_stas', '=', '1');
  const total = Number((await base.select(sql<number>`count(*)::int8`.as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await base
    .select([
      'm.mdtrt_id',
      'm.ipt_otp_flag',
      'm.ipt_otp_no',
      'm.psn_no',
      'p.psn_name',
      'p.certno',
      'm.insutype',
      'm.med_type',
      'm.fixmedins_code',
      'm.insuplc_admdvs',
      'm.mdtrtarea_admvs',
      'm.begntime',
      'm.endtime',
      'm.dept_name',
      'm.dr_name',
      'm.adm_bed',
      'm.vali_flag',
      'm.mdtrt_stas',
      'm.setl_flag',
    ])
    .select([instName.as('fixmedins_name'), mainDiag.as('main_diag_name')])
    .orderBy('m.begntime', 'desc')
    .orderBy('m.mdtrt_id', 'desc')
    .limit(page_size)
    .offset((page_num - 1) * page_size)
    .execute();
  return {
    page_num,
    page_size,
    total,
    list: rows.map((r) => ({ ...r, certno: maskValue(r.certno), begntime: toWireTime(r.begntime)!, endtime: toWireTime(r.endtime), status: statusOf(r) })),
  };
}

/** True when the encounter exists and the scope covers it. */
export async function encounterInScope(db: Db, within: ScopeSql, mdtrt_id: string): Promise<boolean> {
  const r = await db.k.selectFrom('mdtrt as m').select('m.mdtrt_id').where('m.mdtrt_id', '=', mdtrt_id).where(within('m')).executeTakeFirst();
  return r !== undefined;
}

/** 2207/2208/2304/2305 by the encounter's kind and the row's flag (as the 结算查询 page names them). */
const infnoOf = (ipt_otp_flag: string, refd: string) => (ipt_otp_flag === '2' ? (refd === '1' ? '2305' : '2304') : refd === '1' ? '2208' : '2207');

/**
 * One encounter: the row (masked), person, institution, status, valid diagnoses (main first, every stage), its
 * fee lines counted and summed in SQL numeric (valid lines; cancelled ones counted apart) with the total per
 * 收费项目类别, and its settlements and reversals in the order they were written. Undefined when absent.
 */
export async function encounterDetail(db: Db, mdtrt_id: string) {
  const enc = await getEncounter(db, mdtrt_id);
  if (!enc) return undefined;
  const m = enc.mdtrt;
  const [person, inst, fees, byType, setls] = await Promise.all([
    db.k.selectFrom('psn').select(['psn_no', 'psn_name', 'certno', 'gend', 'brdy']).where('psn_no', '=', m.psn_no).executeTakeFirst(),
    db.k.selectFrom('fixmedins').select(['fixmedins_name', 'hosp_lv', 'admdvs']).where('fixmedins_code', '=', m.fixmedins_code).orderBy('begndate', 'desc').limit(1).executeTakeFirst(),
    db.k
      .selectFrom('feedetl')
      .select([
        sql<number>`count(*) filter (where vali_flag = '1')::int8`.as('fee_cnt'),
        sql<string>`coalesce(sum(det_item_fee_sumamt) filter (where vali_flag = '1'), 0)::numeric(18,2)::text`.as('fee_sumamt'),
        sql<number>`count(*) filter (where vali_flag = '0')::int8`.as('cncl_cnt'),
        sql<Date | null>`min(fee_ocur_time) filter (where vali_flag = '1')`.as('first_time'),
        sql<Date | null>`max(fee_ocur_time) filter (where vali_flag = '1')`.as('last_time'),
      ])
      .where('mdtrt_id', '=', mdtrt_id)
      .executeTakeFirstOrThrow(),
    db.k
      .selectFrom('feedetl')
      .select(['med_chrgitm_type', sql<number>`count(*)::int8`.as('cnt'), sql<string>`sum(det_item_fee_sumamt)::numeric(18,2)::text`.as('sumamt')])
      .where('mdtrt_id', '=', mdtrt_id)
      .where('vali_flag', '=', '1')
      .groupBy('med_chrgitm_type')
      .orderBy('med_chrgitm_type')
      .execute(),
    db.k
      .selectFrom('setl')
      .select(['setl_id', 'setl_time', 'refd_setl_flag', 'init_setl_id', 'vali_flag', 'mid_setl_flag', 'med_type', 'medfee_sumamt', 'fund_pay_sumamt', 'acct_pay', 'psn_cash_pay'])
      .where('mdtrt_id', '=', mdtrt_id)
      .orderBy('setl_seq')
      .execute(),
  ]);
  // what the encounter's valid settlements paid, net of nothing: a reversed settlement is no longer valid
  const valid = setls.filter((s) => s.refd_setl_flag === '0' && s.vali_flag === '1');
  const sum = (k: 'medfee_sumamt' | 'fund_pay_sumamt') => fenToYuan(valid.reduce((t, s) => t + yuanToFen(s[k]), 0));
  return {
    mdtrt: {
      ...m,
      mdtrt_cert_no: m.mdtrt_cert_no ? maskValue(m.mdtrt_cert_no) : null,
      tel: m.tel ? maskValue(m.tel) : null,
      status: statusOf(m),
      fixmedins_name: inst?.fixmedins_name ?? null,
      hosp_lv: inst?.hosp_lv ?? null,
    },
    person: person ? { ...person, certno: maskValue(person.certno) } : null,
    diagnoses: enc.diagnoses.map((d) => ({ ...d, diag_time: toWireTime(d.diag_time) })),
    fees: {
      fee_cnt: Number(fees.fee_cnt),
      fee_sumamt: fees.fee_sumamt,
      cncl_cnt: Number(fees.cncl_cnt),
      first_time: toWireTime(fees.first_time),
      last_time: toWireTime(fees.last_time),
      by_type: byType.map((t) => ({ med_chrgitm_type: t.med_chrgitm_type, cnt: Number(t.cnt), sumamt: t.sumamt })),
    },
    settlements: setls.map((s) => ({ ...s, setl_time: toWireTime(s.setl_time)!, infno: infnoOf(m.ipt_otp_flag, s.refd_setl_flag) })),
    settled: { medfee_sumamt: sum('medfee_sumamt'), fund_pay_sumamt: sum('fund_pay_sumamt'), cnt: valid.length },
  };
}
