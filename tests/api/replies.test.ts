/**
 * Customers' replies: an email through SendGrid Inbound Parse (multipart, basic credentials in the
 * URL) and a free-text SMS through Twilio join the contact's timeline with their labels; the
 * timeline lists what happened, newest last, for the roles that answer customers.
 */
import type { FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config';
import type { RelanceConfig } from '../../config/schema';
import { ingestEvents } from '../../ingestion/ingest-events';
import { insertAttempt, updateAttempt } from '../../store/ledger-repository';
import { authHeaders, buildTestApi } from '../helpers/api-auth';
import { createTestDb, type TestDb } from '../helpers/db';

const PUBLIC_URL = 'https://relance.test';
const TWILIO_TOKEN = 'twilio-webhook-test-token';
const INBOUND_SECRET = 'inbound-secret-for-tests-0123456789';
const T0 = Date.parse('2026-05-04T09:00:00Z');
const base = loadConfig();
const config: RelanceConfig = { ...base, company: { ...base.company, publicUrl: PUBLIC_URL } };
const INBOUND = '/v1/webhooks/sendgrid/inbound';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let testDb: TestDb;
let app: FastifyInstance;
let url: string;

beforeEach(async () => {
  testDb = await createTestDb();
  await ingestEvents(
    { db: testDb.db, config },
    [
      {
        type: 'contact.upserted',
        at: '2026-04-01T08:00:00Z',
        data: {
          id: 'c1',
          email: 'Marie@Example.com',
          phone: '+33612345678',
          locale: 'fr-FR',
          timezone: 'Europe/Paris',
        },
      },
      {
        type: 'contact.upserted',
        at: '2026-04-01T08:00:00Z',
        data: { id: 'c2', email: 'john@example.co.uk', locale: 'en-GB', timezone: 'Europe/London' },
      },
      {
        type: 'invoice.issued',
        at: '2026-04-02T08:00:00Z',
        data: { id: 'INV-1', contactId: 'c1', amount: '120.00', currency: 'EUR', dueDate: '2026-04-30' },
      },
      {
        type: 'contact.consent',
        at: '2026-04-03T08:00:00Z',
        data: { contactId: 'c1', channel: 'sms', purpose: 'marketing', granted: true, source: 'signup form' },
      },
    ],
    new Date(T0 - 3_600_000).toISOString(),
  );
  app = await buildTestApi(testDb.db, {
    config,
    logger: false,
    webhooks: {
      twilioAuthToken: TWILIO_TOKEN,
      sendgridInboundSecret: INBOUND_SECRET,
      signingSecret: 'x'.repeat(32),
      now: () => T0,
    },
  });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterEach(async () => {
  await app.close();
  await testDb.drop();
});

/** Our reminder, as the ledger records it once SendGrid accepted it under `providerId`. */
async function sentEmail(contactId: string, to: string, providerId: string, key: string): Promise<string> {
  const at = new Date(T0 - 86_400_000).toISOString();
  const row = await insertAttempt(
    testDb.db,
    {
      idempotencyKey: key,
      dedupKey: key,
      sequenceId: 'invoice-dunning/INV-1',
      sequenceType: 'invoice-dunning',
      step: 'overdue-1',
      channel: 'email',
      purpose: 'transactional',
      contactId,
      recipient: to,
      subjectIds: ['INV-1'],
      template: 'invoice-overdue-1',
      locale: 'fr-FR',
      plannedAt: at,
    },
    { status: 'sending', decidedAt: at },
  );
  await updateAttempt(
    testDb.db,
    row.id,
    { status: 'sent', sentAt: at, provider: 'sendgrid', providerId },
    at,
  );
  return row.id;
}

/** An email as Inbound Parse posts it (multipart/form-data). */
function inboundEmail(fields: {
  from: string;
  text?: string;
  html?: string;
  headers?: string;
  subject?: string;
}) {
  const form = new FormData();
  form.set('from', fields.from);
  form.set('to', 'relances@maison-exemple.fr');
  form.set('subject', fields.subject ?? 'Re: Votre facture FA-2026-0001');
  form.set('headers', fields.headers ?? 'Message-ID: <reply-1@mail.example.com>\nFrom: x');
  if (fields.text !== undefined) form.set('text', fields.text);
  if (fields.html !== undefined) form.set('html', fields.html);
  form.set('envelope', JSON.stringify({ to: ['relances@maison-exemple.fr'], from: fields.from }));
  form.set('charsets', JSON.stringify({ to: 'UTF-8', text: 'UTF-8', subject: 'UTF-8', from: 'UTF-8' }));
  form.set('attachment1', new Blob(['%PDF-1.4'], { type: 'application/pdf' }), 'remittance.pdf');
  return form;
}

async function postInbound(form: FormData, authorization: string | null = basic('relance', INBOUND_SECRET)) {
  const res = await fetch(`${url}${INBOUND}`, {
    method: 'POST',
    headers: authorization ? { authorization } : {},
    body: form,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

interface Entry {
  at: string;
  kind: string;
  reply?: {
    from: string;
    text: string;
    labels: string[];
    needsPerson: string | null;
    inReplyTo: string | null;
    channel: string;
  };
  event?: { type: string };
  message?: { id: string };
}
async function timeline(contactId: string, query = '', authorization: string = authHeaders.authorization) {
  const res = await fetch(`${url}/v1/contacts/${contactId}/timeline${query}`, { headers: { authorization } });
  return {
    status: res.status,
    body: (await res.json()) as { entries: Entry[]; truncated: boolean; issues?: { path: string }[] },
  };
}
const repliesOf = async (contactId: string) =>
  (await timeline(contactId)).body.entries.flatMap((e) => (e.reply ? [e.reply] : []));

describe('email replies through SendGrid Inbound Parse', () => {
  it('when the credentials are missing or wrong, then 401 (with a Basic challenge) or 403, and nothing is kept', async () => {
    const form = () => inboundEmail({ from: 'marie@example.com', text: 'Déjà payé' });
    const none = await postInbound(form(), null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="relance-inbound"');
    expect((await postInbound(form(), basic('relance', 'not-the-secret'))).status).toBe(403);
    expect((await postInbound(form(), basic('someone', INBOUND_SECRET))).status).toBe(403);
    expect((await postInbound(form(), `Bearer ${INBOUND_SECRET}`)).status).toBe(401);
    expect(await repliesOf('c1')).toEqual([]);
  });

  it('when no inbound secret is configured, then every request is refused with 503', async () => {
    const bare = await buildTestApi(testDb.db, {
      config,
      logger: false,
      webhooks: { signingSecret: 'x'.repeat(32) },
    });
    const res = await bare.inject({
      method: 'POST',
      url: INBOUND,
      headers: { authorization: basic('relance', '') },
    });
    expect(res.statusCode).toBe(503);
    await bare.close();
  });

  it('when a customer replies above our quoted reminder, then the reply joins the timeline with the labels of her own words, once', async () => {
    const text = [
      "Bonjour, j'ai déjà payé par virement le 2 mai.",
      '',
      'Le lun. 4 mai 2026 à 09:30, Maison Exemple <relances@maison-exemple.fr> a écrit :',
      '> Si vous contestez cette facture, répondez à ce message.',
    ].join('\n');
    const first = await postInbound(inboundEmail({ from: 'Marie Dupont <marie@example.com>', text }));
    expect(first).toMatchObject({
      status: 200,
      body: { received: true, contacts: 1, labels: ['already_paid'] },
    });
    expect((await postInbound(inboundEmail({ from: 'Marie Dupont <marie@example.com>', text }))).status).toBe(
      200,
    );
    expect(await repliesOf('c1')).toEqual([
      expect.objectContaining({
        channel: 'email',
        from: 'marie@example.com',
        text: "Bonjour, j'ai déjà payé par virement le 2 mai.",
        labels: ['already_paid'],
        needsPerson: 'reply',
        inReplyTo: null,
      }),
    ]);
  });

  it('when the reply names our email in In-Reply-To and comes from another address, then it still reaches that contact', async () => {
    const ours = await sentEmail('c1', 'marie@example.com', 'Xq7fNw2aT0KpUQ', 'k-1');
    const headers = [
      'Message-ID: <reply-2@compta.example.org>',
      'In-Reply-To: <Xq7fNw2aT0KpUQ.filter0042p1las1-1234-5A1B2C3D-1.0@ismtpd0001p1lon1.sendgrid.net>',
    ].join('\r\n');
    const res = await postInbound(
      inboundEmail({
        from: 'comptabilite@example.org',
        headers,
        text: 'Je conteste le montant de cette facture.',
      }),
    );
    expect(res.body).toMatchObject({ contacts: 1, labels: ['dispute'] });
    expect(await repliesOf('c1')).toEqual([
      expect.objectContaining({ inReplyTo: ours, labels: ['dispute'], needsPerson: 'dispute' }),
    ]);
  });

  it('when the email answered went to several contacts in one batch, then the sender picks the contact, and a stranger matches none', async () => {
    await sentEmail('c1', 'marie@example.com', 'BatchId0001xyz', 'k-1');
    const john = await sentEmail('c2', 'john@example.co.uk', 'BatchId0001xyz', 'k-2');
    const headers = (n: number) =>
      `Message-ID: <r${n}@example.co.uk>\r\nReferences: <BatchId0001xyz.filter1@ismtpd.sendgrid.net>`;
    await postInbound(
      inboundEmail({ from: 'john@example.co.uk', headers: headers(1), text: 'Please call me back' }),
    );
    expect(await repliesOf('c2')).toEqual([
      expect.objectContaining({ inReplyTo: john, labels: ['callback_request'] }),
    ]);
    const stranger = await postInbound(
      inboundEmail({ from: 'x@elsewhere.test', headers: headers(2), text: 'hello' }),
    );
    expect(stranger).toMatchObject({ status: 200, body: { contacts: 0 } });
    expect(await repliesOf('c1')).toEqual([]);
  });

  it('when an out-of-office answers, then it is kept as an automatic reply that needs nobody', async () => {
    const headers = 'Message-ID: <ooo@example.com>\r\nAuto-Submitted: auto-replied';
    await postInbound(
      inboundEmail({ from: 'marie@example.com', headers, text: 'Merci pour votre message.' }),
    );
    expect(await repliesOf('c1')).toEqual([
      expect.objectContaining({ labels: ['auto_reply'], needsPerson: null }),
    ]);
  });

  it('when the email has only an HTML part, then its text is read from it, quotes left out', async () => {
    const html = '<p>Not my invoice &amp; never ordered.</p><blockquote>Déjà payé ?</blockquote>';
    await postInbound(inboundEmail({ from: 'john@example.co.uk', html }));
    expect(await repliesOf('c2')).toEqual([
      expect.objectContaining({ text: 'Not my invoice & never ordered.', labels: ['dispute'] }),
    ]);
  });

  it('when a field holds a NUL or the sender has no address, then 400 names the field and nothing is kept', async () => {
    const nul = await postInbound(inboundEmail({ from: 'marie@example.com', text: 'payé\u0000' }));
    expect(nul.status).toBe(400);
    expect(nul.body.issues).toEqual([expect.objectContaining({ path: 'text' })]);
    const noAddress = await postInbound(inboundEmail({ from: 'Marie', text: 'payé' }));
    expect(noAddress.body.issues).toEqual([expect.objectContaining({ path: 'from' })]);
    expect(await repliesOf('c1')).toEqual([]);
  });
});

describe('free-text SMS replies', () => {
  const path = '/v1/webhooks/twilio/inbound';
  const sms = (Body: string, MessageSid: string) => ({
    MessageSid,
    From: '+33612345678',
    To: '+33700000000',
    Body,
    AccountSid: `AC${'0'.repeat(32)}`,
  });
  async function postSms(params: Record<string, string>) {
    const signature = twilio.getExpectedTwilioSignature(TWILIO_TOKEN, `${PUBLIC_URL}${path}`, params);
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
      body: new URLSearchParams(params).toString(),
    });
    return res.status;
  }

  it('when a contact texts words that are no keyword, then they join her timeline with their labels, once per MessageSid', async () => {
    const reply = sms("Je n'ai pas encore payé, rappelez-moi svp", `SM${'a'.repeat(32)}`);
    expect(await postSms(reply)).toBe(200);
    expect(await postSms(reply)).toBe(200); // Twilio's retry
    expect(await postSms(sms('STOP', `SM${'b'.repeat(32)}`))).toBe(200);
    expect(await repliesOf('c1')).toEqual([
      expect.objectContaining({
        channel: 'sms',
        from: '+33612345678',
        text: "Je n'ai pas encore payé, rappelez-moi svp",
        labels: ['callback_request'],
        needsPerson: 'reply',
      }),
    ]);
  });
});

describe('GET /v1/contacts/{id}/timeline', () => {
  it('when a contact has events, a consent, a message and a reply, then they come newest last', async () => {
    const ours = await sentEmail('c1', 'marie@example.com', 'TimelineId001', 'k-1');
    await postInbound(inboundEmail({ from: 'marie@example.com', text: 'Déjà payé' }));
    const { status, body } = await timeline('c1');
    expect(status).toBe(200);
    expect(
      body.entries.map((e) => [e.kind, e.event?.type ?? e.message?.id ?? e.reply?.labels[0] ?? '']),
    ).toEqual([
      ['event', 'contact.upserted'],
      ['event', 'invoice.issued'],
      ['event', 'contact.consent'],
      ['consent', ''],
      ['message', ours],
      ['reply', 'already_paid'],
      ['handoff', ''], // the reply needs a person: it opened a task
    ]);
    expect(body.truncated).toBe(false);
    const lastThree = await timeline('c1', '?limit=3');
    expect(lastThree.body.entries.map((e) => e.kind)).toEqual(['message', 'reply', 'handoff']);
    expect(lastThree.body.truncated).toBe(true);
  });

  it('when an agent, finance or marketing asks, then 200; anonymous 401; an unknown contact 404; a bad limit 400', async () => {
    for (const role of ['agent', 'finance', 'marketing']) {
      const created = await app.inject({
        method: 'POST',
        url: '/v1/tokens',
        headers: { ...authHeaders, 'content-type': 'application/json' },
        payload: { name: `The ${role}`, role },
      });
      const token = created.json<{ token: string }>().token;
      expect((await timeline('c1', '', `Bearer ${token}`)).status, role).toBe(200);
    }
    expect((await fetch(`${url}/v1/contacts/c1/timeline`)).status).toBe(401);
    expect((await timeline('nobody')).status).toBe(404);
    const bad = await timeline('c1', '?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.issues?.map((i) => i.path)).toEqual(['query.limit']);
  });

  it('when the contact is erased, then her replies lose their words and sender, and the export held them before', async () => {
    await postInbound(inboundEmail({ from: 'marie@example.com', text: 'Je conteste, appelez-moi' }));
    const exported = await fetch(`${url}/v1/contacts/c1/export`, { headers: authHeaders });
    expect(((await exported.json()) as { replies: unknown[] }).replies).toEqual([
      expect.objectContaining({ text: 'Je conteste, appelez-moi', from: 'marie@example.com' }),
    ]);
    const erased = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { ...authHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'contact.erased', data: { contactId: 'c1' } }),
    });
    expect(erased.status).toBe(202);
    expect(await repliesOf('c1')).toEqual([
      expect.objectContaining({ text: '', from: '', labels: ['dispute', 'callback_request'] }),
    ]);
  });
});
