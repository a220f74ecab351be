-- What had been paid when a promise to pay was recorded: the promise is kept by payments made
-- since, read from the store as it was at ingestion (not when the workflow handled the signal).
-- Promises already recorded keep what the workflow read before: the amount paid now.
alter table invoices add column promise_paid_base_minor bigint;
update invoices set promise_paid_base_minor = paid_minor where promise_date is not null;
