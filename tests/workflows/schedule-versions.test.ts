/**
 * A schedule changed through the API applies to sequences that start after the change; one that
 * is running keeps the version it started with. Asserted on what the outbox received.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config';
import type { Db } from '../../store/db';
import { putSchedule } from '../../store/schedule-repository';
import { fixturePath, minute, simulateFile, type Simulated } from '../helpers/simulate';

const config = loadConfig();

/** Waits until the sequence has been pinned to a version by its first planning. */
async function pinned(db: Db, sequenceId: string): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    const rows = await db.query('select 1 from sequence_schedules where sequence_id = $1', [sequenceId]);
    if (rows.length > 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${sequenceId} was never planned`);
}

/**
 * Version 2 of invoice-standard: first reminder 3 days before, first overdue one 2 days after,
 * installment reminders 1 day before, at 11:00.
 */
async function saveVersion2(db: Db): Promise<void> {
  const standard = config.schedules['invoice-standard'];
  if (!standard?.installments) throw new Error('the default configuration has invoice-standard');
  const offsets: Record<string, number> = { 'pre-due': -3, 'overdue-1': 2 };
  const steps = standard.steps.map((s) => {
    const days = offsets[s.id];
    return days === undefined ? s : { ...s, offset: { days } };
  });
  expect(
    await putSchedule(
      db,
      config,
      'invoice-standard',
      {
        ...standard,
        sendAt: '11:00',
        steps,
        installments: { ...standard.installments, reminderDaysBefore: 1 },
      },
      'test',
    ),
  ).toBe(2);
}

describe('a schedule changed while a sequence runs', () => {
  let run: Simulated;
  beforeAll(async () => {
    run = await simulateFile(fixturePath('schedule-versions.yaml'), {
      onEvent: async (db, index) => {
        if (index !== 0) return;
        await pinned(db, 'invoice-dunning/INV-A');
        await saveVersion2(db);
      },
    });
  }, 120_000);

  const receivedAt = (to: string) =>
    run.outbox.filter((r) => r.channel === 'email' && r.to === to).map((r) => minute(r.receivedAt));

  it('when the invoice started before the change, then it keeps the old spacing (D-5, D+1, installment D-3, at 09:30)', () => {
    // The installment reminder is planned after the change: the pinned version still decides it.
    expect(receivedAt('anna@example.com')).toEqual([
      '2026-03-11T08:30Z',
      '2026-03-17T08:30Z',
      '2026-03-24T08:30Z',
    ]);
  });

  it('when the invoice starts after the change, then it follows the new version (D-3, D+2, installment D-1, at 11:00)', () => {
    expect(receivedAt('ben@example.com')).toEqual([
      '2026-03-13T10:00Z',
      '2026-03-18T10:00Z',
      '2026-03-26T10:00Z',
    ]);
  });
});
