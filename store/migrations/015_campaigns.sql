-- Campaigns as stored, managed things (issue 9): the definition as accepted (the data of its
-- campaign.scheduled event, or of POST /v1/campaigns), its status, and one row per run. A run's
-- counts are read from the ledger (messages.run_id), the durable per-recipient record: a page
-- retried after a crash writes the same rows under the same idempotency keys, so nothing is
-- counted twice.
create table campaigns (
  id text primary key,
  definition jsonb not null,
  status text not null check (status in ('scheduled', 'running', 'paused', 'cancelled', 'completed')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table campaign_runs (
  run_id text primary key,
  campaign_id text not null references campaigns (id),
  status text not null check (status in ('running', 'paused', 'cancelled', 'completed')),
  started_at timestamptz not null,
  finished_at timestamptz
);
create index campaign_runs_by_campaign on campaign_runs (campaign_id, started_at);

alter table messages add column run_id text;
create index messages_by_run on messages (run_id, contact_id) where run_id is not null;
