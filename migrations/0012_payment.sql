-- 0012 payment (DRG/DIP 支付): the settlement lists (医疗保障基金结算清单, 4101/4101A/4102/4103) with their versions,
-- status history and quality-control runs, and the DIP catalogues (病种目录库: groups with scores, auxiliary
-- catalogues), versioned as data. Money numeric(16,2); instants timestamptz (Beijing wall time on the wire).

-- One row per settlement (setl_id) that has an accepted list: the version in force and the list's status.
create table setl_list (
  setl_id text primary key,
  fixmedins_code text not null,
  mdtrt_id text not null,
  psn_no text,                                -- from the settlement when it is known (4102 checks it)
  cur_ver integer not null check (cur_ver >= 1),
  setl_list_id text not null,                 -- the current version's id
  stas_type char(1) not null check (stas_type in ('0', '1', '2')),  -- 0 已撤回 1 已提交 2 已锁定（经办机构）
  stas_time timestamptz not null default now(),
  crte_time timestamptz not null default now(),
  updt_time timestamptz not null default now()
);
create index setl_list_inst on setl_list (fixmedins_code, stas_type);
create index setl_list_mdtrt on setl_list (mdtrt_id);
create index setl_list_psn on setl_list (psn_no);

-- Every accepted upload is a version; a re-upload adds the next version and keeps the earlier ones.
create table setl_list_ver (
  setl_list_id text primary key,              -- 结算清单ID: area + yyyyMMdd + serial
  setl_id text not null references setl_list (setl_id),
  ver_no integer not null check (ver_no >= 1),
  infno text not null,                        -- 4101 / 4101A
  msgid text,
  fixmedins_code text not null,
  mdtrt_id text not null,
  psn_name text,
  certno text,
  gend text,
  brdy date,
  age numeric(5,1),
  nwb_age integer,
  hi_type text,
  insuplc text,
  ipt_med_type text,
  adm_time timestamptz,
  dscg_time timestamptz,
  dscg_date date,                             -- Beijing date of dscg_time (the date codes are checked on)
  act_ipt_days integer,
  dscg_way text,
  hi_paymtd text,
  main_diag_code text,
  main_oprn_code text,
  medfee_sumamt numeric(16,2) not null,       -- Σ iteminfo.amt
  psn_selfpay numeric(16,2),
  psn_ownpay numeric(16,2),
  acct_pay numeric(16,2),
  psn_cashpay numeric(16,2),
  fund_pay_sumamt numeric(16,2) not null,     -- Σ payinfo.fund_payamt
  content jsonb not null,                     -- the whole list as read: setlinfo, payinfo, … bldinfo
  qc_rslt char(1) not null check (qc_rslt in ('0', '1')),  -- 0 通过 1 通过但有警告
  qc_report jsonb not null,
  opter text,
  opter_name text,
  upld_time timestamptz not null default now(),
  unique (setl_id, ver_no)
);
create index setl_list_ver_dscg on setl_list_ver (fixmedins_code, dscg_date);

create table setl_list_diag (
  setl_list_id text not null references setl_list_ver (setl_list_id),
  seq integer not null,
  diag_type text not null,
  diag_code text not null,
  diag_name text,
  adm_cond_type text,
  maindiag_flag char(1) not null default '0',
  primary key (setl_list_id, seq)
);
create index setl_list_diag_code on setl_list_diag (diag_code);

create table setl_list_oprn (
  setl_list_id text not null references setl_list_ver (setl_list_id),
  seq integer not null,
  oprn_oprt_type text,
  oprn_oprt_code text not null,
  oprn_oprt_name text,
  oprn_oprt_date date,
  anst_way text,
  oper_dr_code text,
  anst_dr_code text,
  main_flag char(1) not null default '0',     -- 1 = the main procedure (oprn_oprt_type 1 or main_oprn_flag 1)
  primary key (setl_list_id, seq)
);
create index setl_list_oprn_code on setl_list_oprn (oprn_oprt_code);

create table setl_list_item (
  setl_list_id text not null references setl_list_ver (setl_list_id),
  seq integer not null,
  med_chrgitm text not null,
  amt numeric(16,2) not null,
  claa_sumfee numeric(16,2),
  clab_amt numeric(16,2),
  fulamt_ownpay_amt numeric(16,2),
  oth_amt numeric(16,2),
  primary key (setl_list_id, seq)
);

create table setl_list_pay (
  setl_list_id text not null references setl_list_ver (setl_list_id),
  seq integer not null,
  fund_pay_type text not null,
  fund_payamt numeric(16,2) not null,
  primary key (setl_list_id, seq)
);

create table setl_list_icu (
  setl_list_id text not null references setl_list_ver (setl_list_id),
  seq integer not null,
  scs_cutd_ward_type text,
  scs_cutd_inpool_time timestamptz,
  scs_cutd_exit_time timestamptz,
  scs_cutd_sum_dura text,
  primary key (setl_list_id, seq)
);

-- Status changes (4102 by the institution, lock/unlock by the insurer), oldest first.
create table setl_list_stas (
  stas_id bigserial primary key,
  setl_id text not null references setl_list (setl_id),
  from_stas char(1),
  to_stas char(1) not null,
  ver_no integer not null,
  msgid text,
  opter text,
  opter_name text,
  memo text,
  chg_time timestamptz not null default now()
);
create index setl_list_stas_setl on setl_list_stas (setl_id, stas_id);

-- Every quality-control run of an upload, accepted or refused (a refused upload leaves only this row).
create table setl_list_qc (
  qc_id bigserial primary key,
  setl_id text,                               -- null when the upload had none
  fixmedins_code text not null,
  infno text not null,
  msgid text,
  accepted boolean not null,
  setl_list_id text,                          -- the version it made, when accepted
  err_cnt integer not null,
  warn_cnt integer not null,
  report jsonb not null,                      -- [{rule_id, code, level, node, row, field, value, message}]
  qc_time timestamptz not null default now()
);
create index setl_list_qc_setl on setl_list_qc (setl_id, qc_id);
create index setl_list_qc_inst on setl_list_qc (fixmedins_code, qc_time);

-- DIP 病种目录库: one row per catalogue version (built from history, or imported from a published file).
create table dip_catalogue (
  cat_ver text primary key,                   -- e.g. 990100-DIP-2025-01
  cat_name text not null,
  admdvs char(6) not null,                    -- the pool area it applies to
  source text not null check (source in ('built', 'imported')),
  stas text not null default 'draft' check (stas in ('draft', 'published', 'retired')),
  begndate date,                              -- set when published
  enddate date,
  params jsonb not null,                      -- how it was built (threshold, year weights, trimming, scale …) or the file
  overall_mean numeric(16,2),                 -- M: mean cost of all cases (built)
  case_cnt integer not null default 0,
  grp_cnt integer not null default 0,
  opter_id text not null,
  opter_name text not null,
  crte_time timestamptz not null default now(),
  publ_time timestamptz,
  check (enddate is null or (begndate is not null and enddate >= begndate))
);
create index dip_catalogue_area on dip_catalogue (admdvs, stas, begndate);

-- A group (病种): core (核心病种: diagnosis subcategory × procedure combination), comprehensive (综合病种: category or
-- chapter range × procedure type) or basic (基层病种).
create table dip_group (
  cat_ver text not null references dip_catalogue (cat_ver),
  dip_code text not null,
  dip_name text not null,
  grp_type text not null check (grp_type in ('core', 'comprehensive', 'basic')),
  diag_key text not null,                     -- K80.1 (core/basic), K80 or A00-B99 (comprehensive)
  oprn_type char(1) not null check (oprn_type in ('0', '1', '2', '3')),  -- 0 保守 1 诊断性操作 2 治疗性操作 3 相关手术
  oprn_combo text not null default '',        -- '' | 51.2300 | 51.2300+54.5100 | 51.2200/51.2300
  combo_parts integer not null default 0,
  case_cnt integer not null default 0,
  mean_cost numeric(16,2) not null,
  mean_los numeric(8,2),
  rw numeric(12,6) not null,
  score numeric(14,4) not null,
  primary key (cat_ver, dip_code)
);
create index dip_group_diag on dip_group (cat_ver, diag_key);

-- Auxiliary catalogues (辅助目录): a factor per group and level — CCI severity (1 轻度 2 中度/CC 3 重度/MCC 4 死亡),
-- tumour severity (M 转移 / RC 放化疗), age bands.
create table dip_aux (
  cat_ver text not null,
  dip_code text not null,
  aux_type text not null check (aux_type in ('cci', 'tumour', 'age')),
  aux_lv text not null,
  aux_name text not null,
  factor numeric(10,4) not null check (factor > 0),
  case_cnt integer not null default 0,
  mean_cost numeric(16,2),
  primary key (cat_ver, dip_code, aux_type, aux_lv),
  foreign key (cat_ver, dip_code) references dip_group (cat_ver, dip_code)
);
