/** Campaign mail leaves in shared SendGrid requests, each recipient still getting their own message. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutgoingEmail } from '../../channels/channel';
import { ProviderTransientError } from '../../channels/channel';
import { batchingEmailChannel } from '../../channels/email-batcher';
import { createSendgridEmailChannel } from '../../channels/email-sendgrid';
import { memoryOutboxStore, type OutboxStore } from '../../channels/outbox/outbox-store';
import { createOutboxServer, type OutboxServer } from '../../channels/outbox/server';
import { OUTBOX_SENDGRID_KEY, outboxCredentials } from '../../runtime/channels';

const offer = (i: number, batchable = true): OutgoingEmail => ({
  to: `client${i}@example.fr`,
  toName: `Client ${i}`,
  from: { email: 'offres@maison-exemple.fr', name: 'Maison Exemple' },
  subject: `Client ${i}, le printemps arrive`,
  text: `Bonjour Client ${i}, nouvelle collection.`,
  html: `<p>Bonjour Client ${i}, nouvelle collection.</p>`,
  headers: {
    'List-Unsubscribe': `<https://relance.example.com/v1/unsubscribe?token=t${i}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
  idempotencyKey: `campaign/spring/c${i}|offer|email|r0`,
  messageId: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
  categories: ['campaign', 'offer'],
  tracking: { opens: false, clicks: false },
  batchable,
});

describe('campaign email batching', () => {
  let server: OutboxServer;
  let store: OutboxStore;
  let url: string;
  beforeEach(async () => {
    store = memoryOutboxStore();
    server = createOutboxServer({ store, ...outboxCredentials('unused-by-email'), logger: false });
    url = await server.listen(0, '127.0.0.1');
  });
  afterEach(() => server.close());

  const channel = () =>
    batchingEmailChannel(createSendgridEmailChannel({ apiKey: OUTBOX_SENDGRID_KEY, baseUrl: url }), {
      lingerMs: 50,
    });

  it('when thirty campaign emails are sent at once, then they leave in one request, each with its own subject, body and unsubscribe link', async () => {
    const email = channel();
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => email.send(offer(i))));
    expect(results.every((r) => r.kind === 'accepted')).toBe(true);
    const records = await store.list();
    expect(records).toHaveLength(30);
    expect(new Set(records.map((r) => r.id.split('.')[0])).size).toBe(1); // one X-Message-Id: one request
    const seven = records.find((r) => r.to === 'client7@example.fr');
    expect(seven?.subject).toBe('Client 7, le printemps arrive');
    expect(seven?.text).toBe('Bonjour Client 7, nouvelle collection.');
    expect(seven?.html).toBe('<p>Bonjour Client 7, nouvelle collection.</p>');
    expect(seven?.headers['List-Unsubscribe']).toBe('<https://relance.example.com/v1/unsubscribe?token=t7>');
    expect(seven?.idempotencyKey).toBe('campaign/spring/c7|offer|email|r0');
  });

  it('when a transactional email is sent, then it goes alone, at once', async () => {
    const email = channel();
    await Promise.all([email.send(offer(1, false)), email.send(offer(2, false))]);
    const records = await store.list();
    expect(new Set(records.map((r) => r.id.split('.')[0])).size).toBe(2);
  });

  it('when SendGrid answers 429 to the batch, then every message of it is retryable with the provider’s delay', async () => {
    await fetch(`${url}/_outbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'email', responses: [{ status: 429, retryAfter: 30 }] }),
    });
    const email = channel();
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => email.send(offer(i))));
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const reason = outcome.status === 'rejected' ? (outcome.reason as unknown) : undefined;
      expect(reason).toBeInstanceOf(ProviderTransientError);
      expect((reason as ProviderTransientError).retryAfterMs).toBe(30_000);
    }
    expect(await store.list()).toHaveLength(0);
  });
});
