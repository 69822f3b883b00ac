-- 0021 fund finance (基金收支): what comes into each fund of a pool area — monthly income entries by kind (征缴收入,
-- 财政补助, 利息, 其他) — and each fund's opening balance (年初结存) of a year. Expenditure is not stored here: it is
-- the fund ledger (fund_ledger, migration 0010), written at settlement, so income and expenditure never disagree
-- about what was paid. A fund is the pair insutype × fund_pay_type (310 × 310100 职工统筹基金, 310 × 330100 大额 …).
-- Money numeric(16,2). Income is a journal: an entry is never edited; a correction is a new entry (negative amounts
-- allowed), so every figure of a month can be traced to who entered it and when.

create table fund_income (
  fund_inc_id bigserial primary key,
  admdvs char(6) not null,                     -- 统筹区 (the pool area whose fund receives it)
  insutype text not null,                      -- 险种
  fund_pay_type text not null,                 -- 基金 (dictionary fund_pay_type)
  inc_year integer not null check (inc_year between 2000 and 2999),
  inc_month integer not null check (inc_month between 1 and 12),
  clct_inc numeric(16,2) not null default 0,   -- 征缴收入 (contributions collected)
  fin_subs_inc numeric(16,2) not null default 0, -- 财政补助收入 (government subsidy)
  int_inc numeric(16,2) not null default 0,    -- 利息收入
  oth_inc numeric(16,2) not null default 0,    -- 其他收入 (transfers in, recoveries …)
  memo text,
  opter_id text not null,
  opter_name text not null,
  crte_time timestamptz not null default now()
);
create index fund_income_period on fund_income (admdvs, inc_year, inc_month);

-- 年初结存: the balance of a fund on 1 January of a year (from the previous year's accounts). A year without a row
-- carries the latest earlier opening balance forward with the flows in between (src/fund/overview.ts).
create table fund_open_balc (
  admdvs char(6) not null,
  insutype text not null,
  fund_pay_type text not null,
  balc_year integer not null check (balc_year between 2000 and 2999),
  open_balc numeric(16,2) not null,
  opter_id text not null,
  opter_name text not null,
  crte_time timestamptz not null default now(),
  primary key (admdvs, insutype, fund_pay_type, balc_year)
);
