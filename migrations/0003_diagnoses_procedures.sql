-- 0003 diagnoses (医保版 ICD-10) and procedures (医保版 ICD-9-CM-3), effective-dated, plus a record of
-- which reference sources were loaded (so a warm start only checks).

create table diagnosis (
  diag_code text not null,               -- e.g. K22.301, M80000/3 (morphology)
  diag_name text not null,
  diag_cat char(3) not null,             -- 3-character category, e.g. K22 (used by DIP and audit prefixes)
  pinyin text not null,
  version text not null,                 -- e.g. '医保版2.0'
  begndate date not null,
  enddate date,
  primary key (diag_code, begndate),
  check (enddate is null or enddate >= begndate)
);
create index diagnosis_cat on diagnosis (diag_cat);
create index diagnosis_pinyin on diagnosis (pinyin);

create table procedure_code (
  oprn_oprt_code text not null,          -- e.g. 39.5001
  oprn_oprt_name text not null,
  pinyin text not null,
  valid_or_flag char(1) not null default '0' check (valid_or_flag in ('0','1')),  -- 有效手术 (CHS-DRG valid OR procedure)
  version text not null,
  begndate date not null,
  enddate date,
  primary key (oprn_oprt_code, begndate),
  check (enddate is null or enddate >= begndate)
);
create index procedure_code_pinyin on procedure_code (pinyin);

create table std_load (
  source text primary key,               -- e.g. 'dict', 'icd10-yb2.0'
  checksum char(64) not null,
  row_cnt integer not null,
  loaded_at timestamptz not null default now()
);
