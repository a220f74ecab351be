/**
 * Schedule versions in the store: what the YAML seeds at each start, what the API adds, and the
 * version each sequence keeps once it has started.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config';
import type { RelanceConfig, ScheduleConfig } from '../../config/schema';
import {
  latestSchedule,
  listScheduleVersions,
  putSchedule,
  scheduleForSequence,
  scheduleIds,
  seedConfigSchedules,
} from '../../store/schedule-repository';
import { upsertContact } from '../../store/contact-repository';
import { insertInvoice } from '../../store/invoice-repository';
import { migrate } from '../../store/migrate';
import { createTestDb, type TestDb } from '../helpers/db';

const ID = 'invoice-standard';

function standard(config: RelanceConfig): ScheduleConfig {
  const schedule = config.schedules[ID];
  if (!schedule) throw new Error('the default configuration has invoice-standard');
  return schedule;
}

/** The default configuration with invoice-standard's send time changed: another YAML. */
function withSendAt(sendAt: string): RelanceConfig {
  const config = loadConfig();
  return { ...config, schedules: { ...config.schedules, [ID]: { ...standard(config), sendAt } } };
}

describe('schedule versions', () => {
  let testDb: TestDb;
  beforeEach(async () => {
    testDb = await createTestDb();
  });
  afterEach(async () => {
    await testDb.drop();
  });
  const history = async (config: RelanceConfig) =>
    (await listScheduleVersions(testDb.db, config, ID)).map(
      (v) => `${v.version} ${v.source} ${v.schedule.sendAt}`,
    );

  it('when the service restarts with the same YAML, then no version is added and the API’s stays in force', async () => {
    const config = loadConfig();
    expect(await seedConfigSchedules(testDb.db, config)).toContainEqual({ scheduleId: ID, version: 1 });
    const edited = { ...standard(config), sendAt: '11:00' };
    expect(await putSchedule(testDb.db, config, ID, edited, 'Alice (finance)')).toBe(2);
    expect(await putSchedule(testDb.db, config, ID, edited, 'Bob (marketing)')).toBe(2); // the same again
    expect(await seedConfigSchedules(testDb.db, loadConfig())).toEqual([]);
    expect((await latestSchedule(testDb.db, config, ID))?.schedule.sendAt).toBe('11:00');
    expect(await history(config)).toEqual(['1 config 09:30', '2 api 11:00']);
  });

  it('when the YAML changed between restarts, then it becomes the latest version and the API’s are kept', async () => {
    const config = loadConfig();
    await seedConfigSchedules(testDb.db, config);
    await putSchedule(testDb.db, config, ID, { ...standard(config), sendAt: '11:00' }, 'Alice (finance)');
    expect(await seedConfigSchedules(testDb.db, withSendAt('08:45'))).toEqual([
      { scheduleId: ID, version: 3 },
    ]);
    // Compared with the latest version the YAML seeded, not with the API's: going back is a change too.
    expect(await seedConfigSchedules(testDb.db, withSendAt('08:45'))).toEqual([]);
    expect(await seedConfigSchedules(testDb.db, config)).toEqual([{ scheduleId: ID, version: 4 }]);
    expect(await history(config)).toEqual([
      '1 config 09:30',
      '2 api 11:00',
      '3 config 08:45',
      '4 config 09:30',
    ]);
  });

  it('when a sequence starts, then it is pinned to the latest version and keeps it after a new one', async () => {
    const config = loadConfig();
    const first = await scheduleForSequence(testDb.db, config, { sequenceId: 'seq/A', scheduleId: ID });
    expect(first?.version).toBe(1);
    await putSchedule(testDb.db, config, ID, { ...standard(config), sendAt: '11:00' }, null);
    const again = await scheduleForSequence(testDb.db, config, { sequenceId: 'seq/A', scheduleId: ID });
    expect([again?.version, again?.schedule.sendAt]).toEqual([1, '09:30']);
    const later = await scheduleForSequence(testDb.db, config, { sequenceId: 'seq/B', scheduleId: ID });
    expect([later?.version, later?.schedule.sendAt]).toEqual([2, '11:00']);
    expect(
      await scheduleForSequence(testDb.db, config, { sequenceId: 'seq/C', scheduleId: 'nope' }),
    ).toBeUndefined();
  });

  it('when a schedule is created through the API, then its id is one a sequence may name', async () => {
    const config = loadConfig();
    expect(await scheduleIds(testDb.db, config)).not.toContain('gentle');
    expect(await putSchedule(testDb.db, config, 'gentle', standard(config), 'Alice (finance)')).toBe(1);
    expect(await scheduleIds(testDb.db, config)).toContain('gentle');
    expect((await latestSchedule(testDb.db, config, 'gentle'))?.source).toBe('api');
  });

  it('when invoices existed before versions, then the upgrade pins their sequences to version 1', async () => {
    const { db } = testDb;
    // The store as it was before migration 012, with one invoice already running.
    await db.query('drop table sequence_schedules');
    await db.query('drop table schedule_versions');
    await db.query(`delete from schema_migrations where version = '012_schedule_versions.sql'`);
    const at = '2026-03-01T09:00:00.000Z';
    await upsertContact(db, { id: 'c1', locale: 'fr-FR', timezone: 'Europe/Paris' }, at);
    await insertInvoice(
      db,
      {
        id: 'INV-OLD',
        contactId: 'c1',
        number: null,
        amountMinor: 1000,
        currency: 'EUR',
        issuedAt: null,
        dueDate: '2026-03-20',
        paymentUrl: null,
        scheduleId: ID,
      },
      at,
    );
    expect(await migrate(db)).toEqual(['012_schedule_versions.sql']);

    const config = loadConfig();
    await seedConfigSchedules(db, config);
    await putSchedule(db, config, ID, { ...standard(config), sendAt: '11:00' }, 'Alice (finance)');
    const old = await scheduleForSequence(db, config, {
      sequenceId: 'invoice-dunning/INV-OLD',
      scheduleId: ID,
    });
    expect([old?.version, old?.schedule.sendAt]).toEqual([1, '09:30']);
  });

  it('when a sequence starts on a seeded store, then its schedule is pinned in one statement and nothing is seeded again', async () => {
    const { db } = testDb;
    const config = loadConfig();
    await seedConfigSchedules(db, config);
    const statements: string[] = [];
    const counting = {
      query: <T>(text: string, params?: unknown[]) => {
        statements.push(text.trim().split(/\s+/).slice(0, 3).join(' '));
        return db.query<T>(text, params);
      },
    };
    const pinned = await scheduleForSequence(counting, config, {
      sequenceId: 'invoice-dunning/INV-1',
      scheduleId: ID,
    });
    expect(pinned?.version).toBe(1);
    // Pin the latest version and read it back, at once: the planning of every new sequence.
    expect(statements).toEqual(['with pin as']);
    // A second planning of the same sequence finds it pinned, then reads its pin and that version.
    statements.length = 0;
    const again = await scheduleForSequence(counting, config, {
      sequenceId: 'invoice-dunning/INV-1',
      scheduleId: ID,
    });
    expect(again?.version).toBe(1);
    expect(statements.length).toBe(3);
  });
});
