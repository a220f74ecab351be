/**
 * Frequency caps hold under real concurrency: two sequences sending to one contact at the same
 * instant cannot both pass a cap of one message per local day. Run against PGlite and, when
 * TEST_DATABASE_URL is set (CI), against PostgreSQL with concurrent transactions on separate
 * connections.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliverInput } from '../../activities';
import { allMessages } from '../../store/ledger-repository';
import { createTestDb, drivers, type TestDb } from '../helpers/db';
import { createTestEngine, marie, type TestEngine } from '../helpers/engine';

describe.each(drivers)('caps under concurrency (%s)', (driver) => {
  let testDb: TestDb;
  let engine: TestEngine;
  afterEach(async () => {
    await engine.close();
    await testDb.drop();
  });

  const send = (invoiceId: string, step: string): DeliverInput => ({
    sequenceId: `invoice-dunning/${invoiceId}`,
    sequenceType: 'invoice-dunning',
    step,
    round: 0,
    channel: 'email',
    template: `invoice-${step}`,
    purpose: 'transactional',
    kind: 'escalation',
    contactId: 'c1',
    plannedAt: '2026-03-19T08:30:00.000Z',
    content: { kind: 'invoice', subjectIds: [invoiceId], mergeSameDay: false },
  });

  it('when two sequences send to one contact at the same instant, then one is sent and the other waits for the next day', async () => {
    testDb = await createTestDb(driver);
    engine = await createTestEngine(testDb.db);
    await engine.ingest(
      [
        { type: 'contact.upserted', data: marie },
        {
          type: 'invoice.issued',
          data: { id: 'INV-1', contactId: 'c1', amount: '100.00', currency: 'EUR', dueDate: '2026-03-18' },
        },
        {
          type: 'invoice.issued',
          data: { id: 'INV-2', contactId: 'c1', amount: '200.00', currency: 'EUR', dueDate: '2026-03-14' },
        },
      ],
      '2026-03-02T09:00:00.000Z',
    );
    const at = '2026-03-19T08:30:00.000Z'; // Thursday 09:30 in Paris
    const outcomes = await Promise.all([
      engine.runAt(at, () => engine.activities.deliverMessage(send('INV-1', 'overdue-1'))),
      engine.runAt(at, () => engine.activities.deliverMessage(send('INV-2', 'overdue-2'))),
    ]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['deferred', 'sent']);
    const deferred = outcomes.find((o) => o.kind === 'deferred');
    expect(deferred?.kind === 'deferred' && deferred.until).toBe('2026-03-20T07:00:00.000Z'); // Friday 08:00 Paris
    expect(await engine.outbox.list()).toHaveLength(1);
    const ledger = await allMessages(testDb.db);
    expect(ledger.map((m) => m.status).sort()).toEqual(['deferred', 'sent']);
  });

  it('when ten sends race for one contact, then exactly one message leaves that day', async () => {
    testDb = await createTestDb(driver);
    engine = await createTestEngine(testDb.db);
    const invoices = Array.from({ length: 10 }, (_, i) => `INV-${i}`);
    await engine.ingest(
      [
        { type: 'contact.upserted', data: marie },
        ...invoices.map((id) => ({
          type: 'invoice.issued',
          data: { id, contactId: 'c1', amount: '10.00', currency: 'EUR', dueDate: '2026-03-18' },
        })),
      ],
      '2026-03-02T09:00:00.000Z',
    );
    const at = '2026-03-19T10:00:00.000Z';
    const outcomes = await Promise.all(
      invoices.map((id) => engine.runAt(at, () => engine.activities.deliverMessage(send(id, 'overdue-1')))),
    );
    expect(outcomes.filter((o) => o.kind === 'sent')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'deferred')).toHaveLength(9);
    expect(await engine.outbox.list()).toHaveLength(1);
  });
});
