-- 0007 staff authentication: console users (经办员、审核员、稽核员、管理员、机构用户) scoped to an area (admdvs),
-- and login sessions. Passwords are scrypt hashes with their salt and parameters; session tokens are stored
-- only as their SHA-256, so a copy of this table does not let anyone log in.

create table staff_user (
  user_id text primary key,               -- login name (登录名): lower-case letters, digits, . _ -
  user_name text not null,                -- display name (姓名)
  pwd_hash text not null,                 -- scrypt$N$r$p$salt$hash (base64url)
  role text not null check (role in ('handler', 'auditor', 'inspector', 'admin', 'institution')),
  admdvs char(6) not null,                -- the area the user works in; covers every area under it
  fixmedins_code text,                    -- institution users only: the one institution they act for
  status text not null default 'active' check (status in ('active', 'disabled')),
  pwd_changed_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_login_at timestamptz,
  check ((role = 'institution') = (fixmedins_code is not null))
);
create index staff_user_admdvs on staff_user (admdvs);

create table staff_session (
  token_hash char(64) primary key,        -- hex SHA-256 of the opaque bearer token
  user_id text not null references staff_user (user_id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);
create index staff_session_user on staff_session (user_id);
