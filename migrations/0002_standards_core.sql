-- 0002 standards core: administrative areas (医保区划) and the national code tables (码表).
-- Every table is effective-dated: begndate inclusive, enddate inclusive or null (open); history by closing rows.

create table admdvs (
  admdvs char(6) not null,                 -- 6-digit area code (GB/T 2260 based; xxxx99 pooled areas)
  admdvs_name text not null,
  admdvs_lv char(1) not null check (admdvs_lv in ('1','2','3')),  -- 1 省级 2 市级/统筹区 3 区县
  prnt_admdvs char(6),                     -- parent area, null for a province
  poolarea_flag char(1) not null default '0' check (poolarea_flag in ('0','1')), -- 1 = a pooling area (统筹区)
  begndate date not null,
  enddate date,
  primary key (admdvs, begndate),
  check (enddate is null or enddate >= begndate)
);

-- One row per (type, value): insutype, med_type, psn_type, gend, naty … as 1901 returns them.
create table dict_item (
  dict_type text not null,                 -- e.g. 'insutype', 'med_type' (the national field name)
  value text not null,
  label text not null,
  parent_value text,
  sort integer not null default 0,
  begndate date not null,
  enddate date,
  primary key (dict_type, value, begndate),
  check (enddate is null or enddate >= begndate)
);
create index dict_item_type on dict_item (dict_type);
