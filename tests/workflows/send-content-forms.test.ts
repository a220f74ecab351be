/**
 * The send activity reads what a message is about in both forms: the kind's SubjectContent that
 * workflows send now, and the older `{ type: 'dunning' | 'installment' | 'offer', … }` that
 * workflows started before sequence kinds still send. Both reach the outbox alike.
 */
import { ApplicationFailure } from '@temporalio/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliverInput } from '../../activities';
import { ErrorCode } from '../../domain/errors';
import type { SequenceKind } from '../../kinds/kind';
import { invoiceKind } from '../../kinds/invoice/invoice-kind';
import { kindRegistry } from '../../kinds/registry';
import { allMessages } from '../../store/ledger-repository';
import { createTestDb, type TestDb } from '../helpers/db';
import { createTestEngine, marie, type TestEngine } from '../helpers/engine';

const at = '2026-03-23T08:30:00.000Z'; // Monday 09:30 in Paris

const dunning = (content: unknown): DeliverInput => ({
  sequenceId: 'invoice-dunning/INV-1',
  sequenceType: 'invoice-dunning',
  step: 'overdue-2',
  round: 0,
  channel: 'email',
  template: 'invoice-overdue-2',
  purpose: 'transactional',
  kind: 'escalation',
  contactId: 'c1',
  plannedAt: at,
  content: content as DeliverInput['content'],
});

const installment = { number: 2, count: 3, dueDate: '2026-03-26', amountMinor: 41_700 };
const installmentStep = (content: unknown): DeliverInput => ({
  ...dunning(content),
  step: 'installment-2',
  template: 'installment-reminder',
  kind: 'installment',
});

const offer = {
  title: 'Printemps -20 %',
  body: 'Sur toute la collection.',
  url: 'https://shop.example.com/p',
  validUntil: '2026-03-31',
};
const offerStep = (content: unknown): DeliverInput => ({
  ...dunning(content),
  sequenceId: 'campaign/spring/c1',
  sequenceType: 'campaign',
  step: 'offer',
  template: 'weekly-offer',
  purpose: 'marketing',
  kind: 'offer',
});

describe('the content forms a send accepts', () => {
  let testDb: TestDb;
  let engine: TestEngine;

  const start = async (kinds?: Parameters<typeof createTestEngine>[2]) => {
    engine = await createTestEngine(testDb.db, undefined, kinds);
    await engine.ingest(
      [
        { type: 'contact.upserted', data: marie },
        {
          type: 'contact.consent',
          data: {
            contactId: 'c1',
            channel: 'email',
            purpose: 'marketing',
            granted: true,
            source: 'web form',
          },
        },
        {
          type: 'invoice.issued',
          data: {
            id: 'INV-1',
            contactId: 'c1',
            number: 'FA-1',
            amount: '1250.00',
            currency: 'EUR',
            dueDate: '2026-03-18',
          },
        },
      ],
      '2026-03-02T08:00:00.000Z',
    );
  };
  const deliver = (input: DeliverInput) => engine.runAt(at, () => engine.activities.deliverMessage(input));
  const outboxText = async () =>
    (await engine.outbox.list()).map((m) => `${m.subject ?? ''}\n${m.text ?? ''}`);

  beforeEach(async () => {
    testDb = await createTestDb();
  });
  afterEach(async () => {
    await engine.close();
    await testDb.drop();
  });

  for (const [form, content] of [
    ['the kind form', { kind: 'invoice', subjectIds: ['INV-1'], mergeSameDay: true }],
    ['the older dunning form', { type: 'dunning', invoiceIds: ['INV-1'], mergeSameDay: true }],
  ] as const) {
    it(`when a dunning step arrives in ${form}, then the reminder for FA-1 reaches the outbox once`, async () => {
      await start();
      expect(await deliver(dunning(content))).toMatchObject({ kind: 'sent' });
      const [text, ...more] = await outboxText();
      expect(more).toHaveLength(0);
      expect(text).toContain('FA-1');
      expect(text).toContain('1');
      const [row] = await allMessages(testDb.db);
      expect(row?.subjectIds).toEqual(['INV-1']);
    });
  }

  for (const [form, content] of [
    [
      'the kind form',
      { kind: 'invoice', subjectIds: ['INV-1'], mergeSameDay: false, extra: { installment } },
    ],
    ['the older installment form', { type: 'installment', invoiceId: 'INV-1', installment }],
  ] as const) {
    it(`when an installment reminder arrives in ${form}, then the outbox gets the installment's amount and date`, async () => {
      await start();
      expect(await deliver(installmentStep(content))).toMatchObject({ kind: 'sent' });
      const [text] = await outboxText();
      expect(text).toMatch(/417,00/);
      expect(text).toMatch(/26\/03\/2026|26 mars 2026/);
    });
  }

  for (const [form, content] of [
    ['the kind form', { kind: 'offer', subjectIds: ['spring'], mergeSameDay: false, extra: { offer } }],
    ['the older offer form', { type: 'offer', campaignId: 'spring', offer }],
  ] as const) {
    it(`when a campaign offer arrives in ${form}, then the outbox gets the offer with a one-click unsubscribe`, async () => {
      await start();
      expect(await deliver(offerStep(content))).toMatchObject({ kind: 'sent' });
      const [email] = await engine.outbox.list();
      expect(email?.subject).toContain('Printemps -20 %');
      expect(email?.text).toContain('Sur toute la collection.');
      expect(Object.keys(email?.headers ?? {}).map((h) => h.toLowerCase())).toContain('list-unsubscribe');
      const [row] = await allMessages(testDb.db);
      expect(row?.subjectIds).toEqual(['spring']);
    });
  }

  it('when an older offer form is past its validUntil, then nothing reaches the outbox (expired)', async () => {
    await start();
    const stale = { type: 'offer', campaignId: 'spring', offer: { ...offer, validUntil: '2026-03-22' } };
    expect(await deliver(offerStep(stale))).toMatchObject({ kind: 'suppressed', reason: 'expired' });
    expect(await engine.outbox.list()).toHaveLength(0);
  });

  it('when a content is of no known form, then the send fails for good (invalid input) and nothing is recorded', async () => {
    await start();
    const failure = await deliver(dunning({ type: 'letter', invoiceIds: ['INV-1'] })).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ nonRetryable: true, type: ErrorCode.InvalidInput });
    expect(await allMessages(testDb.db)).toHaveLength(0);
    expect(await engine.outbox.list()).toHaveLength(0);
  });

  it('when a content names a kind the worker does not know, then the send fails for good and nothing leaves', async () => {
    await start();
    const failure = await deliver(
      dunning({ kind: 'subscription', subjectIds: ['S-1'], mergeSameDay: false }),
    ).catch((e: unknown) => e);
    expect(failure).toMatchObject({ nonRetryable: true, type: ErrorCode.InvalidInput });
    expect(await engine.outbox.list()).toHaveLength(0);
  });

  it('when a registered kind says its subject is settled, then the shared path suppresses the message (settled)', async () => {
    const subscription: SequenceKind = {
      name: 'subscription',
      loadSubjects: (ctx) =>
        Promise.resolve({
          subjects: ctx.message.content.subjectIds.map((id) => ({
            id,
            condition: 'settled' as const,
            detail: 'renewed',
          })),
          subjectIds: ctx.message.content.subjectIds,
          loaded: null,
        }),
      templateData: () => ({}),
    };
    await start(kindRegistry([invoiceKind, subscription]));
    const content = { kind: 'subscription', subjectIds: ['S-1'], mergeSameDay: false };
    expect(await deliver(dunning(content))).toMatchObject({ kind: 'suppressed', reason: 'settled' });
    const [row] = await allMessages(testDb.db);
    expect(row).toMatchObject({ status: 'suppressed', reason: 'settled', subjectIds: ['S-1'] });
    expect(await engine.outbox.list()).toHaveLength(0);
  });
});
