/**
 * A contact's customer type, as upserts leave it: consumer unless said otherwise, kept when an
 * update leaves it out (as every other field), changed when an update gives it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getContact, upsertContact } from '../../store/contact-repository';
import { createTestDb, drivers, type TestDb } from '../helpers/db';

const base = { id: 'c1', locale: 'fr-FR', timezone: 'Europe/Paris', country: 'FR' };
const at = '2026-03-02T08:00:00.000Z';

describe.each(drivers)('customer type of a contact (%s)', (driver) => {
  let testDb: TestDb;
  afterEach(() => testDb.drop());

  it('when a contact comes without a customer type, then it is a consumer', async () => {
    testDb = await createTestDb(driver);
    await upsertContact(testDb.db, base, at);
    expect((await getContact(testDb.db, 'c1'))?.customerType).toBe('consumer');
  });

  it('when a business is updated without the field, then it stays a business; when the field is given, then it changes', async () => {
    testDb = await createTestDb(driver);
    const { db } = testDb;
    await upsertContact(db, { ...base, customerType: 'business' }, at);
    await upsertContact(db, { ...base, locale: 'en-GB' }, at);
    expect(await getContact(db, 'c1')).toMatchObject({ customerType: 'business', locale: 'en-GB' });
    await upsertContact(db, { ...base, customerType: 'consumer' }, at);
    expect((await getContact(db, 'c1'))?.customerType).toBe('consumer');
  });

  it('when the store is asked to hold another type, then it refuses', async () => {
    testDb = await createTestDb(driver);
    await upsertContact(testDb.db, base, at);
    await expect(
      testDb.db.query(`update contacts set customer_type = 'company' where id = 'c1'`),
    ).rejects.toThrow(/customer_type/);
  });
});
