-- How many messages the local outbox holds, per channel, kept by triggers in the statement that
-- inserts (or deletes) them: counting 100,000 recorded emails with count(*) reads every row
-- (300-500 ms in PGlite), and a benchmark polls the count while it measures.
create table outbox_counts (
  channel text primary key,
  n bigint not null
);

insert into outbox_counts (channel, n) select channel, count(*) from outbox_messages group by channel;

create function outbox_counts_added() returns trigger language plpgsql as $$ begin insert into outbox_counts (channel, n) select channel, count(*) from added group by channel on conflict (channel) do update set n = outbox_counts.n + excluded.n; return null; end $$;

create function outbox_counts_removed() returns trigger language plpgsql as $$ begin update outbox_counts c set n = c.n - r.n from (select channel, count(*) as n from removed group by channel) r where c.channel = r.channel; return null; end $$;

create trigger outbox_counted_in after insert on outbox_messages
  referencing new table as added for each statement execute function outbox_counts_added();

create trigger outbox_counted_out after delete on outbox_messages
  referencing old table as removed for each statement execute function outbox_counts_removed();

-- A channel asking the outbox whether it holds a message (after a crash mid-send) looks it up by
-- idempotency key: without an index that is a scan of every recorded message per recipient.
create index outbox_messages_by_key on outbox_messages (idempotency_key) where idempotency_key is not null;
