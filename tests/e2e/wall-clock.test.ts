/**
 * Production time: the whole stack runs on the wall clock (RELANCE_CLOCK=wall, the default) against
 * a real Temporal dev server, not a time-skipping one. A reminder already due leaves at once, and
 * an offer scheduled a few seconds ahead leaves when its real time comes, each exactly once.
 */
import { describe, expect, it } from 'vitest';
import { postJson, waitFor } from '../helpers/stack-process';
import { contact, lateInvoice, offer } from '../helpers/wall-events';
import { useWallStack } from '../helpers/wall-stack';

describe('when the stack runs on the wall clock against a Temporal dev server', () => {
  const wall = useWallStack('wall');

  it('then a reminder already due leaves at once, and an offer due in a few seconds leaves then, each once', async () => {
    const stack = await wall.start();
    const sendAt = new Date(Date.now() + 8_000).toISOString();
    const accepted = await postJson(`${stack.apiUrl}/v1/events`, [
      ...contact('marie'),
      ...contact('paul', true),
      lateInvoice('INV-1', 'marie'),
      offer('spring', ['paul'], sendAt),
    ]);
    expect(accepted.status).toBe(202);

    const fail = (error: unknown) => {
      throw new Error(`${String(error)}\n${wall.output()}`);
    };
    await waitFor(
      'the reminder',
      async () => ((await wall.store.list({ to: 'marie@example.com' })).length > 0 ? true : undefined),
      30_000,
    ).catch(fail);
    await waitFor(
      'the offer',
      async () => ((await wall.store.list({ to: 'paul@example.com' })).length > 0 ? true : undefined),
      45_000,
    ).catch(fail);
    await new Promise((r) => setTimeout(r, 3_000)); // a second copy would have arrived by now

    const reminders = await wall.store.list({ to: 'marie@example.com' });
    expect(reminders.map((m) => m.subject)).toEqual(['Rappel : facture FA-INV-1 en attente de règlement']);
    const offers = await wall.store.list({ to: 'paul@example.com' });
    expect(offers).toHaveLength(1);
    // Not before its time on the real clock, and not long after it either.
    expect(Date.parse(offers[0]?.receivedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(sendAt));
    expect(Date.parse(offers[0]?.receivedAt ?? '')).toBeLessThan(Date.parse(sendAt) + 30_000);
    expect(await wall.store.list()).toHaveLength(2);
  }, 180_000);
});
