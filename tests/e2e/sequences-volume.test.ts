/**
 * The sequence benchmark's small size, for CI (correctness, not time): a few hundred invoices
 * enter at once through the real stack (`relance start` against a Temporal dev server, on the wall
 * clock), the dispatcher starting their workflows side by side. Each invoice's first reminder
 * reaches the provider exactly once; an invoice paid in the same batch, right after it was issued,
 * gets none (its payment is applied after its start, whatever else goes in parallel).
 */
import { describe, expect, it } from 'vitest';
import { postJson, waitFor } from '../helpers/stack-process';
import { contact, lateInvoice } from '../helpers/wall-events';
import { useWallStack } from '../helpers/wall-stack';

const INVOICES = 300;
/** Every seventh invoice is paid in full in the batch that issued it. */
const paidInBatch = (i: number) => i % 7 === 3;

describe('when hundreds of invoices enter the stack at once', () => {
  const wall = useWallStack('volume');

  it('then each reaches its first reminder exactly once, and those paid in the same batch get none', async () => {
    const stack = await wall.start();
    const ids = Array.from({ length: INVOICES }, (_, i) => i);
    const contacts = ids.flatMap((i) => contact(`v${i}`));
    expect((await postJson(`${stack.apiUrl}/v1/events`, contacts)).status).toBe(202);
    const invoices = ids.flatMap((i) => [
      lateInvoice(`INV-${i}`, `v${i}`),
      ...(paidInBatch(i)
        ? [{ id: `paid-INV-${i}`, type: 'invoice.payment', data: { invoiceId: `INV-${i}`, amount: '80.00' } }]
        : []),
    ]);
    expect((await postJson(`${stack.apiUrl}/v1/events`, invoices)).status).toBe(202);

    const expected = ids.filter((i) => !paidInBatch(i)).map((i) => `v${i}@example.com`);
    const received = async () => (await wall.store.list()).map((m) => m.to);
    await waitFor(
      `${expected.length} first reminders`,
      async () => (await received()).length >= expected.length,
      180_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${wall.output()}`);
    });
    // A second reminder, or one for a paid invoice, would come within these seconds.
    await new Promise((r) => setTimeout(r, 3_000));
    const to = await received();
    expect(to.length).toBe(expected.length);
    expect([...to].sort()).toEqual([...expected].sort());
  }, 240_000);
});
