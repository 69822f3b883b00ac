/**
 * What a 事后 snapshot holds: one spec per exported table — the platform's own column names with their DuckDB
 * types, the PostgreSQL query that pages through the table by its key (keyset pagination: a page never holds
 * more than `limit` rows and no offset scan grows), the window filter, and the Hive partition (month, admdvs) of
 * the encounter-bound tables. A snapshot holds whole encounters: every encounter-bound row (diagnoses, fee lines,
 * settlements) follows its encounter's registration time (mdtrt.begntime) and area (mdtrtarea_admvs), so one
 * encounter lives in one partition. The batch engine builds its DuckDB views from the same specs, so an empty
 * table still has its columns. Amounts stay numeric(16,2) as DECIMAL(16,2); instants are Beijing wall time
 * (TIMESTAMP); dates are DATE.
 */
import { sql, type RawBuilder } from 'kysely';
import { addDays } from '../../platform/time.js';

export type DuckType = 'VARCHAR' | 'DATE' | 'TIMESTAMP' | 'DECIMAL(16,2)' | 'DECIMAL(16,4)' | 'DECIMAL(16,6)' | 'DECIMAL(12,4)' | 'DECIMAL(5,4)' | 'BIGINT' | 'INTEGER';

export interface Window {
  /** First day of encounter registration (inclusive, Beijing); null = from the beginning. */
  from: string | null;
  /** Last day (inclusive, Beijing); null = until now. */
  to: string | null;
}

export interface TableSpec {
  name: string;
  /** Columns in order, as written to Parquet (the key columns among them). */
  cols: readonly (readonly [string, DuckType])[];
  /** Key columns for keyset pagination (ascending, unique together). */
  key: readonly string[];
  /** Encounter-bound: filtered by the window and partitioned by month and admdvs of the encounter. */
  bound: boolean;
  /** One page after `after` (the last row's key values), at most `limit` rows, ordered by the key. */
  page(w: Window, after: readonly unknown[] | null, limit: number): RawBuilder<Record<string, unknown>>;
}

/** Partition columns every encounter-bound table carries (from its encounter). */
export const PART_COLS = ['mdtrt_begntime', 'mdtrt_admdvs'] as const;

interface PagerDef {
  name: string;
  cols: readonly (readonly [string, DuckType, string?])[];
  from: string;
  key: readonly string[];
  /** The encounter alias in `from` for bound tables. */
  mdtrt?: string;
}

function windowOf(m: string, w: Window): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (w.from) parts.push(sql`${sql.ref(`${m}.begntime`)} >= ${`${w.from} 00:00:00+08`}::timestamptz`);
  if (w.to) parts.push(sql`${sql.ref(`${m}.begntime`)} < ${`${addDays(w.to, 1)} 00:00:00+08`}::timestamptz`);
  return sql.join(parts, sql` and `);
}

/** A spec whose page query selects `cols` (each `name type [expression]`) from `from`, after the key. */
function pager(d: PagerDef): TableSpec {
  const bound = d.mdtrt !== undefined;
  const cols = bound ? [...d.cols, ['mdtrt_begntime', 'TIMESTAMP', `${d.mdtrt}.begntime`] as const, ['mdtrt_admdvs', 'VARCHAR', `${d.mdtrt}.mdtrtarea_admvs`] as const] : d.cols;
  const select = sql.raw(cols.map(([c, , e]) => (e ? `${e} as ${c}` : c)).join(', '));
  const keyExpr = d.key.map((k) => cols.find(([c]) => c === k)?.[2] ?? k);
  const keyTuple = sql.raw(`(${keyExpr.join(', ')})`);
  return {
    name: d.name,
    cols: cols.map(([c, t]) => [c, t] as const),
    key: d.key,
    bound,
    page(w, after, limit) {
      const conds: RawBuilder<unknown>[] = [bound ? windowOf(d.mdtrt!, w) : sql`true`];
      if (after) conds.push(sql`${keyTuple} > (${sql.join(after.map((v) => sql`${v}`))})`);
      return sql<Record<string, unknown>>`select ${select} from ${sql.raw(d.from)} where ${sql.join(conds, sql` and `)} order by ${sql.raw(keyExpr.join(', '))} limit ${limit}`;
    },
  };
}

const V = 'VARCHAR' as const;
const AMT = 'DECIMAL(16,2)' as const;

export const SNAPSHOT_TABLES: readonly TableSpec[] = [
  pager({
    name: 'mdtrt',
    from: 'mdtrt m',
    mdtrt: 'm',
    key: ['mdtrt_id'],
    cols: [
      ['mdtrt_id', V], ['ipt_otp_flag', V], ['psn_no', V], ['insutype', V], ['psn_type', V], ['med_type', V], ['fixmedins_code', V],
      ['mdtrtarea_admvs', V], ['insuplc_admdvs', V], ['begntime', 'TIMESTAMP'], ['endtime', 'TIMESTAMP'], ['dept_code', V], ['dept_name', V],
      ['atddr_no', V], ['dise_codg', V], ['dise_name', V], ['oprn_oprt_code', V], ['dscg_way', V], ['vali_flag', V], ['mdtrt_stas', V], ['setl_flag', V],
    ],
  }),
  pager({
    name: 'mdtrt_diag',
    from: 'mdtrt_diag d join mdtrt m on m.mdtrt_id = d.mdtrt_id',
    mdtrt: 'm',
    key: ['diag_id'],
    cols: [
      ['diag_id', 'BIGINT', 'd.diag_id'], ['mdtrt_id', V, 'd.mdtrt_id'], ['stage', V], ['diag_type', V], ['diag_srt_no', 'INTEGER'], ['diag_code', V],
      ['diag_name', V], ['maindiag_flag', V], ['vali_flag', V, 'd.vali_flag'],
    ],
  }),
  pager({
    name: 'feedetl',
    from: 'feedetl f join mdtrt m on m.mdtrt_id = f.mdtrt_id',
    mdtrt: 'm',
    key: ['feedetl_id'],
    cols: [
      ['feedetl_id', 'BIGINT', 'f.feedetl_id'], ['mdtrt_id', V, 'f.mdtrt_id'], ['feedetl_sn', V], ['psn_no', V, 'f.psn_no'], ['init_feedetl_sn', V],
      ['drord_no', V], ['rxno', V], ['med_type', V, 'f.med_type'], ['fee_ocur_time', 'TIMESTAMP'], ['hilist_code', V], ['medins_list_codg', V],
      ['pric', 'DECIMAL(16,6)'], ['cnt', 'DECIMAL(16,4)'], ['det_item_fee_sumamt', AMT], ['prd_days', 'DECIMAL(16,2)'], ['bilg_dept_codg', V],
      ['bilg_dr_codg', V], ['drug_trac_codg', V], ['fulamt_ownpay_amt', AMT], ['overlmt_amt', AMT], ['preselfpay_amt', AMT],
      ['inscp_scp_amt', AMT], ['chrgitm_lv', V], ['med_chrgitm_type', V], ['vali_flag', V, 'f.vali_flag'], ['fixmedins_code', V, 'm.fixmedins_code'],
    ],
  }),
  pager({
    name: 'setl',
    from: 'setl s join mdtrt m on m.mdtrt_id = s.mdtrt_id',
    mdtrt: 'm',
    key: ['setl_id'],
    cols: [
      ['setl_id', V], ['mdtrt_id', V, 's.mdtrt_id'], ['psn_no', V, 's.psn_no'], ['insutype', V, 's.insutype'], ['med_type', V, 's.med_type'],
      ['setl_time', 'TIMESTAMP'], ['medfee_sumamt', AMT], ['fulamt_ownpay_amt', AMT], ['overlmt_selfpay', AMT], ['preselfpay_amt', AMT],
      ['inscp_scp_amt', AMT], ['hifp_pay', AMT], ['fund_pay_sumamt', AMT], ['psn_part_amt', AMT], ['acct_pay', AMT], ['psn_cash_pay', AMT],
      ['fixmedins_code', V, 's.fixmedins_code'], ['refd_setl_flag', V], ['init_setl_id', V], ['vali_flag', V, 's.vali_flag'],
    ],
  }),
  pager({
    name: 'setl_fund',
    from: 'setl_fund sf join setl s on s.setl_id = sf.setl_id join mdtrt m on m.mdtrt_id = s.mdtrt_id',
    mdtrt: 'm',
    key: ['setl_id', 'seq'],
    cols: [['setl_id', V, 'sf.setl_id'], ['seq', 'INTEGER'], ['fund_pay_type', V], ['fund_pay_type_name', V], ['inscp_scp_amt', AMT, 'sf.inscp_scp_amt'], ['fund_payamt', AMT]],
  }),
  pager({
    name: 'setl_feedetl',
    from: 'setl_feedetl sd join mdtrt m on m.mdtrt_id = sd.mdtrt_id',
    mdtrt: 'm',
    key: ['setl_id', 'feedetl_id'],
    cols: [
      ['setl_id', V, 'sd.setl_id'], ['feedetl_id', 'BIGINT', 'sd.feedetl_id'], ['mdtrt_id', V, 'sd.mdtrt_id'], ['feedetl_sn', V, 'sd.feedetl_sn'],
      ['det_item_fee_sumamt', AMT], ['fulamt_ownpay_amt', AMT], ['overlmt_amt', AMT], ['preselfpay_amt', AMT], ['inscp_scp_amt', AMT, 'sd.inscp_scp_amt'],
    ],
  }),
  // identity checks at the start of an encounter (migration 0019): the 虚假住院 model weighs failed or missing checks
  pager({
    name: 'mdtrt_idchk',
    from: 'mdtrt_idchk k join mdtrt m on m.mdtrt_id = k.mdtrt_id',
    mdtrt: 'm',
    key: ['idchk_id'],
    cols: [
      ['idchk_id', 'BIGINT'], ['mdtrt_id', V, 'k.mdtrt_id'], ['psn_no', V, 'k.psn_no'], ['fixmedins_code', V, 'k.fixmedins_code'], ['chk_time', 'TIMESTAMP'],
      ['mdtrt_cert_type', V, 'k.mdtrt_cert_type'], ['chk_way', V], ['chk_rslt', V],
    ],
  }),
  pager({ name: 'psn', from: 'psn', key: ['psn_no'], cols: [['psn_no', V], ['gend', V], ['brdy', 'DATE'], ['death_date', 'DATE']] }),
  pager({
    name: 'fixmedins',
    from: 'fixmedins',
    key: ['fixmedins_code', 'begndate'],
    cols: [['fixmedins_code', V], ['fixmedins_name', V], ['fixmedins_type', V], ['hosp_lv', V], ['admdvs', V], ['begndate', 'DATE'], ['enddate', 'DATE']],
  }),
  pager({
    name: 'practitioner',
    from: 'practitioner',
    key: ['prac_code', 'begndate'],
    cols: [['prac_code', V], ['prac_name', V], ['prac_type', V], ['fixmedins_code', V], ['begndate', 'DATE'], ['enddate', 'DATE']],
  }),
  pager({
    name: 'practitioner_qualification',
    from: 'practitioner_qualification',
    key: ['prac_code', 'begndate'],
    cols: [['prac_code', V], ['qual_stas', V], ['begndate', 'DATE'], ['enddate', 'DATE']],
  }),
  // the catalogue (names, list types, 丙类, price caps by level, 限定支付范围): the line rules of batch/line-rules-sql.ts
  pager({
    name: 'hilist',
    from: 'hilist',
    key: ['hilist_code', 'insu_admdvs', 'begndate'],
    cols: [['hilist_code', V], ['insu_admdvs', V], ['hilist_name', V], ['list_type', V], ['med_chrgitm_type', V], ['chrgitm_lv', V], ['begndate', 'DATE'], ['enddate', 'DATE']],
  }),
  pager({
    name: 'hilist_pric_uplmt',
    from: 'hilist_pric_uplmt',
    key: ['hilist_code', 'insu_admdvs', 'hosp_lv', 'begndate'],
    cols: [['hilist_code', V], ['insu_admdvs', V], ['hosp_lv', V], ['pric_uplmt_amt', AMT], ['begndate', 'DATE'], ['enddate', 'DATE']],
  }),
  pager({
    name: 'hilist_lmt',
    from: 'hilist_lmt',
    key: ['hilist_code', 'insu_admdvs', 'begndate'],
    cols: [
      ['hilist_code', V], ['insu_admdvs', V], ['lmt_gend', V], ['lmt_age_min', 'INTEGER'], ['lmt_age_max', 'INTEGER'], ['lmt_diag', V], ['lmt_min_hosp_lv', V],
      ['lmt_scene', V], ['lmt_insutype', V], ['lmt_max_days', 'INTEGER'], ['lmt_max_cnt', 'DECIMAL(16,4)'], ['lmt_memo', V], ['begndate', 'DATE'], ['enddate', 'DATE'],
    ],
  }),
  // the knowledge base (audit_kb_*), as the batch rules read it
  pager({
    name: 'audit_kb_item',
    from: 'audit_kb_item',
    key: ['hilist_code', 'begndate'],
    cols: [
      ['hilist_code', V], ['daily_grp', V], ['not_paid', V], ['indication_diag', V], ['child_age_max', 'INTEGER'], ['child_age_unit', V],
      ['age_exempt_diag', V], ['dept_codes', V], ['begndate', 'DATE'], ['enddate', 'DATE'],
    ],
  }),
  pager({
    name: 'audit_kb_pair',
    from: 'audit_kb_pair',
    key: ['item_a', 'item_b', 'pair_type', 'begndate'],
    cols: [['item_a', V], ['item_b', V], ['pair_type', V], ['scope', V], ['hit_side', V], ['bypass_flag', V], ['memo', V], ['begndate', 'DATE'], ['enddate', 'DATE']],
  }),
  pager({
    name: 'audit_kb_freq',
    from: 'audit_kb_freq',
    key: ['hilist_code', 'period', 'begndate'],
    cols: [['hilist_code', V], ['period', V], ['period_days', 'INTEGER'], ['max_cnt', 'DECIMAL(12,4)'], ['mai', V], ['los_scale', V], ['begndate', 'DATE'], ['enddate', 'DATE']],
  }),
  pager({
    name: 'audit_kb_drug',
    from: 'audit_kb_drug',
    key: ['hilist_code', 'begndate'],
    cols: [['hilist_code', V], ['ingr_code', V], ['std_daily_qty', 'DECIMAL(12,4)'], ['max_daily_qty', 'DECIMAL(12,4)'], ['max_days', 'INTEGER'], ['begndate', 'DATE'], ['enddate', 'DATE']],
  }),
  pager({ name: 'audit_kb_herb', from: 'audit_kb_herb', key: ['hilist_code', 'begndate'], cols: [['hilist_code', V], ['begndate', 'DATE'], ['enddate', 'DATE']] }),
  pager({
    name: 'audit_kb_cycle',
    from: 'audit_kb_cycle',
    key: ['cycle_type', 'code_type', 'code', 'begndate'],
    cols: [['cycle_type', V], ['code_type', V], ['code', V], ['begndate', 'DATE'], ['enddate', 'DATE']],
  }),
];
