-- Whether a contact is a business or a consumer: B2B-only wording (late-payment interest from the
-- due date, the fixed recovery indemnity) is stated to businesses only. Contacts known before
-- this migration, and contacts upserted without the field, are consumers.
alter table contacts add column customer_type text not null default 'consumer';

alter table contacts add constraint contacts_customer_type_check
  check (customer_type in ('business', 'consumer'));
