-- 0006 enrollment (参保): insured persons, cards, insurance relations, special identities (低保/特困 …),
-- the personal-account ledger (one row per movement; the balance is the sum) and family mutual-aid links.

create table psn (
  psn_no text primary key,
  psn_cert_type char(2) not null default '01',
  certno text not null unique,
  psn_name text not null,
  gend char(1) not null,
  brdy date not null,
  naty char(2) not null,
  psn_type text not null,                 -- current person type (1101 在职, 1201 退休, 1501 居民 …)
  cvlserv_flag char(1) not null default '0',
  emp_name text,
  tel text,
  addr text,
  death_date date,
  crte_time timestamptz not null default now(),
  updt_time timestamptz not null default now()
);

create table psn_card (
  card_no text primary key,               -- 社会保障卡号
  card_sn text,                           -- 卡识别码
  psn_no text not null references psn (psn_no),
  card_stas char(1) not null default '1', -- 1 正常 2 挂失 3 注销
  begndate date not null,
  enddate date
);
create index psn_card_psn on psn_card (psn_no);

create table psn_insu (
  psn_insu_rltsid bigserial primary key,
  psn_no text not null references psn (psn_no),
  insutype text not null,
  psn_insu_stas char(1) not null,         -- 1 正常参保 2 暂停参保 4 终止参保
  insuplc_admdvs char(6) not null,
  psn_type text not null,
  emp_name text,
  crt_insu_date date not null,            -- first enrollment date of this insurance type
  paus_insu_date date,
  memo text,
  begndate date not null,
  enddate date,
  check (enddate is null or enddate >= begndate)
);
create index psn_insu_psn on psn_insu (psn_no, insutype, begndate);

-- Special identities (人员身份): 低保, 特困, 返贫监测 … used by medical assistance (医疗救助).
create table psn_idet (
  psn_no text not null references psn (psn_no),
  psn_idet_type text not null,            -- e.g. 2201 特困供养, 2202 低保对象 (local code table)
  psn_type_lv text,
  memo text,
  begndate date not null,
  enddate date,
  primary key (psn_no, psn_idet_type, begndate)
);

create table psn_acct_ledger (
  acct_ledger_id bigserial primary key,
  psn_no text not null references psn (psn_no),
  insutype text not null default '310',
  move_type text not null,                -- credit_fund 划入, pay 支付, refund 退回, mulaid_out/mulaid_in 共济, transfer_out/transfer_in, adjust
  amt numeric(16,2) not null,             -- signed: credits positive, debits negative
  ref_type text,
  ref_id text,
  memo text,
  move_time timestamptz not null default now()
);
create index psn_acct_ledger_psn on psn_acct_ledger (psn_no, insutype);

create table psn_family (
  psn_no text not null references psn (psn_no),       -- account owner (employee)
  mem_psn_no text not null references psn (psn_no),   -- family member who may use the account
  rlts char(2) not null,                  -- 10 配偶 20 子女 30 父母 40 其他
  begndate date not null,
  enddate date,
  primary key (psn_no, mem_psn_no, begndate),
  check (psn_no <> mem_psn_no)
);
create index psn_family_mem on psn_family (mem_psn_no);
