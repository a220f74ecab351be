-- API tokens with roles (contract section 7). Only the SHA-256 of a token is kept: the token
-- itself is shown once, when it is created. A revoked token stays, for the record.
create table api_tokens (
  id text primary key,
  name text not null check (length(name) between 1 and 100),
  role text not null check (role in ('admin', 'finance', 'marketing', 'agent')),
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  last_used_at timestamptz
);
