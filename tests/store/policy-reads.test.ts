/**
 * The send transaction reads what the policy decides from in one statement (store/policy-reads.ts).
 * It must read exactly what the separate reads read: consents in order, a suppression kept in
 * plain text or as a hash, recent sends for caps, an old send of the dedup key, and the open
 * escalation for marketing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appendConsent, listConsents, upsertContact } from '../../store/contact-repository';
import { insertAttempt } from '../../store/ledger-repository';
import { sentHistory, sentWithDedupKey } from '../../store/message-history';
import { policyReads } from '../../store/policy-reads';
import { openEscalation } from '../../store/sequence-repository';
import { addressHash, isSuppressed } from '../../store/suppression-repository';
import { createTestDb, drivers, type TestDb } from '../helpers/db';

const at = '2026-03-01T09:00:00.000Z';

describe.each(drivers)('policy reads in one statement (%s)', (driver) => {
  let testDb: TestDb;
  afterEach(async () => testDb.drop());

  async function seed(): Promise<TestDb> {
    testDb = await createTestDb(driver);
    const { db } = testDb;
    for (const id of ['c1', 'c2'])
      await upsertContact(
        db,
        { id, email: `${id}@example.com`, locale: 'fr-FR', timezone: 'Europe/Paris' },
        at,
      );
    const consent = { contactId: 'c1', channel: 'email', purpose: 'marketing', source: 'form' } as const;
    await appendConsent(db, { ...consent, granted: true, at, receivedAt: '2026-03-02T10:00:00.123Z' });
    await appendConsent(db, { ...consent, granted: false, at, receivedAt: '2026-03-01T10:00:00.000Z' });
    await appendConsent(db, {
      ...consent,
      granted: true,
      at,
      receivedAt: '2026-03-01T10:00:00.000Z',
      legalBasis: 'consent',
    });
    await db.query(
      `insert into suppressions (channel, address, reason, source, at) values ('email', $1, 'bounce', 'test', $2)`,
      [addressHash('email', 'c2@example.com'), at],
    );
    const sent = (key: string, sentAt: string) =>
      insertAttempt(
        db,
        {
          idempotencyKey: key,
          dedupKey: `dedup-${key}`,
          sequenceId: 's1',
          sequenceType: 'invoice-dunning',
          step: key,
          channel: 'email',
          purpose: 'transactional',
          contactId: 'c1',
          recipient: 'c1@example.com',
          subjectIds: ['INV-1'],
          template: 'invoice-due',
          locale: 'fr-FR',
          plannedAt: sentAt,
        },
        { status: 'sent', decidedAt: sentAt, sentAt },
      );
    await sent('old', '2026-01-05T08:00:00.000Z');
    await sent('recent-1', '2026-03-09T08:00:00.000Z');
    await sent('recent-2', '2026-03-10T08:00:00.000Z');
    await db.query(
      `insert into invoices (id, contact_id, amount_minor, currency, issued_at, due_date, schedule_id, status, created_at, updated_at)
       values ('INV-1', 'c1', 12000, 'EUR', $1, '2026-03-01', 'default', 'open', $1, $1)`,
      [at],
    );
    await db.query(
      `insert into sequences (id, type, subject_id, contact_id, status, escalation, started_at, updated_at)
       values ('s1', 'invoice-dunning', 'INV-1', 'c1', 'running', 2, $1, $1)`,
      [at],
    );
    return testDb;
  }

  const since = '2026-03-08T00:00:00.000Z';

  it('when a contact has consents, recent and old sends and an open escalation, then one statement reads what the separate reads read', async () => {
    const { db } = await seed();
    const reads = await policyReads(db, {
      contactId: 'c1',
      channel: 'email',
      address: 'c1@example.com',
      since,
      dedupKey: 'dedup-old',
      escalation: true,
    });
    expect(reads.consents).toEqual(await listConsents(db, 'c1'));
    expect(reads.consents.map((c) => c.granted)).toEqual([false, true, true]);
    expect(reads.addressSuppressed).toBe(false);
    expect(reads.history).toEqual(await sentHistory(db, 'c1', since));
    expect(reads.history.map((h) => h.dedupKey).sort()).toEqual(['dedup-recent-1', 'dedup-recent-2']);
    expect(reads.earlier).toEqual(await sentWithDedupKey(db, 'dedup-old'));
    expect(reads.earlier?.at).toBe('2026-01-05T08:00:00.000Z');
    expect(reads.openEscalation).toBe(await openEscalation(db, 'c1'));
    expect(reads.openEscalation).toBe(2);
  });

  it('when the address is suppressed as a hash, or there is no address, then suppression reads as the separate read; escalation is 0 unless asked', async () => {
    const { db } = await seed();
    const base = { since, dedupKey: 'none', escalation: false, channel: 'email' } as const;
    const c2 = await policyReads(db, { ...base, contactId: 'c2', address: 'C2@example.com' });
    expect(c2.addressSuppressed).toBe(await isSuppressed(db, 'email', 'C2@example.com'));
    expect(c2.addressSuppressed).toBe(true);
    expect(c2).toMatchObject({ consents: [], history: [], earlier: undefined, openEscalation: 0 });
    const none = await policyReads(db, { ...base, contactId: 'c1', address: undefined });
    expect(none.addressSuppressed).toBe(false);
    expect(none.openEscalation).toBe(0);
  });
});
