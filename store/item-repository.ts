/**
 * Cards, vouchers and lots of points (contract §4): the items whose expiry sequences remind a
 * contact before they lapse. One row per (kind, id); a renewal moves `expiresOn` and counts a
 * generation, an ending event (redeemed, used, cancelled…) ends the row for good.
 */
import type { SubjectState } from '../domain/policy/types';
import { iso, type Sql } from './db';

export type ItemKind = 'card' | 'voucher' | 'points';
export type CardKind = 'loyalty' | 'payment';
export type ItemEndReason = 'renewed' | 'redeemed' | 'used' | 'cancelled' | 'expired' | 'erased';

/** The type of each kind's expiry sequence, in the sequences projection and the ledger (contract §4). */
export const ITEM_SEQUENCE_TYPES: Readonly<Record<ItemKind, string>> = {
  card: 'card-expiry',
  voucher: 'voucher-expiry',
  points: 'points-expiry',
};

export interface Item {
  kind: ItemKind;
  id: string;
  contactId: string;
  cardKind: CardKind | null;
  /** What the customer calls it ("Carte Fidélité Or", "Bon d'achat de 10 €"); '' for a lot without one. */
  label: string;
  code: string | null;
  valueMinor: number | null;
  currency: string | null;
  pointsInitial: number | null;
  pointsLeft: number | null;
  /** YYYY-MM-DD, the contact's local date: the item is good until the end of that day. */
  expiresOn: string;
  url: string | null;
  scheduleId: string;
  status: 'live' | 'ended';
  endedReason: string | null;
  /** 1, then +1 per renewal. */
  generation: number;
}

interface ItemRow {
  kind: ItemKind;
  id: string;
  contact_id: string;
  card_kind: CardKind | null;
  label: string;
  code: string | null;
  value_minor: number | null;
  currency: string | null;
  points_initial: number | null;
  points_left: number | null;
  expires_on: string;
  url: string | null;
  schedule_id: string;
  status: Item['status'];
  ended_reason: string | null;
  generation: number;
}

const toItem = (r: ItemRow): Item => ({
  kind: r.kind,
  id: r.id,
  contactId: r.contact_id,
  cardKind: r.card_kind,
  label: r.label,
  code: r.code,
  valueMinor: r.value_minor === null ? null : Number(r.value_minor),
  currency: r.currency,
  pointsInitial: r.points_initial,
  pointsLeft: r.points_left,
  expiresOn: r.expires_on,
  url: r.url,
  scheduleId: r.schedule_id,
  status: r.status,
  endedReason: r.ended_reason,
  generation: r.generation,
});

export type NewItem = Omit<Item, 'status' | 'endedReason' | 'generation' | 'pointsLeft'>;

/** Inserts a live item (a lot starts with all its points left); false when (kind, id) exists. */
export async function insertItem(sql: Sql, item: NewItem, at: string): Promise<boolean> {
  const rows = await sql.query(
    `insert into items (kind, id, contact_id, card_kind, label, code, value_minor, currency,
       points_initial, points_left, expires_on, url, schedule_id, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12, $13, $13)
     on conflict (kind, id) do nothing returning id`,
    [
      item.kind,
      item.id,
      item.contactId,
      item.cardKind,
      item.label,
      item.code,
      item.valueMinor,
      item.currency,
      item.pointsInitial,
      item.expiresOn,
      item.url,
      item.scheduleId,
      at,
    ],
  );
  return rows.length === 1;
}

export async function getItem(sql: Sql, kind: ItemKind, id: string): Promise<Item | undefined> {
  const [row] = await sql.query<ItemRow>('select * from items where kind = $1 and id = $2', [kind, id]);
  return row ? toItem(row) : undefined;
}

/**
 * The item, locked until the caller's transaction ends: what ingestion checks an event against
 * (points left, the current date) cannot change under it before it writes (two batches using
 * the same lot at once: the second waits, then sees what the first left).
 */
export async function lockItem(sql: Sql, kind: ItemKind, id: string): Promise<Item | undefined> {
  const [row] = await sql.query<ItemRow>('select * from items where kind = $1 and id = $2 for update', [
    kind,
    id,
  ]);
  return row ? toItem(row) : undefined;
}

/** The items of one kind among `ids` (unknown ids are left out), soonest expiry first. */
export async function getItems(sql: Sql, kind: ItemKind, ids: readonly string[]): Promise<Item[]> {
  if (ids.length === 0) return [];
  const rows = await sql.query<ItemRow>(
    'select * from items where kind = $1 and id = any($2::text[]) order by expires_on, id',
    [kind, ids],
  );
  return rows.map(toItem);
}

/** Every item of the contact, live or ended, by kind then soonest expiry (right of access). */
export async function itemsOfContact(sql: Sql, contactId: string): Promise<Item[]> {
  const rows = await sql.query<ItemRow>(
    'select * from items where contact_id = $1 order by kind, expires_on, id',
    [contactId],
  );
  return rows.map(toItem);
}

/** The contact's live items (of one kind when given), soonest expiry first. */
export async function liveItemsOfContact(sql: Sql, contactId: string, kind?: ItemKind): Promise<Item[]> {
  const rows = await sql.query<ItemRow>(
    `select * from items where contact_id = $1 and status = 'live' and ($2::text is null or kind = $2)
     order by expires_on, kind, id`,
    [contactId, kind ?? null],
  );
  return rows.map(toItem);
}

/**
 * A renewal: the item gets its new date and one more generation, and the renewal is recorded
 * under the event that made it. A card that had lapsed (`expired`) is live again; an item ended
 * otherwise (removed, redeemed, erased) stays ended. Returns the item after, or undefined when
 * nothing changed.
 */
export async function renewItem(
  sql: Sql,
  renewal: { kind: ItemKind; id: string; expiresOn: string; eventId: string },
  at: string,
): Promise<Item | undefined> {
  const { kind, id, expiresOn, eventId } = renewal;
  const [before] = await sql.query<{ expires_on: string }>(
    `select expires_on from items where kind = $1 and id = $2 and (status = 'live' or ended_reason = 'expired')
     for update`,
    [kind, id],
  );
  if (!before) return undefined;
  const [row] = await sql.query<ItemRow>(
    `update items set expires_on = $3, generation = generation + 1, status = 'live',
       ended_reason = null, ended_at = null, updated_at = $4
     where kind = $1 and id = $2 returning *`,
    [kind, id, expiresOn, at],
  );
  await sql.query(
    `insert into item_renewals (event_id, kind, id, from_expires_on, to_expires_on, at)
     values ($1, $2, $3, $4, $5, $6)`,
    [eventId, kind, id, before.expires_on, expiresOn, at],
  );
  return row ? toItem(row) : undefined;
}

export interface ItemRenewal {
  eventId: string;
  kind: ItemKind;
  id: string;
  fromExpiresOn: string;
  toExpiresOn: string;
  at: string;
}

interface RenewalRow {
  event_id: string;
  kind: ItemKind;
  id: string;
  from_expires_on: string;
  to_expires_on: string;
  at: unknown;
}

const toRenewal = (r: RenewalRow): ItemRenewal => ({
  eventId: r.event_id,
  kind: r.kind,
  id: r.id,
  fromExpiresOn: r.from_expires_on,
  toExpiresOn: r.to_expires_on,
  at: iso(r.at),
});

/** The renewal an accepted event made (the dispatcher: which sequence, by its old date, it ends). */
export async function renewalByEvent(sql: Sql, eventId: string): Promise<ItemRenewal | undefined> {
  const [row] = await sql.query<RenewalRow>('select * from item_renewals where event_id = $1', [eventId]);
  return row ? toRenewal(row) : undefined;
}

/** An item's renewals, oldest first. */
export async function renewalsOfItem(sql: Sql, kind: ItemKind, id: string): Promise<ItemRenewal[]> {
  const rows = await sql.query<RenewalRow>(
    'select * from item_renewals where kind = $1 and id = $2 order by at, event_id',
    [kind, id],
  );
  return rows.map(toRenewal);
}

/** Ends a live item for good; false when it was already ended (its first ending stands). */
export async function endItem(
  sql: Sql,
  kind: ItemKind,
  id: string,
  reason: ItemEndReason,
  at: string,
): Promise<boolean> {
  const rows = await sql.query(
    `update items set status = 'ended', ended_reason = $3, ended_at = $4, updated_at = $4
     where kind = $1 and id = $2 and status = 'live' returning id`,
    [kind, id, reason, at],
  );
  return rows.length === 1;
}

/**
 * Takes `points` from a live lot; at 0 the lot ends (`used`). The caller checks first that no
 * more is taken than is left (the store refuses a negative balance). Returns the lot after.
 */
export async function usePoints(
  sql: Sql,
  lotId: string,
  points: number,
  at: string,
): Promise<Item | undefined> {
  const [row] = await sql.query<ItemRow>(
    `update items set points_left = points_left - $2,
       status = case when points_left - $2 = 0 then 'ended' else status end,
       ended_reason = case when points_left - $2 = 0 then 'used' else ended_reason end,
       ended_at = case when points_left - $2 = 0 then $3::timestamptz else ended_at end,
       updated_at = $3
     where kind = 'points' and id = $1 and status = 'live' returning *`,
    [lotId, points, at],
  );
  return row ? toItem(row) : undefined;
}

/**
 * What the policy engine needs of an item, for a sequence started for `anchorExpiresOn`: open
 * while the item is live with that same date; settled once it has ended (detail: why) or has
 * been renewed to another date (detail `renewed`: the new date has a sequence of its own).
 */
export function itemSubjectState(item: Item, anchorExpiresOn: string): SubjectState {
  // A renewal comes first: for the sequence of the old date, the item was renewed, whatever
  // became of it afterwards.
  if (item.expiresOn !== anchorExpiresOn) return { id: item.id, condition: 'settled', detail: 'renewed' };
  if (item.status === 'ended')
    return { id: item.id, condition: 'settled', detail: item.endedReason ?? 'ended' };
  return { id: item.id, condition: 'open' };
}
