/**
 * The output schema of the generator: which platform tables it writes and, for each, the columns in order with
 * their SQL type. Names are the platform's own (migrations 0005, 0006, 0010, 0012 and 0019), so analytics reads a
 * generated region and a database snapshot alike. Rows carry values already in the database's text forms
 * (money as yuan strings from platform/money.ts, ratios as 0.xxxx, dates 'yyyy-MM-dd', instants with +08), so the
 * Parquet writer and the database writer only cast. Serial ids the database assigns itself (diag_id,
 * acct_ledger_id, fund_ledger_id) are left out; feedetl_id is generated because setl_feedetl refers to it.
 * The Parquet partition columns are `month` and `admdvs`; no partitioned table has a column of either name.
 */

export type ColType = 'text' | 'int' | 'bigint' | 'money' | 'ratio' | 'qty' | 'price' | 'date' | 'ts' | 'json';

export type Cell = string | number | null;
export type Row = Cell[];

export interface TableSpec {
  name: string;
  cols: readonly (readonly [string, ColType])[];
  /**
   * person: partitioned by admdvs only (the insured area); encounter: by month and admdvs; ref: the region's
   * reference rows (institutions, practitioners), one unpartitioned file, and not loaded by `--db` (the demo
   * region already holds them); truth: the ground truth of injected violations, partitioned like encounters but
   * written under `<out>/ground_truth/`, apart from the tables the audit engine reads.
   */
  part: 'person' | 'encounter' | 'ref' | 'truth';
}

const t = (name: string, part: TableSpec['part'], cols: string): TableSpec => ({
  name,
  part,
  cols: cols
    .trim()
    .split(/\s+/)
    .map((c) => {
      const [n, ty] = c.split(':') as [string, ColType | undefined];
      return [n, ty ?? 'text'] as const;
    }),
});

const AMOUNTS =
  'medfee_sumamt:money fulamt_ownpay_amt:money overlmt_selfpay:money preselfpay_amt:money inscp_scp_amt:money act_pay_dedc:money hifp_pay:money ' +
  'pool_prop_selfpay:ratio cvlserv_pay:money hifes_pay:money hifmi_pay:money hifob_pay:money maf_pay:money oth_pay:money fund_pay_sumamt:money ' +
  'psn_part_amt:money acct_pay:money acct_mulaid_pay:money psn_cash_pay:money hosp_part_amt:money balc:money';

export const TABLES = {
  fixmedins: t('fixmedins', 'ref', 'fixmedins_code fixmedins_name fixmedins_type hosp_lv admdvs medins_natu begndate:date'),
  practitioner: t('practitioner', 'ref', 'prac_code prac_name prac_type gend fixmedins_code dept_name profttl begndate:date'),
  psn: t('psn', 'person', 'psn_no psn_cert_type certno psn_name gend brdy:date naty psn_type cvlserv_flag emp_name tel addr death_date:date'),
  psn_card: t('psn_card', 'person', 'card_no psn_no card_stas begndate:date'),
  psn_insu: t('psn_insu', 'person', 'psn_no insutype psn_insu_stas insuplc_admdvs psn_type emp_name crt_insu_date:date begndate:date'),
  psn_idet: t('psn_idet', 'person', 'psn_no psn_idet_type begndate:date'),
  psn_family: t('psn_family', 'person', 'psn_no mem_psn_no rlts begndate:date'),
  psn_acct_ledger: t('psn_acct_ledger', 'encounter', 'psn_no insutype move_type amt:money ref_type ref_id memo move_time:ts'),
  mdtrt: t(
    'mdtrt',
    'encounter',
    'mdtrt_id ipt_otp_flag psn_no insutype psn_type med_type ipt_otp_no fixmedins_code mdtrtarea_admvs insuplc_admdvs mdtrt_cert_type mdtrt_cert_no ' +
      'begntime:ts endtime:ts dept_name atddr_no dr_name medrcdno dise_codg dise_name oprn_oprt_code oprn_oprt_name dscg_dept_name dscg_way die_date:date ' +
      'vali_flag mdtrt_stas setl_flag reg_msgid',
  ),
  mdtrt_idchk: t('mdtrt_idchk', 'encounter', 'mdtrt_id psn_no fixmedins_code chk_time:ts mdtrt_cert_type chk_way chk_rslt'),
  mdtrt_diag: t('mdtrt_diag', 'encounter', 'mdtrt_id stage diag_type diag_srt_no:int diag_code diag_name maindiag_flag diag_dept dise_dor_no dise_dor_name diag_time:ts vali_flag msgid'),
  feedetl: t(
    'feedetl',
    'encounter',
    'feedetl_id:bigint mdtrt_id feedetl_sn psn_no drord_no rxno med_type fee_ocur_time:ts hilist_code medins_list_codg pric:price cnt:qty det_item_fee_sumamt:money ' +
      'prd_days:qty bilg_dept_name bilg_dr_codg bilg_dr_name orders_dr_code orders_dr_name drug_trac_codg fulamt_ownpay_amt:money overlmt_amt:money ' +
      'preselfpay_amt:money inscp_scp_amt:money chrgitm_lv med_chrgitm_type selfpay_prop:ratio pric_uplmt_amt:price lmt_used_flag vali_flag upload_msgid',
  ),
  setl: t(
    'setl',
    'encounter',
    `setl_id mdtrt_id psn_no insutype psn_type cvlserv_flag med_type mdtrt_cert_type psn_setlway acct_used_flag mid_setl_flag setl_time:ts policy_id ${AMOUNTS} ` +
      'medins_setl_id fixmedins_code mdtrtarea_admvs insuplc_admdvs clr_optins clr_way clr_type refd_setl_flag vali_flag',
  ),
  setl_fund: t('setl_fund', 'encounter', 'setl_id seq:int fund_pay_type fund_pay_type_name inscp_scp_amt:money crt_payb_lmt_amt:money fund_payamt:money setl_proc_info'),
  setl_feedetl: t(
    'setl_feedetl',
    'encounter',
    'setl_id feedetl_id:bigint mdtrt_id feedetl_sn det_item_fee_sumamt:money fulamt_ownpay_amt:money overlmt_amt:money preselfpay_amt:money inscp_scp_amt:money chrgitm_lv selfpay_prop:ratio',
  ),
  setl_acc_move: t(
    'setl_acc_move',
    'encounter',
    'setl_id psn_no insutype year:int acc_grp admissions:int dedc_used:money pool_base:money pool_paid:money large_base:money large_paid:money cvlserv_paid:money maf_paid:money',
  ),
  setl_acc_year: t('setl_acc_year', 'person', 'psn_no insutype year:int admissions:int large_base:money large_paid:money cvlserv_paid:money maf_paid:money'),
  setl_acc_grp: t('setl_acc_grp', 'person', 'psn_no insutype year:int acc_grp dedc_used:money pool_base:money pool_paid:money'),
  fund_ledger: t('fund_ledger', 'encounter', 'setl_id init_setl_id fund_pay_type amt:money insu_admdvs mdtrtarea_admvs fixmedins_code psn_no insutype clr_type setl_time:ts'),
  setl_list: t('setl_list', 'encounter', 'setl_id fixmedins_code mdtrt_id psn_no cur_ver:int setl_list_id stas_type'),
  setl_list_ver: t(
    'setl_list_ver',
    'encounter',
    'setl_list_id setl_id ver_no:int infno msgid fixmedins_code mdtrt_id psn_name certno gend brdy:date age:qty nwb_age:int hi_type insuplc ipt_med_type ' +
      'adm_time:ts dscg_time:ts dscg_date:date act_ipt_days:int dscg_way hi_paymtd main_diag_code main_oprn_code medfee_sumamt:money psn_selfpay:money ' +
      'psn_ownpay:money acct_pay:money psn_cashpay:money fund_pay_sumamt:money content:json qc_rslt qc_report:json',
  ),
  setl_list_diag: t('setl_list_diag', 'encounter', 'setl_list_id seq:int diag_type diag_code diag_name adm_cond_type maindiag_flag'),
  setl_list_oprn: t('setl_list_oprn', 'encounter', 'setl_list_id seq:int oprn_oprt_type oprn_oprt_code oprn_oprt_name oprn_oprt_date:date anst_way oper_dr_code anst_dr_code main_flag'),
  setl_list_item: t('setl_list_item', 'encounter', 'setl_list_id seq:int med_chrgitm amt:money claa_sumfee:money clab_amt:money fulamt_ownpay_amt:money oth_amt:money'),
  setl_list_pay: t('setl_list_pay', 'encounter', 'setl_list_id seq:int fund_pay_type fund_payamt:money'),
  gen_violation: t('gen_violation', 'truth', 'vio_id vio_type vio_name legit_flag psn_no mdtrt_id setl_id feedetl_sns amt:money memo'),
} as const satisfies Record<string, TableSpec>;

export type TableName = keyof typeof TABLES;
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

/**
 * The order the database writer inserts tables in, parents before children (foreign keys): persons, then
 * encounters, fee lines, settlements and what refers to them.
 */
export const INSERT_ORDER: readonly TableName[] = [
  'psn', 'psn_card', 'psn_insu', 'psn_idet', 'psn_family', 'psn_acct_ledger',
  'mdtrt', 'mdtrt_idchk', 'mdtrt_diag', 'feedetl', 'setl', 'setl_fund', 'setl_feedetl', 'setl_acc_move', 'setl_acc_year', 'setl_acc_grp', 'fund_ledger',
  'setl_list', 'setl_list_ver', 'setl_list_diag', 'setl_list_oprn', 'setl_list_item', 'setl_list_pay', 'gen_violation',
];

/** A Beijing wall time 'yyyy-MM-dd HH:mm:ss' as an instant both PostgreSQL and DuckDB read. */
export const ts = (dateTime: string): string => `${dateTime}+08`;
