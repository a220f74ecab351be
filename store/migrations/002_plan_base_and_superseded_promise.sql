-- What had been paid when a payment plan was agreed: installments are checked against payments
-- made since, not against payments made before the plan.
alter table invoices add column plan_paid_base_minor bigint not null default 0;

-- A promise to pay that a payment plan replaced is neither kept nor broken.
alter table invoices drop constraint if exists invoices_promise_status_check;
alter table invoices add constraint invoices_promise_status_check
  check (promise_status in ('active', 'kept', 'broken', 'superseded'));
