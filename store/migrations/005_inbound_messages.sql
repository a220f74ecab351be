-- Inbound SMS already applied, by Twilio's MessageSid: a webhook delivered again (Twilio's retry,
-- or a captured request replayed) changes consent once only. Written in the transaction of the
-- consent change it records.
create table inbound_messages (
  message_sid text primary key,
  keyword text not null,
  received_at timestamptz not null
);
