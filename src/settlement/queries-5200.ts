/**
 * Read-only look-ups behind the national 52xx queries (5201 就诊信息, 5202 诊断信息, 5203 结算信息, 5204 费用明细,
 * 5206 人员累计信息). Every look-up of encounters, diagnoses, settlements and fee lines is scoped to one institution:
 * a row of another institution is answered exactly like a row that does not exist. Accumulators (5206) belong to
 * the person and are not scoped. Amounts stay numeric text as stored (yuan); the gateway converts through
 * platform/money.
 */
import type { Db } from '../platform/db.js';
import { yuanToFen, fenToYuan } from '../platform/money.js';
import { beijingDate, beijingDayStart } from '../platform/time.js';
import { toWireTime } from './common.js';

/** A date column as yyyy-MM-dd (drivers give text or a Date). */
const dateText = (d: unknown): string => (d instanceof Date ? beijingDate(d) : String(d).slice(0, 10));

/** Beijing day bounds: [from 00:00, to+1 00:00). */

export interface EncounterQuery {
  fixmedins_code: string;
  psn_no: string;
  /** Wire times (yyyy-MM-dd[ HH:mm:ss], Beijing): encounters that began in [begntime, endtime]. */
  begntime?: Date;
  endtime?: Date;
  med_type?: string;
  mdtrt_id?: string;
}

/** The institution's encounters of a person (valid or cancelled), newest first, with the person and the diagnoses. */
export async function encountersAt(db: Db, q: EncounterQuery) {
  let sel = db.k
    .selectFrom('mdtrt')
    .innerJoin('psn', 'psn.psn_no', 'mdtrt.psn_no')
    .selectAll('mdtrt')
    .select(['psn.psn_name', 'psn.psn_cert_type', 'psn.certno', 'psn.gend', 'psn.naty', 'psn.brdy', 'psn.emp_name', 'psn.cvlserv_flag', 'psn.tel as psn_tel'])
    .where('mdtrt.fixmedins_code', '=', q.fixmedins_code)
    .where('mdtrt.psn_no', '=', q.psn_no);
  if (q.mdtrt_id) sel = sel.where('mdtrt.mdtrt_id', '=', q.mdtrt_id);
  if (q.med_type) sel = sel.where('mdtrt.med_type', '=', q.med_type);
  if (q.begntime) sel = sel.where('mdtrt.begntime', '>=', q.begntime);
  if (q.endtime) sel = sel.where('mdtrt.begntime', '<=', q.endtime);
  const rows = await sel.orderBy('mdtrt.begntime', 'desc').orderBy('mdtrt.mdtrt_id').limit(1000).execute();
  if (!rows.length) return [];
  const diags = await db.k
    .selectFrom('mdtrt_diag')
    .selectAll()
    .where(
      'mdtrt_id',
      'in',
      rows.map((r) => r.mdtrt_id),
    )
    .where('vali_flag', '=', '1')
    .orderBy('mdtrt_id')
    .orderBy('stage')
    .orderBy('maindiag_flag', 'desc')
    .orderBy('diag_srt_no')
    .execute();
  return rows.map((r) => ({
    ...r,
    begntime: toWireTime(r.begntime)!,
    endtime: toWireTime(r.endtime),
    crte_time: toWireTime(r.crte_time)!,
    updt_time: toWireTime(r.updt_time)!,
    begndate: beijingDate(r.begntime),
    diagnoses: diags.filter((d) => d.mdtrt_id === r.mdtrt_id),
  }));
}

export type EncounterRow = Awaited<ReturnType<typeof encountersAt>>[number];

/** The encounter if it is the person's and at the institution, else undefined (no difference between the two). */
async function ownEncounter(db: Db, fixmedins_code: string, psn_no: string, mdtrt_id: string) {
  return db.k
    .selectFrom('mdtrt')
    .select(['mdtrt_id', 'ipt_otp_flag', 'med_type', 'fixmedins_code'])
    .where('mdtrt_id', '=', mdtrt_id)
    .where('psn_no', '=', psn_no)
    .where('fixmedins_code', '=', fixmedins_code)
    .executeTakeFirst();
}

/** The valid diagnoses of the institution's encounter (every stage: 门诊, 入院, 出院), main first within a stage. */
export async function diagnosesAt(db: Db, fixmedins_code: string, psn_no: string, mdtrt_id: string) {
  const m = await ownEncounter(db, fixmedins_code, psn_no, mdtrt_id);
  if (!m) return [];
  const rows = await db.k
    .selectFrom('mdtrt_diag')
    .selectAll()
    .where('mdtrt_id', '=', mdtrt_id)
    .where('vali_flag', '=', '1')
    .orderBy('stage', 'desc')
    .orderBy('maindiag_flag', 'desc')
    .orderBy('diag_srt_no')
    .orderBy('diag_id')
    .execute();
  return rows.map((d) => ({ ...d, diag_time: toWireTime(d.diag_time), crte_time: toWireTime(d.crte_time)! }));
}

/**
 * A settlement of the institution's encounter: by setl_id (a settlement or a reversal), or without it the valid
 * settlement — of a stay with 中途结算 the newest valid one in the chain (setl_seq) — else the latest row written.
 * With the person, the institution and the fund rows.
 */
export async function settlementAt(db: Db, fixmedins_code: string, psn_no: string, mdtrt_id: string, setl_id?: string) {
  let sel = db.k
    .selectFrom('setl')
    .innerJoin('psn', 'psn.psn_no', 'setl.psn_no')
    .innerJoin('mdtrt', 'mdtrt.mdtrt_id', 'setl.mdtrt_id')
    .selectAll('setl')
    .select([
      'psn.psn_name',
      'psn.psn_cert_type',
      'psn.certno',
      'psn.gend',
      'psn.naty',
      'psn.brdy',
      'psn.emp_name',
      'mdtrt.begntime',
      'mdtrt.endtime',
      'mdtrt.dise_codg',
      'mdtrt.dise_name',
      'mdtrt.ipt_otp_flag',
    ])
    .where('setl.mdtrt_id', '=', mdtrt_id)
    .where('setl.psn_no', '=', psn_no)
    .where('setl.fixmedins_code', '=', fixmedins_code);
  if (setl_id) sel = sel.where('setl.setl_id', '=', setl_id);
  const row = await sel.orderBy('setl.vali_flag', 'desc').orderBy('setl.refd_setl_flag').orderBy('setl.setl_seq', 'desc').executeTakeFirst();
  if (!row) return undefined;
  const funds = await db.k.selectFrom('setl_fund').selectAll().where('setl_id', '=', row.setl_id).orderBy('seq').execute();
  // the institution's version in force on the settlement day (versions are effective-dated)
  const day = beijingDate(row.setl_time);
  const versions = await db.k.selectFrom('fixmedins').select(['fixmedins_name', 'hosp_lv', 'admdvs', 'begndate']).where('fixmedins_code', '=', fixmedins_code).orderBy('begndate', 'desc').execute();
  const inst = versions.find((v) => dateText(v.begndate) <= day) ?? versions[versions.length - 1];
  return {
    setl: { ...row, fixmedins_name: inst?.fixmedins_name ?? null, hosp_lv: inst?.hosp_lv ?? null, fixmedins_admdvs: inst?.admdvs ?? null, setl_time: toWireTime(row.setl_time)!, begndate: beijingDate(row.begntime), enddate: beijingDate(row.endtime ?? row.setl_time), crte_time: toWireTime(row.crte_time)! },
    setldetail: funds,
  };
}

export type SettlementRow = NonNullable<Awaited<ReturnType<typeof settlementAt>>>['setl'];

/**
 * The fee lines of the institution's encounter. With setl_id: the lines that settlement paid, with the split it
 * froze; without (docs/api/5204.md): every valid line with its upload classification, each with the setl_id of the
 * valid settlement that covers it (a stay's 中途结算 and final settlement each cover their own lines; a line is
 * covered by at most one valid settlement), null while unsettled.
 * Each line carries its catalogue name and type (the catalogue version effective on the fee date, any area).
 */
export async function feeLinesAt(db: Db, fixmedins_code: string, psn_no: string, mdtrt_id: string, setl_id?: string) {
  const m = await ownEncounter(db, fixmedins_code, psn_no, mdtrt_id);
  if (!m) return [];
  let lines;
  if (setl_id) {
    const s = await db.k.selectFrom('setl').select(['setl_id', 'refd_setl_flag', 'init_setl_id']).where('setl_id', '=', setl_id).where('mdtrt_id', '=', mdtrt_id).executeTakeFirst();
    if (!s) return [];
    // a reversal pays back the lines of the settlement it reverses
    const paid = s.refd_setl_flag === '1' && s.init_setl_id ? s.init_setl_id : s.setl_id;
    const rows = await db.k
      .selectFrom('setl_feedetl as sf')
      .innerJoin('feedetl as f', 'f.feedetl_id', 'sf.feedetl_id')
      .selectAll('f')
      .select(['sf.fulamt_ownpay_amt as s_fulamt', 'sf.overlmt_amt as s_overlmt', 'sf.preselfpay_amt as s_presel', 'sf.inscp_scp_amt as s_inscp', 'sf.chrgitm_lv as s_lv', 'sf.selfpay_prop as s_prop'])
      .where('sf.setl_id', '=', paid)
      .orderBy('f.feedetl_id')
      .execute();
    lines = rows.map(({ s_fulamt, s_overlmt, s_presel, s_inscp, s_lv, s_prop, ...f }) => ({
      ...f,
      setl_id,
      fulamt_ownpay_amt: s_fulamt,
      overlmt_amt: s_overlmt,
      preselfpay_amt: s_presel,
      inscp_scp_amt: s_inscp,
      chrgitm_lv: s_lv,
      selfpay_prop: s_prop,
    }));
  } else {
    const rows = await db.k.selectFrom('feedetl').selectAll().where('mdtrt_id', '=', mdtrt_id).where('vali_flag', '=', '1').orderBy('feedetl_id').execute();
    const covering = await db.k
      .selectFrom('setl_feedetl as sf')
      .innerJoin('setl as s', 's.setl_id', 'sf.setl_id')
      .select(['sf.feedetl_id', 's.setl_id'])
      .where('sf.mdtrt_id', '=', mdtrt_id)
      .where('s.vali_flag', '=', '1')
      .where('s.refd_setl_flag', '=', '0')
      .execute();
    const paidBy = new Map(covering.map((r) => [String(r.feedetl_id), r.setl_id]));
    lines = rows.map((f) => ({ ...f, setl_id: paidBy.get(String(f.feedetl_id)) ?? null }));
  }
  if (!lines.length) return [];
  const items = await db.k
    .selectFrom('hilist')
    .select(['hilist_code', 'hilist_name', 'list_type', 'dosform', 'spec', 'begndate', 'enddate'])
    .where(
      'hilist_code',
      'in',
      [...new Set(lines.map((l) => l.hilist_code))],
    )
    .orderBy('begndate', 'desc')
    .execute();
  return lines.map((l) => {
    const day = beijingDate(l.fee_ocur_time);
    const eff = (d: unknown) => (d === null || d === undefined ? null : dateText(d));
    const item =
      items.find((i) => i.hilist_code === l.hilist_code && (eff(i.begndate) ?? '') <= day && (eff(i.enddate) === null || eff(i.enddate)! >= day)) ?? items.find((i) => i.hilist_code === l.hilist_code);
    return {
      ...l,
      fee_ocur_time: toWireTime(l.fee_ocur_time)!,
      crte_time: toWireTime(l.crte_time)!,
      hilist_name: item?.hilist_name ?? null,
      list_type: item?.list_type ?? null,
      dosform: item?.dosform ?? null,
      spec: item?.spec ?? null,
    };
  });
}

export type FeeLineRow = Awaited<ReturnType<typeof feeLinesAt>>[number];

/**
 * 累计类别代码 of 5206 (yibao's codes, C(10)): year counters and, per accumulator group, the deductible used and the
 * pool's base and payment. The group's name follows in `cum_type_name`.
 */
export const CUM_TYPES = {
  admissions: { code: 'Y001', name: '住院次数' },
  large_base: { code: 'Y002', name: '大病（大额）保险累计费用' },
  large_paid: { code: 'Y003', name: '大病（大额）保险累计支付' },
  cvlserv_paid: { code: 'Y004', name: '公务员医疗补助累计支付' },
  maf_paid: { code: 'Y005', name: '医疗救助累计支付' },
  dedc_used: { code: 'G001', name: '已付起付线' },
  pool_base: { code: 'G002', name: '统筹基金累计费用' },
  pool_paid: { code: 'G003', name: '统筹基金累计支付' },
} as const;

export interface CumRow {
  insutype: string;
  year: number;
  cum_ym: string;
  cum_type_code: string;
  cum_type_name: string;
  acc_grp: string | null;
  /** Yuan text (admissions: a count). */
  cum: string;
}

/**
 * A person's accumulators (待遇累计) of the year of `cum_ym` (yyyyMM; default the current Beijing month), as they
 * stood at the end of that month: the sum of the settlements' and reversals' moves settled up to then. Every
 * insurance type the person has moves for; zero counters are left out.
 */
export async function cumulativesOf(db: Db, psn_no: string, cum_ym?: string, today: string = beijingDate()): Promise<CumRow[]> {
  const ym = cum_ym ?? today.slice(0, 7).replace('-', '');
  const year = Number(ym.slice(0, 4));
  const month = Number(ym.slice(4, 6));
  const end = month === 12 ? beijingDayStart(`${year + 1}-01-01`) : beijingDayStart(`${year}-${String(month + 1).padStart(2, '0')}-01`);
  const moves = await db.k
    .selectFrom('setl_acc_move as m')
    .innerJoin('setl as s', 's.setl_id', 'm.setl_id')
    .selectAll('m')
    .where('m.psn_no', '=', psn_no)
    .where('m.year', '=', year)
    .where('s.setl_time', '<', end)
    .orderBy('m.insutype')
    .execute();
  const out: CumRow[] = [];
  const insutypes = [...new Set(moves.map((m) => m.insutype))];
  for (const insutype of insutypes) {
    const mine = moves.filter((m) => m.insutype === insutype);
    const sum = (f: (m: (typeof mine)[number]) => string) => fenToYuan(mine.reduce((a, m) => a + yuanToFen(f(m)), 0));
    const row = (k: keyof typeof CUM_TYPES, cum: string, acc_grp: string | null = null) => ({
      insutype,
      year,
      cum_ym: ym,
      cum_type_code: CUM_TYPES[k].code,
      cum_type_name: acc_grp ? `${acc_grp}${CUM_TYPES[k].name}` : CUM_TYPES[k].name,
      acc_grp,
      cum,
    });
    const admissions = mine.reduce((a, m) => a + m.admissions, 0);
    const yearRows = [
      row('admissions', String(admissions)),
      row('large_base', sum((m) => m.large_base)),
      row('large_paid', sum((m) => m.large_paid)),
      row('cvlserv_paid', sum((m) => m.cvlserv_paid)),
      row('maf_paid', sum((m) => m.maf_paid)),
    ];
    const groups = [...new Set(mine.map((m) => m.acc_grp).filter((g) => g !== ''))].sort();
    const grpRows = groups.flatMap((g) => {
      const gm = mine.filter((m) => m.acc_grp === g);
      const gs = (f: (m: (typeof mine)[number]) => string) => fenToYuan(gm.reduce((a, m) => a + yuanToFen(f(m)), 0));
      return [row('dedc_used', gs((m) => m.dedc_used), g), row('pool_base', gs((m) => m.pool_base), g), row('pool_paid', gs((m) => m.pool_paid), g)];
    });
    out.push(...[...yearRows, ...grpRows].filter((r) => Number(r.cum) !== 0));
  }
  return out;
}
