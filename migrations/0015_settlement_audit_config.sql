-- Settlement completions (issues 3 and 5).
--
-- 1. 中途结算: an admission may have several valid settlements — any number of mid-stay settlements
--    (mid_setl_flag 1) and at most one final settlement. The partial unique index that allowed one valid
--    settlement per encounter now allows one valid FINAL settlement per encounter; which fee lines a valid
--    settlement covers is in setl_feedetl (indexed by feedetl_id since 0010).
drop index if exists setl_one_valid;
create unique index setl_one_valid on setl (mdtrt_id) where refd_setl_flag = '0' and vali_flag = '1' and mid_setl_flag = '0';
create index setl_mdtrt on setl (mdtrt_id, setl_time);

-- 2. 退费 lines point at the line they refund (init_feedetl_sn, same encounter).
create index feedetl_init on feedetl (mdtrt_id, init_feedetl_sn) where init_feedetl_sn is not null;

-- 3. 结算事中审核处置配置: per insured region (admdvs; 000000 = national default, otherwise the most specific area
--    covering the insured region wins) and per severity (sev_deg 1 明确违规, 2 高度可疑, 3 可疑), what a hit of the
--    事中 audit does at settlement: audit_act 1 = warn only (warn_msg, evaluation logged), 2 = refuse fund payment
--    for the offending lines (they become 全自费 for that settlement, the reason in setl_proc_info).
--    Effective-dated: a change closes the row in force and inserts a new one (platform/effective.closeAndInsert).
create table setl_audit_cfg (
  admdvs char(6) not null,
  sev_deg varchar(3) not null check (sev_deg in ('1', '2', '3')),
  audit_act varchar(3) not null check (audit_act in ('1', '2')),
  memo varchar(500),
  begndate date not null,
  enddate date,
  opter_id varchar(64) not null default 'system',
  crte_time timestamptz not null default now(),
  primary key (admdvs, sev_deg, begndate),
  check (enddate is null or enddate >= begndate)
);

insert into setl_audit_cfg (admdvs, sev_deg, audit_act, memo, begndate) values
  ('000000', '1', '2', '明确违规：不予基金支付（违规明细转全自费）', '2000-01-01'),
  ('000000', '2', '1', '高度可疑：提醒，正常结算', '2000-01-01'),
  ('000000', '3', '1', '可疑：提醒，正常结算', '2000-01-01');

insert into dict_item (dict_type, value, label, parent_value, sort, begndate) values
  ('audit_act', '1', '仅提醒', null, 1, '2019-01-01'),
  ('audit_act', '2', '不予基金支付', null, 2, '2019-01-01');
