/** Template previews over HTTP: what the console shows a marketing or finance user. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../api/server';
import { loadConfig } from '../../config/load-config';
import { createTemplates } from '../../runtime/engine';
import { variableSets } from '../../templates/variables';
import { createTestDb, type TestDb } from '../helpers/db';
import { authHeaders, TEST_ADMIN_TOKEN } from '../helpers/api-auth';

describe('template previews', () => {
  let testDb: TestDb;
  let app: FastifyInstance;
  beforeAll(async () => {
    testDb = await createTestDb();
    const config = loadConfig();
    app = await buildApi({
      adminToken: TEST_ADMIN_TOKEN,
      db: testDb.db,
      config,
      templates: createTemplates(config),
    });
  });
  afterAll(async () => {
    await app.close();
    await testDb.drop();
  });

  it('when a user previews an SMS, then it is rendered in the locale with its segment count', async () => {
    const res = await app.inject({
      headers: authHeaders,
      url: '/v1/templates/invoice-overdue-2/preview?locale=fr-FR&channel=sms',
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ text: string; segments: number; encoding: string; locale: string }>();
    expect(body.locale).toBe('fr-FR');
    expect(body.text).toContain('12 345,67 €');
    expect(body.encoding).toBe('GSM-7');
    expect(body.segments).toBe(2);
  });

  it('when a user posts their own data, then the email renders with it, escaped in HTML', async () => {
    const data = {
      contact: { firstName: '<b>Zoé</b>', lastName: null },
      company: {
        name: 'ACME',
        collections: { name: 'Léa', email: 'lea@acme.fr', phone: '+33140000000', hours: '9-18' },
      },
      invoices: [
        {
          id: 'I1',
          number: 'F1',
          amount: { minor: 1000, currency: 'EUR' },
          amountDue: { minor: 1000, currency: 'EUR' },
          dueDate: '2026-03-18',
          paymentUrl: 'https://pay.example.com/F1',
          daysOverdue: 1,
        },
      ],
      invoice: {
        id: 'I1',
        number: 'F1',
        amount: { minor: 1000, currency: 'EUR' },
        amountDue: { minor: 1000, currency: 'EUR' },
        dueDate: '2026-03-18',
        paymentUrl: 'https://pay.example.com/F1',
        daysOverdue: 1,
      },
      totalDue: { minor: 1000, currency: 'EUR' },
      latePayment: { paymentDays: 8, interest: null, fixedIndemnity: null },
    };
    const res = await app.inject({
      headers: authHeaders,
      method: 'POST',
      url: '/v1/templates/invoice-overdue-1/preview?locale=en-GB&channel=email',
      payload: data,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ subject: string; text: string; html: string }>();
    expect(body.subject).toBe('Reminder: invoice F1 awaiting payment');
    expect(body.text).toContain('Dear <b>Zoé</b>,');
    expect(body.html).toContain('&lt;b&gt;Zoé&lt;/b&gt;');
  });

  it('when the data lacks a variable, then the answer names it', async () => {
    const res = await app.inject({
      headers: authHeaders,
      method: 'POST',
      url: '/v1/templates/invoice-overdue-1/preview?channel=email',
      payload: { contact: { firstName: 'A', lastName: null } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(/company: .*required|company/);
  });

  /** The voucher sample with the one voucher's label and link replaced. */
  const voucherWith = (label: string, url: string) => {
    const sample = variableSets['voucher-expiry'].sample;
    const item = { ...sample.item, label, url };
    return { ...sample, items: [item], item };
  };
  const previewSms = (data: object) =>
    app.inject({
      headers: authHeaders,
      method: 'POST',
      url: '/v1/templates/voucher-expiry-3/preview?locale=fr-FR&channel=sms',
      payload: data,
    });

  it('when a posted voucher has a 120-character label, then the preview shows the compact SMS that goes out, within budget', async () => {
    const res = await previewSms(voucherWith('B'.repeat(120), 'https://www.maison-exemple.fr/bons'));
    expect(res.statusCode).toBe(200);
    const body = res.json<{ text: string; segments: number; compact?: boolean }>();
    expect(body.compact).toBe(true);
    expect(body.segments).toBeLessThanOrEqual(2);
    expect(body.text).toContain("votre bon d'achat NOEL2026ABCD (10,00 €) expire le 15 mars 2026.");
  });

  it('when even the compact SMS is over budget, then the answer is 400 naming the template, locale and count', async () => {
    const item = { ...variableSets['voucher-expiry'].sample.item, code: 'C'.repeat(400) };
    const res = await previewSms({ ...voucherWith('Bon', 'https://x.example'), items: [item], item });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(
      /template "voucher-expiry-3" \(sms, fr-FR\) takes \d segments .* even in its compact form/,
    );
  });

  it('when the template does not exist, then 404', async () => {
    expect((await app.inject({ headers: authHeaders, url: '/v1/templates/nope/preview' })).statusCode).toBe(
      404,
    );
  });
});
