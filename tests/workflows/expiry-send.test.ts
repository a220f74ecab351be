/**
 * One item reminder through the real send activity (the kinds' send-time re-check): what reaches
 * the outbox when the item is still live, when it ended before the send, when the send windows
 * would push a reminder past the item's date, and for a step after the date.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliverInput } from '../../activities';
import { allMessages } from '../../store/ledger-repository';
import { createTestDb, type TestDb } from '../helpers/db';
import { createTestEngine, marie, type TestEngine } from '../helpers/engine';

const voucherReminder = (plannedAt: string): DeliverInput => ({
  sequenceId: 'voucher-expiry/V-1/2026-03-08',
  sequenceType: 'voucher-expiry',
  step: 'expiry-3',
  round: 0,
  channel: 'sms',
  template: 'voucher-expiry-3',
  purpose: 'marketing',
  kind: 'notice',
  contactId: 'c1',
  plannedAt,
  content: {
    kind: 'voucher',
    subjectIds: ['V-1'],
    mergeSameDay: true,
    extra: { expiresOn: '2026-03-08', stepDate: '2026-03-05' },
  },
});

describe('an item reminder at send time', () => {
  let testDb: TestDb;
  let engine: TestEngine;

  beforeEach(async () => {
    testDb = await createTestDb();
    engine = await createTestEngine(testDb.db);
    await engine.ingest(
      [
        { type: 'contact.upserted', data: marie },
        {
          type: 'contact.consent',
          data: { contactId: 'c1', channel: 'sms', purpose: 'marketing', granted: true, source: 'form' },
        },
        {
          type: 'voucher.issued',
          data: { id: 'V-1', contactId: 'c1', code: 'MARS5', label: 'Bon de 5 €', expiresOn: '2026-03-08' },
        },
        {
          type: 'card.registered',
          data: { id: 'LOY-1', contactId: 'c1', kind: 'loyalty', label: 'Carte Or', expiresOn: '2026-03-06' },
        },
      ],
      '2026-03-01T08:00:00.000Z',
    );
  });
  afterEach(async () => {
    await engine.close();
    await testDb.drop();
  });

  const send = (at: string, input: DeliverInput) =>
    engine.runAt(at, () => engine.activities.deliverMessage(input));

  it('when the voucher is live and the window open, then the SMS names it and its code', async () => {
    const at = '2026-03-05T09:00:00.000Z'; // Thursday 10:00 Paris
    expect(await send(at, voucherReminder(at))).toMatchObject({ kind: 'sent' });
    const [sms] = await engine.outbox.list();
    expect(sms?.text).toContain('MARS5');
  });

  it('when the voucher was redeemed before the send, then nothing leaves (settled)', async () => {
    await engine.ingest({ type: 'voucher.redeemed', data: { voucherId: 'V-1' } }, '2026-03-04T12:00:00.000Z');
    const at = '2026-03-05T09:00:00.000Z';
    expect(await send(at, voucherReminder(at))).toMatchObject({ kind: 'suppressed', reason: 'settled' });
    expect(await engine.outbox.list()).toEqual([]);
  });

  it('when the SMS window would push the reminder past the voucher’s date, then it is not sent (expired)', async () => {
    const at = '2026-03-07T18:30:00.000Z'; // Saturday 19:30 Paris: SMS closed until Monday, the voucher ends Sunday
    expect(await send(at, voucherReminder(at))).toMatchObject({ kind: 'suppressed', reason: 'expired' });
    expect(await engine.outbox.list()).toEqual([]);
    const [row] = await allMessages(testDb.db);
    expect(row?.decision?.map((c) => `${c.rule}:${c.ok}`)).toContain('expiry:false');
  });

  it('when the step comes after the card’s date (how to renew), then it is sent after the date', async () => {
    const at = '2026-03-07T09:00:00.000Z'; // Saturday 10:00 Paris, the day after the card lapsed
    const lapsed: DeliverInput = {
      ...voucherReminder(at),
      sequenceId: 'card-expiry/LOY-1/2026-03-06',
      sequenceType: 'card-expiry',
      step: 'expired',
      channel: 'email',
      template: 'loyalty-card-expired',
      purpose: 'transactional',
      content: {
        kind: 'card',
        subjectIds: ['LOY-1'],
        mergeSameDay: true,
        extra: { expiresOn: '2026-03-06', stepDate: '2026-03-07' },
      },
    };
    expect(await send(at, lapsed)).toMatchObject({ kind: 'sent' });
    const [email] = await engine.outbox.list();
    expect(email?.text).toContain('Carte Or');
  });
});
