-- 0018 the review workflow of audit suspects (疑点审核案件): 初审 → 复审 → 机构申诉 → 调查核实 → 违规处理 or 排除.
-- A case groups one or more suspects (audit_suspect, 0013) of one institution; every action is a row of
-- audit_case_hist (who, when, from → to, opinion, amounts, attachments); the amounts refused or to be recovered
-- are rows of audit_case_rcv, linked to the settlement (setl_id) and its paying area — settlement tables are
-- never edited. Step time limits are parameters (audit_case_limit). Money numeric(16,2).

-- Time limit of each step: limit_days working days (day_type W, Monday–Friday) or calendar days (C).
create table audit_case_limit (
  case_stas text primary key,                -- the state whose step the limit is for (10 初审 … 50 违规处理)
  step_name text not null,
  limit_days integer not null check (limit_days between 0 and 365),
  day_type char(1) not null check (day_type in ('W', 'C')),
  opter_id text not null default 'system',
  updt_time timestamptz not null default now()
);
insert into audit_case_limit (case_stas, step_name, limit_days, day_type) values
  ('10', '初审', 10, 'W'),
  ('20', '复审', 10, 'W'),
  ('30', '机构申诉', 7, 'C'),
  ('40', '调查核实', 15, 'W'),
  ('50', '违规处理', 10, 'W');

-- One review case. case_stas: 10 待初审 20 待复审 30 待机构申诉 40 调查核实 50 待违规处理 60 已处理 90 已排除.
create table audit_case (
  case_id text primary key,                  -- area + yyyyMMdd + 9 + serial (formatDatedId 'general')
  admdvs char(6) not null,                   -- the institution's area (scopes the reviewers)
  fixmedins_code text not null,
  rule_ids text not null,                    -- distinct rule ids of the suspects, comma-separated
  case_stas text not null check (case_stas in ('10', '20', '30', '40', '50', '60', '90')),
  step_begn_date date not null,              -- Beijing date the current step began
  due_date date,                             -- the current step's time limit (null once closed)
  assignee_id text,                          -- the reviewer who holds the case now
  assignee_name text,
  suspect_cnt integer not null,
  vola_amt numeric(16,2) not null,           -- suspected (Σ suspect vola_amt)
  cnfm_amt numeric(16,2) not null default 0, -- confirmed at 违规处理
  dspo_type char(1) check (dspo_type in ('1', '2')), -- 1 拒付 2 追回
  memo text,
  crter_id text not null,
  crter_name text not null,
  crte_time timestamptz not null default now(),
  updt_time timestamptz not null default now(),
  close_time timestamptz
);
create index audit_case_scope on audit_case (admdvs, case_stas);
create index audit_case_inst on audit_case (fixmedins_code, case_stas);
create index audit_case_assignee on audit_case (assignee_id, case_stas);
create index audit_case_due on audit_case (due_date) where due_date is not null;

-- The suspects of a case: a suspect belongs to at most one case. cnfm_amt is set at 违规处理 (0 = excluded).
create table audit_case_suspect (
  suspect_id text primary key references audit_suspect (suspect_id),
  case_id text not null references audit_case (case_id),
  vola_amt numeric(16,2) not null,
  cnfm_amt numeric(16,2),
  rslt char(1) check (rslt in ('2', '3'))    -- the suspect's outcome: 2 已确认违规 3 已排除
);
create index audit_case_suspect_case on audit_case_suspect (case_id);

-- The audit trail: one row per action, never updated.
create table audit_case_hist (
  hist_id bigserial primary key,
  case_id text not null references audit_case (case_id),
  action text not null,                      -- create assign first_review … (see docs/audit-workflow.md)
  from_stas text,
  to_stas text not null,
  opter_id text not null,
  opter_name text not null,
  opter_role text not null,
  opinion text,
  amt numeric(16,2),                         -- the amount the action states (confirmed, recovered …)
  attachments text,                          -- attachment references / descriptions as text
  detail jsonb,                              -- per-suspect amounts, assignee, …
  crte_time timestamptz not null default now()
);
create index audit_case_hist_case on audit_case_hist (case_id, hist_id);

-- 拒付/追回: one row per confirmed suspect, linked to its settlement and the paying fund area when the settlement
-- exists (the fund-ledger link: setl_id + insu_admdvs); rcv_stas 0 待追回 1 已追回 (the money came back).
create table audit_case_rcv (
  rcv_id bigserial primary key,
  case_id text not null references audit_case (case_id),
  suspect_id text not null references audit_suspect (suspect_id),
  setl_id text,
  mdtrt_id text,
  psn_no text not null,
  fixmedins_code text not null,
  insu_admdvs char(6),
  dspo_type char(1) not null check (dspo_type in ('1', '2')),
  amt numeric(16,2) not null check (amt > 0),
  rcv_stas char(1) not null default '0' check (rcv_stas in ('0', '1')),
  rcv_date date,
  crte_time timestamptz not null default now(),
  unique (suspect_id)
);
create index audit_case_rcv_case on audit_case_rcv (case_id);
create index audit_case_rcv_setl on audit_case_rcv (setl_id);
