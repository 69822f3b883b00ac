-- 0008 settlement policies (待遇政策): what the insured region's funds pay, effective-dated rows keyed by
-- (insured admdvs, insutype, med_type family, institution level, person-type group). The engine picks the
-- most specific row valid on the settlement date (see src/settlement/policy/store.ts). Money numeric(16,2),
-- ratios numeric(5,4); amounts are per person unless said otherwise.

create table setl_policy (
  policy_id text primary key,                 -- readable and stable: admdvs-insutype-fam-lv-grp-yyyymmdd
  insu_admdvs char(6) not null,               -- the insured's region (参保地)
  insutype text not null,                     -- 310 职工, 390 居民 …
  med_type_fam text not null check (med_type_fam in ('11', '14', '21', '41')),  -- 门诊 门慢特 住院 药店
  hosp_lv text not null default '*' check (hosp_lv in ('1', '2', '3', '9', '*')), -- '*' any level
  psn_type_grp text not null default '*' check (psn_type_grp in ('11', '12', '14', '15', '*')), -- 在职 退休 学生儿童 居民
  acc_grp text not null,                      -- accumulator group: rows sharing it share year deductible and annual limit
  -- 起付线
  dedc_scope text not null check (dedc_scope in ('year', 'admission')),
  dedc_amt numeric(16,2) not null check (dedc_amt >= 0),
  dedc_amt_next numeric(16,2) check (dedc_amt_next >= 0),  -- 2nd+ admission of the year; null = same
  -- 统筹基金 (bands in setl_policy_band, layer 'pool')
  pool_fund char(6) not null,                 -- 310100 / 390100
  pool_band_basis text not null default 'settlement' check (pool_band_basis in ('settlement', 'year')),
  pool_lmt_amt numeric(16,2) not null check (pool_lmt_amt >= 0),   -- 年度最高支付限额
  -- 职工大额 330100 / 居民大病 390200 (bands in setl_policy_band, layer 'large'); all null = no layer
  large_fund char(6) check (large_fund in ('330100', '390200')),
  large_basis text check (large_basis in ('over_limit', 'burden')),
  large_dedc_amt numeric(16,2) check (large_dedc_amt >= 0),        -- threshold on the year's accumulated basis
  large_lmt_amt numeric(16,2) check (large_lmt_amt >= 0),
  -- 公务员医疗补助 320100; null = none
  cvl_dedc_ratio numeric(5,4) check (cvl_dedc_ratio between 0 and 1),
  cvl_ratio numeric(5,4) check (cvl_ratio between 0 and 1),
  cvl_lmt_amt numeric(16,2) check (cvl_lmt_amt >= 0),
  -- 医疗救助 610100 (ratios by identity in setl_policy_maf); null = none
  maf_lmt_amt numeric(16,2) check (maf_lmt_amt >= 0),
  -- 个人账户
  acct_ownpay_flag char(1) not null default '0' check (acct_ownpay_flag in ('0', '1')), -- may pay 全自费/超限价
  acct_mulaid_flag char(1) not null default '1' check (acct_mulaid_flag in ('0', '1')), -- 家庭共济 allowed
  memo text,
  begndate date not null,
  enddate date,
  check (enddate is null or enddate >= begndate),
  check ((large_fund is null) = (large_basis is null) and (large_fund is null) = (large_dedc_amt is null)
         and (large_fund is null) = (large_lmt_amt is null)),
  check ((cvl_ratio is null) = (cvl_dedc_ratio is null) and (cvl_ratio is null) = (cvl_lmt_amt is null)),
  unique (insu_admdvs, insutype, med_type_fam, hosp_lv, psn_type_grp, begndate)
);
create index setl_policy_key on setl_policy (insu_admdvs, insutype, med_type_fam, begndate);

-- Banded ratios: a band pays `ratio` on the part of the amount up to `upto_amt` above the previous band's
-- bound; the last band has no bound.
create table setl_policy_band (
  policy_id text not null references setl_policy (policy_id),
  layer text not null check (layer in ('pool', 'large')),
  seq integer not null check (seq >= 1),
  upto_amt numeric(16,2) check (upto_amt > 0),
  ratio numeric(5,4) not null check (ratio between 0 and 1),
  primary key (policy_id, layer, seq)
);

-- Medical assistance ratio by identity (psn_idet_type: 2201 特困, 2202 低保, 2203 返贫致贫, 2204 低保边缘 …).
create table setl_policy_maf (
  policy_id text not null references setl_policy (policy_id),
  psn_idet_type text not null,
  maf_ratio numeric(5,4) not null check (maf_ratio between 0 and 1),
  primary key (policy_id, psn_idet_type)
);
