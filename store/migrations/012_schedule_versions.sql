-- Schedules a finance or marketing team changes without a deploy (issue 8, item 6). Each change
-- is a new version, never an edit: a running sequence keeps the version it was pinned to, a new
-- one gets the latest. `source` says where a version came from: the YAML configuration (seeded at
-- start, see store/schedule-repository.ts) or a PUT /v1/schedules/{id}.
create table schedule_versions (
  schedule_id text not null check (length(schedule_id) between 1 and 200),
  version integer not null check (version >= 1),
  definition jsonb not null,
  source text not null check (source in ('config', 'api')),
  created_at timestamptz not null default now(),
  -- The token's name and role for an API version ("Alice (finance)"); "configuration" otherwise.
  created_by text,
  primary key (schedule_id, version)
);

-- The version of its schedule each sequence runs, pinned at its first planning.
create table sequence_schedules (
  sequence_id text primary key,
  schedule_id text not null,
  version integer not null,
  pinned_at timestamptz not null default now()
);

-- Invoices issued before versions existed started on the configuration of the day, which the
-- first start after this migration seeds as version 1: they keep it.
insert into sequence_schedules (sequence_id, schedule_id, version)
select 'invoice-dunning/' || id, schedule_id, 1 from invoices;
