/**
 * GET /v1/kpis over a seeded store: every figure below is worked out by hand from the invoices,
 * payments, reminders and consents written here (period: April 2026, 30 days).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config';
import type { Kpis } from '../../domain/kpis';
import { ingestEvents } from '../../ingestion/ingest-events';
import type { Db } from '../../store/db';
import { authHeaders, buildTestApi } from '../helpers/api-auth';
import { createTestDb, type TestDb } from '../helpers/db';

const contact = (id: string) => ({
  type: 'contact.upserted',
  at: '2025-12-01T00:00:00Z',
  data: { id, email: `${id}@example.com`, locale: 'fr-FR', timezone: 'Europe/Paris', country: 'FR' },
});
const issued = (
  id: string,
  contactId: string,
  amount: string,
  issuedOn: string,
  dueDate: string,
  currency = 'EUR',
) => ({
  type: 'invoice.issued',
  at: `${issuedOn}T08:00:00Z`,
  data: { id, contactId, amount, currency, dueDate, issuedAt: `${issuedOn}T08:00:00Z` },
});
const payment = (invoiceId: string, amount: string, paidAt: string) => ({
  type: 'invoice.payment',
  at: paidAt,
  data: { invoiceId, amount, paidAt },
});
const withdrawal = (contactId: string, at: string) => ({
  type: 'contact.consent',
  at,
  data: { contactId, channel: 'email', purpose: 'marketing', granted: false, source: 'preference centre' },
});

/** A message the ledger records as sent. */
async function sent(
  db: Db,
  m: { contactId: string; subjectIds: string[]; sentAt: string; sequenceType: string },
) {
  const key = randomUUID();
  await db.query(
    `insert into messages (idempotency_key, dedup_key, sequence_type, channel, purpose, contact_id, subject_ids,
       status, planned_at, sent_at)
     values ($1, $1, $2, 'email', $3, $4, $5::jsonb, 'sent', $6, $6)`,
    [
      key,
      m.sequenceType,
      m.sequenceType === 'invoice-dunning' ? 'transactional' : 'marketing',
      m.contactId,
      JSON.stringify(m.subjectIds),
      m.sentAt,
    ],
  );
}

async function seed(db: Db): Promise<void> {
  const events = [
    ...['c1', 'c2', 'c3', 'c4'].map(contact),
    issued('A', 'c1', '1000.00', '2026-03-01', '2026-03-31'), // overdue from 1 April; 400 paid on 10 April
    issued('B', 'c1', '500.00', '2026-04-05', '2026-04-20'), // paid in full before due
    issued('C', 'c2', '300.00', '2026-04-02', '2026-04-10'), // overdue from 11 April, paid in full on 25 April
    issued('D', 'c1', '2000.00', '2026-01-10', '2026-01-20'), // 100 days past due at 30 April
    issued('E', 'c2', '800.00', '2026-04-20', '2026-05-20'), // not yet due
    issued('F', 'c2', '700.00', '2026-02-01', '2026-02-28'), // paid in full in March: out of April's figures
    issued('G', 'c2', '999.00', '2026-04-03', '2026-04-30'), // cancelled: counted nowhere
    issued('H', 'c1', '250.00', '2026-02-15', '2026-03-10'), // 51 days past due
    issued('I', 'c1', '150.00', '2026-01-15', '2026-02-15'), // 74 days past due
    issued('J', 'c2', '100.00', '2026-04-01', '2026-04-15'), // overdue from 16 April, paid only in May
    issued('U', 'c2', '1200.00', '2026-04-10', '2026-04-30', 'USD'), // paid on its due date
    payment('A', '400.00', '2026-04-10T09:00:00Z'),
    payment('B', '500.00', '2026-04-18T09:00:00Z'),
    payment('C', '100.00', '2026-04-12T09:00:00Z'),
    payment('C', '200.00', '2026-04-25T09:00:00Z'),
    payment('F', '700.00', '2026-03-15T09:00:00Z'),
    payment('J', '100.00', '2026-05-05T09:00:00Z'),
    payment('U', '1200.00', '2026-04-30T20:00:00Z'),
    { type: 'invoice.cancelled', at: '2026-04-04T00:00:00Z', data: { invoiceId: 'G' } },
    withdrawal('c1', '2026-03-20T10:00:00Z'), // before the period
    withdrawal('c3', '2026-04-12T10:00:00Z'), // messaged in April: counts
    withdrawal('c4', '2026-04-13T10:00:00Z'), // never messaged: does not count
  ];
  await ingestEvents({ db, config: loadConfig() }, events, '2026-11-01T00:00:00Z');
  const reminder = (contactId: string, id: string, sentAt: string) =>
    sent(db, { contactId, subjectIds: [id], sentAt, sequenceType: 'invoice-dunning' });
  await reminder('c1', 'B', '2026-04-15T07:30:00Z');
  await reminder('c2', 'C', '2026-04-11T07:30:00Z');
  await reminder('c2', 'C', '2026-04-16T07:30:00Z');
  await reminder('c2', 'C', '2026-04-16T07:31:00Z'); // the same step by SMS
  await reminder('c2', 'C', '2026-04-26T07:30:00Z'); // after C was paid in full: not counted
  await sent(db, {
    contactId: 'c3',
    subjectIds: ['B'],
    sentAt: '2026-04-08T10:00:00Z',
    sequenceType: 'campaign',
  });
  await sent(db, {
    contactId: 'c4',
    subjectIds: [],
    sentAt: '2026-05-02T10:00:00Z',
    sequenceType: 'campaign',
  });
}

describe('GET /v1/kpis', () => {
  let testDb: TestDb;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    testDb = await createTestDb();
    app = await buildTestApi(testDb.db);
    await seed(testDb.db);
    for (const role of ['agent', 'marketing', 'finance']) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/tokens',
        headers: { ...authHeaders, 'content-type': 'application/json' },
        payload: { name: `The ${role}`, role },
      });
      tokens[role] = res.json<{ token: string }>().token;
    }
  });
  afterAll(async () => {
    await app.close();
    await testDb.drop();
  });

  const get = (query: string, role = 'finance') =>
    app.inject({
      method: 'GET',
      url: `/v1/kpis${query}`,
      headers: { authorization: `Bearer ${tokens[role]}` },
    });

  it('when finance asks for April 2026, then each KPI is the figure worked out by hand', async () => {
    const res = await get('?from=2026-04-01&to=2026-04-30');
    expect(res.statusCode).toBe(200);
    const kpis = res.json<Kpis>();
    expect(kpis.days).toBe(30);
    expect(kpis.byCurrency.EUR).toEqual({
      // open at the end of April: A 600 + D 2000 + E 800 + H 250 + I 150 + J 100; invoiced: B, C, E, J
      dso: { days: 68.8, receivables: '3900.00', invoiced: '1700.00' }, // 3900 / 1700 × 30 = 68.82
      ageing: {
        notYetDue: '800.00',
        '0-30': '700.00',
        '31-60': '250.00',
        '61-90': '150.00',
        '90+': '2000.00',
      },
      // became overdue in April: A 1000 (400 paid since), C 300 (all paid since), J 100 (paid in May)
      recovery: { becameOverdue: '1400.00', recovered: '700.00', rate: 0.5 },
    });
    expect(kpis.byCurrency.USD).toEqual({
      dso: { days: 0, receivables: '0.00', invoiced: '1200.00' },
      ageing: { notYetDue: '0.00', '0-30': '0.00', '31-60': '0.00', '61-90': '0.00', '90+': '0.00' },
      recovery: { becameOverdue: '0.00', recovered: '0.00', rate: null },
    });
    // B before due, U on its due date (on time), C after
    expect(kpis.paidBeforeDue).toEqual({ paidInFull: 3, beforeDue: 2, share: 0.6667 });
    // B 1, C 3 (the reminder after its payment is not counted), U 0; the campaign naming B is no reminder
    expect(kpis.remindersPerPaidInvoice).toEqual({ paidInFull: 3, reminders: 4, average: 1.33 });
    // messaged in April: c1, c2, c3; of them c3 withdrew in April (c1 in March, c4 was not messaged)
    expect(kpis.optOut).toEqual({ contactsMessaged: 3, contactsWithdrew: 1, rate: 0.3333 });
  });

  it('when the period is the first half of April, then payments and reminders after it do not count', async () => {
    const kpis = (await get('?from=2026-04-01&to=2026-04-15')).json<Kpis>();
    // open on 15 April: A 600, C 200, D 2000, H 250, I 150, J 100, B 500 (due 20th); E and U not yet issued
    // invoiced: B, C, J; 3800 / 900 × 15 = 63.33
    expect(kpis.byCurrency.EUR?.dso).toEqual({ days: 63.3, receivables: '3800.00', invoiced: '900.00' });
    expect(kpis.byCurrency.EUR?.ageing).toEqual({
      notYetDue: '600.00', // B 500 and J 100, due that very day
      '0-30': '800.00', // A 600 (15 days), C 200 (5 days)
      '31-60': '400.00', // H 36 days, I 59 days
      '61-90': '2000.00', // D 85 days
      '90+': '0.00',
    });
    expect(kpis.byCurrency.USD?.ageing.notYetDue).toBe('1200.00');
    expect(kpis.paidBeforeDue).toEqual({ paidInFull: 0, beforeDue: 0, share: null });
    expect(kpis.optOut).toEqual({ contactsMessaged: 3, contactsWithdrew: 1, rate: 0.3333 });
  });

  it('when the query is wrong, then 400 names the parameter and says what was expected', async () => {
    const cases: [string, string][] = [
      ['?from=2026-04-30&to=2026-04-01', 'query.to'],
      ['?from=2026-02-30&to=2026-04-01', 'query.from'],
      ['?from=2026-04-01', 'query.to'],
      ['?from=april&to=2026-04-01', 'query.from'],
      ['?from=2024-01-01&to=2026-01-02', 'query.to'],
    ];
    for (const [query, path] of cases) {
      const res = await get(query);
      expect(res.statusCode, query).toBe(400);
      expect(
        res.json<{ issues: { path: string }[] }>().issues.map((i) => i.path),
        query,
      ).toEqual([path]);
    }
    expect((await get('?from=2024-01-01&to=2026-01-01')).statusCode).toBe(200); // two years exactly
  });

  it('when an agent, marketing or nobody asks, then 403 or 401: KPIs are finance’s', async () => {
    expect((await get('?from=2026-04-01&to=2026-04-30', 'agent')).statusCode).toBe(403);
    expect((await get('?from=2026-04-01&to=2026-04-30', 'marketing')).statusCode).toBe(403);
    const anonymous = await app.inject({ method: 'GET', url: '/v1/kpis?from=2026-04-01&to=2026-04-30' });
    expect(anonymous.statusCode).toBe(401);
    const admin = await app.inject({
      method: 'GET',
      url: '/v1/kpis?from=2026-04-01&to=2026-04-30',
      headers: authHeaders,
    });
    expect(admin.statusCode).toBe(200);
  });
});
