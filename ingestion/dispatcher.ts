/**
 * Delivers accepted events to Temporal, in the order they were accepted: starts an invoice's
 * dunning workflow, signals facts to it. Events wait in the store until Temporal has them, so a
 * Temporal outage or a crash loses nothing; signals carry the event id, so a repeat is harmless.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { OutboxCopies } from '../channels/outbox/outbox-store';
import type { Db, Sql } from '../store/db';
import { providerCopiesOf } from '../store/ledger-provider';
import { deliverPendingBatch } from './dispatch-order';
import { createItemDispatch, isItemEvent } from './item-dispatch';
import type { StoredEvent } from '../store/event-repository';
import { signalCampaignLoop, startCampaignLoop, usesCampaignLoop } from './campaign-dispatch';
import {
  campaignWorkflowId,
  dunningWorkflowId,
  invoiceEventSignal,
  TASK_QUEUE,
  type DunningInput,
  type InvoiceEventSignal,
  type InvoiceSignalOf,
} from '../workflows/messages';
import { invoiceSignalOf, isInvoiceSignalType } from './invoice-signals';
import { contactReplyTask, REPLY_RECEIVED, replyReceivedOf } from './reply-tasks';

export interface Dispatcher {
  /** Delivers everything pending now; resolves when the store has nothing left to deliver (or Temporal failed). */
  drain(): Promise<number>;
  /** Asks for a drain soon (after a commit); never throws. */
  nudge(): void;
  start(pollMs?: number): void;
  stop(): Promise<void>;
}

const BATCH = 200;
/** Starts and signals in flight at once (Temporal answers each in a few ms; in parallel they pipeline). */
const CONCURRENCY = 16;
const DISPATCH_LOCK = 7_265_637;
/** How long one event's delivery may wait for Temporal. */
const DELIVERY_BUDGET_MS = 10_000;

export function createDispatcher(deps: {
  db: Db;
  client: Client;
  logger: Logger;
  now?: () => string;
  /** Deliveries in flight at once (events of one subject still go one after the other). */
  concurrency?: number;
  /**
   * Ask the server to hand a new sequence's first workflow task straight to this process's
   * worker: only for a client on the worker's native connection (the SDK refuses it otherwise).
   */
  eagerStart?: boolean;
  /**
   * Where an erasure's copies at the provider go (`npm start`'s local outbox, which keeps a store
   * of its own): called with the contact's idempotency keys and provider ids until it succeeds.
   */
  eraseProviderCopies?: (copies: OutboxCopies) => Promise<unknown>;
}): Dispatcher {
  const { db, client, logger } = deps;
  const concurrency = deps.concurrency ?? CONCURRENCY;
  const now = deps.now ?? (() => new Date().toISOString());
  let running: Promise<number> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const items = createItemDispatch(client);

  async function deliver(sql: Sql, event: StoredEvent): Promise<void> {
    const data = event.data;
    if (event.type === 'invoice.issued') {
      const input: DunningInput = { invoiceId: String(data.id), contactId: String(data.contactId) };
      try {
        await client.workflow.start('invoiceDunningWorkflowV2', {
          taskQueue: TASK_QUEUE,
          workflowId: dunningWorkflowId(input.invoiceId),
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          ...(deps.eagerStart ? { requestEagerStart: true } : {}),
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
      return;
    }
    if (usesCampaignLoop(event)) return startCampaignLoop(client, event);
    if (event.type.startsWith('campaign.')) return signalCampaignLoop(client, sql, event);
    if (isItemEvent(event.type)) return items.deliver(sql, event);
    if (event.type === REPLY_RECEIVED) return deliverReply(sql, event);
    if (event.type === 'contact.erased' || (event.type === 'contact.do_not_contact' && data.flagged === true))
      await items.toItemsOfContact(sql, event);
    if (event.type === 'contact.erased' && deps.eraseProviderCopies)
      await deps.eraseProviderCopies(await providerCopiesOf(sql, String(data.contactId)));
    if (!isInvoiceSignalType(event.type)) return;
    const signal = invoiceSignalOf({ ...event, type: event.type });
    switch (signal.type) {
      case 'contact.erased':
        return endSequencesOfErased(sql, signal);
      case 'contact.do_not_contact': {
        if (!signal.data.flagged) return;
        // Found by the business ids the workflows are keyed by, as for erasure: a workflow too new
        // to have written its `sequences` row still hears of the flag.
        const rows = await sql.query<{ id: string }>(
          `select id from invoices where contact_id = $1 and status = 'open' order by id`,
          [signal.data.contactId],
        );
        for (const row of rows) await signalQuietly(dunningWorkflowId(row.id), signal);
        return;
      }
      default:
        return signalQuietly(dunningWorkflowId(signal.data.invoiceId), signal);
    }
  }

  /**
   * Erasure ends every sequence of the contact (ingestion already marked the rows it saw `erased`).
   * The workflows are found from the business ids they are keyed by, never from the `sequences`
   * projection, which a new workflow writes only after its first report: each of the contact's
   * invoices has its dunning workflow told, so it closes what it holds. Campaign runs need no
   * word: the erasure closed the contact's waiting run rows in the ledger, and their pages see
   * the contact erased (do-not-contact). A per-contact campaign message started before campaigns
   * ran as runs (`campaign/<campaignId>/<contactId>`) is terminated, as it has nothing to wind
   * down. Finished or never-started ones answer "not found".
   */
  async function endSequencesOfErased(sql: Sql, erased: InvoiceSignalOf<'contact.erased'>): Promise<void> {
    const { contactId } = erased.data; // ids only in Temporal's history
    const invoices = await sql.query<{ id: string }>(
      'select id from invoices where contact_id = $1 order by id',
      [contactId],
    );
    const campaigns = await sql.query<{ id: string }>(
      `select distinct data->>'id' as id from events
       where type = 'campaign.scheduled' and coalesce(data->'contactIds', '[]'::jsonb) ? $1 order by 1`,
      [contactId],
    );
    for (const invoice of invoices) await signalQuietly(dunningWorkflowId(invoice.id), erased);
    for (const campaign of campaigns) {
      try {
        await client.workflow
          .getHandle(campaignWorkflowId(campaign.id, contactId))
          .terminate('contact erased');
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
  }

  /**
   * A customer's reply reaches its invoice's workflow (ids and labels only); a sequence that ended
   * since the reply came leaves it to a contact-level task, so that a person still sees it.
   */
  async function deliverReply(sql: Sql, event: StoredEvent): Promise<void> {
    const reply = replyReceivedOf(event);
    const signal: InvoiceEventSignal = {
      eventId: event.id,
      type: 'reply.received',
      at: event.at,
      data: {
        invoiceId: reply.invoiceId,
        replyId: reply.replyId,
        labels: reply.labels,
        reasonCode: reply.reasonCode,
      },
    };
    try {
      await client.workflow.getHandle(dunningWorkflowId(reply.invoiceId)).signal(invoiceEventSignal, signal);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      await contactReplyTask(sql, { ...reply, at: event.at });
    }
  }

  async function signalQuietly(workflowId: string, signal: InvoiceEventSignal): Promise<void> {
    try {
      await client.workflow.getHandle(workflowId).signal(invoiceEventSignal, signal);
    } catch (error) {
      // A finished sequence needs no more facts; the store already has them.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }

  /**
   * One batch. On PostgreSQL, under a transaction-scoped advisory lock: several processes may run
   * a dispatcher, but one delivers at a time, so events reach Temporal in the order accepted.
   * PGlite is one process with one dispatcher, and a transaction there would hold the whole
   * database while Temporal answers: no lock, no transaction.
   */
  function drainBatch(): Promise<{ delivered: number; more: boolean }> {
    if (db.driver === 'pglite') return deliverBatch(db);
    return db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [DISPATCH_LOCK]);
      return deliverBatch(tx);
    });
  }

  const deliverBatch = (sql: Sql) =>
    deliverPendingBatch(sql, {
      batchSize: BATCH,
      concurrency,
      logger,
      now,
      deliver: (event) => {
        // A bounded wait: Temporal may be down. A campaign is one start now, like any other event
        // (the longer budget served the per-recipient starts of a list campaign).
        return client.withDeadline(Date.now() + DELIVERY_BUDGET_MS, () => deliver(sql, event));
      },
    });

  async function drainOnce(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const batch = await drainBatch();
      delivered += batch.delivered;
      if (!batch.more) return delivered;
    }
  }

  /** One drain at a time; a call during a drain makes it go round once more (nothing waits for a poll). */
  const drain = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let delivered = 0;
      do {
        again = false;
        delivered += await drainOnce();
      } while (again);
      return delivered;
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    drain,
    nudge() {
      drain().catch((error: unknown) => logger.warn({ error: String(error) }, 'dispatch failed; will retry'));
    },
    start(pollMs = 1000) {
      stopped = false;
      const tick = () => {
        if (stopped) return;
        drain()
          .catch((error: unknown) => logger.warn({ error: String(error) }, 'dispatch failed; will retry'))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, pollMs);
          });
      };
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
