/**
 * Replies that need a person open a task (contract section 6): from a contact with no invoice
 * sequence running, a contact-level task in the store, due by the `reply` service level, shown in
 * GET /v1/handoffs with the reply's labels; a second reply joins it; an automatic reply opens
 * none; agents claim, note and close it through the API. With a sequence running, the reply goes
 * to that sequence as an internal event (ids and labels only), and no contact-level task opens.
 */
import type { FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config';
import type { RelanceConfig } from '../../config/schema';
import { ingestEvents } from '../../ingestion/ingest-events';
import { saveSequence } from '../../store/sequence-repository';
import { authHeaders, buildTestApi } from '../helpers/api-auth';
import { createTestDb, type TestDb } from '../helpers/db';

const PUBLIC_URL = 'https://relance.test';
const TWILIO_TOKEN = 'twilio-webhook-test-token';
const INBOUND_SECRET = 'inbound-secret-for-tests-0123456789';
const T0 = Date.parse('2026-05-04T09:00:00Z'); // a Monday
const base = loadConfig();
const config: RelanceConfig = { ...base, company: { ...base.company, publicUrl: PUBLIC_URL } };
const SMS_PATH = '/v1/webhooks/twilio/inbound';

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
          email: 'marie@example.com',
          phone: '+33612345678',
          locale: 'fr-FR',
          timezone: 'Europe/Paris',
        },
      },
      {
        type: 'invoice.issued',
        at: '2026-04-02T08:00:00Z',
        data: { id: 'INV-1', contactId: 'c1', amount: '120.00', currency: 'EUR', dueDate: '2026-04-30' },
      },
    ],
    new Date(T0 - 3_600_000).toISOString(),
  );
  app = await buildTestApi(testDb.db, {
    config,
    logger: false,
    now: () => new Date(T0).toISOString(),
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

async function postSms(Body: string, MessageSid: string): Promise<number> {
  const params = {
    MessageSid,
    From: '+33612345678',
    To: '+33700000000',
    Body,
    AccountSid: `AC${'0'.repeat(32)}`,
  };
  const signature = twilio.getExpectedTwilioSignature(TWILIO_TOKEN, `${PUBLIC_URL}${SMS_PATH}`, params);
  const res = await fetch(`${url}${SMS_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
    body: new URLSearchParams(params).toString(),
  });
  return res.status;
}

async function postEmail(text: string, headers: string): Promise<number> {
  const form = new FormData();
  form.set('from', 'Marie <marie@example.com>');
  form.set('to', 'relances@maison-exemple.fr');
  form.set('subject', 'Re: Votre facture');
  form.set('text', text);
  form.set('headers', headers);
  const authorization = `Basic ${Buffer.from(`relance:${INBOUND_SECRET}`).toString('base64')}`;
  const res = await fetch(`${url}/v1/webhooks/sendgrid/inbound`, {
    method: 'POST',
    headers: { authorization },
    body: form,
  });
  return res.status;
}

interface TaskView {
  id: number;
  status: string;
  owner: string | null;
  reasonCode: string;
  reason: string;
  labels: string[];
  dueBy: string | null;
  resolution: string | null;
  subject: { kind: string; ids: string[] };
  timeline?: { kind: string; type?: string; reply?: { text: string; labels: string[]; channel: string } }[];
}

async function tasks(): Promise<TaskView[]> {
  const res = await fetch(`${url}/v1/handoffs`, { headers: authHeaders });
  return ((await res.json()) as { handoffs: TaskView[] }).handoffs;
}

async function task(id: number): Promise<TaskView> {
  const res = await fetch(`${url}/v1/handoffs/${id}`, { headers: authHeaders });
  return (await res.json()) as TaskView;
}

async function act(id: number, body: Record<string, unknown>) {
  const res = await fetch(`${url}/v1/handoffs/${id}/actions`, {
    method: 'POST',
    headers: { ...authHeaders, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as TaskView & { message?: string } };
}

describe('replies that need a person, from a contact with no sequence running', () => {
  it('when the contact texts "déjà payé", then a contact-level task opens, labelled, due by the reply service level; a second reply joins it; a retry adds nothing', async () => {
    expect(await postSms('Bonjour, déjà payé la semaine dernière', `SM${'a'.repeat(32)}`)).toBe(200);
    expect(await postSms('Bonjour, déjà payé la semaine dernière', `SM${'a'.repeat(32)}`)).toBe(200);
    const [opened, ...others] = await tasks();
    expect(others).toEqual([]);
    expect(opened).toMatchObject({
      status: 'open',
      reasonCode: 'reply',
      labels: ['already_paid'],
      subject: { kind: 'contact', ids: ['c1'] },
      // Monday 09:00 UTC, two business days: Wednesday at the end of the day in Paris.
      dueBy: '2026-05-06T16:00:00.000Z',
    });
    expect(opened?.reason).toContain('already_paid');

    expect(await postSms('Et je conteste les frais de retard', `SM${'b'.repeat(32)}`)).toBe(200);
    const all = await tasks();
    expect(all.map((t) => t.id)).toEqual([opened?.id]);
    expect(all[0]?.labels).toEqual(['already_paid', 'dispute']);
    const detail = await task(opened?.id ?? 0);
    expect(detail.timeline?.filter((e) => e.kind === 'reply').map((e) => e.reply?.text)).toEqual([
      'Bonjour, déjà payé la semaine dernière',
      'Et je conteste les frais de retard',
    ]);
  });

  it('when the reply is automatic (an out-of-office email), then no task opens', async () => {
    const headers = 'Message-ID: <ooo-1@mail.example.com>\nAuto-Submitted: auto-replied\nFrom: x';
    expect(await postEmail('Je suis absente du bureau jusqu’au 12 mai.', headers)).toBe(200);
    expect(await tasks()).toEqual([]);
  });

  it('when an email reply disputes, then the task opens with the dispute reason and label', async () => {
    expect(await postEmail('I dispute this invoice.', 'Message-ID: <r-1@mail.example.com>\nFrom: x')).toBe(
      200,
    );
    expect(await tasks()).toEqual([
      expect.objectContaining({ reasonCode: 'dispute', labels: ['dispute'], status: 'open' }),
    ]);
  });

  it('when an agent claims, notes and closes the contact-level task, then it changes in the store; an action that needs a sequence gets a 409 and changes nothing', async () => {
    await postSms('Rappelez-moi svp', `SM${'c'.repeat(32)}`);
    const [t] = await tasks();
    const id = t?.id ?? 0;
    const claimed = await act(id, { type: 'claim', by: 'Claire Martin' });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'claimed', owner: 'Claire Martin' });
    expect((await act(id, { type: 'claim', by: 'Paul Roux' })).status).toBe(409);
    const resumed = await act(id, { type: 'resume_automation', by: 'Claire Martin' });
    expect(resumed.status).toBe(409);
    expect(resumed.body.message).toContain('needs an invoice sequence');
    expect(
      (await act(id, { type: 'send_message', by: 'Claire Martin', channel: 'sms', text: 'ok' })).status,
    ).toBe(409);
    expect(
      (await act(id, { type: 'note', by: 'Claire Martin', text: 'Rappelée, virement fait' })).status,
    ).toBe(200);
    const closed = await act(id, { type: 'close', by: 'Claire Martin', resolution: 'paid' });
    expect(closed.body).toMatchObject({ status: 'resolved', resolution: 'paid', owner: 'Claire Martin' });
    expect(closed.body.timeline?.filter((e) => e.kind === 'event').map((e) => e.type)).toEqual([
      'opened',
      'claimed',
      'note',
      'resolved',
    ]);
    expect((await act(id, { type: 'note', by: 'Claire Martin', text: 'encore' })).status).toBe(409);
    // A reply after the task was resolved opens a new one.
    await postSms('Merci !', `SM${'d'.repeat(32)}`);
    expect((await tasks()).map((x) => x.status)).toEqual(['resolved', 'open']);
  });
});

describe('replies about an invoice sequence still running', () => {
  it('when the contact of a running sequence replies, then the reply goes to the sequence as an event with ids and labels only, and no contact-level task opens', async () => {
    const at = new Date(T0 - 86_400_000).toISOString();
    await saveSequence(testDb.db, {
      id: 'invoice-dunning/INV-1',
      type: 'invoice-dunning',
      subjectId: 'INV-1',
      contactId: 'c1',
      status: 'running',
      stage: null,
      outcome: null,
      pausedReason: null,
      nextStep: null,
      nextAt: null,
      steps: [],
      escalation: 0,
      startedAt: at,
      updatedAt: at,
    });
    expect(await postSms('Je conteste cette facture', `SM${'e'.repeat(32)}`)).toBe(200);
    expect(await tasks()).toEqual([]);
    const events = await testDb.db.query<{ type: string; data: Record<string, unknown> }>(
      `select type, data from events where type = 'reply.received'`,
    );
    expect(events).toEqual([
      {
        type: 'reply.received',
        data: expect.objectContaining({
          replyId: `SM${'e'.repeat(32)}`,
          contactId: 'c1',
          invoiceId: 'INV-1',
          labels: ['dispute'],
          reasonCode: 'dispute',
        }) as unknown,
      },
    ]);
    expect(JSON.stringify(events)).not.toContain('conteste');
    // The contact's timeline shows the reply once, with its words, not the internal event.
    const res = await fetch(`${url}/v1/contacts/c1/timeline`, { headers: authHeaders });
    const entries = ((await res.json()) as { entries: { kind: string; event?: { type: string } }[] }).entries;
    expect(entries.filter((e) => e.kind === 'reply')).toHaveLength(1);
    expect(entries.map((e) => e.event?.type)).not.toContain('reply.received');
  });
});
