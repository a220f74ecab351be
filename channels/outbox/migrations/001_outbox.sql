-- The local outbox's own database (the stack's outbox runs in a thread of its own, with a store
-- of its own, as a provider keeps its own): what it received, the same tables as the store's
-- outbox_messages (store/migrations 001 and 017), which a PostgreSQL deployment shares.
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

create index outbox_messages_by_key on outbox_messages (idempotency_key) where idempotency_key is not null;

create table outbox_counts (
  channel text primary key,
  n bigint not null
);

create function outbox_counts_added() returns trigger language plpgsql as $$ begin insert into outbox_counts (channel, n) select channel, count(*) from added group by channel on conflict (channel) do update set n = outbox_counts.n + excluded.n; return null; end $$;

create function outbox_counts_removed() returns trigger language plpgsql as $$ begin update outbox_counts c set n = c.n - r.n from (select channel, count(*) as n from removed group by channel) r where c.channel = r.channel; return null; end $$;

create trigger outbox_counted_in after insert on outbox_messages
  referencing new table as added for each statement execute function outbox_counts_added();

create trigger outbox_counted_out after delete on outbox_messages
  referencing old table as removed for each statement execute function outbox_counts_removed();
