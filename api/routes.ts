/** The HTTP routes of the contract, thin over ingestion and the store. */
import type { FastifyInstance } from 'fastify';
import { ErrorCode, RelanceError } from '../domain/errors';
import { ingestEvents, type IngestDeps } from '../ingestion/ingest-events';
import { listOutbox } from '../channels/outbox/outbox-lookup';
import type { OutboxStore } from '../channels/outbox/outbox-store';
import { outboxListItem } from '../channels/outbox/server';
import { contactRecord } from '../store/contact-export';
import { getContact, listConsents } from '../store/contact-repository';
import { listHandoffs } from '../store/handoff-repository';
import { getInvoice } from '../store/invoice-repository';
import { messagesAbout } from '../store/ledger-repository';
import { getSequence } from '../store/sequence-repository';
import { dunningWorkflowId } from '../workflows/messages';
import { assertMayPostEvents } from './auth';
import { requireJson } from './input-guard';
import { contactExportView, handoffView, invoiceView, messageView, sequenceView } from './views';

export interface RouteDeps extends IngestDeps {
  /**
   * The local outbox the stack runs (its own thread and store), whose messages `GET /v1/outbox`
   * lists after those it recorded in the stack's store before it had one (`earlier`).
   */
  outbox?: { url: string; earlier?: OutboxStore };
  now?: () => string;
}

export function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const now = deps.now ?? (() => new Date().toISOString());
  const { db } = deps;

  app.post(
    '/v1/events',
    { onRequest: requireJson, config: { checksOwnBody: true, access: ['finance', 'marketing'] } },
    async (request, reply) => {
      assertMayPostEvents(request.principal, request.body);
      const result = await ingestEvents(deps, request.body, now());
      return reply.status(202).send(result);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/invoices/:id',
    { config: { access: ['finance', 'agent'] } },
    async (request) => {
      const invoice = await getInvoice(db, request.params.id);
      if (!invoice) throw new RelanceError(ErrorCode.NotFound, `No invoice "${request.params.id}"`);
      const [sequence, messages, handoffs] = await Promise.all([
        getSequence(db, dunningWorkflowId(invoice.id)),
        messagesAbout(db, invoice.id),
        listHandoffs(db, { subjectId: invoice.id }),
      ]);
      return {
        invoice: invoiceView(invoice),
        sequence: sequence ? sequenceView(sequence) : null,
        messages: messages.map(messageView),
        handoffs: handoffs.map(handoffView),
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/contacts/:id/consents',
    { config: { access: ['marketing', 'finance', 'agent'] } },
    async (request) => {
      const contact = await getContact(db, request.params.id);
      if (!contact) throw new RelanceError(ErrorCode.NotFound, `No contact "${request.params.id}"`);
      return {
        contactId: contact.id,
        doNotContact: contact.doNotContact,
        doNotContactReason: contact.doNotContactReason,
        consents: await listConsents(db, contact.id),
      };
    },
  );

  // Right of access: the whole record of a person, for the data protection officer (admin).
  app.get<{ Params: { id: string } }>(
    '/v1/contacts/:id/export',
    { config: { access: ['admin'] } },
    async (request) => {
      const record = await contactRecord(db, request.params.id);
      if (!record) throw new RelanceError(ErrorCode.NotFound, `No contact "${request.params.id}"`);
      return contactExportView(record, now());
    },
  );

  app.get('/v1/outbox', { config: { access: ['admin'] } }, async () => {
    if (!deps.outbox) return { messages: [] };
    const earlier = (await deps.outbox.earlier?.list()) ?? [];
    return { messages: [...earlier.map(outboxListItem), ...(await listOutbox(deps.outbox.url))] };
  });

  app.get('/health', async () => {
    await db.query('select 1');
    return { status: 'ok' };
  });
}
