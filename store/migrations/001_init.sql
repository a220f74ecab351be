-- Relance store, version 1. Timestamps are timestamptz (UTC instants); calendar dates the
-- contact's local dates; money integer minor units (bigint) beside its ISO 4217 currency.

create table contacts (
  id text primary key,
  first_name text,
  last_name text,
  email text,
  phone text,
  locale text not null,
  timezone text not null,
  country text,
  tags jsonb not null default '[]',
  attributes jsonb not null default '{}',
  do_not_contact boolean not null default false,
  do_not_contact_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Consent history: appended, never updated, so every grant and withdrawal keeps its provenance.
create table consents (
  id bigserial primary key,
  contact_id text not null references contacts (id),
  channel text not null check (channel in ('email', 'sms')),
  purpose text not null check (purpose in ('marketing', 'transactional')),
  granted boolean not null,
  source text not null,
  legal_basis text not null check (legal_basis in ('consent', 'contract', 'legitimate_interest')),
  at timestamptz not null,
  event_id text,
  recorded_at timestamptz not null default now()
);
create index consents_by_contact on consents (contact_id, channel, purpose, at);

-- Every accepted event, once per id; dispatched_at is set when Temporal has been told.
create table events (
  seq bigserial unique,
  id text primary key,
  type text not null,
  at timestamptz not null,
  data jsonb not null,
  received_at timestamptz not null default now(),
  dispatched_at timestamptz,
  dispatch_attempts integer not null default 0,
  last_error text
);
create index events_undispatched on events (seq) where dispatched_at is null;

create table invoices (
  id text primary key,
  contact_id text not null references contacts (id),
  number text,
  amount_minor bigint not null check (amount_minor > 0),
  paid_minor bigint not null default 0,
  currency text not null,
  issued_at timestamptz,
  due_date date not null,
  payment_url text,
  schedule_id text not null,
  status text not null default 'open' check (status in ('open', 'paid', 'cancelled')),
  closed_reason text,
  dispute_status text check (dispute_status in ('open', 'customer_right', 'invoice_upheld')),
  dispute_reason text,
  plan jsonb,
  plan_status text check (plan_status in ('active', 'broken', 'completed')),
  promise_date date,
  promise_amount_minor bigint,
  promise_status text check (promise_status in ('active', 'kept', 'broken')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index invoices_by_contact on invoices (contact_id, status);

create table payments (
  id bigserial primary key,
  invoice_id text not null references invoices (id),
  amount_minor bigint not null,
  paid_at timestamptz not null,
  event_id text
);

-- One row per running or finished sequence: a projection the workflow keeps up to date.
create table sequences (
  id text primary key,
  type text not null,
  subject_id text not null,
  contact_id text not null,
  status text not null check (status in ('running', 'paused', 'completed')),
  stage text,
  outcome text,
  paused_reason text,
  next_step text,
  next_at timestamptz,
  steps jsonb not null default '[]',
  escalation integer not null default 0,
  started_at timestamptz not null,
  updated_at timestamptz not null,
  completed_at timestamptz
);
create index sequences_by_contact on sequences (contact_id, status);

-- The message ledger: one row per message attempt. idempotency_key makes a retried activity
-- find its own row; dedup_key (sequence, step, channel, recipient) finds an earlier send.
create table messages (
  id uuid primary key default gen_random_uuid(),
  idempotency_key text not null unique,
  dedup_key text not null,
  sequence_id text,
  sequence_type text,
  step text,
  channel text not null check (channel in ('email', 'sms')),
  purpose text not null check (purpose in ('marketing', 'transactional')),
  contact_id text not null references contacts (id),
  recipient text,
  subject_ids jsonb not null default '[]',
  template text,
  locale text,
  status text not null check (status in ('deferred', 'sending', 'sent', 'suppressed', 'failed')),
  reason text,
  decision jsonb,
  planned_at timestamptz not null,
  decided_at timestamptz,
  deferred_until timestamptz,
  sent_at timestamptz,
  provider text,
  provider_id text,
  subject text,
  body_text text,
  body_html text,
  attempts integer not null default 0,
  error text,
  delivery_status text,
  delivery_at timestamptz,
  fallback_of uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index messages_by_contact on messages (contact_id, status, sent_at);
create index messages_by_dedup on messages (dedup_key);
create index messages_by_sequence on messages (sequence_id);
create index messages_by_provider on messages (provider, provider_id);

create table handoffs (
  id bigserial primary key,
  sequence_id text not null,
  contact_id text not null,
  subject_ids jsonb not null default '[]',
  reason text not null,
  at timestamptz not null,
  status text not null default 'open' check (status in ('open', 'closed'))
);
create unique index handoffs_once on handoffs (sequence_id, reason, at);

-- Addresses that must not be written to again (hard bounce, spam report, provider unsubscribe).
create table suppressions (
  channel text not null check (channel in ('email', 'sms')),
  address text not null,
  reason text not null,
  source text not null,
  at timestamptz not null,
  primary key (channel, address)
);

-- What the local outbox (the providers' stand-in) received.
create table outbox_messages (
  seq bigserial primary key,
  id text not null unique,
  channel text not null,
  to_address text not null,
  from_address text,
  subject text,
  body_text text not null,
  body_html text,
  headers jsonb not null default '{}',
  payload jsonb not null,
  idempotency_key text,
  received_at timestamptz not null default now()
);
