/**
 * A campaign page's ledger rows go to the store in one statement, their bodies in one jsonb
 * parameter sent in binary form (store/db.ts, jsonbParam). What the customer was sent must come
 * back byte for byte on both drivers: accents, typographic quotes, emoji outside the BMP,
 * backslashes, quotes and line breaks, in a page of 1,000 rendered emails.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordRunResults, rowsByKey, upsertRunRows, type RunRow } from '../../store/campaign-page-store';
import { upsertContact } from '../../store/contact-repository';
import { createTestDb, drivers, type TestDb } from '../helpers/db';

const AT = '2026-03-02T09:00:00.000Z';
const tricky = 'Élodie’s « offre » 🎁 \\o/ "quoted" \'single\'\n\ttabbed — 20 %';

const row = (i: number): RunRow => ({
  idempotencyKey: `campaign/weekly/2026-03-02|email|c${i}`,
  dedupKey: `weekly|email|c${i}`,
  sequenceId: 'campaign/weekly',
  runId: 'weekly/2026-03-02',
  channel: 'email',
  contactId: `c${i}`,
  recipient: `c${i}@example.com`,
  subjectIds: ['weekly'],
  template: 'weekly-offer',
  locale: 'fr-FR',
  plannedAt: AT,
  status: 'sending',
  reason: null,
  decision: [{ check: 'consent', outcome: 'pass', detail: tricky }] as unknown as RunRow['decision'],
  deferredUntil: null,
  subject: `${tricky} ${i}`,
  text: `Bonjour ${tricky} ${i}\n${'Offre de la semaine. '.repeat(40)}`,
  html: `<p>Bonjour ${tricky} ${i}</p>${'<p>Offre de la semaine, -20 %</p>'.repeat(40)}`,
});

describe.each(drivers)('campaign page rows in the ledger (%s)', (driver) => {
  let testDb: TestDb;
  beforeEach(async () => {
    testDb = await createTestDb(driver);
  });
  afterEach(async () => {
    await testDb.drop();
  });

  it('when a page of 1,000 rendered emails is written, retried and recorded, then each body reads back as it was rendered', async () => {
    const { db } = testDb;
    for (let i = 0; i < 1000; i += 1)
      await upsertContact(
        db,
        { id: `c${i}`, email: `c${i}@example.com`, locale: 'fr-FR', timezone: 'Europe/Paris' },
        AT,
      );
    const rows = Array.from({ length: 1000 }, (_, i) => row(i));

    const written = await upsertRunRows(db, rows, AT);
    expect(new Set(written.map((w) => w.id)).size).toBe(1000);
    const again = await upsertRunRows(db, rows, AT); // a retried page finds its rows by key
    expect(again.map((w) => w.id)).toEqual(written.map((w) => w.id));

    await recordRunResults(
      db,
      written.map((w, i) => ({ id: w.id, status: 'sent', provider: 'sendgrid', providerId: `msg-${i}.é` })),
      '2026-03-02T09:00:05.000Z',
    );
    const stored = await rowsByKey(
      db,
      rows.map((r) => r.idempotencyKey),
    );
    for (const [i, r] of rows.entries()) {
      const entry = stored.get(r.idempotencyKey);
      expect(entry).toMatchObject({
        subject: r.subject,
        text: r.text,
        html: r.html,
        decision: r.decision,
        status: 'sent',
        providerId: `msg-${i}.é`,
        attempts: 2,
      });
    }
  });
});
