import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  certainlyNotReceived,
  ProviderAnsweredError,
  ProviderCredentialsError,
  ProviderOutcomeUnknownError,
  ProviderTransientError,
  ProviderUnreachableError,
  type OutgoingEmail,
  type OutgoingSms,
} from '../../channels/channel';
import {
  batchTag,
  createSendgridEmailChannel,
  type BatchRecipient,
  type EmailBatch,
} from '../../channels/email-sendgrid';
import { memoryOutboxStore, type OutboxStore } from '../../channels/outbox/outbox-store';
import { createOutboxServer, type OutboxServer } from '../../channels/outbox/server';
import { createTwilioSmsChannel } from '../../channels/sms-twilio';

/** Vitest types asymmetric matchers as `any`; these keep them `unknown` for the lint rules. */
const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern);
const containing = (text: string): unknown => expect.stringContaining(text);

const API_KEY = 'SG.channel-test-key';
const TWILIO = { accountSid: `AC${'b'.repeat(32)}`, authToken: 'channel-token' };
const MARIE_PHONE = '+33612345678';

let store: OutboxStore;
let outbox: OutboxServer;
let baseUrl: string;

beforeEach(async () => {
  store = memoryOutboxStore();
  outbox = createOutboxServer({ store, sendgridApiKey: API_KEY, twilio: TWILIO });
  baseUrl = await outbox.listen(0);
});

afterEach(async () => {
  await outbox.close();
});

async function scriptFaults(script: object): Promise<void> {
  const res = await fetch(`${baseUrl}/_outbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(script),
  });
  expect(res.status).toBe(201);
}

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the send to throw'),
    (e: unknown) => e,
  );
}

const email = (overrides: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  to: 'marie@example.com',
  toName: 'Marie Curie',
  from: { email: 'billing@relance.test', name: 'Relance Billing' },
  replyTo: 'help@relance.test',
  subject: 'Facture INV-1',
  text: 'Merci de régler INV-1.',
  html: '<p>Merci de régler INV-1.</p>',
  headers: { 'X-Relance-Step': 'overdue-1' },
  idempotencyKey: 'inv-1/overdue-1/email',
  messageId: 'msg-1',
  categories: ['dunning'],
  ...overrides,
});

const sms = (overrides: Partial<OutgoingSms> = {}): OutgoingSms => ({
  to: MARIE_PHONE,
  from: '+15005550006',
  body: 'Facture INV-1 en retard.',
  idempotencyKey: 'inv-1/overdue-2/sms',
  messageId: 'msg-2',
  statusCallback: 'https://relance.test/webhooks/twilio',
  ...overrides,
});

describe('SendGrid email channel', () => {
  it('when an email is accepted, then the provider id is the X-Message-Id and the request carries key, ids and tracking off', async () => {
    const channel = createSendgridEmailChannel({ apiKey: API_KEY, baseUrl });

    const result = await channel.send(email());

    expect(result).toEqual({
      kind: 'accepted',
      provider: 'sendgrid',
      providerId: matching(/^[\w-]{22}$/),
    });
    const [record] = await store.list();
    expect(record).toMatchObject({
      to: 'marie@example.com',
      subject: 'Facture INV-1',
      text: 'Merci de régler INV-1.',
      idempotencyKey: 'inv-1/overdue-1/email',
    });
    expect(record?.payload).toMatchObject({
      reply_to: { email: 'help@relance.test' },
      categories: ['dunning'],
      headers: { 'X-Relance-Step': 'overdue-1' },
      personalizations: [
        {
          to: [{ email: 'marie@example.com', name: 'Marie Curie' }],
          custom_args: { relance_key: 'inv-1/overdue-1/email', relance_message_id: 'msg-1' },
        },
      ],
      tracking_settings: {
        click_tracking: { enable: false, enable_text: false },
        open_tracking: { enable: false },
        subscription_tracking: { enable: false },
      },
    });
  });

  it('when SendGrid answers 429 with Retry-After, then the send throws a transient error that waits that long', async () => {
    await scriptFaults({ channel: 'email', responses: [{ status: 429, retryAfter: 7 }] });
    const channel = createSendgridEmailChannel({ apiKey: API_KEY, baseUrl });

    const error = await thrown(channel.send(email()));

    expect(error).toBeInstanceOf(ProviderAnsweredError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 7000 });
    expect(certainlyNotReceived(error)).toBe(true);
  });

  it('when SendGrid fails with a 500 once, then the retry goes through and exactly one email is recorded', async () => {
    await scriptFaults({ channel: 'email', responses: [{ status: 500 }] });
    const channel = createSendgridEmailChannel({ apiKey: API_KEY, baseUrl });

    const first = await thrown(channel.send(email()));
    const second = await channel.send(email());

    expect(first).toBeInstanceOf(ProviderTransientError);
    expect(second.kind).toBe('accepted');
    expect(await store.list()).toHaveLength(1);
  });

  it('when the recipient address is malformed, then the email is rejected as an invalid address', async () => {
    const channel = createSendgridEmailChannel({ apiKey: API_KEY, baseUrl });

    const result = await channel.send(email({ to: 'marie@@example' }));

    expect(result).toEqual({
      kind: 'rejected',
      reason: 'invalid_address',
      detail: containing('personalizations.0.to.0.email'),
    });
  });

  it('when the sender address is malformed, then the email is rejected by the provider, not blamed on the recipient', async () => {
    const channel = createSendgridEmailChannel({ apiKey: API_KEY, baseUrl });

    const result = await channel.send(email({ from: { email: 'billing', name: 'x' } }));

    expect(result).toMatchObject({
      kind: 'rejected',
      reason: 'provider_rejected',
      detail: containing('from.email'),
    });
  });

  it('when the API key is wrong, then the send throws a plain error an operator must act on', async () => {
    const channel = createSendgridEmailChannel({ apiKey: 'SG.revoked', baseUrl });

    const error = await thrown(channel.send(email()));

    expect(error).toBeInstanceOf(ProviderCredentialsError);
    expect(error).not.toBeInstanceOf(ProviderTransientError);
    expect((error as Error).message).toContain('401');
    expect(certainlyNotReceived(error)).toBe(true);
  });

  it('when the provider cannot be reached, then the send throws a transient error saying nothing left', async () => {
    const channel = createSendgridEmailChannel({ apiKey: API_KEY, baseUrl });
    await outbox.close();

    const error = await thrown(channel.send(email()));
    expect(error).toBeInstanceOf(ProviderUnreachableError);
    expect(certainlyNotReceived(error)).toBe(true);
  });

  it('when the connection is cut before the answer, then the outcome is unknown and nothing is recorded', async () => {
    await scriptFaults({ channel: 'email', responses: [{ cut: true }] });
    const channel = createSendgridEmailChannel({ apiKey: API_KEY, baseUrl });

    const error = await thrown(channel.send(email()));
    expect(error).toBeInstanceOf(ProviderOutcomeUnknownError);
    expect(certainlyNotReceived(error)).toBe(false);
    expect(await store.list()).toHaveLength(0);
  });

  it('when a send is confirmed by its key, then the outbox answers its X-Message-Id; real SendGrid cannot tell', async () => {
    const channel = createSendgridEmailChannel({ apiKey: API_KEY, baseUrl });
    const sent = await channel.send(email());

    expect(await channel.confirm('inv-1/overdue-1/email', 'marie@example.com')).toBe(
      sent.kind === 'accepted' ? sent.providerId : 'unreachable',
    );
    expect(await channel.confirm('never-sent', 'marie@example.com')).toBeNull();
    expect(
      await createSendgridEmailChannel({ apiKey: API_KEY }).confirm(
        'inv-1/overdue-1/email',
        'marie@example.com',
      ),
    ).toBeUndefined();
  });
});

describe('SendGrid campaign batches', () => {
  const recipients = (count: number): BatchRecipient[] =>
    Array.from({ length: count }, (_, i) => ({
      to: `client${i}@example.com`,
      substitutions: { name: `Client ${i}` },
      idempotencyKey: `campaign-1/${i}`,
      messageId: `m-${i}`,
    }));
  const batch = (list: BatchRecipient[]): EmailBatch => ({
    from: { email: 'offers@relance.test', name: 'Relance' },
    subject: `Une offre pour ${batchTag('name')}`,
    text: `Bonjour ${batchTag('name')}, voici votre offre.`,
    html: `<p>Bonjour ${batchTag('name')}</p>`,
    recipients: list,
  });

  it('when 1500 recipients are sent, then two requests carry them and each recipient reads their own copy', async () => {
    const channel = createSendgridEmailChannel({ apiKey: API_KEY, baseUrl });

    const results = await channel.sendBatch(batch(recipients(1500)));

    const records = await store.list();
    expect(results.every((r) => r.kind === 'accepted')).toBe(true);
    expect(records).toHaveLength(1500);
    expect(new Set(records.map((r) => r.id.split('.')[0])).size).toBe(2);
    expect(records[1234]).toMatchObject({
      to: 'client1234@example.com',
      subject: 'Une offre pour Client 1234',
      idempotencyKey: 'campaign-1/1234',
    });
  });

  it('when one address in a chunk is malformed, then only that recipient is rejected and the others are sent', async () => {
    const list = recipients(3);
    list[1] = { ...list[1]!, to: 'broken@' };
    const channel = createSendgridEmailChannel({ apiKey: API_KEY, baseUrl });

    const results = await channel.sendBatch(batch(list));

    expect(results.map((r) => (r.kind === 'rejected' ? r.reason : r.kind))).toEqual([
      'accepted',
      'invalid_address',
      'accepted',
    ]);
    expect((await store.list()).map((r) => r.to)).toEqual(['client0@example.com', 'client2@example.com']);
  });

  it('when the second chunk is rate limited, then the first stays accepted and the rest are marked for retry', async () => {
    await scriptFaults({
      channel: 'email',
      to: 'client1000@example.com',
      responses: [{ status: 429, retryAfter: 30 }],
    });
    const channel = createSendgridEmailChannel({ apiKey: API_KEY, baseUrl });

    const results = await channel.sendBatch(batch(recipients(1200)));

    expect(results.slice(0, 1000).every((r) => r.kind === 'accepted')).toBe(true);
    expect(results.slice(1000).every((r) => r.kind === 'retry' && r.retryAfterMs === 30_000)).toBe(true);
    expect(await store.list()).toHaveLength(1000);
  });
});

describe('Twilio SMS channel', () => {
  it('when an SMS is accepted, then the provider id is the SM sid and the key travels in the status callback', async () => {
    const channel = createTwilioSmsChannel({ ...TWILIO, baseUrl });

    const result = await channel.send(sms());

    expect(result).toEqual({
      kind: 'accepted',
      provider: 'twilio',
      providerId: matching(/^SM[0-9a-f]{32}$/),
    });
    const [record] = await store.list();
    expect(record).toMatchObject({
      to: MARIE_PHONE,
      text: 'Facture INV-1 en retard.',
      idempotencyKey: 'inv-1/overdue-2/sms',
    });
    expect(record?.payload).toMatchObject({
      StatusCallback: 'https://relance.test/webhooks/twilio?relance_key=inv-1%2Foverdue-2%2Fsms',
    });
  });

  it.each([
    ['+15005550009', 'invalid_address'],
    ['+15005550001', 'invalid_address'],
    ['+15005550004', 'invalid_address'],
    ['+15005550002', 'provider_rejected'],
  ])('when Twilio refuses the number %s, then the SMS is rejected as %s', async (to, reason) => {
    const channel = createTwilioSmsChannel({ ...TWILIO, baseUrl });

    expect(await channel.send(sms({ to }))).toMatchObject({ kind: 'rejected', reason });
  });

  it('when Twilio answers 429 with Retry-After, then the send throws a transient error that waits that long', async () => {
    await scriptFaults({ channel: 'sms', to: MARIE_PHONE, responses: [{ status: 429, retryAfter: 3 }] });
    const channel = createTwilioSmsChannel({ ...TWILIO, baseUrl });

    const error = await thrown(channel.send(sms()));

    expect(error).toBeInstanceOf(ProviderAnsweredError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 3000 });
    expect(certainlyNotReceived(error)).toBe(true);
  });

  it('when the connection is cut before the answer, then the outcome is unknown', async () => {
    await scriptFaults({ channel: 'sms', responses: [{ cut: true }] });
    const channel = createTwilioSmsChannel({ ...TWILIO, baseUrl });

    const error = await thrown(channel.send(sms()));
    expect(error).toBeInstanceOf(ProviderOutcomeUnknownError);
    expect(certainlyNotReceived(error)).toBe(false);
    expect(await store.list()).toHaveLength(0);
  });

  it('when Twilio fails with a 500 once, then the retry goes through', async () => {
    await scriptFaults({ channel: 'sms', responses: [{ status: 503 }] });
    const channel = createTwilioSmsChannel({ ...TWILIO, baseUrl });

    expect(await thrown(channel.send(sms()))).toBeInstanceOf(ProviderTransientError);
    expect((await channel.send(sms())).kind).toBe('accepted');
  });

  it('when the credentials are wrong, then the send throws a plain error an operator must act on', async () => {
    const channel = createTwilioSmsChannel({ ...TWILIO, authToken: 'wrong', baseUrl });

    const error = await thrown(channel.send(sms()));

    expect(error).toBeInstanceOf(ProviderCredentialsError);
    expect((error as Error).message).toContain('20003');
  });

  it('when a send is confirmed through the outbox, then the key finds its sid and an unknown key finds nothing', async () => {
    const channel = createTwilioSmsChannel({ ...TWILIO, baseUrl });
    const sent = await channel.send(sms());

    expect(await channel.confirm('inv-1/overdue-2/sms', MARIE_PHONE)).toBe(
      sent.kind === 'accepted' ? sent.providerId : 'unreachable',
    );
    expect(await channel.confirm('never-sent', MARIE_PHONE)).toBeNull();
  });

  it('when confirming by recent messages, then a recent SMS to the number means "cannot tell" and none means "not sent"', async () => {
    const channel = createTwilioSmsChannel({
      ...TWILIO,
      baseUrl,
      confirmVia: 'recent-messages',
      confirmWindowMs: 60_000,
    });
    await channel.send(sms());

    expect(await channel.confirm('any-key', MARIE_PHONE)).toBeUndefined();
    expect(await channel.confirm('any-key', '+33698765432')).toBeNull();
  });

  it('when the last retry asks 47 hours after the first attempt, then an SMS of that attempt still counts', async () => {
    const sender = createTwilioSmsChannel({ ...TWILIO, baseUrl });
    await sender.send(sms());
    const later = createTwilioSmsChannel({
      ...TWILIO,
      baseUrl,
      confirmVia: 'recent-messages',
      clock: () => new Date(Date.now() + 47 * 60 * 60 * 1000), // within the 2-day retry window
    });

    expect(await later.confirm('any-key', MARIE_PHONE)).toBeUndefined(); // "cannot tell": not resent
  });
});
