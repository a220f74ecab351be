/**
 * A customer's reply reaches the invoice sequence it answers (contract section 6): on the real
 * workflows and activities over a time-skipping server, an SMS disputing the invoice opens a task
 * labelled dispute, escalation waits while it is open (read from the outbox), and when the agent
 * resumes automation the next step goes.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config';
import { labelReply, replyNeedsPerson } from '../../domain/reply-labels';
import { keepReply } from '../../ingestion/reply-tasks';
import type { Db } from '../../store/db';
import { handoffEvents, listHandoffs } from '../../store/handoff-repository';
import { fixturePath, minute, receivedBy, sentSteps, simulateFile } from '../helpers/simulate';

const MARIE_SMS = '+33612345678';
const REPLY_AT = '2026-03-20T09:00:00.000Z'; // 10:00 in Paris
const RESUMED_AT = '2026-04-02T08:00:00.000Z';

/** The SMS as the Twilio webhook keeps it (api/webhooks/twilio-inbound.ts). */
async function marieTexts(db: Db, text: string): Promise<void> {
  const labels = labelReply(text);
  const reason = replyNeedsPerson({ labels });
  await keepReply(
    db,
    loadConfig(),
    {
      id: `SM${'1'.repeat(32)}`,
      channel: 'sms',
      from: MARIE_SMS,
      contactIds: ['c1'],
      subject: null,
      text,
      labels,
      inReplyTo: null,
      needsPerson: reason ?? null,
      receivedAt: REPLY_AT,
    },
    reason,
  );
}

describe('a reply that reaches its invoice sequence', () => {
  it('when the customer answers the reminder "je conteste cette facture" by SMS, then a task opens labelled dispute, no further reminder goes out until the agent resumes automation, and then the next step goes', async () => {
    let replyEvents: { type: string; by: string; data: Record<string, unknown> }[] = [];
    let reasonCode = '';
    const t = await simulateFile(fixturePath('reply-dispute-sms.yaml'), {
      onEvent: async (db, index) => {
        if (index === 1) await marieTexts(db, 'Bonjour, je conteste cette facture.');
      },
      beforeTeardown: async (_env, db) => {
        const [task] = await listHandoffs(db);
        reasonCode = task?.reasonCode ?? '';
        replyEvents = (await handoffEvents(db, task?.id ?? 0)).filter((e) => e.type === 'reply');
      },
    });
    expect(t.discrepancies).toEqual([]);
    // What Marie's phone and mailbox received: two emails before her reply, nothing while the
    // task is open, the next step (overdue-2) when Claire resumes, the notice a week later.
    expect(t.outbox.map((r) => `${r.channel} ${minute(r.receivedAt)}`)).toEqual([
      'email 2026-03-13T08:30Z',
      'email 2026-03-19T08:30Z',
      'email 2026-04-02T08:00Z',
      'sms 2026-04-02T08:00Z',
      'email 2026-04-09T07:30Z',
      'sms 2026-04-09T07:30Z',
    ]);
    expect(sentSteps(t)).toEqual([
      'pre-due/email',
      'overdue-1/email',
      'overdue-2/email',
      'overdue-2/sms',
      'formal-notice/email',
      'formal-notice/sms',
    ]);
    expect(receivedBy(t, 'sms', MARIE_SMS).every((r) => r.receivedAt >= RESUMED_AT)).toBe(true);
    expect(t.handoffs).toEqual([
      expect.objectContaining({
        subjectIds: ['INV-1'],
        status: 'resolved',
        resolution: 'automation_resumed',
        reason: "customer's reply needs a person (dispute)",
      }),
    ]);
    expect(reasonCode).toBe('dispute');
    expect(replyEvents).toEqual([
      expect.objectContaining({
        by: 'customer',
        data: { replyId: `SM${'1'.repeat(32)}`, labels: ['dispute'] },
      }),
    ]);
  });
});
