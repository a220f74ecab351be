-- Customers' replies: a free-text SMS (Twilio) or an email (SendGrid Inbound Parse) is kept once
-- per provider id with its sender, the contacts it was matched to, its words and their labels
-- (domain/reply-labels.ts). STOP/START/HELP rows keep only their keyword, as before.
alter table inbound_messages alter column keyword drop not null;
alter table inbound_messages add column channel text not null default 'sms' check (channel in ('sms', 'email'));
alter table inbound_messages add column from_address text;
alter table inbound_messages add column contact_ids jsonb not null default '[]';
alter table inbound_messages add column subject text;
alter table inbound_messages add column body_text text;
alter table inbound_messages add column labels jsonb not null default '[]';
-- The ledger message (messages.id) the reply answers, when its references name one of ours.
alter table inbound_messages add column in_reply_to uuid;
-- Why a person must read it (replyNeedsPerson), null when nobody needs to.
alter table inbound_messages add column needs_person text;
create index inbound_messages_by_contact on inbound_messages using gin (contact_ids jsonb_path_ops);
