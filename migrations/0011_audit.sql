-- 0011 smart audit (智能审核), real-time side: the knowledge base and the rule base (两库), the evaluation log of
-- 3101/3102 (事前提醒结果) and the doctors' dispositions (3103). The catalogue's own restrictions (hilist_lmt), price
-- caps (hilist_pric_uplmt), the practitioners' payment qualification and psn.death_date are read where they are;
-- the tables here hold only the knowledge the catalogue lacks.
-- Knowledge rows are effective-dated (begndate/enddate inclusive) with history by closing rows, and each carries
-- the load (kb_ver) that wrote it. Code lists are comma-separated; an item code ending in '*' is a code prefix.

-- One row per knowledge import (a knowledge-base version).
create table audit_kb_load (
  kb_ver bigserial primary key,
  kb_kind text not null,                   -- item / pair / freq / drug / herb / cycle
  file text,
  read_cnt integer not null,
  inserted_cnt integer not null,
  closed_cnt integer not null,
  unchanged_cnt integer not null,
  opter_id text not null,
  opter_name text not null,
  load_time timestamptz not null default now()
);

-- Item knowledge that audit needs beyond the catalogue's restriction (hilist_lmt).
create table audit_kb_item (
  hilist_code text not null,               -- national code, or a prefix ending in '*'
  child_age_max integer,                   -- 儿童专用: highest age allowed …
  child_age_unit char(1),                  -- … in Y (years) or D (days)
  age_exempt_diag text,                    -- diagnoses that exempt from the catalogue's age band (prefixes / ranges)
  dept_codes text,                         -- 限开单科室: department code prefixes
  indication_diag text,                    -- clinical indications (wider than the payment scope)
  daily_grp char(1),                       -- per-day charge: 1 床位费 2 护理费 3 诊查费
  not_paid char(1) not null default '0',   -- 1 = 不予支付 (beyond 丙类)
  memo text,
  kb_ver bigint not null references audit_kb_load (kb_ver),
  begndate date not null,
  enddate date,
  primary key (hilist_code, begndate),
  check (enddate is null or enddate >= begndate)
);

-- Item pairs: 1 包含 (A includes B: B must not be charged besides A), 2 互斥 (A and B not together),
-- 3 配伍禁忌, 4 依存 (A, a consumable, only with one of its B items). Like NCCI PTP edits, with a bypass flag.
create table audit_kb_pair (
  item_a text not null,
  item_b text not null,
  pair_type char(1) not null,
  scope char(1) not null,                  -- 1 同处方 2 同日 3 当次就诊
  hit_side char(1) not null default 'B',   -- B: B is the offending line; 2: both
  bypass_flag char(1) not null default '0',-- 0 never bypassed; 1 bypassed by a modifier on the line (mdfr_codg)
  memo text,
  kb_ver bigint not null references audit_kb_load (kb_ver),
  begndate date not null,
  enddate date,
  primary key (item_a, item_b, pair_type, begndate),
  check (enddate is null or enddate >= begndate)
);

-- Frequency and quantity limits (MUE-like). period D 每日 / V 每次就诊 / N 每N日 / Y 每自然年;
-- mai 1 = per line, 2 = per date of service (absolute), 3 = per date of service, appealable.
create table audit_kb_freq (
  hilist_code text not null,
  period char(1) not null,
  period_days integer,
  max_cnt numeric(12,4) not null,
  mai char(1) not null default '2',
  los_scale char(1) not null default '0',  -- 1 = the per-visit limit is per inpatient day
  memo text,
  kb_ver bigint not null references audit_kb_load (kb_ver),
  begndate date not null,
  enddate date,
  primary key (hilist_code, period, begndate),
  check (enddate is null or enddate >= begndate)
);

-- Drug dosage knowledge: usual and maximum daily quantity in the billed unit, maximum days supplied, ingredient group.
create table audit_kb_drug (
  hilist_code text not null,
  ingr_code text,                          -- 成分/通用名 group for 重复开药 (default: the code itself)
  std_daily_qty numeric(12,4),
  max_daily_qty numeric(12,4),
  max_days integer,
  memo text,
  kb_ver bigint not null references audit_kb_load (kb_ver),
  begndate date not null,
  enddate date,
  primary key (hilist_code, begndate),
  check (enddate is null or enddate >= begndate)
);

-- 单味中药饮片不予支付.
create table audit_kb_herb (
  hilist_code text not null,
  memo text,
  kb_ver bigint not null references audit_kb_load (kb_ver),
  begndate date not null,
  enddate date,
  primary key (hilist_code, begndate),
  check (enddate is null or enddate >= begndate)
);

-- Planned-cycle exemptions for 分解住院: cycle 1 化疗 2 放疗 3 透析 9 其他; code_type 1 诊断 2 手术操作 3 收费项目.
create table audit_kb_cycle (
  cycle_type char(1) not null,
  code_type char(1) not null,
  code text not null,
  memo text,
  kb_ver bigint not null references audit_kb_load (kb_ver),
  begndate date not null,
  enddate date,
  primary key (cycle_type, code_type, code, begndate),
  check (enddate is null or enddate >= begndate)
);

-- The rule base: one row per rule version with the official template's attributes; the logic is compiled
-- TypeScript keyed by rule_id, the parameters are data (validated per rule before saving).
create table audit_rule (
  rule_id text not null,
  rule_name text not null,
  rule_cls char(1) not null,               -- 1 政策类 2 管理类 3 医疗类 4 大数据模型
  rule_ver integer not null,
  rslt_type char(1) not null,              -- 规则运行结果类型: 1 明确违规 2 高度可疑 3 可疑
  time_window text not null,
  medins_lv text not null default '',      -- empty = every level
  medins_type text not null default '',
  scenes text not null default '',         -- 1 门急诊 2 住院 3 购药 4 互联网 5 异地
  fund_type text not null,
  stages text not null,                    -- 1 事前 2 事中 3 事后
  insutypes text not null default '',
  sev_deg char(1) not null,
  vola_bhvr_type text not null,
  vola_evid text not null,
  vola_amt_formula char(1) not null,       -- 0 不计算 1 违规明细金额 2 超出部分 3 医保范围内金额
  knowledge_refs text not null default '',
  logic_dscr text not null,
  params jsonb not null,
  enabled char(1) not null default '1',
  memo text,
  opter_id text not null,
  updt_time timestamptz not null default now(),
  begndate date not null,
  enddate date,
  primary key (rule_id, begndate),
  check (enddate is null or enddate >= begndate)
);

-- One row per 3101/3102 evaluation.
create table audit_eval (
  eval_id text primary key,
  infno text not null,
  task_id text,
  syscode text,
  fixmedins_code text,
  msgid text,
  trig_scen text,
  rule_ids text,
  med_type text,
  patn_ids text not null,
  mdtrt_ids text not null,
  reqt_time timestamptz not null,
  rsp_time timestamptz not null,
  ana_dura numeric(12,3) not null,         -- analysis milliseconds
  rules_run text not null,                 -- rule ids evaluated (for 规则活跃度)
  rule_cnt integer not null,
  hit_cnt integer not null,
  err_rule_ids text not null default '',
  warn_msg text,
  medfee_sumamt numeric(16,2) not null,
  vola_amt numeric(16,2) not null,
  hist_src char(1) not null default '0'    -- 0 none 1 sent in the request 2 pulled by the history provider
);
create index audit_eval_time on audit_eval (reqt_time);
create index audit_eval_inst on audit_eval (fixmedins_code, reqt_time);

-- 事前提醒结果信息表: one row per warning shown, with how it was handled.
create table audit_warn_rslt (
  warn_rslt_id text primary key,           -- = jr_id
  eval_id text not null references audit_eval (eval_id),
  task_id text,
  infno text not null,
  trig_scen text,
  med_type text,
  fixmedins_code text,
  patn_id text not null,
  mdtrt_id text,
  reqt_time timestamptz not null,
  rsp_time timestamptz not null,
  ana_dura numeric(12,3) not null,
  vola_flag char(1) not null default '1',
  rule_id text not null,
  rule_ver integer not null,
  rule_name text not null,
  rule_sev_deg char(1) not null,
  vola_bhvr_type text not null,
  warn_cont text not null,
  medfee_sumamt numeric(16,2) not null,
  vola_amt numeric(16,2) not null,
  vola_amt_stas text not null,
  detail jsonb not null,                   -- judge_result_detail_dtos
  warn_dspo_way char(1),                   -- latest disposition (3103): 1 采纳修改 2 坚持执行 3 已知晓
  dspo_dscr text,
  dspo_time timestamptz
);
create index audit_warn_rslt_eval on audit_warn_rslt (eval_id);
create index audit_warn_rslt_rule on audit_warn_rslt (rule_id, reqt_time);
create index audit_warn_rslt_inst on audit_warn_rslt (fixmedins_code, reqt_time);

-- Every disposition received (the latest is copied onto the warning).
create table audit_warn_dspo (
  dspo_id bigserial primary key,
  warn_rslt_id text not null references audit_warn_rslt (warn_rslt_id),
  warn_dspo_way char(1) not null,
  dspo_dscr text,
  dr_codg text,
  dr_name text,
  fixmedins_code text not null,
  msgid text,
  dspo_time timestamptz not null default now()
);
create index audit_warn_dspo_rslt on audit_warn_dspo (warn_rslt_id);

-- The audit code tables, published through 1901 (the national dictionaries for these fields are not public).
insert into dict_item (dict_type, value, label, parent_value, sort, begndate) values
  ('trig_scen', '1', '门诊挂号', '1', 1, '2019-01-01'),
  ('trig_scen', '2', '门诊收费登记', '1', 2, '2019-01-01'),
  ('trig_scen', '3', '住院登记', '1', 3, '2019-01-01'),
  ('trig_scen', '4', '住院收费登记', '1', 4, '2019-01-01'),
  ('trig_scen', '5', '住院执行医嘱', '1', 5, '2019-01-01'),
  ('trig_scen', '6', '门诊结算', '2', 6, '2019-01-01'),
  ('trig_scen', '7', '门诊预结算', '2', 7, '2019-01-01'),
  ('trig_scen', '8', '住院结算', '2', 8, '2019-01-01'),
  ('trig_scen', '9', '住院预结算', '2', 9, '2019-01-01'),
  ('trig_scen', '10', '购药划卡', '2', 10, '2019-01-01'),
  ('audit_stage', '1', '事前', null, 1, '2019-01-01'),
  ('audit_stage', '2', '事中', null, 2, '2019-01-01'),
  ('audit_stage', '3', '事后', null, 3, '2019-01-01'),
  ('sev_deg', '1', '明确违规', null, 1, '2019-01-01'),
  ('sev_deg', '2', '高度可疑', null, 2, '2019-01-01'),
  ('sev_deg', '3', '可疑', null, 3, '2019-01-01'),
  ('vola_amt_stas', '1', '已计算', null, 1, '2019-01-01'),
  ('vola_amt_stas', '2', '不涉及金额', null, 2, '2019-01-01'),
  ('vola_item_type', '1', '违规项', null, 1, '2019-01-01'),
  ('vola_item_type', '2', '涉及项', null, 2, '2019-01-01'),
  ('vola_bhvr_type', '1', '超医保支付范围', null, 1, '2019-01-01'),
  ('vola_bhvr_type', '2', '重复收费', null, 2, '2019-01-01'),
  ('vola_bhvr_type', '3', '超标准收费', null, 3, '2019-01-01'),
  ('vola_bhvr_type', '4', '分解收费/串换项目', null, 4, '2019-01-01'),
  ('vola_bhvr_type', '5', '超频次/超数量', null, 5, '2019-01-01'),
  ('vola_bhvr_type', '6', '不合理诊疗/用药', null, 6, '2019-01-01'),
  ('vola_bhvr_type', '7', '分解住院/挂床住院/虚假住院', null, 7, '2019-01-01'),
  ('vola_bhvr_type', '8', '冒名就医/身份异常', null, 8, '2019-01-01'),
  ('vola_bhvr_type', '9', '资格不符', null, 9, '2019-01-01'),
  ('vola_bhvr_type', '99', '其他', null, 10, '2019-01-01'),
  ('rule_cls', '1', '政策类', null, 1, '2019-01-01'),
  ('rule_cls', '2', '管理类', null, 2, '2019-01-01'),
  ('rule_cls', '3', '医疗类', null, 3, '2019-01-01'),
  ('rule_cls', '4', '大数据模型', null, 4, '2019-01-01'),
  ('time_window', '0', '当次就诊', null, 1, '2019-01-01'),
  ('time_window', '1', '当次门诊', null, 2, '2019-01-01'),
  ('time_window', '2', '当次住院', null, 3, '2019-01-01'),
  ('time_window', '3', '自然日', null, 4, '2019-01-01'),
  ('time_window', '4', '单日', null, 5, '2019-01-01'),
  ('time_window', '5', '自然月', null, 6, '2019-01-01'),
  ('time_window', '6', '单月', null, 7, '2019-01-01'),
  ('time_window', '7', '每季度', null, 8, '2019-01-01'),
  ('time_window', '8', '自然年', null, 9, '2019-01-01'),
  ('time_window', '9', '医保年度', null, 10, '2019-01-01'),
  ('time_window', '99', '其他', null, 11, '2019-01-01'),
  ('audit_scene', '1', '门(急)诊', null, 1, '2019-01-01'),
  ('audit_scene', '2', '住院', null, 2, '2019-01-01'),
  ('audit_scene', '3', '购药', null, 3, '2019-01-01'),
  ('audit_scene', '4', '互联网诊疗', null, 4, '2019-01-01'),
  ('audit_scene', '5', '异地就医', null, 5, '2019-01-01'),
  ('vola_amt_formula', '0', '不计算金额', null, 1, '2019-01-01'),
  ('vola_amt_formula', '1', '违规明细金额', null, 2, '2019-01-01'),
  ('vola_amt_formula', '2', '超出部分金额', null, 3, '2019-01-01'),
  ('vola_amt_formula', '3', '医保支付范围内金额', null, 4, '2019-01-01'),
  ('warn_dspo_way', '1', '采纳提醒（修改或撤销医嘱）', null, 1, '2019-01-01'),
  ('warn_dspo_way', '2', '坚持执行（已说明理由）', null, 2, '2019-01-01'),
  ('warn_dspo_way', '3', '已知晓', null, 3, '2019-01-01');
