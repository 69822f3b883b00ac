-- 0010 settlement (结算): encounters (就诊), their diagnoses, uploaded fee lines, settlements with their fund rows,
-- the per-line split a settlement froze, family mutual-aid payments, accumulators (待遇累计) and the fund ledger.
-- Money numeric(16,2), ratios numeric(5,4), quantities numeric(16,4), unit prices numeric(16,6) (N(16,6) on the
-- wire). Instants are timestamptz (the wire's Beijing wall time converted on the way in and out).
-- Nothing about money is updated in place: a reversal is a new settlement row with negative amounts, negative fund
-- rows and a negative accumulator move; only status flags (vali_flag, setl_flag) and the accumulator totals
-- (kept equal to the sum of their moves) change.

-- 就诊: one outpatient visit (2201), inpatient stay (2401) or pharmacy purchase (2201 with med_type 41).
create table mdtrt (
  mdtrt_id text primary key,                  -- 医保返回唯一流水 (area + yyyyMMdd + serial)
  ipt_otp_flag char(1) not null check (ipt_otp_flag in ('1', '2')),  -- 1 门诊/药店 2 住院
  psn_no text not null references psn (psn_no),
  insutype text not null,
  psn_type text not null,                     -- the relation's person type at registration
  med_type text not null,                     -- 11 until 2203 says otherwise (41 at a pharmacy)
  ipt_otp_no text not null,                   -- the hospital's visit / admission number
  fixmedins_code text not null,
  mdtrtarea_admvs char(6) not null,           -- 就医地 (treating pool area)
  insuplc_admdvs char(6) not null,            -- 参保地 (the insured's pool area: whose policy pays)
  mdtrt_cert_type text not null,
  mdtrt_cert_no text,
  begntime timestamptz not null,              -- registration / admission time
  endtime timestamptz,                        -- discharge time (inpatient)
  dept_code text,                             -- 2201 dept_code / 2401 adm_dept_codg
  dept_name text,
  caty text,
  atddr_no text,                              -- attending doctor (医保医师代码)
  dr_name text,
  -- admission information (2401 / 2403)
  adm_bed text,
  adm_diag_dscr text,
  medrcdno text,
  coner_name text,
  tel text,
  main_cond_dscr text,
  dise_codg text,
  dise_name text,
  oprn_oprt_code text,
  oprn_oprt_name text,
  dise_type_code text,
  matn_type text,
  birctrl_type text,
  birctrl_matn_date date,
  geso_val integer,
  fetts integer,
  fetus_cnt integer,
  pret_flag char(1),
  latechb_flag char(1),
  fpsc_no text,
  -- discharge information (2402)
  dscg_dept_codg text,
  dscg_dept_name text,
  dscg_bed text,
  dscg_way text,
  die_date date,
  cop_flag char(1),
  -- status flags
  vali_flag char(1) not null default '1' check (vali_flag in ('0', '1')),   -- 0 = registration / admission cancelled
  mdtrt_stas char(1) not null default '1' check (mdtrt_stas in ('1', '2')), -- 1 就诊中/在院 2 已出院
  setl_flag char(1) not null default '0' check (setl_flag in ('0', '1')),   -- 1 = a valid settlement exists
  reg_msgid text not null,                    -- msgid of the 2201 / 2401 that created it (2601 冲正)
  dscg_msgid text,                            -- msgid of the 2402 in force
  crte_time timestamptz not null default now(),
  updt_time timestamptz not null default now()
);
create index mdtrt_psn on mdtrt (psn_no, begntime);
create index mdtrt_inst on mdtrt (fixmedins_code, begntime);
create unique index mdtrt_reg_msgid on mdtrt (fixmedins_code, reg_msgid);
-- one valid visit per hospital visit number
create unique index mdtrt_ipt_otp_no on mdtrt (fixmedins_code, ipt_otp_flag, ipt_otp_no) where vali_flag = '1';

-- 诊断: the set uploaded last is valid; an upload marks the previous set of the same stage invalid.
create table mdtrt_diag (
  diag_id bigserial primary key,
  mdtrt_id text not null references mdtrt (mdtrt_id),
  stage text not null check (stage in ('opt', 'adm', 'dscg')),  -- 2203 门诊, 2401/2403 入院, 2402 出院
  diag_type text not null,                    -- 1 西医 2 中医主病 3 中医主证
  diag_srt_no integer not null,
  diag_code text not null,
  diag_name text not null,
  maindiag_flag char(1) not null default '0' check (maindiag_flag in ('0', '1')),
  diag_dept text,
  dise_dor_no text,
  dise_dor_name text,
  diag_time timestamptz,
  adm_cond text,
  vali_flag char(1) not null default '1' check (vali_flag in ('0', '1')),
  msgid text not null,
  crte_time timestamptz not null default now()
);
create index mdtrt_diag_mdtrt on mdtrt_diag (mdtrt_id, vali_flag);

-- 费用明细: one uploaded line (2204 / 2301). The split columns are the classification returned at upload; the
-- split a settlement paid is frozen in setl_feedetl. Cancelling (2205 / 2302) sets vali_flag 0, nothing else; a
-- cancelled line's feedetl_sn may be uploaded again (HIS clients re-send a corrected batch under the same serials).
create table feedetl (
  feedetl_id bigserial primary key,
  mdtrt_id text not null references mdtrt (mdtrt_id),
  feedetl_sn text not null,
  psn_no text not null,
  chrg_bchno text,
  init_feedetl_sn text,                       -- refund line: the line it refunds
  drord_no text,
  rxno text,
  rx_circ_flag char(1),
  med_type text,
  fee_ocur_time timestamptz not null,
  hilist_code text not null,                  -- med_list_codg (national code)
  medins_list_codg text not null,             -- the institution's own code
  pric numeric(16,6) not null,
  cnt numeric(16,4) not null,
  det_item_fee_sumamt numeric(16,2) not null,
  sin_dos_dscr text,
  used_frqu_dscr text,
  prd_days numeric(6,2),
  medc_way_dscr text,
  bilg_dept_codg text,
  bilg_dept_name text,
  bilg_dr_codg text,
  bilg_dr_name text,
  acord_dept_codg text,
  acord_dept_name text,
  orders_dr_code text,
  orders_dr_name text,
  hosp_appr_flag char(1),
  tcmdrug_used_way text,
  etip_flag char(1),
  etip_hosp_code text,
  dscg_tkdrug_flag char(1),
  matn_fee_flag text,
  tcmherb_prov_code text,                     -- traceability codes (regional): 草药省码
  mcs_prov_code text,                         -- 耗材省码
  drug_trac_codg text,                        -- 药品追溯码 (from exp_content when sent)
  -- classification at upload (settlement-policy.md §1)
  fulamt_ownpay_amt numeric(16,2) not null,
  overlmt_amt numeric(16,2) not null,
  preselfpay_amt numeric(16,2) not null,
  inscp_scp_amt numeric(16,2) not null,
  chrgitm_lv text not null,
  med_chrgitm_type text,
  selfpay_prop numeric(5,4) not null,
  pric_uplmt_amt numeric(16,6),               -- null = no price cap
  lmt_used_flag char(1) not null,
  memo text,
  vali_flag char(1) not null default '1' check (vali_flag in ('0', '1')),
  upload_msgid text not null,                 -- msgid of the 2204 / 2301 that uploaded it (2601 冲正)
  cncl_msgid text,                            -- msgid of the 2205 / 2302 / 2601 that cancelled it
  cncl_time timestamptz,
  crte_time timestamptz not null default now(),
  check (det_item_fee_sumamt = fulamt_ownpay_amt + overlmt_amt + preselfpay_amt + inscp_scp_amt)
);
-- feedetl_sn is unique among the valid lines of an encounter
create unique index feedetl_sn_valid on feedetl (mdtrt_id, feedetl_sn) where vali_flag = '1';
create index feedetl_mdtrt on feedetl (mdtrt_id, vali_flag);
create index feedetl_upload on feedetl (upload_msgid);
create index feedetl_psn on feedetl (psn_no, fee_ocur_time);

-- 结算: a settlement (refd_setl_flag 0) or the reversal of one (refd_setl_flag 1, all amounts ≤ 0, init_setl_id set).
create table setl (
  setl_id text primary key,
  mdtrt_id text not null references mdtrt (mdtrt_id),
  psn_no text not null,
  insutype text not null,
  psn_type text not null,
  cvlserv_flag char(1) not null,
  med_type text not null,
  mdtrt_cert_type text,
  psn_setlway text,
  acct_used_flag char(1) not null,
  mid_setl_flag char(1) not null default '0',
  invono text,
  setl_time timestamptz not null,
  policy_id text not null,
  medfee_sumamt numeric(16,2) not null,
  fulamt_ownpay_amt numeric(16,2) not null,
  overlmt_selfpay numeric(16,2) not null,
  preselfpay_amt numeric(16,2) not null,
  inscp_scp_amt numeric(16,2) not null,
  act_pay_dedc numeric(16,2) not null,
  hifp_pay numeric(16,2) not null,
  pool_prop_selfpay numeric(5,4) not null,
  cvlserv_pay numeric(16,2) not null,
  hifes_pay numeric(16,2) not null,
  hifmi_pay numeric(16,2) not null,
  hifob_pay numeric(16,2) not null,
  maf_pay numeric(16,2) not null,
  oth_pay numeric(16,2) not null,
  fund_pay_sumamt numeric(16,2) not null,
  psn_part_amt numeric(16,2) not null,
  acct_pay numeric(16,2) not null,
  acct_mulaid_pay numeric(16,2) not null,
  psn_cash_pay numeric(16,2) not null,
  hosp_part_amt numeric(16,2) not null,
  balc numeric(16,2) not null,                -- the patient's account balance after
  medins_setl_id text not null,               -- the request msgid
  fixmedins_code text not null,
  mdtrtarea_admvs char(6) not null,
  insuplc_admdvs char(6) not null,
  clr_optins char(6) not null,
  clr_way text not null,
  clr_type text not null,
  refd_setl_flag char(1) not null default '0' check (refd_setl_flag in ('0', '1')),
  init_setl_id text unique references setl (setl_id),   -- a settlement is reversed at most once
  vali_flag char(1) not null default '1' check (vali_flag in ('0', '1')),  -- 0 = this settlement was reversed
  crte_time timestamptz not null default now(),
  check ((refd_setl_flag = '1') = (init_setl_id is not null)),
  check (refd_setl_flag = '1' or least(medfee_sumamt, fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, inscp_scp_amt, act_pay_dedc,
         hifp_pay, cvlserv_pay, hifes_pay, hifmi_pay, hifob_pay, maf_pay, oth_pay, fund_pay_sumamt, psn_part_amt, acct_pay,
         acct_mulaid_pay, psn_cash_pay, hosp_part_amt) >= 0),
  check (refd_setl_flag = '0' or greatest(medfee_sumamt, fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, inscp_scp_amt, act_pay_dedc,
         hifp_pay, cvlserv_pay, hifes_pay, hifmi_pay, hifob_pay, maf_pay, oth_pay, fund_pay_sumamt, psn_part_amt, acct_pay,
         acct_mulaid_pay, psn_cash_pay, hosp_part_amt) <= 0),
  check (medfee_sumamt = fulamt_ownpay_amt + overlmt_selfpay + preselfpay_amt + inscp_scp_amt),
  check (medfee_sumamt = fund_pay_sumamt + psn_part_amt + hosp_part_amt),
  check (psn_part_amt = acct_pay + acct_mulaid_pay + psn_cash_pay)
);
-- at most one valid settlement per encounter: the database itself refuses a second one
create unique index setl_one_valid on setl (mdtrt_id) where refd_setl_flag = '0' and vali_flag = '1';
create index setl_psn on setl (psn_no, setl_time);
create index setl_inst on setl (fixmedins_code, setl_time);
create index setl_medins_setl_id on setl (fixmedins_code, medins_setl_id);

-- setldetail: one row per fund of a settlement (negative in a reversal).
create table setl_fund (
  setl_id text not null references setl (setl_id),
  seq integer not null,
  fund_pay_type text not null,
  fund_pay_type_name text not null,
  inscp_scp_amt numeric(16,2) not null,
  crt_payb_lmt_amt numeric(16,2) not null,
  fund_payamt numeric(16,2) not null,
  setl_proc_info text not null,
  primary key (setl_id, seq)
);

-- The split of each fee line a settlement paid (classified at settlement, with the diagnoses and med_type then).
create table setl_feedetl (
  setl_id text not null references setl (setl_id),
  feedetl_id bigint not null references feedetl (feedetl_id),
  mdtrt_id text not null,
  feedetl_sn text not null,
  det_item_fee_sumamt numeric(16,2) not null,
  fulamt_ownpay_amt numeric(16,2) not null,
  overlmt_amt numeric(16,2) not null,
  preselfpay_amt numeric(16,2) not null,
  inscp_scp_amt numeric(16,2) not null,
  chrgitm_lv text not null,
  selfpay_prop numeric(5,4) not null,
  primary key (setl_id, feedetl_id)
);
create index setl_feedetl_line on setl_feedetl (feedetl_id);

-- 家庭共济: what each family member's account paid for the patient (negative in a reversal).
create table setl_mulaid (
  setl_id text not null references setl (setl_id),
  psn_no text not null,                       -- the account owner who paid
  amt numeric(16,2) not null,
  balc numeric(16,2) not null,                -- the owner's balance after
  primary key (setl_id, psn_no)
);

-- 待遇累计 per person, insurance type and year: counters of the person's year …
create table setl_acc_year (
  psn_no text not null references psn (psn_no),
  insutype text not null,
  year integer not null,
  admissions integer not null default 0 check (admissions >= 0),
  large_base numeric(16,2) not null default 0 check (large_base >= 0),
  large_paid numeric(16,2) not null default 0 check (large_paid >= 0),
  cvlserv_paid numeric(16,2) not null default 0 check (cvlserv_paid >= 0),
  maf_paid numeric(16,2) not null default 0 check (maf_paid >= 0),
  updt_time timestamptz not null default now(),
  primary key (psn_no, insutype, year)
);
-- … and of each accumulator group (policies sharing a group share deductible, band base and annual limit).
create table setl_acc_grp (
  psn_no text not null references psn (psn_no),
  insutype text not null,
  year integer not null,
  acc_grp text not null,
  dedc_used numeric(16,2) not null default 0 check (dedc_used >= 0),
  pool_base numeric(16,2) not null default 0 check (pool_base >= 0),
  pool_paid numeric(16,2) not null default 0 check (pool_paid >= 0),
  updt_time timestamptz not null default now(),
  primary key (psn_no, insutype, year, acc_grp)
);
-- Each settlement's (or reversal's) change to the accumulators: the totals above equal the sum of these moves.
create table setl_acc_move (
  setl_id text primary key references setl (setl_id),
  psn_no text not null,
  insutype text not null,
  year integer not null,
  acc_grp text not null,
  admissions integer not null,
  dedc_used numeric(16,2) not null,
  pool_base numeric(16,2) not null,
  pool_paid numeric(16,2) not null,
  large_base numeric(16,2) not null,
  large_paid numeric(16,2) not null,
  cvlserv_paid numeric(16,2) not null,
  maf_paid numeric(16,2) not null
);
create index setl_acc_move_psn on setl_acc_move (psn_no, insutype, year);

-- 基金台账: one row per fund (and personal-account fund 310200) payment of a settlement, and one per reversal.
create table fund_ledger (
  fund_ledger_id bigserial primary key,
  setl_id text not null references setl (setl_id),
  init_setl_id text,                          -- on a reversal's rows: the settlement reversed
  fund_pay_type text not null,
  amt numeric(16,2) not null,                 -- paid to the institution: positive; reversal: negative
  insu_admdvs char(6) not null,               -- the paying (insured) region
  mdtrtarea_admvs char(6) not null,
  fixmedins_code text not null,
  psn_no text not null,
  insutype text not null,
  clr_type text not null,
  setl_time timestamptz not null,
  crte_time timestamptz not null default now()
);
create index fund_ledger_inst on fund_ledger (fixmedins_code, setl_time);
create index fund_ledger_fund on fund_ledger (insu_admdvs, fund_pay_type, setl_time);
create index fund_ledger_setl on fund_ledger (setl_id);
