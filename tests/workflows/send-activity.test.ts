/**
 * The send activity against the local outbox through the real SDKs: provider faults, Temporal's
 * retry contract (transient faults throw, Retry-After is honoured, permanent ones are recorded),
 * and the ledger after each attempt.
 */
import { ApplicationFailure } from '@temporalio/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliverInput } from '../../activities';
import { upsertContact } from '../../store/contact-repository';
import { allMessages } from '../../store/ledger-repository';
import { createTestDb, type TestDb } from '../helpers/db';
import { createTestEngine, marie, type TestEngine } from '../helpers/engine';

const at = '2026-03-23T08:30:00.000Z'; // Monday 09:30 in Paris

const step = (channel: 'email' | 'sms', overrides: Partial<DeliverInput> = {}): DeliverInput => ({
  sequenceId: 'invoice-dunning/INV-1',
  sequenceType: 'invoice-dunning',
  step: 'overdue-2',
  round: 0,
  channel,
  template: 'invoice-overdue-2',
  purpose: 'transactional',
  kind: 'escalation',
  contactId: 'c1',
  plannedAt: at,
  content: { kind: 'invoice', subjectIds: ['INV-1'], mergeSameDay: false },
  ...overrides,
});

describe('the send activity', () => {
  let testDb: TestDb;
  let engine: TestEngine;

  beforeEach(async () => {
    testDb = await createTestDb();
    engine = await createTestEngine(testDb.db);
    await engine.ingest(
      [
        { type: 'contact.upserted', data: marie },
        {
          type: 'invoice.issued',
          data: {
            id: 'INV-1',
            contactId: 'c1',
            number: 'FA-1',
            amount: '1250.00',
            currency: 'EUR',
            dueDate: '2026-03-18',
          },
        },
      ],
      '2026-03-02T08:00:00.000Z',
    );
  });
  afterEach(async () => {
    await engine.close();
    await testDb.drop();
  });

  const fault = (script: unknown) =>
    fetch(`${engine.outboxUrl}/_outbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(script),
    });
  const deliver = (input: DeliverInput) => engine.runAt(at, () => engine.activities.deliverMessage(input));

  it('when SendGrid answers 429 with Retry-After, then the attempt fails retryably after that delay, and the retry sends once', async () => {
    await fault({ channel: 'email', responses: [{ status: 429, retryAfter: 7 }] });
    const failure = await deliver(step('email')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).nonRetryable).toBe(false);
    expect((failure as ApplicationFailure).nextRetryDelay).toBe(7000);
    const [row] = await allMessages(testDb.db);
    expect(row?.status).toBe('deferred');
    expect(row?.error).toMatch(/429|Too Many/i);

    expect(await deliver(step('email'))).toMatchObject({ kind: 'sent', channel: 'email' });
    expect(await engine.outbox.list()).toHaveLength(1);
    const [after] = await allMessages(testDb.db);
    expect(after).toMatchObject({ status: 'sent', attempts: 2, provider: 'sendgrid', error: null });
  });

  it('when Twilio answers 503 then accepts, then exactly one SMS leaves', async () => {
    await fault({ channel: 'sms', responses: [{ status: 503 }] });
    await expect(deliver(step('sms'))).rejects.toThrow();
    expect(await deliver(step('sms'))).toMatchObject({ kind: 'sent', channel: 'sms' });
    const sms = await engine.outbox.list({ channel: 'sms' });
    expect(sms).toHaveLength(1);
    expect(sms[0]?.to).toBe('+33612345678');
    const [row] = await allMessages(testDb.db);
    expect(row).toMatchObject({ status: 'sent', provider: 'twilio', providerId: sms[0]?.id });
  });

  it('when the provider rejects the number for good, then the message is recorded as failed (invalid_address), not retried', async () => {
    await upsertContact(testDb.db, { ...marie, phone: '+15005550009' }, at); // Twilio: not SMS-capable
    expect(await deliver(step('sms'))).toMatchObject({ kind: 'failed', reason: 'invalid_address' });
    const [row] = await allMessages(testDb.db);
    expect(row).toMatchObject({ status: 'failed', reason: 'invalid_address' });
    expect(row?.error).toMatch(/21614|mobile|SMS/i);
    expect(await engine.outbox.list()).toHaveLength(0);
  });

  it('when an attempt is retried after it succeeded, then the same outcome comes back and nothing is sent again', async () => {
    const first = await deliver(step('email'));
    const again = await deliver(step('email'));
    expect(again).toEqual(first);
    expect(await engine.outbox.list()).toHaveLength(1);
  });

  it('when the same step is tried again after a pause, then the earlier send makes it a duplicate', async () => {
    await deliver(step('email'));
    expect(await deliver(step('email', { round: 1 }))).toMatchObject({
      kind: 'suppressed',
      reason: 'duplicate',
    });
    expect(await engine.outbox.list()).toHaveLength(1);
  });

  it('when the invoice was paid just before the send, then nothing leaves (settled)', async () => {
    await engine.ingest(
      { type: 'invoice.payment', data: { invoiceId: 'INV-1', amount: '1250.00' } },
      '2026-03-23T08:00:00.000Z',
    );
    expect(await deliver(step('email'))).toMatchObject({ kind: 'suppressed', reason: 'settled' });
    expect(await engine.outbox.list()).toHaveLength(0);
  });

  describe('when the first attempt was cut off and the provider never got the message', () => {
    const retryAt = '2026-03-23T10:00:00.000Z'; // 11:00 in Paris, the retry an hour later
    const cutOff = async (channel: 'email' | 'sms') => {
      await fault({ channel, responses: [{ cut: true }] });
      await expect(deliver(step(channel))).rejects.toThrow();
      const [row] = await allMessages(testDb.db);
      expect(row?.status).toBe('sending'); // outcome unknown: the retry must ask first
    };
    const retry = (channel: 'email' | 'sms', when = retryAt) =>
      engine.runAt(when, () => engine.activities.deliverMessage(step(channel)));

    it('then the retry sends it once', async () => {
      await cutOff('email');
      expect(await retry('email')).toMatchObject({ kind: 'sent' });
      expect(await engine.outbox.list()).toHaveLength(1);
    });

    it('and the invoice is paid before the retry, then nothing reaches the outbox (settled)', async () => {
      await cutOff('email');
      await engine.ingest(
        { type: 'invoice.payment', data: { invoiceId: 'INV-1', amount: '1250.00' } },
        '2026-03-23T09:00:00.000Z',
      );
      expect(await retry('email')).toMatchObject({ kind: 'suppressed', reason: 'settled' });
      expect(await engine.outbox.list()).toHaveLength(0);
      const [row] = await allMessages(testDb.db);
      expect(row).toMatchObject({ status: 'suppressed', reason: 'settled' });
    });

    it('and the contact texts STOP before the retry, then no SMS reaches the outbox', async () => {
      await cutOff('sms');
      await engine.ingest(
        {
          type: 'contact.consent',
          data: { contactId: 'c1', channel: 'sms', purpose: 'transactional', granted: false, source: 'STOP' },
        },
        '2026-03-23T09:00:00.000Z',
      );
      expect(await retry('sms')).toMatchObject({ kind: 'suppressed', reason: 'opted_out' });
      expect(await engine.outbox.list()).toHaveLength(0);
      const [row] = await allMessages(testDb.db);
      expect(row).toMatchObject({ status: 'suppressed', reason: 'opted_out' });
    });

    it('and the retry falls at 23:00, then no SMS reaches the outbox before the window opens', async () => {
      await cutOff('sms');
      const late = await retry('sms', '2026-03-23T22:00:00.000Z'); // 23:00 in Paris
      expect(late).toMatchObject({ kind: 'deferred', until: '2026-03-24T08:00:00.000Z' });
      expect(await engine.outbox.list()).toHaveLength(0);
      const [row] = await allMessages(testDb.db);
      expect(row).toMatchObject({ status: 'deferred' });
    });
  });

  it('when a grant dated a few minutes ahead arrived before a STOP, then the STOP holds and no SMS reaches the outbox', async () => {
    const smsConsent = (granted: boolean, source: string, eventAt?: string) => ({
      type: 'contact.consent',
      ...(eventAt ? { at: eventAt } : {}),
      data: { contactId: 'c1', channel: 'sms', purpose: 'transactional', granted, source },
    });
    // The CRM's clock runs 4 minutes fast; the STOP is received a minute after its grant.
    await engine.ingest(smsConsent(true, 'CRM', '2026-03-23T08:24:00.000Z'), '2026-03-23T08:20:00.000Z');
    await engine.ingest(smsConsent(false, 'STOP'), '2026-03-23T08:21:00.000Z');
    expect(await deliver(step('sms'))).toMatchObject({ kind: 'suppressed', reason: 'opted_out' });
    expect(await engine.outbox.list()).toHaveLength(0);
  });

  it('a sent email is transactional: the human contact line and payment link, no tracking, no unsubscribe header', async () => {
    await deliver(step('email'));
    const [email] = await engine.outbox.list();
    expect(email?.text).toContain('Claire Martin');
    expect(email?.text).toContain('https://pay.maison-exemple.fr/facture/FA-1');
    expect(email?.html).toContain('<a href="https://pay.maison-exemple.fr/facture/FA-1"');
    expect(Object.keys(email?.headers ?? {}).map((h) => h.toLowerCase())).not.toContain('list-unsubscribe');
    const payload = JSON.stringify(email?.payload);
    expect(payload).toContain('"click_tracking":{"enable":false');
    expect(payload).toContain('"open_tracking":{"enable":false');
  });
});
