/**
 * The stack's outbox store (the database): a SendGrid request of many personalizations is
 * recorded in one statement, every recipient in the request's order, and counted per channel
 * without being read (a count kept by the inserting statement, migration 017).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqlOutboxStore, type OutboxRecord } from '../../channels/outbox/outbox-store';
import { createTestDb, drivers, type TestDb } from '../helpers/db';

const record = (i: number): OutboxRecord => ({
  id: `msg.${i}`,
  channel: 'email',
  to: `r${i}@example.com`,
  from: 'offers@relance.test',
  subject: `Offer ${i}`,
  text: `Hello R${i}`,
  html: i % 2 === 0 ? `<p>Hello R${i}</p>` : null,
  headers: { 'List-Unsubscribe': `<https://relance.test/u/${i}>` },
  payload: { personalizations: [{ to: [{ email: `r${i}@example.com` }] }] },
  idempotencyKey: i === 3 ? null : `key-${i}`,
  receivedAt: '2026-03-02T09:00:00.000Z',
});

describe.each(drivers)('outbox store (%s)', (driver) => {
  let testDb: TestDb;
  beforeEach(async () => {
    testDb = await createTestDb(driver);
  });
  afterEach(async () => {
    await testDb.drop();
  });

  it('when a request of 1,000 recipients is recorded at once, then each is kept as given, in order, and counted', async () => {
    const store = sqlOutboxStore(testDb.db);
    await store.record(record(-1));
    const all = Array.from({ length: 1000 }, (_, i) => record(i));
    await store.recordAll(all);

    const listed = await store.list();
    expect(listed).toEqual([record(-1), ...all]);
    expect(await store.findByIdempotencyKey('key-999')).toEqual(record(999));
    expect(await store.count()).toBe(1001);
    expect(await store.count({ channel: 'sms' })).toBe(0);
    await store.record({ ...record(1001), channel: 'sms', to: '+33612345678', html: null });
    expect(await store.count({ channel: 'sms' })).toBe(1);
    expect(await store.count({ channel: 'email' })).toBe(1001);
  });
});
