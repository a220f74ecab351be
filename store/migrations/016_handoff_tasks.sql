-- Hand-offs become tasks for a person (contract section 6): open -> claimed -> resolved, with an
-- owner, a reason code and its text, a due-by time, a resolution, the subject they are about and
-- a timeline of what happened to them. Rows from before keep their meaning: 'closed' is 'resolved'.
alter table handoffs drop constraint if exists handoffs_status_check;
update handoffs set status = 'resolved' where status = 'closed';
alter table handoffs add constraint handoffs_status_check check (status in ('open', 'claimed', 'resolved'));
alter table handoffs add column owner text;
alter table handoffs add column reason_code text not null default 'dunning';
alter table handoffs add column due_by timestamptz;
alter table handoffs add column resolution text;
alter table handoffs add column resolved_at timestamptz;
alter table handoffs add column subject_kind text not null default 'invoice';
alter table handoffs add column updated_at timestamptz;
create index handoffs_by_status on handoffs (status, due_by);
-- One unresolved task per sequence: a second trigger joins the task already open.
create unique index handoffs_one_open on handoffs (sequence_id) where status <> 'resolved';

-- What happened to a task, in order: opened, claimed, notes, call outcomes, promises, messages,
-- resolution. `by` is the person (or `relance` for what the sequence did by itself).
create table handoff_events (
  id bigserial primary key,
  handoff_id bigint not null references handoffs (id),
  at timestamptz not null,
  type text not null,
  by text not null,
  data jsonb not null default '{}',
  -- Set by the workflow for each event it records: a retried activity finds the first row.
  key text unique
);
create index handoff_events_of_task on handoff_events (handoff_id, id);
