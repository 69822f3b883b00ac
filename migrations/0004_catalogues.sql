-- 0004 medical-insurance catalogues (医保目录): drugs, decoction pieces, service items, consumables.
-- Item versions, price caps (限价, 1318), self-pay-first ratios (先自付比例, 1319) and restrictions
-- (限定支付范围) are each effective-dated, so a price change does not need a new item version.

create table hilist (
  hilist_code text not null,
  insu_admdvs char(6) not null,            -- the catalogue's area (a province or pooling area)
  hilist_name text not null,
  list_type char(3) not null,              -- 101 西药 102 中成药 103 中药饮片 104 自制剂 105 民族药 201 服务项目 301 医用材料
  med_chrgitm_type char(2) not null,       -- 01–14
  chrgitm_lv char(2) not null,             -- 01 甲 02 乙 03 丙
  lmt_used_flag char(1) not null default '0',
  dosform text,                            -- drugs: 剂型
  spec text,                               -- drugs/consumables: 规格
  pacunt text,                             -- drugs: 包装
  prodentp_name text,                      -- 生产企业
  aprvno text,                             -- 批准文号 / 注册证号
  prcunt text,                             -- services: 计价单位
  item_cont text,                          -- services: 项目内涵
  exct_cont text,                          -- services: 除外内容
  pinyin text not null,
  memo text,                               -- the published restriction text (限…)
  begndate date not null,
  enddate date,
  primary key (hilist_code, insu_admdvs, begndate),
  check (enddate is null or enddate >= begndate)
);
create index hilist_name on hilist (hilist_name);
create index hilist_pinyin on hilist (pinyin);
create index hilist_type on hilist (list_type, chrgitm_lv);

create table hilist_pric_uplmt (
  hilist_code text not null,
  insu_admdvs char(6) not null,
  hosp_lv char(1) not null,                -- 1/2/3 (一/二/三级), 9 = all others (pharmacies, unrated)
  pric_uplmt_amt numeric(16,2) not null check (pric_uplmt_amt >= 0),
  begndate date not null,
  enddate date,
  primary key (hilist_code, insu_admdvs, hosp_lv, begndate),
  check (enddate is null or enddate >= begndate)
);

create table hilist_selfpay (
  hilist_code text not null,
  insu_admdvs char(6) not null,
  insutype text not null default '*',      -- '*' = every insurance type
  selfpay_prop numeric(5,4) not null check (selfpay_prop >= 0 and selfpay_prop <= 1),
  begndate date not null,
  enddate date,
  primary key (hilist_code, insu_admdvs, insutype, begndate),
  check (enddate is null or enddate >= begndate)
);

-- Restrictions as data. Lists are comma-separated codes/patterns (portable across PGlite and PostgreSQL).
create table hilist_lmt (
  hilist_code text not null,
  insu_admdvs char(6) not null,
  lmt_gend char(1),                        -- 1 男 2 女
  lmt_age_min integer,                     -- inclusive, years
  lmt_age_max integer,                     -- inclusive, years
  lmt_diag text,                           -- indication diagnoses: prefixes (E11) or ranges (I20-I25)
  lmt_min_hosp_lv char(1),                 -- lowest hospital level allowed
  lmt_scene text,                          -- care settings allowed: 1 门诊 2 住院 3 药店
  lmt_insutype text,                       -- insurance types allowed
  lmt_max_days integer,                    -- payable days (per admission / per prescription)
  lmt_max_cnt numeric(12,4),               -- payable quantity per visit
  lmt_memo text not null,
  begndate date not null,
  enddate date,
  primary key (hilist_code, insu_admdvs, begndate),
  check (enddate is null or enddate >= begndate)
);
