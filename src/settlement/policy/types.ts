/**
 * Domain shapes of the settlement policy engine: fee lines and their classification (§1 of
 * settlement-policy.md), policies (§2 keys and parameters), accumulators, and the settlement result with the
 * national `setlinfo` / `setldetail` field names. All money is integer fen, all ratios basis points; only
 * wire.ts turns them into yuan. Nothing here touches the database.
 */
import type { Fen, RatioBp } from '../../platform/money.js';
import type { RestrictionBreach } from '../../standards/catalogue/restrictions.js';

// ---------- keys ----------

/**
 * 医疗类别族, the policy key that groups med_type codes; each value is the representative med_type:
 * 11 门诊, 14 门慢特, 21 住院, 41 药店.
 */
export type MedTypeFam = '11' | '14' | '21' | '41';
/** 人员类别组 (the legacy 2-digit psn_type codes): 11 在职, 12 退休, 14 学生儿童, 15 居民. */
export type PsnTypeGrp = '11' | '12' | '14' | '15';
/** Institution level of a policy row; '9' = unrated (pharmacies, clinics), '*' = any level. */
export type PolicyHospLv = '1' | '2' | '3' | '9' | '*';

// ---------- §1 fee lines ----------

/** One fee line as uploaded (2204 / 2301), after the caller has netted refunds. */
export interface FeeLine {
  feedetl_sn: string;
  hilist_code: string;
  /** Unit price in fen. */
  pric: Fen;
  /** Quantity as a decimal string with up to 4 places (N(16,4)), ≥ 0. */
  cnt: string;
  /** Line amount in fen; must equal pric × cnt rounded to the fen. */
  det_item_fee_sumamt: Fen;
  /** Date of the fee ('yyyy-MM-dd'): the catalogue version and the patient's age are taken on it. */
  fee_date: string;
  /**
   * The unit price exactly as sent (N(16,6), up to 6 decimals of a yuan). When present, the amount is checked as
   * pric_exact × cnt rounded to the fen (price.ts) and `pric` is only its nearest fen.
   */
  pric_exact?: string;
}

/** Facts about the encounter that restrictions are checked against. */
export interface ClassifyContext {
  /** The treating institution's level: '1' | '2' | '3' | '9'. */
  hosp_lv: string;
  gend: string;
  /** Birth date; the age is computed on each line's fee date. */
  brdy: string;
  /** All diagnosis codes of the encounter. */
  diag_codes: string[];
  med_type: string;
  insutype: string;
}

/** Why a whole line is 全自费 (audit_refused: a 事中 audit hit configured to refuse fund payment, settlement/audit.ts). */
export type OwnpayKind = 'not_listed' | 'not_in_force' | 'class_c' | 'restricted' | 'audit_refused';

export interface ClassifiedLine {
  feedetl_sn: string;
  hilist_code: string;
  hilist_name: string | null;
  fee_date: string;
  pric: Fen;
  cnt: string;
  det_item_fee_sumamt: Fen;
  fulamt_ownpay_amt: Fen;
  overlmt_amt: Fen;
  preselfpay_amt: Fen;
  inscp_scp_amt: Fen;
  /** 01 甲 02 乙 03 丙; a code not in the catalogue is reported as 03. */
  chrgitm_lv: string;
  med_chrgitm_type: string | null;
  /** 1 when the catalogue item carries a restriction (限制使用标志). */
  lmt_used_flag: '0' | '1';
  /** Self-pay ratio applied (10000 for a 全自费 line). */
  selfpay_prop: RatioBp;
  /** Unit price cap in fen for the institution's level, null when none. */
  pric_uplmt_amt: Fen | null;
  ownpay_kind: OwnpayKind | null;
  breaches: RestrictionBreach[];
  /** Chinese explanation of the split. */
  reason: string;
}

// ---------- §2 policies ----------

/** A band of a banded ratio: amounts up to `upto` (fen, exclusive of what lower bands took; null = no end). */
export interface Band {
  upto: Fen | null;
  bp: RatioBp;
}

export interface DeductibleRule {
  /** year: once per year and accumulator group; admission: every settlement of this kind (住院: each admission). */
  scope: 'year' | 'admission';
  amt: Fen;
  /** 2nd and later admissions of the year (scope admission); null = same as `amt`. */
  amt_next: Fen | null;
}

export interface PooledRule {
  /** 310100 or 390100. */
  fund: string;
  /** settlement: bands start at 0 in every settlement; year: bands run on the year's accumulated base. */
  basis: 'settlement' | 'year';
  bands: Band[];
  /** 最高支付限额 per person and year within the accumulator group. */
  lmt: Fen;
}

export interface LargeRule {
  /** 330100 职工大额医疗费用补助 or 390200 城乡居民大病保险. */
  fund: '330100' | '390200';
  /**
   * over_limit: pays the in-scope amount above the pooled fund's annual limit (职工大额);
   * burden: pays the year's accumulated in-scope personal burden above a threshold (居民大病).
   */
  basis: 'over_limit' | 'burden';
  /** Threshold on the year's accumulated basis; bands are measured from it. */
  threshold: Fen;
  bands: Band[];
  /** Annual cap. */
  lmt: Fen;
}

export interface CivilServantRule {
  /** Share of the deductible the subsidy pays. */
  dedc_bp: RatioBp;
  /** Share of the remaining in-scope co-insurance it pays. */
  bp: RatioBp;
  lmt: Fen;
}

export interface AssistanceRule {
  /** Ratio by assistance identity (psn_idet_type: 2201 特困, 2202 低保 …); the best one a person holds applies. */
  ratios: Record<string, RatioBp>;
  lmt: Fen;
}

export interface AccountRule {
  /** Local switch: the personal account may also pay 全自费 and 超限价 amounts. */
  ownpay: boolean;
  /** Family members' accounts may pay (家庭共济) in this setting. */
  mulaid: boolean;
}

export interface Policy {
  policy_id: string;
  /** The insured's region (参保地). */
  insu_admdvs: string;
  insutype: string;
  med_type_fam: MedTypeFam;
  hosp_lv: PolicyHospLv;
  psn_type_grp: PsnTypeGrp | '*';
  /** Accumulator group: rows with the same group share year deductible, band base and annual limit. */
  acc_grp: string;
  dedc: DeductibleRule;
  pool: PooledRule;
  large: LargeRule | null;
  cvlserv: CivilServantRule | null;
  maf: AssistanceRule | null;
  acct: AccountRule;
  memo: string | null;
  begndate: string;
  enddate: string | null;
}

export type PolicyInput = Omit<Policy, 'policy_id' | 'enddate'> & { enddate?: string | null };

// ---------- accumulators ----------

/** Counters of one accumulator group (per person × year × insutype × group). */
export interface GroupAcc {
  /** Year-scope deductible paid. */
  dedc_used: Fen;
  /** In-scope amount above the deductible (the pooled fund's band position for basis 'year'). */
  pool_base: Fen;
  /** Pooled fund paid (against the annual limit). */
  pool_paid: Fen;
}

/**
 * A person's accumulators for one year and insurance type. The same shape carries a settlement's delta
 * (then `groups` holds only the group it touched).
 */
export interface Accumulators {
  /** Inpatient admissions settled this year. */
  admissions: number;
  groups: Record<string, GroupAcc>;
  /** Large-amount layer: accumulated basis (over-limit amount or personal burden) and payments. */
  large_base: Fen;
  large_paid: Fen;
  cvlserv_paid: Fen;
  maf_paid: Fen;
}

// ---------- §2 settlement ----------

export interface SettlePerson {
  psn_type: string;
  cvlserv_flag: string;
  /** Assistance identities in force on the settlement date (psn_idet_type codes). */
  idet_types: string[];
}

export interface FamilyAccount {
  psn_no: string;
  balc: Fen;
}

export interface AccountInput {
  acct_used_flag: string;
  /** The patient's own personal-account balance (0 when there is none). */
  balc: Fen;
  /** Bound family members' accounts, in the order they are to pay. */
  family?: FamilyAccount[];
}

export interface SettleInput {
  lines: ClassifiedLine[];
  policy: Policy;
  acc: Accumulators;
  person: SettlePerson;
  account: AccountInput;
  /** Amount the institution bears (医院负担), taken out of the personal part. */
  hosp_part_amt?: Fen;
  /** Earlier valid settlements of the same admission (中途结算): the admission continues, it does not start again. */
  continuation?: Continuation;
}

/**
 * What earlier 中途结算 of the same admission already did: the admission is already counted, its deductible is paid
 * once (only what is still missing is due), and a per-settlement band walk goes on from their base.
 */
export interface Continuation {
  /** Deductible paid by the earlier settlements of this admission (Σ act_pay_dedc). */
  dedc_paid: Fen;
  /** Their pooled base (Σ inscp_scp_amt − act_pay_dedc): where this settlement's bands start (basis 'settlement'). */
  pool_base: Fen;
}

export interface SetlInfo {
  medfee_sumamt: Fen;
  fulamt_ownpay_amt: Fen;
  overlmt_selfpay: Fen;
  preselfpay_amt: Fen;
  inscp_scp_amt: Fen;
  act_pay_dedc: Fen;
  hifp_pay: Fen;
  /** The pooled fund's ratio at the end of this settlement's base (N(5,4) on the wire). */
  pool_prop_selfpay: number;
  cvlserv_pay: Fen;
  hifes_pay: Fen;
  hifmi_pay: Fen;
  hifob_pay: Fen;
  maf_pay: Fen;
  oth_pay: Fen;
  fund_pay_sumamt: Fen;
  psn_part_amt: Fen;
  acct_pay: Fen;
  acct_mulaid_pay: Fen;
  psn_cash_pay: Fen;
  hosp_part_amt: Fen;
  /** The patient's account balance after this settlement. */
  balc: Fen;
}

export interface SetlDetail {
  fund_pay_type: string;
  fund_pay_type_name: string;
  inscp_scp_amt: Fen;
  crt_payb_lmt_amt: Fen;
  fund_payamt: Fen;
  setl_proc_info: string;
}

/** What one family member's account paid, and its balance after. */
export interface MulaidPay {
  psn_no: string;
  amt: Fen;
  balc: Fen;
}

export interface Settlement {
  setlinfo: SetlInfo;
  setldetail: SetlDetail[];
  mulaid: MulaidPay[];
  /** This settlement's change to the accumulators. */
  delta: Accumulators;
  /** Accumulators after = before + delta. */
  after: Accumulators;
}
