/**
 * The dispatcher never stops on what Temporal says about an event: an error whose text the
 * database cannot store (a NUL, half a surrogate pair) is recorded readably, the event is set
 * aside after its attempts, and the events behind it still go out.
 */
import type { Client } from '@temporalio/client';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config';
import { createDispatcher } from '../../ingestion/dispatcher';
import { ingestEvents } from '../../ingestion/ingest-events';
import { createLogger } from '../../runtime/logger';
import { createTestDb, drivers, type TestDb } from '../helpers/db';
import { marie } from '../helpers/engine';

/** Temporal's client at its network edge: refuses one invoice's workflow with an odd message. */
function fakeTemporal(started: string[]): Client {
  const workflow = {
    start: (_name: string, options: { workflowId: string }) => {
      if (options.workflowId.endsWith('INV-BAD'))
        return Promise.reject(new Error('refused: bad \u0000 payload \ud800'));
      started.push(options.workflowId);
      return Promise.resolve({});
    },
  };
  const client = { workflow, withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn() };
  return client as unknown as Client;
}

describe.each(drivers)('the dispatcher on odd errors (%s)', (driver) => {
  let testDb: TestDb;
  afterEach(async () => testDb.drop());

  it('when Temporal refuses an event with a message holding a NUL, then the error is kept, the event is set aside and the next one goes out', async () => {
    testDb = await createTestDb(driver);
    const invoice = (id: string) => ({
      type: 'invoice.issued',
      data: { id, contactId: 'c1', amount: '10.00', currency: 'EUR', dueDate: '2026-03-18' },
    });
    const deps = { db: testDb.db, config: loadConfig() };
    await ingestEvents(
      deps,
      [{ type: 'contact.upserted', data: marie }, invoice('INV-BAD'), invoice('INV-OK')],
      '2026-03-02T09:00:00.000Z',
    );
    const started: string[] = [];
    const dispatcher = createDispatcher({
      db: testDb.db,
      client: fakeTemporal(started),
      logger: createLogger('silent'),
    });
    const badRow = async () =>
      (
        await testDb.db.query<{
          last_error: string | null;
          dispatched_at: unknown;
          dispatch_attempts: number;
        }>(`select last_error, dispatched_at, dispatch_attempts from events where data->>'id' = 'INV-BAD'`)
      )[0];
    await dispatcher.drain();
    expect(await badRow()).toMatchObject({
      last_error: 'refused: bad \ufffd payload \ufffd',
      dispatch_attempts: 1,
      dispatched_at: null,
    });
    for (let attempt = 1; attempt < 5; attempt += 1) await dispatcher.drain();
    expect((await badRow())?.dispatched_at).not.toBeNull(); // set aside (and logged) after 5 attempts
    expect(started).toEqual(['invoice-dunning/INV-OK']);
  });
});
