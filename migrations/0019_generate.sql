-- 0019 generate: identity-check events (身份核验) at the start of an encounter, and the ground truth of the
-- synthetic region generator's injected violations.
-- mdtrt_idchk: how the insured was identified (医保电子凭证 / 身份证 / 社保卡, by QR code, card or face
-- recognition) and the result — the platform's place for the terminals' check events.
create table mdtrt_idchk (
  idchk_id bigserial primary key,
  mdtrt_id text not null references mdtrt (mdtrt_id),
  psn_no text not null references psn (psn_no),
  fixmedins_code text not null,
  chk_time timestamptz not null,
  mdtrt_cert_type text not null,              -- 01 医保电子凭证 02 居民身份证 03 社会保障卡
  chk_way text not null check (chk_way in ('qrcode', 'card', 'face')),
  chk_rslt char(1) not null check (chk_rslt in ('0', '1')),  -- 1 通过 0 不通过
  crte_time timestamptz not null default now()
);
create index mdtrt_idchk_mdtrt on mdtrt_idchk (mdtrt_id);
create index mdtrt_idchk_psn on mdtrt_idchk (psn_no, chk_time);

-- gen_violation: one row per violation `yibao generate --violations` injected, and per look-alike legitimate
-- case (legit_flag 1) — the answer key for measuring detection and false positives. Never read by the audit
-- engine: detection must work from the settlement data alone.
create table gen_violation (
  vio_id text primary key,                    -- generated id, in injection order
  vio_type text not null,                     -- the injector's stable code (src/generate/violations/)
  vio_name text not null,                     -- Chinese rule name (audit-rules.md §3.2)
  legit_flag char(1) not null default '0' check (legit_flag in ('0', '1')),  -- 1 = looks like one, but is legitimate
  psn_no text not null,
  mdtrt_id text not null,
  setl_id text not null,
  feedetl_sns text,                           -- the fee lines involved (comma separated), null = the whole encounter
  amt numeric(16,2) not null,                 -- amount at issue
  memo text not null
);
create index gen_violation_mdtrt on gen_violation (mdtrt_id);
create index gen_violation_type on gen_violation (vio_type);
