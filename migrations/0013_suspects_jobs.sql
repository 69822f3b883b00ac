-- 0013 事后 audit suspects (疑点) and long-running jobs.
-- audit_suspect is the one place every finding that needs human review lands: the 事后 batch engine writes
-- here, and so may the real-time engine for 事中 hits an institution is later asked about. The review workflow
-- (cases) references suspects by suspect_id; a suspect is never edited after it is written except its status,
-- which the workflow moves. Money numeric(16,2).

create table audit_suspect (
  suspect_id text primary key,              -- area + yyyyMMdd + serial (formatDatedId 'general')
  run_id text,                              -- the batch run that found it (null for real-time)
  stage char(1) not null,                   -- 1 事前 2 事中 3 事后
  rule_id text not null,
  rule_ver integer not null,
  rule_name text not null,
  sev_deg char(1) not null,                 -- 1 明确违规 2 高度可疑 3 可疑
  vola_bhvr_type text not null,
  admdvs text not null,                     -- the institution's area (scopes the reviewers)
  fixmedins_code text not null,
  psn_no text not null,
  mdtrt_id text,                            -- the main encounter; others are in evidence
  setl_id text,
  mdtrt_ids text not null default '',       -- every encounter involved, comma-separated
  vola_cont text not null,                  -- Chinese description naming the items
  vola_amt numeric(16,2) not null default 0,
  vola_amt_stas char(1) not null default '1',
  evidence jsonb not null,                  -- lines involved (违规项/涉及项) and the facts the rule used
  dedup_key text not null,                  -- rule_id + the facts: a rerun never duplicates a suspect
  stas char(1) not null default '0',        -- 0 待处理 1 审核中 2 已确认违规 3 已排除 (the workflow moves it)
  crte_time timestamptz not null default now(),
  unique (dedup_key)
);
create index audit_suspect_rule on audit_suspect (rule_id, crte_time);
create index audit_suspect_inst on audit_suspect (fixmedins_code, crte_time);
create index audit_suspect_psn on audit_suspect (psn_no);
create index audit_suspect_admdvs on audit_suspect (admdvs, stas);
create index audit_suspect_run on audit_suspect (run_id);

-- Long server jobs (batch audit, snapshot, payment year run, generation): started by the CLI or the console,
-- followed by polling. progress is what the job last reported; a job that dies leaves status 'running' with a
-- stale heartbeat, which readers show as 已中断.
create table job (
  job_id text primary key,
  kind text not null,                       -- audit-batch / snapshot / pay-drg / pay-dip / generate …
  params jsonb not null,
  status text not null check (status in ('queued', 'running', 'done', 'failed')),
  admdvs text,
  opter_id text not null,
  opter_name text not null,
  total bigint,                             -- units of work when known (rows, rules, institutions)
  done bigint not null default 0,
  stage text,                               -- what it is doing now, Chinese
  result jsonb,
  err_msg text,
  start_time timestamptz not null default now(),
  heartbeat timestamptz not null default now(),
  end_time timestamptz
);
create index job_kind_time on job (kind, start_time);
