-- 0016 DRG/DIP point-value payment (点数法付费) under a regional global budget: the parameters of a region and year
-- (effective-dated, history kept by closing rows), and the result of each year run — weights, every case's points,
-- the monthly provisional point values, the per-institution statement with its monthly pre-payments. A run is
-- written in one transaction and never edited; a new run of the same region and year supersedes it for reading.
-- Money numeric(16,2); points numeric(18,4); point values numeric(16,6) (元 per point, display and audit only —
-- amounts are the pool apportioned by points to the fen, see docs/payment.md).

-- Parameters per region (pool area), payment type and settlement year. Non-money parameters (coefficients,
-- thresholds, year weights, the 特例单议 cap …) are exact decimal strings in `params`.
create table pay_param (
  admdvs char(6) not null,
  pay_type text not null check (pay_type in ('drg', 'dip')),
  setl_year integer not null check (setl_year between 2000 and 2999),
  begndate date not null,
  enddate date,
  budget numeric(16,2) not null check (budget > 0),      -- 年度统筹基金预算（DRG/DIP 住院）
  base_rate numeric(16,2) not null check (base_rate >= 0), -- 基础费率: 元 per RW (payment standard = RW × rate × 系数)
  params jsonb not null,
  opter_id text not null,
  opter_name text not null,
  crte_time timestamptz not null default now(),
  primary key (admdvs, pay_type, setl_year, begndate),
  check (enddate is null or enddate >= begndate)
);

-- One year run (yibao pay / the console): what was paid with which parameters.
create table pay_run (
  run_id text primary key,
  job_id text,
  pay_type text not null check (pay_type in ('drg', 'dip')),
  admdvs char(6) not null,
  setl_year integer not null,
  source text not null,                       -- 'db' or the JSONL file name
  param_begndate date not null,               -- the pay_param version used
  budget numeric(16,2) not null,
  pool numeric(16,2) not null,                -- budget (+ patients' payments when the budget is the fund's only)
  base_rate numeric(16,2) not null,
  params jsonb not null,                      -- the parameters as used (defaults filled in)
  weight_src text not null,                   -- where weights/scores came from (years, or the DIP catalogue version)
  overall_mean numeric(16,2),                 -- trimmed weighted mean cost of all history cases
  case_cnt integer not null,
  points numeric(18,4) not null,
  point_value numeric(16,6) not null,         -- pool ÷ points (元/点)
  psn_pay numeric(16,2) not null,
  penalty numeric(16,2) not null,
  warnings jsonb not null,
  opter_id text not null,
  opter_name text not null,
  crte_time timestamptz not null default now()
);
create index pay_run_year on pay_run (admdvs, pay_type, setl_year, crte_time);

-- DRG weights (RW) of a run, or the DIP groups used, with the history they came from.
create table pay_weight (
  run_id text not null references pay_run (run_id),
  grp_code text not null,
  grp_name text,
  hist_cnt integer not null,                  -- history cases
  kept_cnt integer not null,                  -- after trimming
  mean_cost numeric(16,2) not null,
  rw numeric(12,4) not null,                  -- DRG: RW; DIP: score ÷ 100
  std_amt numeric(16,2) not null,             -- RW × base rate (level coefficient 1)
  primary key (run_id, grp_code)
);

-- Every paid case of the year: its group, type (normal / high / low / special / ungrouped), factor and points.
create table pay_case (
  run_id text not null references pay_run (run_id),
  case_id text not null,                      -- setl_id (or the JSONL id)
  fixmedins_code text not null,
  setl_month integer not null check (setl_month between 1 and 12),
  grp_code text not null,
  grp_name text,
  grp_stas text not null,                     -- grouper status (grouped / QY / 0000 / core / comprehensive / unmatched …)
  case_type text not null check (case_type in ('normal', 'high', 'low', 'special', 'ungrouped')),
  base_points numeric(14,4) not null,
  coef numeric(8,4) not null,
  factor numeric(12,4) not null,
  points numeric(14,4) not null,
  mean_cost numeric(16,2),
  medfee_sumamt numeric(16,2) not null,
  psn_pay numeric(16,2) not null,
  std_amt numeric(16,2) not null,             -- payment standard: RW × base rate × coefficient
  reason text not null,                       -- Chinese: why this type and these points
  primary key (run_id, case_id)
);
create index pay_case_inst on pay_case (run_id, fixmedins_code);
create index pay_case_type on pay_case (run_id, case_type);

-- The monthly provisional point values of a run (按月预结).
create table pay_month (
  run_id text not null references pay_run (run_id),
  setl_month integer not null check (setl_month between 1 and 12),
  case_cnt integer not null,
  points numeric(18,4) not null,
  pool numeric(16,2) not null,                -- budget ÷ 12 (+ the month's patient payments)
  point_value numeric(16,6),                  -- null in a month without cases
  primary key (run_id, setl_month)
);

-- The per-institution year-end statement (年度清算).
create table pay_stmt (
  run_id text not null references pay_run (run_id),
  fixmedins_code text not null,
  fixmedins_name text,
  hosp_lv char(1),
  coef numeric(8,4) not null,
  case_cnt integer not null,
  grouped_cnt integer not null,
  high_cnt integer not null,
  low_cnt integer not null,
  special_cnt integer not null,
  ungrouped_cnt integer not null,
  cmi numeric(10,4),
  points numeric(18,4) not null,
  medfee_sumamt numeric(16,2) not null,
  amount_due numeric(16,2) not null,          -- points × final point value (the pool apportioned by points)
  psn_pay numeric(16,2) not null,             -- what patients paid
  penalty numeric(16,2) not null,             -- confirmed audit deductions (audit_suspect stas 2) of the year
  fund_due numeric(16,2) not null,            -- amount_due − psn_pay − penalty
  prepaid numeric(16,2) not null,             -- Σ monthly pre-payments
  balance numeric(16,2) not null,             -- fund_due − prepaid: > 0 补付, < 0 追回
  primary key (run_id, fixmedins_code)
);

-- Monthly pre-payments per institution.
create table pay_prepay (
  run_id text not null references pay_run (run_id),
  fixmedins_code text not null,
  setl_month integer not null check (setl_month between 1 and 12),
  points numeric(18,4) not null,
  amount_due numeric(16,2) not null,          -- the month's pool apportioned by points
  psn_pay numeric(16,2) not null,
  prepaid numeric(16,2) not null,             -- max(0, amount_due − psn_pay) × prepay ratio
  primary key (run_id, fixmedins_code, setl_month)
);
