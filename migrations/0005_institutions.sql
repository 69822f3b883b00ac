-- 0005 designated institutions (定点医药机构) with agreements, and practitioners (医保医师/药师/护士)
-- with payment-qualification history. Effective-dated; history by closing rows.

create table fixmedins (
  fixmedins_code text not null,            -- H + 11 digits (hospitals), P + 11 digits (pharmacies)
  fixmedins_name text not null,
  fixmedins_type char(1) not null,         -- 1 定点医疗机构 2 定点零售药店
  hosp_lv char(1) not null,                -- 1/2/3 一/二/三级, 9 未定级
  admdvs char(6) not null,
  uscc char(18) not null,                  -- 统一社会信用代码 (GB 32100)
  medins_natu char(1) not null default '1',-- 1 公立 2 非公立
  addr text,
  pinyin text not null,
  begndate date not null,
  enddate date,
  primary key (fixmedins_code, begndate),
  check (enddate is null or enddate >= begndate)
);
create index fixmedins_admdvs on fixmedins (admdvs);
create index fixmedins_pinyin on fixmedins (pinyin);

create table fixmedins_agreement (
  fixmedins_code text not null,
  agmt_no text not null,
  agmt_stas char(1) not null,              -- 1 正常 2 暂停 3 终止
  memo text,
  begndate date not null,
  enddate date,
  primary key (fixmedins_code, begndate),
  check (enddate is null or enddate >= begndate)
);

create table practitioner (
  prac_code text not null,                 -- D/Y/N + 11 digits (医师/药师/护士)
  prac_name text not null,
  prac_type char(1) not null,              -- 1 医师 2 药师 3 护士 4 技师
  certno char(18),
  gend char(1),
  fixmedins_code text not null,
  dept_name text,
  profttl text,
  pinyin text not null,
  begndate date not null,
  enddate date,
  primary key (prac_code, begndate),
  check (enddate is null or enddate >= begndate)
);
create index practitioner_inst on practitioner (fixmedins_code);

create table practitioner_qualification (
  prac_code text not null,
  qual_stas char(1) not null,              -- 1 正常 2 暂停（记分） 3 终止
  score_deducted integer,
  reason text,
  begndate date not null,
  enddate date,
  primary key (prac_code, begndate),
  check (enddate is null or enddate >= begndate)
);
