/**
 * A large one-shot campaign leaves the ordered event pump at once: the whole stack on the wall
 * clock against a Temporal dev server, 2,500 listed contacts, and an invoice event posted right
 * behind the campaign in the same request. The campaign is one start of its loop, not one start
 * per recipient, so the invoice's reminder reaches the outbox before most of the offers.
 */
import { describe, expect, it } from 'vitest';
import { audience, campaignOf, countsByAddress, postInChunks } from '../helpers/campaign-audience';
import { postJson, waitFor } from '../helpers/stack-process';
import { contact, lateInvoice, offer } from '../helpers/wall-events';
import { useWallStack } from '../helpers/wall-stack';

const SIZE = 2_500;

describe('when a one-shot campaign lists thousands of contacts and an invoice event follows it', () => {
  const wall = useWallStack('fan-out');

  it('then the reminder reaches the outbox before most offers, and every listed contact gets one offer', async () => {
    const stack = await wall.start();
    const members = audience(SIZE);
    await postInChunks(stack.apiUrl, [...members.events, ...contact('marie')]);
    const fail = (error: unknown) => {
      throw new Error(`${String(error)}\n${wall.output()}`);
    };

    // The campaign first, the invoice right behind it: the pump delivers them in this order.
    const accepted = await postJson(`${stack.apiUrl}/v1/events`, [
      offer('big', members.ids, new Date().toISOString()),
      lateInvoice('INV-1', 'marie'),
    ]);
    expect(accepted.status).toBe(202);
    await waitFor(
      'the reminder and every offer',
      async () => ((await wall.store.list()).length >= SIZE + 1 ? true : undefined),
      180_000,
    ).catch(fail);

    const records = await wall.store.list();
    const reminderAt = records.findIndex((r) => r.to === 'marie@example.com');
    // Before, the pump started one workflow per listed contact (2,500) before it reached the
    // invoice, whose reminder came after nearly every offer.
    expect(reminderAt).toBeGreaterThanOrEqual(0);
    expect(reminderAt).toBeLessThan(SIZE / 2);

    await waitFor('the run to complete', async () =>
      (await campaignOf(stack.apiUrl, 'big')).status === 'completed' ? true : undefined,
    ).catch(fail);
    const campaign = await campaignOf(stack.apiUrl, 'big');
    expect(campaign.runs.map((r) => `${r.status}:${r.sent}`)).toEqual([`completed:${SIZE}`]);
    const counts = countsByAddress((await wall.store.list()).filter((r) => r.to !== 'marie@example.com'));
    expect(counts.size).toBe(SIZE);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  }, 400_000);
});
