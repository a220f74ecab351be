/**
 * A reply about a running invoice sequence waits in the store as an internal event until the
 * dispatcher delivers it: the signal carries the reply's id, labels and reason, never its words;
 * when the sequence ended before the reply reached it, a contact-level task opens instead, so a
 * person still sees the reply.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config';
import { labelReply, replyNeedsPerson } from '../../domain/reply-labels';
import { createDispatcher } from '../../ingestion/dispatcher';
import { ingestEvents } from '../../ingestion/ingest-events';
import { keepReply } from '../../ingestion/reply-tasks';
import { createLogger } from '../../runtime/logger';
import { handoffEvents, listHandoffs } from '../../store/handoff-repository';
import { saveSequence } from '../../store/sequence-repository';
import { createTestDb, type TestDb } from '../helpers/db';
import { marie } from '../helpers/engine';

const AT = '2026-03-20T09:00:00.000Z';
const config = loadConfig();

/** Temporal's client at its network edge: records signals; an ended workflow is not found. */
function fakeTemporal(signals: { workflowId: string; signal: unknown }[], ended: boolean): Client {
  const workflow = {
    getHandle: (workflowId: string) => ({
      signal: (_def: unknown, signal: unknown) => {
        if (ended)
          return Promise.reject(new WorkflowNotFoundError('workflow completed', workflowId, undefined));
        signals.push({ workflowId, signal });
        return Promise.resolve();
      },
    }),
  };
  const client = { workflow, withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn() };
  return client as unknown as Client;
}

let testDb: TestDb;
beforeEach(async () => {
  testDb = await createTestDb();
  await ingestEvents(
    { db: testDb.db, config },
    [{ type: 'contact.upserted', data: marie }],
    '2026-03-02T08:00:00.000Z',
  );
  await saveSequence(testDb.db, {
    id: 'invoice-dunning/INV-1',
    type: 'invoice-dunning',
    subjectId: 'INV-1',
    contactId: 'c1',
    status: 'running',
    stage: null,
    outcome: null,
    pausedReason: null,
    nextStep: null,
    nextAt: null,
    steps: [],
    escalation: 0,
    startedAt: '2026-03-02T08:00:00.000Z',
    updatedAt: '2026-03-02T08:00:00.000Z',
  });
  // Dispatch what ingestion stored so far: only the reply is left to deliver below.
  await testDb.db.query('update events set dispatched_at = now()');
  const text = 'Déjà payé le 15 mars';
  const labels = labelReply(text);
  await keepReply(
    testDb.db,
    config,
    {
      id: 'SM-reply-1',
      channel: 'sms',
      from: marie.phone,
      contactIds: ['c1'],
      subject: null,
      text,
      labels,
      inReplyTo: null,
      needsPerson: replyNeedsPerson({ labels }) ?? null,
      receivedAt: AT,
    },
    replyNeedsPerson({ labels }),
  );
});
afterEach(async () => testDb.drop());

const dispatch = (client: Client) =>
  createDispatcher({ db: testDb.db, client, logger: createLogger('silent') }).drain();

describe('a reply on its way to its invoice sequence', () => {
  it('when the sequence runs, then it is signalled the reply id, labels and reason, and no words', async () => {
    const signals: { workflowId: string; signal: unknown }[] = [];
    expect(await dispatch(fakeTemporal(signals, false))).toBe(1);
    expect(signals).toEqual([
      {
        workflowId: 'invoice-dunning/INV-1',
        signal: {
          eventId: 'reply:SM-reply-1:c1',
          type: 'reply.received',
          at: AT,
          data: { invoiceId: 'INV-1', replyId: 'SM-reply-1', labels: ['already_paid'], reasonCode: 'reply' },
        },
      },
    ]);
    expect(await listHandoffs(testDb.db)).toEqual([]);
  });

  it('when the sequence ended before the reply reached it, then a contact-level task opens with the reply on its timeline', async () => {
    expect(await dispatch(fakeTemporal([], true))).toBe(1);
    const tasks = await listHandoffs(testDb.db);
    expect(tasks).toEqual([
      expect.objectContaining({
        subjectKind: 'contact',
        subjectIds: ['c1'],
        reasonCode: 'reply',
        status: 'open',
      }),
    ]);
    const events = await handoffEvents(testDb.db, tasks[0]?.id ?? 0);
    expect(events.map((e) => [e.type, e.data['replyId'] ?? null])).toEqual([
      ['opened', null],
      ['reply', 'SM-reply-1'],
    ]);
  });
});
