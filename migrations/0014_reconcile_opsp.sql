-- 0014 reconciliation (对账: 3201 对总账, 3202 对明细账 with a 9101 file) and 门诊慢特病备案 (2503 / 2504, 5301).
-- Every reconciliation run is kept: who asked, for which period and filter, the institution's totals as sent, the
-- platform's totals computed over the settlement rows, the result, and (3202) one row per difference. Nothing in
-- a run is updated after it is written. Money numeric(16,2).

create table stmt_run (
  stmt_id text primary key,                   -- area + yyyyMMdd + 9 + serial (formatDatedId 'general')
  infno text not null check (infno in ('3201', '3202')),
  fixmedins_code text not null,
  opter_id text not null,                     -- the envelope's operator (opter), else the institution
  opter_name text not null,
  msgid text not null,                        -- the request that asked
  insutype text,                              -- 3201 filter (险种)
  clr_type text,                              -- 清算类别 filter (optional in 3202)
  setl_optins char(6) not null,               -- 结算经办机构 (the settlements' clr_optins)
  stmt_begndate date not null,
  stmt_enddate date not null,
  refd_setl_flag char(1) not null check (refd_setl_flag in ('0', '1')),  -- 1 含退费（撤销）结算 0 不含
  file_qury_no text,                          -- 3202: the detail file uploaded with 9101
  medins_medfee_sumamt numeric(16,2) not null, -- the institution's totals as sent
  medins_fund_pay_sumamt numeric(16,2) not null,
  medins_acct_pay numeric(16,2),              -- 3201 sends acct_pay …
  medins_cash_payamt numeric(16,2),           -- … 3202 cash_payamt
  medins_setl_cnt integer not null,
  medfee_sumamt numeric(16,2) not null,       -- the platform's totals over the same rows
  fund_pay_sumamt numeric(16,2) not null,
  acct_pay numeric(16,2) not null,
  cash_payamt numeric(16,2) not null,
  setl_cnt integer not null,
  file_row_cnt integer,                       -- 3202: rows in the uploaded file
  dif_cnt integer not null default 0,         -- 3202: rows in stmt_dif
  stmt_rslt char(1) not null check (stmt_rslt in ('0', '1')),
  stmt_rslt_dscr text not null,
  rslt_file_qury_no text,                     -- 3202: the result file (9102)
  crte_time timestamptz not null default now(),
  check (stmt_enddate >= stmt_begndate)
);
create index stmt_run_inst on stmt_run (fixmedins_code, crte_time);

-- 3202: one row per settlement that does not match (missing at the centre, missing at the institution, amounts).
create table stmt_dif (
  stmt_id text not null references stmt_run (stmt_id),
  seq integer not null,
  dif_type char(1) not null check (dif_type in ('1', '2', '3')),  -- 1 中心无此结算 2 机构无此结算 3 金额或标志不符
  setl_id text not null,
  mdtrt_id text,
  psn_no text,
  msgid text,
  refd_setl_flag char(1),
  medins_medfee_sumamt numeric(16,2),         -- the institution's row (null when missing there)
  medins_fund_pay_sumamt numeric(16,2),
  medins_acct_pay numeric(16,2),
  medfee_sumamt numeric(16,2),                -- the platform's row (null when missing at the centre)
  fund_pay_sumamt numeric(16,2),
  acct_pay numeric(16,2),
  memo text not null,
  primary key (stmt_id, seq)
);

-- 门诊慢特病备案: a person's filing for one chronic / special outpatient disease, effective-dated per person and
-- disease (a new filing closes the one in force the day before; overlapping valid filings are refused). 2504
-- cancels by setting vali_flag 0; the row stays.
create table opsp_reg (
  trt_dcla_detl_sn text primary key,          -- 待遇申报明细流水号 (formatDatedId 'general')
  psn_no text not null references psn (psn_no),
  insutype text not null,
  opsp_dise_code text not null,
  opsp_dise_name text not null,
  tel text,
  addr text,
  insu_optins char(6) not null,               -- 参保机构 (the insured area)
  ide_fixmedins_no text not null,             -- 鉴定定点医药机构
  ide_fixmedins_name text not null,
  hosp_ide_date date not null,                -- 医院鉴定日期
  diag_dr_codg text not null,
  diag_dr_name text not null,
  begndate date not null,
  enddate date,
  fixmedins_code text not null,               -- the institution that filed (2503 caller)
  vali_flag char(1) not null default '1' check (vali_flag in ('0', '1')),
  msgid text not null,
  cncl_msgid text,
  cncl_time timestamptz,
  cncl_memo text,
  crte_time timestamptz not null default now(),
  check (enddate is null or enddate >= begndate)
);
create index opsp_reg_psn on opsp_reg (psn_no, opsp_dise_code, begndate);

-- The code tables of these transactions (the national 对账结果 table is not public: yibao's codes, via 1901).
insert into dict_item (dict_type, value, label, parent_value, sort, begndate) values
  ('stmt_rslt', '0', '对账平', null, 1, '2019-01-01'),
  ('stmt_rslt', '1', '对账不平', null, 2, '2019-01-01'),
  ('stmt_dif_type', '1', '中心无此结算', null, 1, '2019-01-01'),
  ('stmt_dif_type', '2', '机构无此结算', null, 2, '2019-01-01'),
  ('stmt_dif_type', '3', '金额或退费标志不符', null, 3, '2019-01-01');
