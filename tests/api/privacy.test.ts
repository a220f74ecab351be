/**
 * Erasure and export (contract §7) on the real API (port 0) over a real database: what
 * GET /v1/contacts/{id}/export returns, and what is left in every table after contact.erased.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliverInput } from '../../activities';
import { buildApi } from '../../api/server';
import { sqlOutboxStore } from '../../channels/outbox/outbox-store';
import type { Sql } from '../../store/db';
import { isSuppressed, suppressAddress } from '../../store/suppression-repository';
import { createTestDb, drivers, type TestDb } from '../helpers/db';
import { createTestEngine, type TestEngine } from '../helpers/engine';
import { authHeaders, TEST_ADMIN_TOKEN } from '../helpers/api-auth';

const at = '2026-03-23T08:30:00.000Z'; // Monday 09:30 in Paris
const zephyrine = {
  id: 'c-zq',
  firstName: 'Zéphyrine',
  lastName: 'Quaglietti-Vandermeersch',
  email: 'zephyrine.quaglietti@example.org',
  phone: '+33677889900',
  locale: 'fr-FR',
  timezone: 'Europe/Paris',
  country: 'FR',
  tags: ['vip-zq-tag'],
  attributes: { birthday: '1984-07-12' },
};
const consentSource = 'signed form of Zéphyrine, 12 rue des Lilas';
const paymentUrl = 'https://pay.example.com/zephyrine-q/INV-ZQ-1';
const disputeReason = 'she says the parcel never came to the door';

const step = (channel: 'email' | 'sms', stepId: string, template: string): DeliverInput => ({
  sequenceId: 'invoice-dunning/INV-ZQ-1',
  sequenceType: 'invoice-dunning',
  step: stepId,
  round: 0,
  channel,
  template,
  purpose: 'transactional',
  kind: 'escalation',
  contactId: 'c-zq',
  plannedAt: at,
  content: { kind: 'invoice', subjectIds: ['INV-ZQ-1'], mergeSameDay: false },
});

/** Every text and JSON column of every table, as one lower-case string. */
async function dumpAllText(sql: Sql): Promise<string> {
  const columns = await sql.query<{ table_name: string; column_name: string }>(
    `select table_name, column_name from information_schema.columns
     where table_schema = current_schema() and data_type in ('text', 'jsonb', 'json', 'character varying')
     order by table_name, column_name`,
  );
  expect(columns.map((c) => c.table_name)).toEqual(
    expect.arrayContaining(['contacts', 'events', 'messages']),
  );
  const parts: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const rows = await sql.query<{ v: string | null }>(`select "${column}"::text as v from "${table}"`);
    parts.push(...rows.map((r) => r.v ?? ''));
  }
  return parts.join('\n').toLowerCase();
}

describe.each(drivers)('erasure and export of a contact (%s)', (driver) => {
  let testDb: TestDb;
  let engine: TestEngine;
  let app: FastifyInstance;
  let base: string;

  beforeEach(async () => {
    testDb = await createTestDb(driver);
    engine = await createTestEngine(testDb.db);
    app = await buildApi({ adminToken: TEST_ADMIN_TOKEN, db: testDb.db, config: engine.config });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await app.close();
    await engine.close();
    await testDb.drop();
  });

  const post = async (body: unknown) => {
    const response = await fetch(`${base}/v1/events`, {
      method: 'POST',
      headers: { ...authHeaders, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const exported = async (id = 'c-zq') => {
    const response = await fetch(`${base}/v1/contacts/${id}/export`, { headers: authHeaders });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const deliver = (input: DeliverInput) => engine.runAt(at, () => engine.activities.deliverMessage(input));

  /** A contact with a little of everything: consent, invoice, payment, dispute, messages, hand-off. */
  async function contactWithHistory(): Promise<{ texts: string[]; subjects: string[] }> {
    const accepted = await post([
      { id: 'e1', type: 'contact.upserted', at: '2026-03-02T08:00:00Z', data: zephyrine },
      {
        id: 'e2',
        type: 'contact.consent',
        at: '2026-03-02T08:00:00Z',
        data: {
          contactId: 'c-zq',
          channel: 'email',
          purpose: 'marketing',
          granted: true,
          source: consentSource,
        },
      },
      {
        id: 'e3',
        type: 'contact.do_not_contact',
        at: '2026-03-02T08:00:00Z',
        data: { contactId: 'c-zq', flagged: false, source: 'call with Zéphyrine on +33677889900' },
      },
      {
        id: 'e4',
        type: 'invoice.issued',
        at: '2026-03-02T08:00:00Z',
        data: {
          id: 'INV-ZQ-1',
          contactId: 'c-zq',
          number: 'FA-ZQ-1',
          amount: '1250.00',
          currency: 'EUR',
          dueDate: '2026-03-18',
          paymentUrl,
        },
      },
      {
        id: 'e4b',
        type: 'campaign.scheduled',
        at: '2026-03-02T08:00:00Z',
        data: {
          id: 'spring',
          template: 'weekly-offer',
          channels: ['email'],
          contactIds: ['c-zq'],
          sendAt: '2026-03-30T09:00:00Z',
          content: { title: 'Printemps', body: 'Nouvelle collection.', url: 'https://shop.example.com/p' },
        },
      },
    ]);
    expect(accepted.status).toBe(202);
    await deliver(step('email', 'overdue-2', 'invoice-overdue-2'));
    await deliver(step('sms', 'overdue-2', 'invoice-overdue-2'));
    // The day's transactional email cap is used: this one waits for tomorrow.
    expect(await deliver(step('email', 'formal-notice', 'invoice-formal-notice'))).toMatchObject({
      kind: 'deferred',
    });
    await post([
      { id: 'e5', type: 'invoice.payment', at, data: { invoiceId: 'INV-ZQ-1', amount: '250.00' } },
      { id: 'e6', type: 'invoice.disputed', at, data: { invoiceId: 'INV-ZQ-1', reason: disputeReason } },
    ]);
    // What the workflow and a bounce webhook would write.
    await engine.activities.handOff({
      sequenceId: 'invoice-dunning/INV-ZQ-1',
      contactId: 'c-zq',
      subjectIds: ['INV-ZQ-1'],
      reason: `disputed: ${disputeReason}`,
      at,
    });
    await engine.activities.recordSequence({
      id: 'invoice-dunning/INV-ZQ-1',
      type: 'invoice-dunning',
      subjectId: 'INV-ZQ-1',
      contactId: 'c-zq',
      status: 'paused',
      stage: 'disputed',
      outcome: null,
      pausedReason: `disputed: ${disputeReason}`,
      nextStep: null,
      nextAt: null,
      steps: [],
      escalation: 2,
      startedAt: '2026-03-02T08:00:00.000Z',
      updatedAt: at,
    });
    await suppressAddress(testDb.db, {
      channel: 'email',
      address: zephyrine.email,
      reason: 'bounce',
      source: `bounce: 550 <${zephyrine.email}> mailbox full`,
      at,
    });
    // The stack's outbox keeps what the providers received in the same database.
    const received = await engine.outbox.list();
    for (const message of received) await sqlOutboxStore(testDb.db).record(message);
    expect(received).toHaveLength(2);
    return {
      texts: received.map((m) => m.text),
      subjects: received.flatMap((m) => (m.subject ? [m.subject] : [])),
    };
  }

  it('when a contact is exported, then everything held about it comes back, texts and sources included', async () => {
    const { texts } = await contactWithHistory();
    const res = await exported();
    expect(res.status).toBe(200);
    const body = res.body as {
      contact: Record<string, unknown>;
      consents: { source: string }[];
      invoices: { amount: string; payments: { amount: string }[]; dispute: { reason: string } }[];
      messages: { status: string; text: string | null }[];
      handoffs: unknown[];
      suppressions: unknown[];
      events: { type: string }[];
    };
    expect(body.contact).toMatchObject({
      firstName: 'Zéphyrine',
      lastName: 'Quaglietti-Vandermeersch',
      email: zephyrine.email,
      phone: zephyrine.phone,
      attributes: { birthday: '1984-07-12' },
      erasedAt: null,
    });
    expect(body.consents).toEqual([expect.objectContaining({ source: consentSource, granted: true })]);
    expect(body.invoices).toEqual([
      expect.objectContaining({
        amount: '1250.00',
        paymentUrl,
        payments: [expect.objectContaining({ amount: '250.00' })],
        dispute: { status: 'open', reason: disputeReason },
      }),
    ]);
    expect(body.messages.map((m) => m.status).sort()).toEqual(['deferred', 'sent', 'sent']);
    for (const text of texts) expect(body.messages.map((m) => m.text)).toContain(text);
    expect(body.handoffs).toHaveLength(1);
    expect(body.suppressions).toHaveLength(1);
    expect(body.events.map((e) => e.type)).toEqual([
      'contact.upserted',
      'contact.consent',
      'contact.do_not_contact',
      'invoice.issued',
      'campaign.scheduled',
      'invoice.payment',
      'invoice.disputed',
    ]);
    expect((await exported('nobody')).status).toBe(404);
  });

  it('when a contact is erased, then no table holds its name, addresses, phone or message texts, and consent proofs and amounts remain', async () => {
    const { texts, subjects } = await contactWithHistory();
    const secrets = [
      zephyrine.firstName,
      'Quaglietti',
      'Vandermeersch',
      zephyrine.email,
      zephyrine.phone,
      '1984-07-12',
      'vip-zq-tag',
      '12 rue des Lilas',
      paymentUrl,
      disputeReason,
      ...texts,
      ...subjects,
    ];
    const before = await dumpAllText(testDb.db);
    for (const secret of secrets) expect(before, `before erasure: ${secret}`).toContain(secret.toLowerCase());

    const res = await post({
      id: 'e7',
      type: 'contact.erased',
      data: { contactId: 'c-zq', reason: 'DSR-2026-0007' },
    });
    expect(res.status).toBe(202);

    const after = await dumpAllText(testDb.db);
    for (const secret of secrets)
      expect(after.includes(secret.toLowerCase()), `still holds "${secret}"`).toBe(false);

    const db = testDb.db;
    expect(
      await db.query(
        'select channel, purpose, granted, legal_basis, source from consents where contact_id = $1',
        ['c-zq'],
      ),
    ).toEqual([
      { channel: 'email', purpose: 'marketing', granted: true, legal_basis: 'consent', source: '[erased]' },
    ]);
    expect(
      await db.query(
        'select number, amount_minor, paid_minor, currency, due_date from invoices where id = $1',
        ['INV-ZQ-1'],
      ),
    ).toEqual([
      { number: 'FA-ZQ-1', amount_minor: 125000, paid_minor: 25000, currency: 'EUR', due_date: '2026-03-18' },
    ]);
    expect(await db.query('select amount_minor from payments')).toEqual([{ amount_minor: 25000 }]);
    const ledger = await db.query<{ status: string; reason: string | null; sent_at: Date | null }>(
      'select status, reason, sent_at from messages order by created_at',
    );
    expect(ledger.map((m) => `${m.status}:${m.reason ?? ''}`).sort()).toEqual([
      'sent:',
      'sent:',
      'suppressed:do_not_contact', // the message waiting for tomorrow will never leave
    ]);
    expect(ledger.filter((m) => m.sent_at !== null)).toHaveLength(2);
    // A bounced address stays suppressed (as a hash) should it come back under another contact.
    expect(await isSuppressed(db, 'email', zephyrine.email)).toBe(true);

    const record = (await exported()).body as {
      contact: { erasedAt: string | null; firstName: string | null };
      sequences: { status: string; outcome: string }[];
      handoffs: { status: string }[];
    };
    expect(record.contact.erasedAt).not.toBeNull();
    expect(record.contact.firstName).toBeNull();
    expect(record.sequences).toEqual([expect.objectContaining({ status: 'completed', outcome: 'erased' })]);
    expect(record.handoffs).toEqual([expect.objectContaining({ status: 'resolved' })]);
  });

  it('when the erased contact shares its email with another contact, then the outbox still loses the copies sent to it', async () => {
    const { texts } = await contactWithHistory();
    const household = { ...zephyrine, id: 'c-household', firstName: 'Albin', phone: '+33600000001' };
    expect((await post({ type: 'contact.upserted', data: household })).status).toBe(202);
    expect(
      (await post({ type: 'contact.erased', data: { contactId: 'c-zq', reason: 'DSR-1' } })).status,
    ).toBe(202);
    const outbox = await testDb.db.query<{ to_address: string; body_text: string }>(
      'select to_address, body_text from outbox_messages order by seq',
    );
    expect(outbox).toEqual([
      { to_address: '[erased]', body_text: '[erased]' },
      { to_address: '[erased]', body_text: '[erased]' },
    ]);
    const after = await dumpAllText(testDb.db);
    for (const text of texts) expect(after.includes(text.toLowerCase()), text).toBe(false);
    // The address is still the household's: it stays where that contact is.
    expect(await testDb.db.query('select email from contacts where id = $1', ['c-household'])).toEqual([
      { email: zephyrine.email },
    ]);
  });

  it('when contact.erased gives a free-text reason, then it is refused with 400 naming data.reason, and nothing is erased', async () => {
    await contactWithHistory();
    const res = await post({
      type: 'contact.erased',
      data: { contactId: 'c-zq', reason: 'asked by Zéphyrine on the phone, +33677889900' },
    });
    expect(res.status).toBe(400);
    expect((res.body as { issues: { path: string; message: string }[] }).issues).toEqual([
      { path: 'data.reason', message: expect.stringContaining('a request reference') as unknown },
    ]);
    expect(((await exported()).body as { contact: { erasedAt: unknown } }).contact.erasedAt).toBeNull();
  });

  it('when the erasure reference quotes the contact, then the stored event keeps the reference without it', async () => {
    await contactWithHistory();
    const reason = 'DSR/Quaglietti-Vandermeersch/7';
    expect(
      (await post({ id: 'e-erase', type: 'contact.erased', data: { contactId: 'c-zq', reason } })).status,
    ).toBe(202);
    expect(await testDb.db.query('select data from events where id = $1', ['e-erase'])).toEqual([
      { data: { contactId: 'c-zq', reason: 'DSR/[erased]/7' } },
    ]);
  });

  it('when a send is attempted for an erased contact, then nothing leaves (do_not_contact)', async () => {
    await contactWithHistory();
    await post({ type: 'contact.erased', data: { contactId: 'c-zq' } });
    expect(
      await deliver({ ...step('sms', 'formal-notice', 'invoice-formal-notice'), round: 1 }),
    ).toMatchObject({
      kind: 'suppressed',
      reason: 'do_not_contact',
    });
    expect(await engine.outbox.list()).toHaveLength(2);
  });

  it('the OpenAPI description has the export endpoint and the contact.erased event', async () => {
    const doc = (await (await fetch(`${base}/v1/openapi.json`, { headers: authHeaders })).json()) as {
      paths: Record<string, unknown>;
      components: { schemas: { Event: { oneOf: { title: string; properties: { data: unknown } }[] } } };
    };
    expect(Object.keys(doc.paths)).toContain('/v1/contacts/{id}/export');
    const erased = doc.components.schemas.Event.oneOf.find((e) => e.title === 'contact.erased');
    expect(erased?.properties.data).toMatchObject({ required: ['contactId'] });
  });

  it('when contact.erased names an unknown contact, then the batch is refused naming [i].data.contactId', async () => {
    const res = await post([
      { type: 'contact.upserted', data: { ...zephyrine, id: 'c-other' } },
      { type: 'contact.erased', data: { contactId: 'nobody' } },
    ]);
    expect(res.status).toBe(400);
    expect((res.body as { issues: unknown[] }).issues).toEqual([
      { path: '[1].data.contactId', message: 'unknown contact "nobody"' },
    ]);
    expect((await exported('c-other')).status).toBe(404); // nothing of the batch applied
  });

  it('when events name an erased contact again, then they are refused, except money facts about its invoices', async () => {
    await contactWithHistory();
    await post({ type: 'contact.erased', data: { contactId: 'c-zq' } });
    const refused = await post([
      { type: 'contact.upserted', data: zephyrine },
      {
        type: 'contact.consent',
        data: { contactId: 'c-zq', channel: 'sms', purpose: 'marketing', granted: true, source: 'x' },
      },
      {
        type: 'invoice.issued',
        data: { id: 'INV-ZQ-2', contactId: 'c-zq', amount: '10.00', currency: 'EUR', dueDate: '2026-04-01' },
      },
      { type: 'invoice.promise_to_pay', data: { invoiceId: 'INV-ZQ-1', promisedDate: '2026-04-01' } },
    ]);
    expect(refused.status).toBe(400);
    const issues = (refused.body as { issues: { path: string; message: string }[] }).issues;
    expect(issues.map((i) => i.path)).toEqual([
      '[0].data.id',
      '[1].data.contactId',
      '[2].data.contactId',
      '[3].data.invoiceId',
    ]);
    expect(issues.every((i) => i.message.includes('was erased'))).toBe(true);

    const accepted = await post([
      { type: 'invoice.payment', data: { invoiceId: 'INV-ZQ-1', amount: '500.00' } },
      {
        type: 'invoice.cancelled',
        data: { invoiceId: 'INV-ZQ-1', reason: 'write-off agreed with Zéphyrine' },
      },
      { type: 'contact.erased', data: { contactId: 'c-zq' } },
    ]);
    expect(accepted.status).toBe(202);
    expect((accepted.body as { results: { note?: string }[] }).results[2]?.note).toMatch(/already erased/);
    expect(
      await testDb.db.query('select status, closed_reason, paid_minor from invoices where id = $1', [
        'INV-ZQ-1',
      ]),
    ).toEqual([{ status: 'cancelled', closed_reason: 'cancelled', paid_minor: 75000 }]);
    expect(await dumpAllText(testDb.db)).not.toContain('zéphyrine');
  });
});
