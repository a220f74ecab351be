-- Erasure (contact.erased): the contact row stays, without personal data, so that later events
-- naming it are refused and the kept records (consent proofs, invoices) still have their owner id.
alter table contacts add column erased_at timestamptz;
