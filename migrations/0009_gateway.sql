-- 0009 gateway for the national designated-institution interface (定点医药机构接口): institution credentials,
-- sign-in serials (9001/9002), message de-duplication by msgid, the request log, the e-voucher token store,
-- and catalogue download files (1301–1308 → 9102).

-- One credential per institution. The apikey is kept only as its SHA-256 (it is a 192-bit random key, so a fast
-- hash is enough); the TIF token must be kept as issued, because the TIF signature is computed from it.
create table gateway_credential (
  fixmedins_code text primary key,
  apikey_hash char(64) not null,            -- hex SHA-256 of the apikey
  apikey_hint text not null,                -- last 4 characters, to tell keys apart in the console
  tif_paasid text,                          -- x-tif-paasid this institution signs with (TIF gateway scheme)
  tif_token text,                           -- the secret issued with the paasid (needed to check signatures)
  sm2_pubkey text,                          -- institution's SM2 public key (hex) for message-level signatures
  signin_required boolean not null default true,    -- every transaction but 9001/9002 needs a valid sign_no
  msg_sign_required boolean not null default false, -- cainfo must carry an SM2 signature of the message
  status text not null default 'active' check (status in ('active', 'disabled')),
  issued_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((tif_paasid is null) = (tif_token is null)),
  check (not msg_sign_required or sm2_pubkey is not null)
);

-- Sign-in serials: one open sign-in per institution, operator and day; 9001 repeated that day returns it.
create table gateway_signin (
  sign_no text primary key,
  fixmedins_code text not null,
  opter_no text not null,
  sign_date date not null,                  -- Beijing date of the sign-in; the serial is valid on that date only
  sign_time timestamptz not null default now(),
  mac text,
  ip text,
  signout_time timestamptz
);
create unique index gateway_signin_open on gateway_signin (fixmedins_code, opter_no, sign_date) where signout_time is null;

-- De-duplication: msgid is unique per institution. A request that reached its transaction stores the exact bytes
-- of its response; the same msgid again gets those bytes back (same request hash) or a conflict (different one).
create table gateway_msg (
  fixmedins_code text not null,
  msgid text not null,
  infno text not null,
  request_hash char(64) not null,           -- SHA-256 of canonical JSON {infno, mdtrtarea_admvs, insuplc_admdvs, input}
  inf_refmsgid char(30) not null,
  status text not null check (status in ('processing', 'done')),
  response_body text,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  primary key (fixmedins_code, msgid)
);

-- Every request, whatever became of it (personal data is never stored here).
create table gateway_log (
  inf_refmsgid char(30) primary key,        -- the request id: the receiver message id the response carries
  received_at timestamptz not null,
  fixmedins_code text,
  infno text,
  msgid text,
  opter text,
  sign_no text,
  auth_way text,                            -- 'apikey' | 'tif' | null (not authenticated)
  client_ip text,
  infcode smallint not null,
  err_msg text,
  duration_ms integer not null,
  replay boolean not null default false
);
create index gateway_log_inst_time on gateway_log (fixmedins_code, received_at);
create index gateway_log_msgid on gateway_log (msgid);

-- 医保电子凭证 tokens (ecToken): bound to a person for the visit's lifetime (reference §6.4). Issued by the
-- e-voucher side (not the HIS interface); 1101 with mdtrt_cert_type 01 resolves them.
create table ec_token (
  ec_token text primary key,
  psn_no text not null,
  insuplc_admdvs char(6),
  issued_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index ec_token_psn on ec_token (psn_no);

-- Catalogue download files (1301–1308), fetched by 9102 with their file_qury_no; identical content is shared.
create table gateway_file (
  file_qury_no text primary key,            -- 'fsi/plc/<hex>'
  infno text not null,
  filename text not null,
  fixmedins_code text not null,             -- 'plc' for public catalogue files
  data_cnt integer not null,
  content bytea not null,                   -- the zip file
  content_sha256 char(64) not null,
  dld_end_time date not null,
  created_at timestamptz not null default now()
);
create index gateway_file_content on gateway_file (infno, content_sha256);
