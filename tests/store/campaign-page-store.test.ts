/**
 * A campaign page's ledger rows go to the store in bulk (new rows in one insert, rows written
 * before in one update), their bodies in one jsonb parameter (on PGlite sent as bytes:
 * store/pglite-session.ts, asBytes). What the customer was sent must come back byte for byte on
 * both drivers: accents, typographic quotes, emoji outside the BMP, backslashes, quotes and line
 * breaks, in a page of 1,000 rendered emails.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  consentsOf,
  lockContacts,
  recordRunResults,
  rowsByKey,
  upsertRunRows,
  type RunRow,
} from '../../store/campaign-page-store';
import {
  appendConsent,
  getContact,
  listConsents,
  setDoNotContact,
  upsertContact,
} from '../../store/contact-repository';
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
    const keys = rows.map((r) => r.idempotencyKey);
    // A retried page finds its rows by key and decides them again in place.
    const again = await upsertRunRows(db, rows, AT, await rowsByKey(db, keys));
    expect(again.map((w) => w.id)).toEqual(written.map((w) => w.id));
    // A row written again without its key found is refused: the ledger never holds it twice.
    await expect(db.transaction((tx) => upsertRunRows(tx, rows.slice(0, 2), AT))).rejects.toThrow(
      /idempotency_key/,
    );

    await recordRunResults(
      db,
      written.map((w, i) => ({ id: w.id, status: 'sent', provider: 'sendgrid', providerId: `msg-${i}.é` })),
      '2026-03-02T09:00:05.000Z',
    );
    const stored = await rowsByKey(db, keys);
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

  it('when a page reads its contacts and consents in bulk, then it gets what the one-by-one reads give', async () => {
    const { db } = testDb;
    const ids = ['a1', 'a2', 'a3'];
    await upsertContact(
      db,
      {
        id: 'a1',
        firstName: 'Élodie',
        email: 'a1@example.com',
        locale: 'fr-FR',
        timezone: 'Europe/Paris',
        country: 'FR',
        tags: ['loyalty', 'vip'],
        attributes: { tier: 'gold', points: 1200, since: '2024-01-05' },
      },
      AT,
    );
    await upsertContact(
      db,
      {
        id: 'a2',
        phone: '+33612345678',
        locale: 'en-GB',
        timezone: 'America/New_York',
        customerType: 'business',
      },
      AT,
    );
    await upsertContact(
      db,
      { id: 'a3', email: 'a3@example.com', locale: 'fr-FR', timezone: 'Europe/Paris' },
      AT,
    );
    await setDoNotContact(db, 'a3', true, 'asked by phone', AT);
    const consent = (contactId: string, granted: boolean, at: string, receivedAt: string) =>
      appendConsent(db, {
        contactId,
        channel: 'email',
        purpose: 'marketing',
        granted,
        source: 'form « été »',
        at,
        receivedAt,
      });
    await consent('a1', true, '2026-01-01T08:00:00.123Z', '2026-01-01T08:00:01.456Z');
    await consent('a1', false, '2025-12-31T23:00:00.000Z', '2026-01-02T10:00:00.000Z'); // older fact, received later
    await consent('a2', true, '2026-02-01T12:00:00.000Z', '2026-02-01T12:00:00.000Z');

    const bulk = await db.transaction((tx) => lockContacts(tx, ['a3', ...ids]));
    expect(bulk.map((c) => c.id)).toEqual(ids);
    for (const contact of bulk) expect(contact).toEqual(await getContact(db, contact.id));

    const consents = await consentsOf(db, ids);
    for (const id of ids) {
      const single = (await listConsents(db, id)).map(({ recordedAt: _r, eventId: _e, ...record }) => record);
      expect(consents.get(id) ?? []).toEqual(single);
    }
  });
});
