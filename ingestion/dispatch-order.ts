/**
 * In what order stored events must reach Temporal. Events about one subject (an invoice, an
 * item) go one after the other, in the order they were accepted: an invoice's start before its
 * payment's signal. Events about different subjects do not depend on each other, so they go side
 * by side, a bounded number at a time. An event that reaches many subjects at once (a contact's
 * erasure or do-not-contact flag, a campaign) is a barrier: everything accepted before it has
 * gone first, nothing accepted after it goes until it has.
 */
import type { Logger } from 'pino';
import type { Sql } from '../store/db';
import {
  markDispatched,
  markDispatchFailed,
  undispatchedEvents,
  type StoredEvent,
} from '../store/event-repository';
import { itemSubjectOf } from './item-dispatch';
import { isInvoiceSignalType } from './invoice-signals';
import { REPLY_RECEIVED } from './reply-tasks';

/** Events the dispatcher has nothing to tell Temporal about: they wait for nothing. */
const STORE_ONLY = new Set(['contact.upserted', 'contact.consent']);

/** The subject whose events keep their order, or null for a barrier. */
export function orderingKey(event: StoredEvent): string | null {
  const text = (key: string): string | null => {
    const value = event.data[key];
    return typeof value === 'string' && value !== '' ? value : null;
  };
  const invoice = (id: string | null) => (id === null ? null : `invoice:${id}`);
  if (STORE_ONLY.has(event.type)) return `event:${event.id}`;
  if (event.type === 'invoice.issued') return invoice(text('id'));
  if (event.type === REPLY_RECEIVED) return invoice(text('invoiceId'));
  if (isInvoiceSignalType(event.type) && event.type.startsWith('invoice.')) return invoice(text('invoiceId'));
  return itemSubjectOf(event) ?? null;
}

/**
 * Runs `deliver` over `events` (in accepted order) with at most `concurrency` at a time, keeping
 * each subject's events in order and waiting at barriers. `deliver` answers false to stop: events
 * not begun by then are left alone (they stay undispatched, for the next drain in order), and
 * those already begun finish. Resolves when nothing is running any more; rejects then with the
 * first error `deliver` threw (which stops it too).
 */
export async function deliverInOrder(
  events: readonly StoredEvent[],
  concurrency: number,
  deliver: (event: StoredEvent) => Promise<boolean>,
): Promise<void> {
  let stopped = false;
  const running = new Set<Promise<void>>();
  const tails = new Map<string, Promise<void>>();
  let failure: { error: unknown } | undefined;
  const runOne = async (event: StoredEvent) => {
    if (stopped) return;
    try {
      if (!(await deliver(event))) stopped = true;
    } catch (error) {
      stopped = true;
      failure ??= { error };
    }
  };
  for (const event of events) {
    if (stopped) break;
    const key = orderingKey(event);
    if (key === null) {
      await Promise.all(running);
      tails.clear();
      await runOne(event);
      continue;
    }
    while (running.size >= Math.max(1, concurrency)) await Promise.race(running);
    if (stopped) break;
    const previous = tails.get(key) ?? Promise.resolve();
    const task: Promise<void> = previous.then(() => runOne(event));
    tails.set(key, task);
    running.add(task);
    void task.finally(() => {
      running.delete(task);
      if (tails.get(key) === task) tails.delete(key);
    });
  }
  await Promise.all(running);
  if (failure) throw failure.error;
}

const MAX_ATTEMPTS_FOR_BAD_DATA = 5;

/**
 * One batch of the oldest undispatched events, delivered by deliverInOrder: different invoices'
 * starts and signals go to Temporal side by side. A failure stops the batch: what had begun
 * finishes, the rest waits for the next drain, so no subject's later event overtakes one that
 * failed. An event Temporal keeps refusing for something other than connectivity is set aside
 * after its attempts. Delivered events are marked in one statement at the end (a crash before it
 * delivers them again: starts are refused as duplicates, signals carry their event id).
 */
export async function deliverPendingBatch(
  sql: Sql,
  deps: {
    batchSize: number;
    concurrency: number;
    logger: Logger;
    now: () => string;
    deliver: (event: StoredEvent) => Promise<void>;
  },
): Promise<{ delivered: number; more: boolean }> {
  const { logger } = deps;
  const events = await undispatchedEvents(sql, deps.batchSize);
  const done: string[] = [];
  let failed = false;
  const deliverOne = async (event: StoredEvent): Promise<boolean> => {
    try {
      await deps.deliver(event);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await markDispatchFailed(sql, event.id, message);
      if (event.dispatchAttempts + 1 < MAX_ATTEMPTS_FOR_BAD_DATA || isConnectivity(error)) {
        logger.warn({ eventId: event.id, error: message }, 'Temporal unavailable; will retry');
        failed = true;
        return false; // keep order: this subject's later events wait for this one
      }
      logger.error(
        { eventId: event.id, error: message },
        'event could not be delivered to Temporal; set aside',
      );
    }
    done.push(event.id);
    return true;
  };
  try {
    await deliverInOrder(events, deps.concurrency, deliverOne);
  } finally {
    await markDispatched(sql, done, deps.now());
  }
  return { delivered: done.length, more: !failed && events.length === deps.batchSize };
}

function isConnectivity(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /unavailable|ECONNREFUSED|deadline|timed? ?out|connect/i.test(text);
}
