/**
 * POST /v1/events and GET /v1/invoices/{id} on the real API (port 0) over a real database:
 * the contract's validation, all-or-nothing batches and idempotency on event ids.
 */
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApi } from '../../api/server';
import { loadConfig } from '../../config/load-config';
import { createTestDb, drivers, type TestDb } from '../helpers/db';
import { marie } from '../helpers/engine';
import { authHeaders, TEST_ADMIN_TOKEN } from '../helpers/api-auth';

interface ErrorBody {
  error: string;
  issues: { path: string; message: string }[];
}

describe.each(drivers)('the events API (%s)', (driver) => {
  let testDb: TestDb;
  let app: FastifyInstance;
  let base: string;
  let committed = 0;

  beforeEach(async () => {
    testDb = await createTestDb(driver);
    app = await buildApi({
      adminToken: TEST_ADMIN_TOKEN,
      db: testDb.db,
      config: loadConfig(),
      onCommitted: () => (committed += 1),
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await app.close();
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
  const invoice = {
    id: 'INV-1',
    contactId: 'c1',
    number: 'FA-1',
    amount: '1250.00',
    currency: 'EUR',
    dueDate: '2026-03-18',
  };

  it('when a contact and an invoice arrive in one batch, then both are accepted and the invoice is readable', async () => {
    const res = await post([
      { id: 'evt-1', type: 'contact.upserted', data: marie },
      { id: 'evt-2', type: 'invoice.issued', at: '2026-03-02T09:00:00+01:00', data: invoice },
    ]);
    expect(res.status).toBe(202);
    expect(res.body.results).toEqual([
      { id: 'evt-1', type: 'contact.upserted', status: 'accepted' },
      { id: 'evt-2', type: 'invoice.issued', status: 'accepted' },
    ]);
    const got = (await (await fetch(`${base}/v1/invoices/INV-1`, { headers: authHeaders })).json()) as {
      invoice: Record<string, unknown>;
      sequence: unknown;
      messages: unknown[];
    };
    expect(got.invoice).toMatchObject({
      id: 'INV-1',
      amount: '1250.00',
      amountDue: '1250.00',
      currency: 'EUR',
      dueDate: '2026-03-18',
      status: 'open',
      schedule: 'invoice-standard',
    });
    expect(got.messages).toEqual([]);
    expect(committed).toBe(1);
  });

  it('when an event id was already accepted, then it is acknowledged and ignored', async () => {
    await post([
      { id: 'evt-1', type: 'contact.upserted', data: marie },
      { id: 'evt-2', type: 'invoice.issued', data: invoice },
    ]);
    const again = await post({
      id: 'evt-3',
      type: 'invoice.payment',
      data: { invoiceId: 'INV-1', amount: '250.00' },
    });
    const replay = await post({
      id: 'evt-3',
      type: 'invoice.payment',
      data: { invoiceId: 'INV-1', amount: '250.00' },
    });
    expect(again.body.results).toEqual([expect.objectContaining({ status: 'accepted' })]);
    expect(replay.status).toBe(202);
    expect(replay.body.results).toEqual([expect.objectContaining({ id: 'evt-3', status: 'duplicate' })]);
    const got = (await (await fetch(`${base}/v1/invoices/INV-1`, { headers: authHeaders })).json()) as {
      invoice: { amountDue: string };
    };
    expect(got.invoice.amountDue).toBe('1000.00'); // paid once, not twice
  });

  it('when a second invoice.issued names the same invoice, then no second sequence is started and the first invoice is kept', async () => {
    await post([
      { type: 'contact.upserted', data: marie },
      { type: 'invoice.issued', data: invoice },
    ]);
    const res = await post({ type: 'invoice.issued', data: { ...invoice, amount: '9.99' } });
    expect(res.body.results).toEqual([
      expect.objectContaining({
        status: 'accepted',
        note: expect.stringContaining('already issued') as unknown,
      }),
    ]);
    const got = (await (await fetch(`${base}/v1/invoices/INV-1`, { headers: authHeaders })).json()) as {
      invoice: { amount: string };
    };
    expect(got.invoice.amount).toBe('1250.00');
  });

  it('when a batch holds bad events, then every offending field is named and nothing of the batch is applied', async () => {
    const res = await post([
      { id: 'ok-1', type: 'contact.upserted', data: { ...marie, id: 'c9' } },
      { type: 'invoice.issued', data: { ...invoice, contactId: 'ghost', amount: '12,50', currency: 'EUX' } },
      { type: 'invoice.payment', data: { invoiceId: 'nope', amount: '1.234' } },
      {
        type: 'contact.upserted',
        data: { id: 'x', locale: 'french', timezone: 'Mars/Olympus', phone: '0612345678' },
      },
      { type: 'invoice.teleported', data: {} },
    ]);
    expect(res.status).toBe(400);
    const body = res.body as unknown as ErrorBody;
    expect(body.error).toBe('INVALID_INPUT');
    const paths = body.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '[1].data.amount',
        '[1].data.currency',
        '[2].data.invoiceId',
        '[3].data.locale',
        '[3].data.timezone',
        '[3].data.phone',
        '[4].type',
      ]),
    );
    expect(body.issues.find((i) => i.path === '[3].data.phone')?.message).toContain('E.164');
    const contact = await fetch(`${base}/v1/contacts/c9/consents`, { headers: authHeaders });
    expect(contact.status).toBe(404); // the valid first event was not applied either
  });

  it('when an invoice names an unknown contact, then the answer says which and how to fix it', async () => {
    const res = await post({ type: 'invoice.issued', data: invoice });
    expect(res.status).toBe(400);
    expect((res.body as unknown as ErrorBody).issues).toEqual([
      { path: 'data.contactId', message: expect.stringContaining('unknown contact "c1"') as unknown },
    ]);
  });

  it('when an invoice names an expiry schedule, then it is refused naming the invoice schedules', async () => {
    const res = await post([
      { type: 'contact.upserted', data: marie },
      { type: 'invoice.issued', data: { ...invoice, schedule: 'voucher-expiry' } },
    ]);
    expect(res.status).toBe(400);
    expect((res.body as unknown as ErrorBody).issues).toEqual([
      {
        path: '[1].data.schedule',
        message: 'unknown invoice schedule "voucher-expiry"; known: invoice-standard',
      },
    ]);
  });

  it('when the amount has more decimals than the currency allows, then it is rejected', async () => {
    await post({ type: 'contact.upserted', data: marie });
    const yen = await post({
      type: 'invoice.issued',
      data: { ...invoice, amount: '1250.50', currency: 'JPY' },
    });
    expect((yen.body as unknown as ErrorBody).issues[0]).toEqual({
      path: 'data.amount',
      message: 'expected at most 0 decimal places for JPY',
    });
  });

  it('when the body is not JSON, then a 400 says so', async () => {
    const response = await fetch(`${base}/v1/events`, {
      method: 'POST',
      headers: { ...authHeaders, 'content-type': 'application/json' },
      body: '{"type": "contact.',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error).toBe('INVALID_INPUT');
  });

  it('when an invoice does not exist, then GET answers 404', async () => {
    const response = await fetch(`${base}/v1/invoices/NOPE`, { headers: authHeaders });
    expect(response.status).toBe(404);
  });

  it('when a payment plan does not cover the amount due, then it is refused with the figures', async () => {
    await post([
      { type: 'contact.upserted', data: marie },
      { type: 'invoice.issued', data: invoice },
    ]);
    const res = await post({
      type: 'invoice.payment_plan',
      data: { invoiceId: 'INV-1', installments: [{ dueDate: '2026-04-01', amount: '100.00' }] },
    });
    expect(res.status).toBe(400);
    expect((res.body as unknown as ErrorBody).issues[0]?.path).toBe('data.installments');
  });

  it('when an event is dated more than 5 minutes ahead of the server clock, then the batch is refused naming its at', async () => {
    const ahead = new Date(Date.now() + 10 * 60_000).toISOString();
    const res = await post([
      { type: 'contact.upserted', data: { ...marie, id: 'c9' } },
      {
        type: 'contact.consent',
        at: ahead,
        data: { contactId: 'c9', channel: 'sms', purpose: 'marketing', granted: true, source: 'CRM' },
      },
    ]);
    expect(res.status).toBe(400);
    expect((res.body as unknown as ErrorBody).issues).toEqual([
      { path: '[1].at', message: expect.stringContaining('5 minutes') as unknown },
    ]);
    expect((await fetch(`${base}/v1/contacts/c9/consents`, { headers: authHeaders })).status).toBe(404); // nothing applied

    const skewed = new Date(Date.now() + 2 * 60_000).toISOString(); // within the allowed skew
    expect((await post({ type: 'contact.upserted', at: skewed, data: marie })).status).toBe(202);
  });

  describe('a promise to pay', () => {
    const promise = (promisedDate: string, at: string) => ({
      type: 'invoice.promise_to_pay',
      at,
      data: { invoiceId: 'INV-1', promisedDate, amount: '500.00' },
    });
    const promiseOf = async () =>
      (
        (await (await fetch(`${base}/v1/invoices/INV-1`, { headers: authHeaders })).json()) as {
          invoice: { promiseToPay: unknown };
        }
      ).invoice.promiseToPay;

    // Dates are judged by Relance's clock, in the contact's zone (Paris), whatever the event's `at`.
    const parisDay = (days: number) =>
      DateTime.now().setZone('Europe/Paris').plus({ days }).toISODate() ?? '';

    it('when the promised date is already past for the contact, then it is refused and nothing of the batch is applied', async () => {
      await post([
        { type: 'contact.upserted', data: marie },
        { type: 'invoice.issued', data: invoice },
      ]);
      // Dated two days back, when yesterday was still ahead: by now the promise has lapsed.
      const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
      const res = await post([
        { type: 'invoice.payment', data: { invoiceId: 'INV-1', amount: '10.00' } },
        promise(parisDay(-1), twoDaysAgo),
      ]);
      expect(res.status).toBe(400);
      expect((res.body as unknown as ErrorBody).issues).toEqual([
        { path: '[1].data.promisedDate', message: expect.stringContaining(parisDay(0)) as unknown },
      ]);
      expect(await promiseOf()).toBeNull();
      const got = (await (await fetch(`${base}/v1/invoices/INV-1`, { headers: authHeaders })).json()) as {
        invoice: { amountDue: string };
      };
      expect(got.invoice.amountDue).toBe('1250.00');
    });

    it('when the promised date is further ahead than the horizon (90 days), then it is refused', async () => {
      await post([
        { type: 'contact.upserted', data: marie },
        { type: 'invoice.issued', data: invoice },
      ]);
      const now = new Date().toISOString();
      const far = await post(promise(parisDay(91), now));
      expect(far.status).toBe(400);
      expect((far.body as unknown as ErrorBody).issues[0]?.path).toBe('data.promisedDate');
      expect(await promiseOf()).toBeNull();

      const edge = await post(promise(parisDay(90), now));
      expect(edge.status).toBe(202);
      expect(await promiseOf()).toMatchObject({ date: parisDay(90), status: 'active' });
    });
  });

  it('serves its OpenAPI description', async () => {
    const doc = (await (await fetch(`${base}/v1/openapi.json`, { headers: authHeaders })).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/events', '/v1/invoices/{id}', '/v1/outbox']),
    );
  });
});
