-- 0001 platform: id sequences and the operation log every write goes to.
create sequence seq_refmsg;
create sequence seq_psn start 1000000;
create sequence seq_mdtrt;
create sequence seq_setl;
create sequence seq_general;

-- Operation log (操作日志): who did what, when, with the row before and after. Append-only.
create table opt_log (
  log_id bigserial primary key,
  opt_time timestamptz not null default now(),
  opter_id text not null,          -- staff user id, 'system' for start-up loads, institution code for gateway writes
  opter_name text not null,
  admdvs char(6),                  -- the area the change belongs to, for scoped review
  action text not null,            -- e.g. 'person.enroll', 'catalogue.import'
  target_type text not null,       -- table or business object
  target_id text,
  before_data jsonb,
  after_data jsonb,
  memo text
);
create index opt_log_time on opt_log (opt_time);
create index opt_log_target on opt_log (target_type, target_id);
