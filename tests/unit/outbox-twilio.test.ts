import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryOutboxStore, type OutboxStore } from '../../channels/outbox/outbox-store';
import { createOutboxServer, type OutboxServer } from '../../channels/outbox/server';
import { countSegments } from '../../templates/sms-segments';
import { TwilioHttpClient } from '../../channels/sms-twilio';

/** Vitest types asymmetric matchers as `any`; these keep them `unknown` for the lint rules. */
const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern);

const ACCOUNT_SID = `AC${'a'.repeat(32)}`;
const AUTH_TOKEN = 'twilio-test-token';
const FROM = '+15005550006';
const MARIE = '+33612345678';
const PAUL = '+33698765432';

let store: OutboxStore;
let outbox: OutboxServer;
let baseUrl: string;
let now: Date;

/** The real SDK, untouched except for the origin its requests go to. */
function sdk(authToken = AUTH_TOKEN): twilio.Twilio {
  return twilio(ACCOUNT_SID, authToken, { httpClient: new TwilioHttpClient({ baseUrl }) });
}

async function rejection(
  promise: Promise<unknown>,
): Promise<{ status: number; code: number; message: string; moreInfo: string }> {
  const error: unknown = await promise.then(
    () => expect.fail('expected Twilio to refuse the request'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(twilio.RestException);
  return error as { status: number; code: number; message: string; moreInfo: string };
}

beforeEach(async () => {
  now = new Date('2026-03-02T08:30:00Z');
  store = memoryOutboxStore();
  outbox = createOutboxServer({
    store,
    sendgridApiKey: 'SG.unused',
    twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN },
    clock: () => now,
  });
  baseUrl = await outbox.listen(0);
});

afterEach(async () => {
  await outbox.close();
});

describe('Twilio Messages in the outbox', () => {
  it('when a valid SMS is created, then the SDK reads back a queued Message resource and the outbox records it with its key', async () => {
    const message = await sdk().messages.create({
      to: MARIE,
      from: FROM,
      body: 'Votre facture INV-1 est due.',
      statusCallback: 'https://relance.test/webhooks/twilio?relance_key=inv-1%2Foverdue-2%2Fsms',
    });

    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message).toMatchObject({
      accountSid: ACCOUNT_SID,
      to: MARIE,
      from: FROM,
      body: 'Votre facture INV-1 est due.',
      status: 'queued',
      numSegments: '1',
      direction: 'outbound-api',
      apiVersion: '2010-04-01',
      dateSent: null,
      uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${message.sid}.json`,
    });
    expect(message.dateCreated).toEqual(now);
    const [record] = await store.list();
    expect(record).toMatchObject({
      id: message.sid,
      channel: 'sms',
      to: MARIE,
      idempotencyKey: 'inv-1/overdue-2/sms',
    });
  });

  it('when the credentials are wrong, then the SDK gets 401 with code 20003', async () => {
    const error = await rejection(sdk('wrong').messages.create({ to: MARIE, from: FROM, body: 'x' }));

    expect(error).toMatchObject({
      status: 401,
      code: 20003,
      message: 'Authenticate',
      moreInfo: 'https://www.twilio.com/docs/errors/20003',
    });
  });

  it.each([
    ['a national number', { to: '0612345678', from: FROM, body: 'x' }, 21211],
    ['the invalid magic number', { to: '+15005550001', from: FROM, body: 'x' }, 21211],
    ['the not-SMS-capable magic number', { to: '+15005550009', from: FROM, body: 'x' }, 21614],
    ['the blocked magic number', { to: '+15005550004', from: FROM, body: 'x' }, 21610],
    ['no sender', { to: MARIE, body: 'x' }, 21603],
    ['no body', { to: MARIE, from: FROM }, 21602],
    ['a body over 1600 characters', { to: MARIE, from: FROM, body: 'x'.repeat(1601) }, 21617],
  ])('when the SMS has %s, then Twilio refuses it (%j) with code %i', async (_what, params, code) => {
    const error = await rejection(sdk().messages.create(params));

    expect(error.status).toBe(400);
    expect(error.code).toBe(code);
    expect(await store.list()).toEqual([]);
  });

  it('when messages were sent, then list({to}) returns them newest first, following pages', async () => {
    const client = sdk();
    for (const [i, to] of [MARIE, PAUL, MARIE, MARIE, MARIE].entries()) {
      now = new Date(Date.UTC(2026, 2, 2 + i, 9));
      await client.messages.create({ to, from: FROM, body: `message ${i}` });
    }

    const all = await client.messages.list({ to: MARIE, pageSize: 2 });
    const recent = await client.messages.list({ to: MARIE, dateSentAfter: new Date('2026-03-05T00:00:00Z') });

    expect(all.map((m) => m.body)).toEqual(['message 4', 'message 3', 'message 2', 'message 0']);
    expect(all.every((m) => m.status === 'sent' && m.dateSent instanceof Date)).toBe(true);
    expect(recent.map((m) => m.body)).toEqual(['message 4', 'message 3']);
  });

  it('when a message is fetched by sid, then the SDK gets it, and an unknown sid is a 404 20404', async () => {
    const client = sdk();
    const created = await client.messages.create({ to: MARIE, from: FROM, body: 'hello' });

    const fetched = await client.messages(created.sid).fetch();
    const missing = await rejection(client.messages(`SM${'0'.repeat(32)}`).fetch());

    expect(fetched).toMatchObject({ sid: created.sid, body: 'hello', to: MARIE });
    expect(missing).toMatchObject({ status: 404, code: 20404 });
  });

  it('when faults are scripted, then they are consumed one per request, in order, before validation', async () => {
    await fetch(`${baseUrl}/_outbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'sms', responses: [{ status: 429, retryAfter: 3 }, { status: 500 }] }),
    });
    const client = sdk();

    const first = await rejection(client.messages.create({ to: MARIE, from: FROM, body: 'x' }));
    const second = await rejection(client.messages.create({ to: MARIE, from: FROM, body: 'x' }));
    const third = await client.messages.create({ to: MARIE, from: FROM, body: 'x' });

    expect([first.status, first.code, second.status, second.code]).toEqual([429, 20429, 500, 20500]);
    expect(third.status).toBe('queued');
    expect(await store.list()).toHaveLength(1);
  });

  it('when the SDK sends the request, then it is form-encoded and lists the outbox messages in the contract shape', async () => {
    await sdk().messages.create({ to: MARIE, from: FROM, body: 'Montant dû : 1 250,00 €' });

    const list = (await (await fetch(`${baseUrl}/_outbox/messages`)).json()) as { messages: unknown[] };

    expect(list.messages).toEqual([
      {
        id: matching(/^SM/),
        channel: 'sms',
        to: MARIE,
        text: 'Montant dû : 1 250,00 €',
        receivedAt: now.toISOString(),
      },
    ]);
  });
});

describe('SMS segment counting', () => {
  it.each([
    ['160 GSM-7 characters', 'a'.repeat(160), 1],
    ['161 GSM-7 characters', 'a'.repeat(161), 2],
    ['306 GSM-7 characters', 'a'.repeat(306), 2],
    ['80 euro signs (two septets each)', '€'.repeat(80), 1],
    ['81 euro signs', '€'.repeat(81), 2],
    ['70 UCS-2 characters', 'ř'.repeat(70), 1],
    ['71 UCS-2 characters', 'ř'.repeat(71), 2],
    ['an emoji among GSM text', `${'a'.repeat(68)}🙂`, 1],
  ])('when the body is %s, then it costs the carrier segments Twilio bills', (_what, body, segments) => {
    expect(countSegments(body).segments).toBe(segments);
  });
});
