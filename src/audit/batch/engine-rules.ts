/**
 * The 事后 run of the rules that have no batch SQL but do have a real-time implementation: the real-time engine
 * itself, over each encounter of the window as it would have been judged at 事中 — the encounter's fee lines current
 * (curr_drord_flag 1) and the person's earlier encounters (within `historyDays`) as history, all read from the
 * snapshot. Since the line rules run as SQL (batch/line-rules-sql.ts) this is the fallback: for a rule implemented
 * in TypeScript only, and for parameters the SQL does not cover (POL-CRS-01 whole_history). It is also the reference
 * the SQL is tested against (batch/line-rules.test.ts). Persons are read from DuckDB a chunk at a time (their
 * encounters, diagnoses and fee lines), so memory stays bounded.
 */
import { yuanToFen, type Fen } from '../../platform/money.js';
import { addDays } from '../../platform/time.js';
import { prepareClaim } from '../engine/claim.js';
import { runRules } from '../engine/engine.js';
import type { Knowledge } from '../kb/knowledge.js';
import type { RuleBase } from '../rules/store.js';
import type { DiagnoseDto, EncounterDto, OrderDto } from '../types.js';
import { duckRows, lit, type DuckDBConnection } from '../snapshot/duck.js';
import type { SuspectHit } from './suspects.js';

interface EncRow {
  mdtrt_id: string;
  psn_no: string;
  ipt_otp_flag: string;
  med_type: string;
  insutype: string;
  fixmedins_code: string;
  medins_name: string;
  hosp_lv: string | null;
  inst_admdvs: string;
  setl_id: string | null;
  begntime: string;
  endtime: string | null;
  adm_date: string;
  main_diag: string | null;
  diags: string[];
  dept_code: string | null;
  dept_name: string | null;
  atddr_no: string | null;
  gend: string;
  brdy: string;
  in_window: boolean;
}

export interface LineRow {
  feedetl_id: string;
  feedetl_sn: string;
  mdtrt_id: string;
  hilist_code: string;
  rxno: string | null;
  fee_ocur_time: string;
  fee_date: string;
  cnt: string;
  pric: string;
  det_item_fee_sumamt: string;
  inscp_scp_amt: string;
  fulamt_ownpay_amt: string;
  bilg_dept_codg: string | null;
  bilg_dr_codg: string | null;
  med_chrgitm_type: string | null;
  /** 周期天数 (days the line supplies), when uploaded. */
  prd_days: string | null;
}

/** A hit of the engine with its rule. */
export interface EngineHit extends SuspectHit {
  rule_id: string;
}

export interface EngineRunOptions {
  from: string;
  to: string;
  today: string;
  ruleIds: string[];
  kb: Knowledge;
  rules: RuleBase;
  /** Days of history before each encounter (default 366). */
  historyDays?: number;
  /** Persons per DuckDB read (default 2,000). */
  chunk?: number;
  /**
   * Judge only the window's encounters that have a fee line with one of these codes (a query returning column
   * `code`): for rules that cannot hit an encounter without such a line, it skips the others and their histories.
   */
  codes?: string;
  onChunk?: (p: { persons: number; personsTotal: number; lines: number }) => Promise<void>;
}

function encounterDto(e: EncRow, lines: LineRow[], curr: boolean): EncounterDto {
  const diags: DiagnoseDto[] = e.diags.map((c, i) => ({ dise_codg: c, maindise_flag: c === e.main_diag && e.diags.indexOf(c) === i ? '1' : '0', dias_srt_no: i + 1, inout_dise_type: '2' }));
  const orders: OrderDto[] = lines.map((f) => ({
    rx_id: `FEE${f.feedetl_id}`,
    rxno: f.rxno ?? f.feedetl_sn,
    hilist_code: f.hilist_code,
    cnt: f.cnt,
    pric: f.pric,
    sumamt: f.det_item_fee_sumamt,
    ownpay_amt: f.fulamt_ownpay_amt,
    drord_begn_date: f.fee_ocur_time,
    // 周期天数 is the order's period as 3101 states it with drord_stop_date (start day counted)
    ...(f.prd_days && Number(f.prd_days) >= 1 ? { drord_stop_date: `${addDays(f.fee_date, Math.ceil(Number(f.prd_days)) - 1)} 00:00:00` } : {}),
    ...(f.bilg_dept_codg ? { drord_dept_codg: f.bilg_dept_codg } : {}),
    ...(f.bilg_dr_codg ? { drord_dr_codg: f.bilg_dr_codg } : {}),
    ...(f.med_chrgitm_type ? { chrg_type: f.med_chrgitm_type.trim() } : {}),
    curr_drord_flag: curr ? '1' : '0',
  }));
  return {
    mdtrt_id: e.mdtrt_id,
    medins_id: e.fixmedins_code,
    medins_name: e.medins_name,
    medins_admdvs: e.inst_admdvs,
    ...(e.hosp_lv ? { medins_lv: e.hosp_lv } : {}),
    adm_date: e.begntime,
    ...(e.endtime ? { dscg_date: e.endtime } : {}),
    ...(e.main_diag ? { dscg_main_dise_codg: e.main_diag } : {}),
    fsi_diagnose_dtos: diags,
    ...(e.atddr_no ? { dr_codg: e.atddr_no } : {}),
    ...(e.dept_code ? { adm_dept_codg: e.dept_code } : {}),
    ...(e.dept_name ? { adm_dept_name: e.dept_name } : {}),
    med_mdtrt_type: e.ipt_otp_flag,
    med_type: e.med_type,
    insutype: e.insutype,
    fsi_order_dtos: orders,
  };
}

const lineEvidence = (l: LineRow, type: string, amt: Fen | null): Record<string, string> => ({
  feedetl_id: l.feedetl_id,
  feedetl_sn: l.feedetl_sn,
  mdtrt_id: l.mdtrt_id,
  hilist_code: l.hilist_code,
  fee_date: l.fee_date,
  vola_item_type: type,
  sumamt: l.det_item_fee_sumamt,
  inscp_scp_amt: l.inscp_scp_amt,
  ...(amt === null ? {} : { vola_amt_fen: String(amt) }),
});

/** Every hit of the engine over the window's encounters, a chunk of persons at a time. */
export async function runEngineRules(conn: DuckDBConnection, o: EngineRunOptions): Promise<EngineHit[]> {
  if (!o.ruleIds.length) return [];
  const since = addDays(o.from, -(o.historyDays ?? 366));
  const inWin = `adm_date between ${lit(o.from)}::DATE and ${lit(o.to)}::DATE`;
  // the encounters to judge: the window's, or those of them with a line of the codes that can hit
  await conn.run(
    o.codes
      ? `create or replace temp table batch_enc as
         with wl as (select l.mdtrt_id, l.hilist_code from line l join enc e on e.mdtrt_id = l.mdtrt_id where e.${inWin}),
         rel as (select code from (${o.codes}))
         select distinct mdtrt_id from wl where hilist_code in (select code from rel)`
      : `create or replace temp table batch_enc as select mdtrt_id from enc where ${inWin}`,
  );
  const win = `mdtrt_id in (select mdtrt_id from batch_enc)`;
  await conn.run(`create or replace temp table batch_psn as select psn_no, row_number() over (order by psn_no) as rn from (select distinct psn_no from enc where ${win})`);
  const [{ n }] = (await duckRows<{ n: string }>(conn, `select count(*)::VARCHAR as n from batch_psn`)) as [{ n: string }];
  const total = Number(n);
  const chunk = o.chunk ?? 2_000;
  const hits: EngineHit[] = [];
  let lineCount = 0;
  for (let start = 1; start <= total; start += chunk) {
    const inChunk = `psn_no in (select psn_no from batch_psn where rn between ${start} and ${start + chunk - 1})`;
    const encs = await duckRows<EncRow>(
      conn,
      `select e.mdtrt_id, e.psn_no, e.ipt_otp_flag, e.med_type, e.insutype, e.fixmedins_code, e.medins_name, e.hosp_lv, e.inst_admdvs, e.setl_id,
              strftime(e.begntime, '%Y-%m-%d %H:%M:%S') as begntime, strftime(e.endtime, '%Y-%m-%d %H:%M:%S') as endtime, e.adm_date::VARCHAR as adm_date,
              e.main_diag, e.diags, e.dept_code, e.dept_name, e.atddr_no, p.gend, p.brdy::VARCHAR as brdy, (e.${win}) as in_window
         from enc e join psn p on p.psn_no = e.psn_no
        where e.${inChunk} and e.adm_date between ${lit(since)}::DATE and ${lit(o.to)}::DATE
        order by e.psn_no, e.begntime, e.mdtrt_id`,
    );
    const lines = await duckRows<LineRow>(
      conn,
      `select feedetl_id::VARCHAR as feedetl_id, feedetl_sn, mdtrt_id, hilist_code, rxno, strftime(fee_ocur_time, '%Y-%m-%d %H:%M:%S') as fee_ocur_time,
              fee_date::VARCHAR as fee_date, cnt::VARCHAR as cnt, pric::VARCHAR as pric, det_item_fee_sumamt::VARCHAR as det_item_fee_sumamt,
              inscp_scp_amt::VARCHAR as inscp_scp_amt, fulamt_ownpay_amt::VARCHAR as fulamt_ownpay_amt, bilg_dept_codg, bilg_dr_codg, med_chrgitm_type,
              case when prd_days >= 1 then prd_days::VARCHAR end as prd_days
         from line where ${inChunk} and fee_date >= ${lit(since)}::DATE order by mdtrt_id, feedetl_id`,
    );
    const byEnc = new Map<string, LineRow[]>();
    for (const l of lines) {
      const list = byEnc.get(l.mdtrt_id);
      if (list) list.push(l);
      else byEnc.set(l.mdtrt_id, [l]);
    }
    const byPsn = new Map<string, EncRow[]>();
    for (const e of encs) {
      const list = byPsn.get(e.psn_no);
      if (list) list.push(e);
      else byPsn.set(e.psn_no, [e]);
    }
    for (const list of byPsn.values()) {
      for (const [i, e] of list.entries()) {
        if (!e.in_window) continue;
        const curLines = byEnc.get(e.mdtrt_id) ?? [];
        lineCount += curLines.length;
        const history = list.slice(0, i).filter((h) => h.adm_date >= addDays(e.adm_date, -(o.historyDays ?? 366)));
        const req = {
          rule_ids: o.ruleIds,
          patient_dtos: [
            {
              patn_id: e.psn_no,
              gend: e.gend,
              brdy: e.brdy,
              curr_mdtrt_id: e.mdtrt_id,
              fsi_encounter_dtos: [encounterDto(e, curLines, true), ...history.map((h) => encounterDto(h, byEnc.get(h.mdtrt_id) ?? [], false))],
            },
          ],
        };
        const claim = prepareClaim(req, o.kb, e.endtime?.slice(0, 10) ?? o.today);
        const core = runRules(claim, { kb: o.kb, rules: o.rules });
        const known = new Map<string, LineRow>();
        for (const h of [e, ...history]) for (const l of byEnc.get(h.mdtrt_id) ?? []) known.set(`FEE${l.feedetl_id}`, l);
        for (const r of core.response.result) {
          const offending = r.judge_result_detail_dtos.filter((d) => d.vola_item_type === '1' && d.rx_id).map((d) => d.rx_id!.slice(3)).sort();
          const evidence: Record<string, string>[] = [];
          for (const d of r.judge_result_detail_dtos) {
            const l = d.rx_id ? known.get(d.rx_id) : undefined;
            if (l) evidence.push(lineEvidence(l, d.vola_item_type, d.vola_item_type === '1' ? yuanToFen(d.vola_amt) : null));
          }
          const mdtrtIds = [...new Set([e.mdtrt_id, ...r.judge_result_detail_dtos.map((d) => d.mdtrt_id).filter((x): x is string => !!x)])];
          hits.push({
            rule_id: r.rule_id,
            psn_no: e.psn_no,
            mdtrt_id: e.mdtrt_id,
            mdtrt_ids: mdtrtIds,
            dkey: `${e.mdtrt_id}|${offending.join(',') || mdtrtIds.join(',')}|${r.vola_cont.length > 60 ? r.vola_cont.slice(0, 60) : r.vola_cont}`,
            sev: r.sev_deg,
            cont: r.vola_cont,
            amt: yuanToFen(r.vola_amt),
            fixmedins_code: e.fixmedins_code,
            admdvs: e.inst_admdvs,
            setl_id: e.setl_id,
            facts: null,
            lines: evidence,
          });
        }
      }
    }
    await o.onChunk?.({ persons: Math.min(total, start + chunk - 1), personsTotal: total, lines: lineCount });
  }
  await conn.run(`drop table if exists batch_enc`);
  return hits;
}

/**
 * For the rules kept on this path, the knowledge keys without which an encounter cannot hit: 重复收费 needs a line
 * covered by a 包含/互斥 pair (either side) or charged once per day/visit (per-day group or a frequency limit);
 * 超频次 a line with a frequency limit or the catalogue's 限支付数量. Any version counts (a superset of the dates).
 */
const RULE_KEYS: Record<string, string> = {
  'MGT-DUP-01': `select item_a as k from audit_kb_pair where pair_type in ('1', '2') union all select item_b from audit_kb_pair where pair_type in ('1', '2')
                 union all select hilist_code from audit_kb_item where nullif(trim(daily_grp), '') is not null union all select hilist_code from audit_kb_freq`,
  'MGT-FRQ-01': `select hilist_code as k from audit_kb_freq union all select hilist_code from hilist_lmt where lmt_max_cnt is not null`,
};

/**
 * The codes (a query returning `code`) of the window's lines that some of `ruleIds` can hit on, or undefined when
 * a rule has no such bound (then every encounter is judged). Keys may be prefixes ending in '*'.
 */
export function engineCodes(ruleIds: readonly string[], o: { from: string; to: string }): string | undefined {
  if (!ruleIds.length || ruleIds.some((id) => !RULE_KEYS[id])) return undefined;
  return `
    with keys as (${ruleIds.map((id) => RULE_KEYS[id]).join(' union all ')}),
    codes as (select distinct l.hilist_code as code from line l join enc e on e.mdtrt_id = l.mdtrt_id
               where e.adm_date between ${lit(o.from)}::DATE and ${lit(o.to)}::DATE),
    pfx as (select distinct left(k, length(k) - 1) as p from keys where ends_with(k, '*'))
    select code from codes where code in (select k from keys) or exists (select 1 from pfx where starts_with(codes.code, pfx.p))`;
}
