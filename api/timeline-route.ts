/**
 * GET /v1/contacts/{id}/timeline: what happened with a contact, newest last: messages (with the
 * policy checks that decided each), the customer's replies and their labels, consent changes,
 * events, hand-offs. For agents (and finance and marketing, who answer the same customers).
 */
import type { FastifyInstance } from 'fastify';
import { ErrorCode, invalidInput, RelanceError } from '../domain/errors';
import { newestLast, TIMELINE_LIMITS, timelineLimit } from '../domain/timeline';
import { getContact } from '../store/contact-repository';
import { timelineSources, type TimelineSources } from '../store/contact-timeline';
import type { Sql } from '../store/db';
import { handoffView, messageView } from './views';

const earliest = (a: string, b: string) => (Date.parse(a) <= Date.parse(b) ? a : b);

function entriesOf(s: TimelineSources) {
  return [
    ...s.events.map((e) => ({ at: e.at, kind: 'event' as const, event: e })),
    ...s.consents.map((c) => ({
      // A change counts from its `at`, never later than Relance received it (README, Events).
      at: earliest(c.at, c.receivedAt),
      kind: 'consent' as const,
      consent: c,
    })),
    ...s.messages.map((m) => ({
      at: m.sentAt ?? m.decidedAt ?? m.plannedAt,
      kind: 'message' as const,
      message: messageView(m),
    })),
    ...s.replies.map((r) => ({ at: r.receivedAt, kind: 'reply' as const, reply: r })),
    ...s.handoffs.map((h) => ({ at: h.at, kind: 'handoff' as const, handoff: handoffView(h) })),
  ];
}

export function registerTimelineRoute(app: FastifyInstance, db: Sql): void {
  app.get<{ Params: { id: string }; Querystring: { limit?: string } }>(
    '/v1/contacts/:id/timeline',
    { config: { access: ['agent', 'finance', 'marketing'] } },
    async (request) => {
      const limit = timelineLimit(request.query.limit);
      if (limit === undefined)
        throw invalidInput([{ path: 'query.limit', message: `an integer from 1 to ${TIMELINE_LIMITS.max}` }]);
      const contact = await getContact(db, request.params.id);
      if (!contact) throw new RelanceError(ErrorCode.NotFound, `No contact "${request.params.id}"`);
      const { entries, truncated } = newestLast(
        entriesOf(await timelineSources(db, contact.id, limit)),
        limit,
      );
      return { contactId: contact.id, erasedAt: contact.erasedAt, truncated, entries };
    },
  );
}
