/**
 * The simulator's timeline is checked against what the provider received, so a test over it can
 * fail: disturb the outbox after a real run and the discrepancies say what the customer got.
 */
import { describe, expect, it } from 'vitest';
import { sqlOutboxStore } from '../../channels/outbox/outbox-store';
import { delivered, simulateExample } from '../helpers/simulate';

const MARIE = 'marie.durand@example.com';

describe('the simulator checks the ledger against the provider', () => {
  it('when the provider got a reminder twice, lost one, and got one nobody wrote, then the run reports all three', async () => {
    const t = await simulateExample('paid-after-second-reminder.yaml', {
      beforeTeardown: async (_env, db) => {
        const outbox = sqlOutboxStore(db);
        const [preDue, overdue] = await outbox.list();
        if (!preDue || !overdue) throw new Error('the scenario sends two reminders');
        await outbox.record({ ...preDue, id: `${preDue.id}-again` });
        await db.query('delete from outbox_messages where id = $1', [overdue.id]);
        await outbox.record({ ...overdue, id: 'stray', idempotencyKey: null, text: 'Hello from nowhere' });
      },
    });
    expect(delivered(t)).toEqual([`email ${MARIE}`, `email ${MARIE}`, `email ${MARIE}`]);
    expect(t.discrepancies.map((d) => d.kind)).toEqual([
      'provider_duplicate',
      'ledger_sent_without_provider',
      'provider_without_ledger',
    ]);
    expect(t.discrepancies[0]).toMatchObject({ step: 'pre-due', to: MARIE });
    expect(t.discrepancies[1]).toMatchObject({ step: 'overdue-1', to: MARIE });
    expect(t.discrepancies[2]).toMatchObject({ providerMessageId: 'stray', text: 'Hello from nowhere' });
    // What the customer got: the pre-due reminder twice, the overdue reminder not from the ledger.
    expect(t.messages.filter((m) => m.status === 'sent').map((m) => m.step)).toEqual(['pre-due', 'pre-due']);
  });
});
