-- What had been paid when a promise to pay was recorded: the promise is kept by payments made
-- since, read from the store as it was at ingestion (not when the workflow handled the signal).
-- Promises already recorded keep what the workflow read before: the amount paid now.
alter table invoices add column promise_paid_base_minor bigint;
update invoices set promise_paid_base_minor = paid_minor where promise_date is not null;

-- Consent changes count in the order Relance received them (its own clock at ingestion), never
-- by the `at` a sender claims: a grant dated in the future must not beat a later STOP. Ties (one
-- batch) are decided by the increasing id. Existing rows: the event's reception time when the row
-- came from an event, else the time the row was written.
alter table consents add column received_at timestamptz;
update consents c set received_at = coalesce(
  (select e.received_at from events e where e.id = c.event_id), c.recorded_at);
alter table consents alter column received_at set not null;
create index consents_by_reception on consents (contact_id, received_at, id);
