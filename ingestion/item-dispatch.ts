/**
 * The dispatcher's routes for expiring items (contract §4), by kind: the event that starts an
 * item's sequence, the events signalled to it, and the contact events every item sequence of the
 * contact hears. Workflows are found from the business ids they are keyed by (the items table and
 * the event store), never from the `sequences` projection, which a new workflow writes late.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { cardEvents } from '../kinds/card/card-kind';
import { pointsEvents } from '../kinds/points/points-kind';
import { voucherEvents } from '../kinds/voucher/voucher-kind';
import type { Sql } from '../store/db';
import type { StoredEvent } from '../store/event-repository';
import { getItem, type ItemKind } from '../store/item-repository';
import {
  EXPIRY_SEQUENCE_TYPES,
  expiryWorkflowId,
  itemEventSignal,
  TASK_QUEUE,
  type ExpiryInput,
  type ItemEventSignal,
} from '../workflows/messages';

type Route = { kind: ItemKind; action: 'start' } | { kind: ItemKind; action: 'signal'; idField: string };

/** Event type → what it does to an item's sequence, from each kind's own declaration. */
const ROUTES: ReadonlyMap<string, Route> = new Map(
  (
    [
      ['card', cardEvents],
      ['voucher', voucherEvents],
      ['points', pointsEvents],
    ] as const
  ).flatMap(([kind, events]): [string, Route][] => [
    [events.starts.type, { kind, action: 'start' }],
    ...Object.entries(events.signals).map(([type, idField]): [string, Route] => [
      type,
      { kind, action: 'signal', idField },
    ]),
  ]),
);

export const isItemEvent = (type: string): boolean => ROUTES.has(type);

/** The item an item event is about (`card:<id>`), whose events keep their order; undefined for others. */
export function itemSubjectOf(event: StoredEvent): string | undefined {
  const route = ROUTES.get(event.type);
  if (!route) return undefined;
  const id = event.data[route.action === 'start' ? 'id' : route.idField];
  return typeof id === 'string' && id !== '' ? `${route.kind}:${id}` : undefined;
}

/** The typed signal of an item or contact event (data narrowed to what the workflow reads). */
function toSignal(event: StoredEvent): ItemEventSignal | undefined {
  const d = event.data;
  const base = { eventId: event.id, at: event.at };
  switch (event.type) {
    case 'card.renewed':
      return {
        ...base,
        type: event.type,
        data: { cardId: String(d.cardId), expiresOn: String(d.expiresOn) },
      };
    case 'card.removed':
      return { ...base, type: event.type, data: { cardId: String(d.cardId) } };
    case 'voucher.redeemed':
    case 'voucher.cancelled':
      return { ...base, type: event.type, data: { voucherId: String(d.voucherId) } };
    case 'points.used':
      return { ...base, type: event.type, data: { lotId: String(d.lotId), points: Number(d.points) } };
    case 'contact.do_not_contact':
      return {
        ...base,
        type: event.type,
        data: { contactId: String(d.contactId), flagged: d.flagged === true },
      };
    case 'contact.erased':
      return { ...base, type: event.type, data: { contactId: String(d.contactId) } }; // ids only in history
    default:
      return undefined;
  }
}

export function createItemDispatch(client: Client) {
  async function signalQuietly(workflowId: string, signal: ItemEventSignal): Promise<void> {
    try {
      await client.workflow.getHandle(workflowId).signal(itemEventSignal, signal);
    } catch (error) {
      // A finished sequence needs no more facts; the store already has them.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }

  /** Starts the item's sequence for `expiresOn`; a repeat start (after a crash) finds the first. */
  async function start(sql: Sql, kind: ItemKind, itemId: string, expiresOn: string): Promise<void> {
    const item = await getItem(sql, kind, itemId);
    // Refused at ingestion, or ended for good before this start was delivered: nothing to remind of.
    if (!item || (item.status === 'ended' && item.endedReason !== 'expired')) return;
    const sequenceType = EXPIRY_SEQUENCE_TYPES[kind];
    const input: ExpiryInput = { kind, itemId, contactId: item.contactId, expiresOn, sequenceType };
    try {
      await client.workflow.start('expirySequenceWorkflow', {
        taskQueue: TASK_QUEUE,
        workflowId: expiryWorkflowId(sequenceType, itemId, expiresOn),
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  /**
   * A renewal ends the sequences of the card's earlier dates (`renewed`) and starts one for the
   * new date. The earlier dates come from the event store (the items table has the new one):
   * every date the card was registered or renewed to before this event.
   */
  async function renew(sql: Sql, event: StoredEvent, signal: ItemEventSignal): Promise<void> {
    const cardId = String(event.data.cardId);
    const expiresOn = String(event.data.expiresOn);
    const earlier = await sql.query<{ expires_on: string }>(
      `select distinct data->>'expiresOn' as expires_on from events
       where seq < $1 and ((type = 'card.registered' and data->>'id' = $2)
         or (type = 'card.renewed' and data->>'cardId' = $2)) order by 1`,
      [event.seq, cardId],
    );
    for (const { expires_on } of earlier.filter((e) => e.expires_on !== expiresOn))
      await signalQuietly(expiryWorkflowId(EXPIRY_SEQUENCE_TYPES.card, cardId, expires_on), signal);
    await start(sql, 'card', cardId, expiresOn);
  }

  return {
    /** Delivers an item event (isItemEvent said it is one). */
    async deliver(sql: Sql, event: StoredEvent): Promise<void> {
      const route = ROUTES.get(event.type);
      if (!route) return;
      if (route.action === 'start')
        return start(sql, route.kind, String(event.data.id), String(event.data.expiresOn));
      const signal = toSignal(event);
      if (!signal) return;
      if (signal.type === 'card.renewed') return renew(sql, event, signal);
      const itemId = String(event.data[route.idField]);
      const item = await getItem(sql, route.kind, itemId);
      if (!item) return;
      await signalQuietly(
        expiryWorkflowId(EXPIRY_SEQUENCE_TYPES[route.kind], itemId, item.expiresOn),
        signal,
      );
    },

    /**
     * A do-not-contact flag or an erasure reaches each item sequence of the contact, found from the
     * items table (the current date of each item is the date its running sequence counts down to).
     */
    async toItemsOfContact(sql: Sql, event: StoredEvent): Promise<void> {
      const signal = toSignal(event);
      if (!signal) return;
      const live = signal.type === 'contact.do_not_contact';
      const items = await sql.query<{ kind: ItemKind; id: string; expires_on: string }>(
        `select kind, id, expires_on from items where contact_id = $1 ${live ? `and status = 'live'` : ''}
         order by kind, id`,
        [String(event.data.contactId)],
      );
      for (const item of items)
        await signalQuietly(
          expiryWorkflowId(EXPIRY_SEQUENCE_TYPES[item.kind], item.id, item.expires_on),
          signal,
        );
    },
  };
}
