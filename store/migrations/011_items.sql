-- Expiring things (contract §4): loyalty and payment cards, vouchers, lots of loyalty points.
-- One table for the three kinds: what their expiry sequences read at each send (is the item
-- still live, with the date the sequence was started for?) and what GET /v1/cards|vouchers|points
-- show. A renewal keeps the row: its expires_on moves, its generation counts the renewals.
create table items (
  kind text not null check (kind in ('card', 'voucher', 'points')),
  id text not null,
  contact_id text not null references contacts (id),
  card_kind text check (card_kind in ('loyalty', 'payment')),
  label text not null,
  code text,
  value_minor bigint check (value_minor > 0),
  currency text,
  points_initial integer check (points_initial > 0),
  points_left integer check (points_left >= 0),
  expires_on date not null,
  url text,
  schedule_id text not null,
  status text not null default 'live' check (status in ('live', 'ended')),
  ended_reason text check (ended_reason in ('renewed', 'redeemed', 'used', 'cancelled', 'expired', 'erased')),
  generation integer not null default 1 check (generation >= 1),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  ended_at timestamptz,
  primary key (kind, id),
  check ((kind = 'card') = (card_kind is not null)),
  check ((value_minor is null) = (currency is null)),
  check ((kind = 'points') = (points_initial is not null and points_left is not null)),
  check ((status = 'ended') = (ended_reason is not null))
);
create index items_by_contact on items (contact_id, kind, status, expires_on);

-- A registration sent again under another event id is compared with the first one accepted.
create index events_item_registrations on events (type, (data->>'id'))
  where type in ('card.registered', 'voucher.issued', 'points.credited');

-- Each renewal, by the event that made it: the date it left and the date it moved to. The
-- dispatcher finds there the sequence the renewal ends (its id holds the old date), and
-- GET /v1/cards/{id} lists a card's renewals.
create table item_renewals (
  event_id text primary key,
  kind text not null,
  id text not null,
  from_expires_on date not null,
  to_expires_on date not null,
  at timestamptz not null,
  foreign key (kind, id) references items (kind, id)
);
create index item_renewals_by_item on item_renewals (kind, id, at);
