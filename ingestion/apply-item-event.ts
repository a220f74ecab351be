/**
 * What the events about cards, vouchers and lots of points (contract §4) do to the store, checked
 * against what it holds, earlier events of the same batch included (they ran in this transaction).
 * A registration sent again is accepted when identical and refused when it differs; an event about
 * an item already ended (redeemed twice, removed then renewed) is acknowledged and changes nothing.
 */
import type { RelanceEvent } from '../domain/events';
import { isItemEventType, lastDayOfMonth, type ItemEventType } from '../domain/item-events';
import { toMinor } from '../domain/money';
import type { Sql } from '../store/db';
import {
  endItem,
  getItem,
  insertItem,
  lockItem,
  renewItem,
  usePoints,
  type Item,
  type ItemKind,
} from '../store/item-repository';
import type { ApplyContext } from './apply-event';
import { liveContact } from './erasure';

export type ItemEvent = Extract<RelanceEvent, { type: ItemEventType }>;
type Issue = (field: string, message: string) => undefined;
export const isItemEvent = (event: RelanceEvent): event is ItemEvent => isItemEventType(event.type);
type Registration = Extract<ItemEvent, { type: 'card.registered' | 'voucher.issued' | 'points.credited' }>;

/** The default schedule of each kind (contract §4); `schedule` in the event overrides it. */
export function defaultItemSchedule(kind: ItemKind, cardKind: Item['cardKind']): string {
  if (kind === 'card') return cardKind === 'payment' ? 'payment-card-expiry' : 'loyalty-card-expiry';
  return kind === 'voucher' ? 'voucher-expiry' : 'points-expiry';
}

const NOUN: Record<ItemKind, string> = { card: 'card', voucher: 'voucher', points: 'lot of points' };

export async function applyItemEvent(event: ItemEvent, ctx: ApplyContext, issue: Issue) {
  switch (event.type) {
    case 'card.registered':
    case 'voucher.issued':
    case 'points.credited':
      return register(event, ctx, issue);
    case 'card.renewed':
      return renewCard(event.data, ctx, issue);
    case 'card.removed':
      return endLive('card', 'cardId', event.data.cardId, 'cancelled', ctx, issue);
    case 'voucher.redeemed':
      return endLive('voucher', 'voucherId', event.data.voucherId, 'redeemed', ctx, issue);
    case 'voucher.cancelled':
      return endLive('voucher', 'voucherId', event.data.voucherId, 'cancelled', ctx, issue);
    case 'points.used':
      return takePoints(event.data, ctx, issue);
  }
}

function newItem(event: Registration, scheduleId: string): Parameters<typeof insertItem>[1] {
  const base = {
    id: event.data.id,
    contactId: event.data.contactId,
    expiresOn: event.data.expiresOn,
    scheduleId,
  };
  const none = {
    cardKind: null,
    code: null,
    valueMinor: null,
    currency: null,
    pointsInitial: null,
    url: null,
  };
  switch (event.type) {
    case 'card.registered': {
      const d = event.data;
      return { ...base, ...none, kind: 'card', cardKind: d.kind, label: d.label, url: d.renewUrl ?? null };
    }
    case 'voucher.issued': {
      const d = event.data;
      const value = d.value !== undefined && d.currency !== undefined ? toMinor(d.value, d.currency) : null;
      return {
        ...base,
        ...none,
        kind: 'voucher',
        label: d.label,
        code: d.code,
        valueMinor: value,
        currency: value === null ? null : (d.currency ?? null),
        url: d.useUrl ?? null,
      };
    }
    case 'points.credited':
      return {
        ...base,
        ...none,
        kind: 'points',
        label: event.data.label ?? '',
        pointsInitial: event.data.points,
      };
  }
}

async function register(event: Registration, ctx: ApplyContext, issue: Issue): Promise<string | undefined> {
  const d = event.data;
  const contact = await liveContact(ctx.tx, d.contactId, issue);
  const item = newItem(event, '');
  const scheduleId = d.schedule ?? defaultItemSchedule(item.kind, item.cardKind);
  // A schedule named in the event must exist; a kind's default is the configuration's to provide.
  if (d.schedule !== undefined && !Object.hasOwn(ctx.config.schedules, d.schedule))
    return issue(
      'schedule',
      `unknown schedule "${d.schedule}"; configured: ${Object.keys(ctx.config.schedules).join(', ')}`,
    );
  if (!contact) return undefined;
  const existing = await getItem(ctx.tx, item.kind, d.id);
  if (existing) return registeredAgain(event, existing, ctx, issue);
  if (await insertItem(ctx.tx, { ...item, scheduleId }, ctx.at)) return undefined;
  // Registered meanwhile by a batch committed while this one waited on the key: compare with it.
  const winner = await getItem(ctx.tx, item.kind, d.id);
  return winner ? registeredAgain(event, winner, ctx, issue) : undefined;
}

/** The same registration again is harmless; another one under the same id is a conflict. */
async function registeredAgain(
  event: Registration,
  existing: Item,
  ctx: ApplyContext,
  issue: Issue,
): Promise<string | undefined> {
  const first = await firstRegistration(ctx.tx, event.type, event.data.id, ctx.eventId);
  const noun = NOUN[existing.kind];
  const given = event.data as Record<string, unknown>;
  const fields = first
    ? [...new Set([...Object.keys(first), ...Object.keys(given)])].filter(
        (key) => canonical(first[key]) !== canonical(given[key]),
      )
    : ['id'];
  if (fields.length === 0)
    return `${noun} ${existing.id} was already registered: its sequence is not started twice`;
  for (const field of fields.sort())
    issue(
      field,
      `${noun} "${existing.id}" is already registered with another ${field}: a registration sent again must be identical` +
        (existing.kind === 'card' && field === 'expiresOn' ? ' (a new date is a card.renewed)' : ''),
    );
  return undefined;
}

async function firstRegistration(
  sql: Sql,
  type: string,
  itemId: string,
  currentEventId: string,
): Promise<Record<string, unknown> | undefined> {
  const [row] = await sql.query<{ data: Record<string, unknown> }>(
    `select data from events where type = $1 and data->>'id' = $2 and id <> $3 order by seq limit 1`,
    [type, itemId, currentEventId],
  );
  return row?.data;
}

/** JSON with sorted keys: two data objects are the same content whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}

const endedNote = (item: Item, what: string) =>
  `${NOUN[item.kind]} ${item.id} has already ended (${item.endedReason ?? 'ended'}): ${what} changes nothing`;

async function renewCard(
  d: Extract<ItemEvent, { type: 'card.renewed' }>['data'],
  ctx: ApplyContext,
  issue: Issue,
): Promise<string | undefined> {
  const card = await lockItem(ctx.tx, 'card', d.cardId);
  if (!card) return issue('cardId', `unknown card "${d.cardId}": send card.registered first`);
  // A card that lapsed may still be renewed (the "expired" reminder asks for just that).
  if (card.status === 'ended' && card.endedReason !== 'expired') return endedNote(card, 'the renewal');
  if (d.expiresOn === card.expiresOn) return `card ${card.id} already expires on ${card.expiresOn}`;
  if (d.expiresOn < card.expiresOn)
    return issue('expiresOn', `expected a date after the card's current expiry (${card.expiresOn})`);
  const last = lastDayOfMonth(d.expiresOn);
  if (card.cardKind === 'payment' && d.expiresOn !== last)
    return issue('expiresOn', `expected the last day of the payment card's expiry month (${last})`);
  await renewItem(
    ctx.tx,
    { kind: 'card', id: card.id, expiresOn: d.expiresOn, eventId: ctx.eventId },
    ctx.at,
  );
  return undefined;
}

async function endLive(
  kind: ItemKind,
  field: string,
  itemId: string,
  reason: 'cancelled' | 'redeemed',
  ctx: ApplyContext,
  issue: Issue,
): Promise<string | undefined> {
  const item = await lockItem(ctx.tx, kind, itemId);
  if (!item) return issue(field, `unknown ${NOUN[kind]} "${itemId}"`);
  if (item.status === 'ended') return endedNote(item, `being ${reason}`);
  await endItem(ctx.tx, kind, itemId, reason, ctx.at);
  return undefined;
}

async function takePoints(
  d: Extract<ItemEvent, { type: 'points.used' }>['data'],
  ctx: ApplyContext,
  issue: Issue,
): Promise<string | undefined> {
  const lot = await lockItem(ctx.tx, 'points', d.lotId);
  if (!lot) return issue('lotId', `unknown lot of points "${d.lotId}": send points.credited first`);
  if (lot.status === 'ended') return endedNote(lot, 'using points');
  const left = lot.pointsLeft ?? 0;
  if (d.points > left)
    return issue('points', `expected at most ${left} points: what lot "${lot.id}" has left`);
  await usePoints(ctx.tx, lot.id, d.points, ctx.at);
  return undefined;
}
