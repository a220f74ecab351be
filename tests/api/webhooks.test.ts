import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApi } from '../../api/server';
import { loadConfig } from '../../config/load-config';
import type { RelanceConfig } from '../../config/schema';
import { ingestEvents } from '../../ingestion/ingest-events';
import { outboxTwilioToken, twilioWebhookToken } from '../../runtime/local-services';
import { insertAttempt, updateAttempt } from '../../store/ledger-repository';
import { isSuppressed } from '../../store/suppression-repository';
import { createTestDb, type TestDb } from '../helpers/db';
import { authHeaders, TEST_ADMIN_TOKEN } from '../helpers/api-auth';

const PUBLIC_URL = 'https://relance.test';
const TWILIO_TOKEN = 'twilio-webhook-test-token';
const T0 = Date.parse('2026-03-10T09:00:00Z');
const base = loadConfig();
const EN_HELP = 'Help & support: +44 20 0000 0000 <Mon-Fri>';
const config: RelanceConfig = {
  ...base,
  company: {
    ...base.company,
    publicUrl: PUBLIC_URL,
    sms: { ...base.company.sms, helpReply: { ...base.company.sms.helpReply, 'en-GB': EN_HELP } },
  },
};
const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const sendgridPublicKey = keys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

let testDb: TestDb;
let app: FastifyInstance;
let url: string;
let nowMs: number;

async function ingest(events: unknown[]): Promise<void> {
  await ingestEvents({ db: testDb.db, config }, events, new Date(T0 - 86_400_000).toISOString());
}

async function seedMessage(m: {
  key: string;
  contactId: string;
  channel: 'email' | 'sms';
  to: string;
  providerId: string;
}) {
  const planned = new Date(T0 - 3_600_000).toISOString();
  const row = await insertAttempt(
    testDb.db,
    {
      idempotencyKey: m.key,
      dedupKey: m.key,
      sequenceId: 'invoice-dunning/INV-1',
      sequenceType: 'invoice-dunning',
      step: 'overdue-2',
      channel: m.channel,
      purpose: 'transactional',
      contactId: m.contactId,
      recipient: m.to,
      subjectIds: ['INV-1'],
      template: 'invoice-overdue-2',
      locale: 'fr-FR',
      plannedAt: planned,
    },
    { status: 'sending', decidedAt: planned },
  );
  const provider = m.channel === 'email' ? 'sendgrid' : 'twilio';
  await updateAttempt(
    testDb.db,
    row.id,
    { status: 'sent', sentAt: planned, provider, providerId: m.providerId },
    planned,
  );
  return row.id;
}

const contact = (id: string, email: string, phone: string, locale = 'fr-FR') => ({
  type: 'contact.upserted',
  data: { id, email, phone, locale, timezone: 'Europe/Paris', country: 'FR' },
});
const consent = (contactId: string, channel: string, purpose: string) => ({
  type: 'contact.consent',
  data: { contactId, channel, purpose, granted: true, source: 'signup form' },
});

beforeEach(async () => {
  nowMs = T0;
  testDb = await createTestDb();
  await ingest([
    contact('c1', 'marie@example.com', '+33612345678'),
    contact('c2', 'john@example.co.uk', '+447911123456', 'en-GB'),
    consent('c1', 'email', 'marketing'),
    consent('c1', 'sms', 'marketing'),
    {
      type: 'invoice.issued',
      data: { id: 'INV-1', contactId: 'c1', amount: '120.00', currency: 'EUR', dueDate: '2026-03-04' },
    },
  ]);
  app = await buildApi({
    adminToken: TEST_ADMIN_TOKEN,
    db: testDb.db,
    config,
    logger: false,
    webhooks: {
      twilioAuthToken: TWILIO_TOKEN,
      sendgridPublicKey,
      signingSecret: 'x'.repeat(32),
      now: () => nowMs,
    },
  });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterEach(async () => {
  await app.close();
  await testDb.drop();
});

async function messages(): Promise<{ to: string; deliveryStatus: string | null }[]> {
  const res = await fetch(`${url}/v1/invoices/INV-1`, { headers: authHeaders });
  return ((await res.json()) as { messages: { to: string; deliveryStatus: string | null }[] }).messages;
}

async function consents(contactId: string) {
  const res = await fetch(`${url}/v1/contacts/${contactId}/consents`, { headers: authHeaders });
  const body = (await res.json()) as {
    consents: { channel: string; purpose: string; granted: boolean; source: string; legalBasis: string }[];
  };
  return body.consents;
}

function signSendgrid(body: string, timestamp: string, key: KeyObject = keys.privateKey): string {
  return sign('sha256', Buffer.from(timestamp + body), key).toString('base64');
}

async function postSendgrid(
  events: unknown,
  opts: { tamper?: boolean; timestamp?: string; unsigned?: boolean } = {},
) {
  const body = JSON.stringify(events);
  const timestamp = opts.timestamp ?? String(Math.floor(nowMs / 1000));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!opts.unsigned) {
    headers['X-Twilio-Email-Event-Webhook-Signature'] = signSendgrid(body, timestamp);
    headers['X-Twilio-Email-Event-Webhook-Timestamp'] = timestamp;
  }
  const sent = opts.tamper ? body.replace('delivered', 'bounce') : body;
  const res = await fetch(`${url}/v1/webhooks/sendgrid`, { method: 'POST', headers, body: sent });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const sgEvent = (event: string, extra: Record<string, unknown> = {}) => ({
  email: 'marie@example.com',
  timestamp: Math.floor(T0 / 1000) - 60,
  'smtp-id': '<14c5d75ce93.dfd.64b469@ismtpd-555>',
  event,
  category: ['relance'],
  sg_event_id: `evt-${event}`,
  sg_message_id: 'xMsgId123.filterdrecv-5645d9c87f-abcde-1-5E0B88-1.0',
  ...extra,
});

describe('SendGrid Event Webhook', () => {
  let messageId: string;
  beforeEach(async () => {
    messageId = await seedMessage({
      key: 'inv-1/overdue-2/email',
      contactId: 'c1',
      channel: 'email',
      to: 'marie@example.com',
      providerId: 'xMsgId123',
    });
  });

  it('when a signed delivered event names the message by its custom args, then the invoice shows it delivered', async () => {
    const res = await postSendgrid([
      sgEvent('delivered', { relance_message_id: messageId, relance_key: 'inv-1/overdue-2/email' }),
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 1, applied: 1, unmatched: 0 });
    expect((await messages())[0]?.deliveryStatus).toBe('delivered');
  });

  it('when an event has no custom args, then the sg_message_id prefix finds the message, and a late deferred does not hide delivered', async () => {
    await postSendgrid([sgEvent('delivered'), sgEvent('deferred')]);
    expect((await messages())[0]?.deliveryStatus).toBe('delivered');
  });

  it('when the address hard-bounces, then the message shows bounced and the address is suppressed', async () => {
    const res = await postSendgrid([
      sgEvent('bounce', { type: 'bounce', reason: '550 5.1.1 unknown user', status: '5.1.1' }),
    ]);
    expect(res.body).toMatchObject({ applied: 1, suppressedAddresses: 1 });
    expect((await messages())[0]?.deliveryStatus).toBe('bounced');
    expect(await isSuppressed(testDb.db, 'email', 'Marie@Example.com')).toBe(true);
  });

  it('when the bounce is only a block, then the message shows blocked and the address stays usable', async () => {
    await postSendgrid([sgEvent('bounce', { type: 'blocked', reason: '421 try later' })]);
    expect((await messages())[0]?.deliveryStatus).toBe('blocked');
    expect(await isSuppressed(testDb.db, 'email', 'marie@example.com')).toBe(false);
  });

  it('when the recipient reports spam, then the address is suppressed', async () => {
    await postSendgrid([sgEvent('spamreport')]);
    expect((await messages())[0]?.deliveryStatus).toBe('spam_reported');
    expect(await isSuppressed(testDb.db, 'email', 'marie@example.com')).toBe(true);
  });

  it('when the recipient unsubscribes, then marketing email consent is withdrawn once, even if SendGrid retries', async () => {
    const batch = [sgEvent('unsubscribe', { sg_event_id: 'sg-unsub-1' })];
    expect((await postSendgrid(batch)).body).toMatchObject({ consentsWithdrawn: 1 });
    expect((await postSendgrid(batch)).body).toMatchObject({ consentsWithdrawn: 0 });
    const withdrawals = (await consents('c1')).filter((c) => c.channel === 'email' && !c.granted);
    expect(withdrawals).toEqual([
      expect.objectContaining({
        purpose: 'marketing',
        source: expect.stringContaining('sg-unsub-1') as unknown,
      }),
    ]);
  });

  it('when an event names an unknown message, then the batch still succeeds and reports it', async () => {
    const res = await postSendgrid([
      sgEvent('delivered', { sg_message_id: 'unknown.1', relance_message_id: 'nope' }),
      sgEvent('open'),
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      received: 2,
      unmatched: 1,
      ignored: 1,
      unmatchedEvents: [{ index: 0, event: 'delivered' }],
    });
  });

  it('when the body was altered after signing, then 403 and nothing changes', async () => {
    const res = await postSendgrid([sgEvent('delivered', { type: 'x' })], { tamper: true });
    expect(res.status).toBe(403);
    expect((await messages())[0]?.deliveryStatus).toBeNull();
    expect(await isSuppressed(testDb.db, 'email', 'marie@example.com')).toBe(false);
  });

  it('when the signature headers are missing, then 401', async () => {
    expect((await postSendgrid([sgEvent('delivered')], { unsigned: true })).status).toBe(401);
    expect((await messages())[0]?.deliveryStatus).toBeNull();
  });

  it('when the signed timestamp is older than ten minutes, then 403 as a replay', async () => {
    const res = await postSendgrid([sgEvent('delivered')], {
      timestamp: String(Math.floor(T0 / 1000) - 11 * 60),
    });
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/replay/);
  });

  it('when a signed payload is malformed, then 400 names each offending field', async () => {
    const res = await postSendgrid([{ event: 'delivered' }, { email: 'a@b.c' }]);
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([
      expect.objectContaining({ path: '[0].email' }),
      expect.objectContaining({ path: '[1].event' }),
    ]);
  });

  it('when a signed batch holds text the store cannot keep, then 400 names the field and nothing changes', async () => {
    const res = await postSendgrid([sgEvent('bounce', { type: 'bounce', reason: '550 \u0000 unknown' })]);
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([
      { path: '[0].reason', message: 'text must not contain NUL characters' },
    ]);
    expect(await isSuppressed(testDb.db, 'email', 'marie@example.com')).toBe(false);
  });

  it('when no verification key is configured, then events are refused with 401 naming the setting', async () => {
    const bare = await buildApi({
      adminToken: TEST_ADMIN_TOKEN,
      db: testDb.db,
      config,
      logger: false,
      webhooks: { twilioAuthToken: TWILIO_TOKEN, signingSecret: 'x'.repeat(32) },
    });
    const res = await bare.inject({
      method: 'POST',
      url: '/v1/webhooks/sendgrid',
      headers: { 'content-type': 'application/json' },
      payload: '[]',
    });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('SENDGRID_WEBHOOK_PUBLIC_KEY');
    await bare.close();
  });
});

async function postTwilio(
  path: string,
  params: Record<string, string>,
  opts: { signWith?: Record<string, string>; unsigned?: boolean; token?: string; api?: string } = {},
) {
  const signature = twilio.getExpectedTwilioSignature(
    opts.token ?? TWILIO_TOKEN,
    `${PUBLIC_URL}${path}`,
    opts.signWith ?? params,
  );
  const res = await fetch(`${opts.api ?? url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(opts.unsigned ? {} : { 'X-Twilio-Signature': signature }),
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('Twilio status callback', () => {
  const SID = 'SM0123456789abcdef0123456789abcdef';
  const path = `/v1/webhooks/twilio/status?relance_key=${encodeURIComponent('inv-1/overdue-2/sms')}`;
  const status = (MessageStatus: string, extra: Record<string, string> = {}) => ({
    MessageSid: SID,
    SmsSid: SID,
    MessageStatus,
    To: '+33612345678',
    From: 'MaisonEx',
    AccountSid: `AC${'0'.repeat(32)}`,
    ...extra,
  });
  beforeEach(async () => {
    await seedMessage({
      key: 'inv-1/overdue-2/sms',
      contactId: 'c1',
      channel: 'sms',
      to: '+33612345678',
      providerId: SID,
    });
  });

  it('when Twilio reports delivered, then the invoice shows the SMS delivered', async () => {
    expect((await postTwilio(path, status('delivered'))).status).toBe(200);
    expect((await messages()).find((m) => m.to === '+33612345678')?.deliveryStatus).toBe('delivered');
  });

  it('when a parameter was altered after signing, then 403 and nothing changes; without a signature, 401', async () => {
    expect((await postTwilio(path, status('delivered'), { signWith: status('failed') })).status).toBe(403);
    expect((await postTwilio(path, status('delivered'), { unsigned: true })).status).toBe(401);
    expect((await messages()).find((m) => m.to === '+33612345678')?.deliveryStatus).toBeNull();
  });

  it('when the MessageSid is unknown, then 404 with a clear error', async () => {
    const res = await postTwilio(
      '/v1/webhooks/twilio/status',
      status('delivered', { MessageSid: 'SMunknown' }),
    );
    expect(res.status).toBe(404);
    expect(res.text).toContain('SMunknown');
  });

  it('when the number is unreachable (30005), then the SMS shows undelivered and the number is suppressed', async () => {
    await postTwilio(path, status('undelivered', { ErrorCode: '30005' }));
    expect((await messages()).find((m) => m.to === '+33612345678')?.deliveryStatus).toBe(
      'undelivered (error 30005)',
    );
    expect(await isSuppressed(testDb.db, 'sms', '+33612345678')).toBe(true);
  });
});

describe('Twilio inbound SMS', () => {
  let n = 0;
  const inbound = (From: string, Body: string) => ({
    MessageSid: `SMin${String(++n).padStart(30, '0')}`,
    From,
    To: '+33700000000',
    Body,
    AccountSid: `AC${'0'.repeat(32)}`,
  });
  const path = '/v1/webhooks/twilio/inbound';
  const smsConsents = async (id: string) => (await consents(id)).filter((c) => c.channel === 'sms');

  it('when the contact texts STOP, then both SMS consents are withdrawn with the message as source', async () => {
    const res = await postTwilio(path, inbound('+33612345678', ' stop '));
    expect(res).toMatchObject({ status: 200, type: expect.stringContaining('text/xml') as unknown });
    expect(res.text).toContain('<Response/>');
    const withdrawn = (await smsConsents('c1')).filter((c) => !c.granted);
    expect(withdrawn.map((c) => c.purpose).sort()).toEqual(['marketing', 'transactional']);
    expect(withdrawn[0]?.source).toMatch(/^inbound SMS "stop" from \+33612345678 \(MessageSid SMin\d+\)$/);
  });

  it('when the contact texts "Arrêt", then SMS consent is withdrawn as for STOP', async () => {
    await postTwilio(path, inbound('+33612345678', 'Arrêt'));
    const latest = (await smsConsents('c1')).filter((c) => !c.granted);
    expect(latest).toHaveLength(2);
    expect(latest[0]?.source).toContain('"Arrêt" from +33612345678');
  });

  it.each(['STOP SMS', 'ARRET SMS', 'STOP.', 'Arrêt sms !', 'opt-out', 'STOP ALL', 'Désabonner'])(
    'when the contact texts "%s", then both SMS consents are withdrawn as for STOP',
    async (body) => {
      await postTwilio(path, inbound('+33612345678', body));
      const withdrawn = (await smsConsents('c1')).filter((c) => !c.granted);
      expect(withdrawn.map((c) => c.purpose).sort()).toEqual(['marketing', 'transactional']);
    },
  );

  it('when the contact writes a sentence with "stop" in it, then nothing is withdrawn', async () => {
    await postTwilio(path, inbound('+33612345678', "please don't stop my service"));
    expect((await smsConsents('c1')).every((c) => c.granted)).toBe(true);
  });

  it('when the contact texts START after STOP, then what STOP withdrew comes back', async () => {
    await postTwilio(path, inbound('+33612345678', 'STOP'));
    await postTwilio(path, inbound('+33612345678', 'Start'));
    const history = await smsConsents('c1');
    expect(
      history
        .slice(-2)
        .map((c) => [c.purpose, c.granted])
        .sort(),
    ).toEqual([
      ['marketing', true],
      ['transactional', true],
    ]);
  });

  it('when the contact texts HELP, then Twilio replies with the help text of the contact’s locale, XML-escaped', async () => {
    const res = await postTwilio(path, inbound('+447911123456', 'help'));
    expect(res.text).toContain('<Message>Help &amp; support: +44 20 0000 0000 &lt;Mon-Fri&gt;</Message>');
    const fr = await postTwilio(path, inbound('+33600000000', 'AIDE'));
    expect(fr.text).toContain('Maison Exemple : service clients');
  });

  it('when a signed message holds a NUL, then 400 names the field and consent is unchanged', async () => {
    const res = await postTwilio(path, inbound('+33612345678', 'STOP\u0000'));
    expect(res.status).toBe(400);
    expect(res.text).toContain('"path":"Body"');
    expect((await smsConsents('c1')).every((c) => c.granted)).toBe(true);
  });

  it('when a STOP already applied is delivered again after a START, then it is acknowledged and consent stays granted', async () => {
    const stop = inbound('+33612345678', 'STOP');
    expect((await postTwilio(path, stop)).status).toBe(200);
    expect((await postTwilio(path, inbound('+33612345678', 'START'))).status).toBe(200);
    const before = await smsConsents('c1');
    const replay = await postTwilio(path, stop); // the same signed request, same MessageSid
    expect(replay.status).toBe(200);
    expect(replay.text).toContain('<Response/>');
    const after = await smsConsents('c1');
    expect(after).toEqual(before);
    expect(after.slice(-2).every((c) => c.granted)).toBe(true);
  });

  it('when a START that restored nothing is delivered again after a new STOP, then the STOP holds', async () => {
    const start = inbound('+33612345678', 'START'); // nothing to restore yet: no consent row from it
    expect((await postTwilio(path, start)).status).toBe(200);
    await postTwilio(path, inbound('+33612345678', 'STOP'));
    expect((await postTwilio(path, start)).status).toBe(200);
    const latest = (await smsConsents('c1')).slice(-2);
    expect(latest.map((c) => c.granted)).toEqual([false, false]);
  });

  it('when a STOP from a number nobody had is delivered again once a contact has that number, then it changes nothing', async () => {
    const stop = inbound('+33611111111', 'STOP');
    expect((await postTwilio(path, stop)).status).toBe(200);
    await ingest([contact('c3', 'lea@example.com', '+33611111111'), consent('c3', 'sms', 'marketing')]);
    expect((await postTwilio(path, stop)).status).toBe(200);
    expect((await smsConsents('c3')).every((c) => c.granted)).toBe(true);
  });

  it('when an unknown number texts STOP or a contact writes something else, then 200 with empty TwiML and nothing changes', async () => {
    expect((await postTwilio(path, inbound('+33600000000', 'STOP'))).status).toBe(200);
    const res = await postTwilio(path, inbound('+33612345678', 'Je paie vendredi'));
    expect(res.text).toContain('<Response/>');
    expect((await smsConsents('c1')).every((c) => c.granted)).toBe(true);
  });
});

describe('the secret Twilio webhooks are verified with', () => {
  /** The token every installation shared before: written in the source, so anyone could sign. */
  const OLD_WELL_KNOWN_TOKEN = 'relance-local-outbox-token';
  const path = '/v1/webhooks/twilio/inbound';
  const stop = { MessageSid: `SM${'1'.repeat(32)}`, From: '+33612345678', To: '+33700000000', Body: 'STOP' };
  let dataDir: string;
  let api: FastifyInstance | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'relance-secret-'));
  });
  afterEach(async () => {
    await api?.close();
    api = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });
  const serve = async (twilioAuthToken: string | undefined) => {
    api = await buildApi({
      adminToken: TEST_ADMIN_TOKEN,
      db: testDb.db,
      config,
      logger: false,
      webhooks: { twilioAuthToken, signingSecret: 'x'.repeat(32) },
    });
    return api.listen({ port: 0, host: '127.0.0.1' });
  };
  const smsGranted = async () =>
    (await consents('c1')).filter((c) => c.channel === 'sms').every((c) => c.granted);

  it('when SMS go to the local outbox, then a secret is generated once under the data folder and a STOP signed with the old well-known token is refused', async () => {
    const token = twilioWebhookToken({}, dataDir);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(twilioWebhookToken({}, dataDir)).toBe(token); // the same across restarts
    expect(outboxTwilioToken(dataDir)).toBe(token); // the outbox checks the SMS channel with it
    expect(readFileSync(join(dataDir, 'outbox-twilio-token'), 'utf8')).toBe(token);
    expect(statSync(join(dataDir, 'outbox-twilio-token')).mode & 0o077).toBe(0);
    const base = await serve(token);
    const forged = await postTwilio(path, stop, { token: OLD_WELL_KNOWN_TOKEN, api: base });
    expect(forged.status).toBe(403);
    expect(await smsGranted()).toBe(true);
    expect((await postTwilio(path, stop, { token, api: base })).status).toBe(200);
    expect(await smsGranted()).toBe(false);
  });

  it('when TWILIO_AUTH_TOKEN is set, then it is the secret and nothing is generated', () => {
    expect(twilioWebhookToken({ TWILIO_AUTH_TOKEN: 'real-token' }, dataDir)).toBe('real-token');
    expect(existsSync(join(dataDir, 'outbox-twilio-token'))).toBe(false);
  });

  it('when there is no secret at all, then the webhooks refuse with 503 and change nothing', async () => {
    const base = await serve(twilioWebhookToken({}, undefined));
    const res = await postTwilio(path, stop, { token: OLD_WELL_KNOWN_TOKEN, api: base });
    expect(res.status).toBe(503);
    expect(res.text).toContain('NOT_CONFIGURED');
    const status = await postTwilio(
      '/v1/webhooks/twilio/status',
      { MessageSid: 'SMx', MessageStatus: 'delivered' },
      { api: base },
    );
    expect(status.status).toBe(503);
    expect(await smsGranted()).toBe(true);
  });
});

describe('a provider report that arrives after the contact was erased', () => {
  const SID = 'SM00000000000000000000000000000erz';
  const smsPath = `/v1/webhooks/twilio/status?relance_key=${encodeURIComponent('inv-1/overdue-2/sms')}`;
  const erase = (contactId: string) =>
    fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { ...authHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'contact.erased', data: { contactId, reason: 'DSR-9' } }),
    });
  const suppressions = () =>
    testDb.db.query<{ channel: string; address: string; source: string }>(
      'select channel, address, source from suppressions order by channel, address',
    );
  beforeEach(async () => {
    await seedMessage({
      key: 'inv-1/overdue-2/email',
      contactId: 'c1',
      channel: 'email',
      to: 'marie@example.com',
      providerId: 'xMsgId123',
    });
    await seedMessage({
      key: 'inv-1/overdue-2/sms',
      contactId: 'c1',
      channel: 'sms',
      to: '+33612345678',
      providerId: SID,
    });
    // Suppressed before the erasure: erasure keeps these as hashes.
    await postSendgrid([sgEvent('spamreport', { sg_event_id: 'evt-early' })]);
    expect((await erase('c1')).status).toBe(202);
  });

  it('when a bounce and an SMS failure come in late, then the addresses are kept only as hashes, with sources that do not quote them', async () => {
    const bounce = sgEvent('bounce', {
      type: 'bounce',
      sg_event_id: 'evt-late',
      reason: '550 5.1.1 <Marie@Example.com>: unknown user',
    });
    expect((await postSendgrid([bounce])).status).toBe(200);
    const sms = await postTwilio(smsPath, {
      MessageSid: SID,
      MessageStatus: 'undelivered',
      ErrorCode: '30005',
      To: '+33612345678',
      From: 'MaisonEx',
      AccountSid: `AC${'0'.repeat(32)}`,
    });
    expect(sms.status).toBe(200);
    const rows = await suppressions();
    expect(rows.map((r) => [r.channel, r.address.slice(0, 7)])).toEqual([
      ['email', 'sha256:'],
      ['sms', 'sha256:'],
    ]);
    const text = JSON.stringify(rows).toLowerCase();
    expect(text).not.toContain('marie@example.com');
    expect(text).not.toContain('+33612345678');
    expect(await isSuppressed(testDb.db, 'email', 'marie@example.com')).toBe(true);
    expect(await isSuppressed(testDb.db, 'sms', '+33612345678')).toBe(true);
  });

  it('when a plain row sits beside the hash of the same address, then erasing a later contact with it succeeds and keeps one hash', async () => {
    // As an earlier version stored a late bounce: the plain address beside its hash.
    await testDb.db.query(
      `insert into suppressions (channel, address, reason, source, at)
       values ('email', 'marie@example.com', 'bounce', 'bounce: 550 <marie@example.com>', now())`,
    );
    await ingest([contact('c3', 'marie@example.com', '+33699999999')]);
    expect((await erase('c3')).status).toBe(202);
    const rows = await suppressions();
    expect(rows.filter((r) => r.channel === 'email')).toEqual([
      expect.objectContaining({ address: expect.stringMatching(/^sha256:/) as unknown }),
    ]);
    expect(JSON.stringify(rows)).not.toContain('marie@example.com');
  });
});
