/**
 * Where a patient's history comes from when a 3101/3102 request carries none. The engine asks a HistoryProvider
 * for the patient's earlier encounters in the request's own shape (orders with curr_drord_flag 0), so the rules see
 * one kind of data whatever its source. `DbHistoryProvider` reads the settlement tables of migration 0010 (mdtrt,
 * mdtrt_diag, feedetl, fixmedins) with plain SQL and three indexed look-ups per patient; the engine itself never
 * reaches into settlement.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { addDays, beijingDateTime } from '../../platform/time.js';
import type { DiagnoseDto, EncounterDto, OrderDto } from '../types.js';

export interface HistoryQuery {
  /** patn_id of the request = psn_no. */
  patn_id: string;
  /** Last day of the window (the evaluation date). */
  until: string;
  /** Days back from `until`. */
  days: number;
  /** Encounters the request already carries. */
  exclude: string[];
}

export interface HistoryProvider {
  history(q: HistoryQuery): Promise<EncounterDto[]>;
}

/** No history (the request is all there is). */
export const NO_HISTORY: HistoryProvider = { history: async () => [] };

/** History from a fixed list (tests, callers that hold the data already). */
export function staticHistory(byPatient: Record<string, EncounterDto[]>): HistoryProvider {
  return { history: async (q) => (byPatient[q.patn_id] ?? []).filter((e) => !q.exclude.includes(e.mdtrt_id)) };
}

interface MdtrtRow {
  mdtrt_id: string;
  ipt_otp_flag: string;
  fixmedins_code: string;
  fixmedins_name: string | null;
  hosp_lv: string | null;
  mdtrtarea_admvs: string;
  med_type: string;
  insutype: string;
  begntime: Date;
  endtime: Date | null;
  dise_codg: string | null;
  dise_name: string | null;
  dept_code: string | null;
  dept_name: string | null;
  atddr_no: string | null;
}

interface DiagRow {
  mdtrt_id: string;
  stage: string;
  diag_code: string;
  diag_name: string;
  maindiag_flag: string;
  diag_srt_no: number;
}

interface FeeRow {
  feedetl_id: number;
  mdtrt_id: string;
  feedetl_sn: string;
  rxno: string | null;
  hilist_code: string;
  pric: string;
  cnt: string;
  det_item_fee_sumamt: string;
  fulamt_ownpay_amt: string;
  fee_ocur_time: Date;
  bilg_dept_codg: string | null;
  bilg_dept_name: string | null;
  bilg_dr_codg: string | null;
  bilg_dr_name: string | null;
  med_chrgitm_type: string | null;
}

const asDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

/** History from the settlement tables: valid encounters of the person in the window, their valid diagnoses and fee lines. */
export class DbHistoryProvider implements HistoryProvider {
  constructor(private readonly db: Db) {}

  async history(q: HistoryQuery): Promise<EncounterDto[]> {
    const since = `${addDays(q.until, -q.days)} 00:00:00+08`;
    const until = `${addDays(q.until, 1)} 00:00:00+08`;
    const encs = (
      await sql<MdtrtRow>`
        select m.mdtrt_id, m.ipt_otp_flag, m.fixmedins_code, f.fixmedins_name, f.hosp_lv, m.mdtrtarea_admvs, m.med_type, m.insutype,
               m.begntime, m.endtime, m.dise_codg, m.dise_name, m.dept_code, m.dept_name, m.atddr_no
          from mdtrt m
          left join fixmedins f on f.fixmedins_code = m.fixmedins_code and f.begndate <= (m.begntime at time zone 'Asia/Shanghai')::date
                                and (f.enddate is null or f.enddate >= (m.begntime at time zone 'Asia/Shanghai')::date)
         where m.psn_no = ${q.patn_id} and m.vali_flag = '1' and m.begntime >= ${since}::timestamptz and m.begntime < ${until}::timestamptz
         order by m.begntime`.execute(this.db.k)
    ).rows.filter((e) => !q.exclude.includes(e.mdtrt_id));
    if (!encs.length) return [];
    const ids = encs.map((e) => e.mdtrt_id);
    const [diags, fees] = await Promise.all([
      sql<DiagRow>`select mdtrt_id, stage, diag_code, diag_name, maindiag_flag, diag_srt_no from mdtrt_diag
                    where vali_flag = '1' and mdtrt_id in (${sql.join(ids)}) order by mdtrt_id, stage, diag_srt_no`.execute(this.db.k),
      sql<FeeRow>`select feedetl_id, mdtrt_id, feedetl_sn, rxno, hilist_code, pric, cnt, det_item_fee_sumamt, fulamt_ownpay_amt, fee_ocur_time,
                         bilg_dept_codg, bilg_dept_name, bilg_dr_codg, bilg_dr_name, med_chrgitm_type
                    from feedetl where vali_flag = '1' and mdtrt_id in (${sql.join(ids)}) order by feedetl_id`.execute(this.db.k),
    ]);
    return encs.map((e) => {
      // a discharge diagnosis set replaces the admission one
      const all = diags.rows.filter((d) => d.mdtrt_id === e.mdtrt_id);
      const stageUsed = all.some((d) => d.stage === 'dscg') ? 'dscg' : all.some((d) => d.stage === 'opt') ? 'opt' : 'adm';
      const dx: DiagnoseDto[] = all
        .filter((d) => d.stage === stageUsed)
        .map((d) => ({ dise_codg: d.diag_code, dise_name: d.diag_name, maindise_flag: d.maindiag_flag, dias_srt_no: d.diag_srt_no, inout_dise_type: stageUsed === 'adm' ? '1' : '2' }));
      const main = dx.find((d) => d.maindise_flag === '1') ?? dx[0];
      const orders: OrderDto[] = fees.rows
        .filter((f) => f.mdtrt_id === e.mdtrt_id)
        .map((f) => ({
          rx_id: `FEE${f.feedetl_id}`,
          rxno: f.rxno ?? f.feedetl_sn,
          hilist_code: f.hilist_code,
          cnt: f.cnt,
          pric: f.pric,
          sumamt: f.det_item_fee_sumamt,
          ownpay_amt: f.fulamt_ownpay_amt,
          drord_begn_date: beijingDateTime(asDate(f.fee_ocur_time)),
          ...(f.bilg_dept_codg ? { drord_dept_codg: f.bilg_dept_codg } : {}),
          ...(f.bilg_dept_name ? { drord_dept_name: f.bilg_dept_name } : {}),
          ...(f.bilg_dr_codg ? { drord_dr_codg: f.bilg_dr_codg } : {}),
          ...(f.bilg_dr_name ? { drord_dr_name: f.bilg_dr_name } : {}),
          ...(f.med_chrgitm_type ? { chrg_type: f.med_chrgitm_type.trim() } : {}),
          curr_drord_flag: '0',
        }));
      const enc: EncounterDto = {
        mdtrt_id: e.mdtrt_id,
        medins_id: e.fixmedins_code,
        ...(e.fixmedins_name ? { medins_name: e.fixmedins_name } : {}),
        medins_admdvs: e.mdtrtarea_admvs.trim(),
        ...(e.hosp_lv ? { medins_lv: e.hosp_lv.trim() } : {}),
        adm_date: beijingDateTime(asDate(e.begntime)),
        ...(e.endtime ? { dscg_date: beijingDateTime(asDate(e.endtime)) } : {}),
        ...(main?.dise_codg ?? e.dise_codg ? { dscg_main_dise_codg: (main?.dise_codg ?? e.dise_codg)! } : {}),
        fsi_diagnose_dtos: dx,
        ...(e.atddr_no ? { dr_codg: e.atddr_no } : {}),
        ...(e.dept_code ? { adm_dept_codg: e.dept_code } : {}),
        ...(e.dept_name ? { adm_dept_name: e.dept_name } : {}),
        med_mdtrt_type: e.ipt_otp_flag.trim(),
        med_type: e.med_type,
        insutype: e.insutype,
        fsi_order_dtos: orders,
      };
      return enc;
    });
  }
}
