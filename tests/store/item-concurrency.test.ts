/**
 * Points hold under concurrent batches: two batches that each use 60 of a lot's 100 points at
 * the same moment cannot both pass the "no more than is left" check. On PostgreSQL (when
 * TEST_DATABASE_URL is set) they run on separate connections: the second waits for the first's
 * lock on the lot, then is refused with a 400 naming the field, never a database error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config';
import { RelanceError } from '../../domain/errors';
import { ingestEvents } from '../../ingestion/ingest-events';
import { getItem } from '../../store/item-repository';
import { createTestDb, drivers, type TestDb } from '../helpers/db';
import { marie } from '../helpers/engine';

const now = '2026-03-02T08:00:00.000Z';

describe.each(drivers)('items under concurrent batches (%s)', (driver) => {
  let testDb: TestDb;
  afterEach(() => testDb.drop());

  it('when two batches use more points together than the lot holds, then one is applied and the other is a 400 on data.points', async () => {
    testDb = await createTestDb(driver);
    const deps = { db: testDb.db, config: loadConfig() };
    await ingestEvents(
      deps,
      [
        { type: 'contact.upserted', data: marie },
        {
          type: 'points.credited',
          data: { id: 'LOT-1', contactId: 'c1', points: 100, expiresOn: '2026-05-31' },
        },
      ],
      now,
    );
    // Connections opened beforehand, so that the batches overlap rather than queue for one.
    await Promise.all([1, 2, 3].map(() => testDb.db.query('select pg_sleep(0.05)')));
    const use = () => ingestEvents(deps, { type: 'points.used', data: { lotId: 'LOT-1', points: 60 } }, now);
    const outcomes = await Promise.allSettled([use(), use(), use()]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') continue;
      const error: unknown = outcome.reason;
      expect(error).toBeInstanceOf(RelanceError);
      expect((error as RelanceError).issues.map((i) => i.path)).toEqual(['data.points']);
    }
    expect(await getItem(testDb.db, 'points', 'LOT-1')).toMatchObject({ pointsLeft: 40, status: 'live' });
  });
});
