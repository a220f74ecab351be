/**
 * The dispatcher's order: one subject's events reach Temporal one after the other, different
 * subjects' side by side (a bounded number at a time), a contact-wide event waits for everything
 * before it, and a failure stops what had not begun.
 */
import { describe, expect, it } from 'vitest';
import { deliverInOrder, orderingKey } from '../../ingestion/dispatch-order';
import type { StoredEvent } from '../../store/event-repository';

let seq = 0;
const event = (type: string, data: Record<string, unknown>): StoredEvent => {
  seq += 1;
  return { seq, id: `evt-${seq}`, type, at: '2026-03-20T09:00:00.000Z', data, dispatchAttempts: 0 };
};
const issued = (id: string) => event('invoice.issued', { id, contactId: 'c1' });
const payment = (invoiceId: string) => event('invoice.payment', { invoiceId, amount: '10.00' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Temporal that takes a while: the first events of the batch are the slowest to answer. */
function slowTemporal(delays: (e: StoredEvent) => number) {
  const log: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const deliver = async (e: StoredEvent) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    log.push(`begin ${e.id}`);
    await sleep(delays(e));
    log.push(`end ${e.id}`);
    inFlight -= 1;
    return true;
  };
  return { log, deliver, maxInFlight: () => maxInFlight };
}

describe('the order events reach Temporal in', () => {
  it('when an invoice is paid in the batch that issued it, then the payment goes only after the start answered', async () => {
    const events = [issued('INV-1'), issued('INV-2'), payment('INV-1'), payment('INV-2')];
    const [start1, start2, pay1, pay2] = events.map((e) => e.id);
    const temporal = slowTemporal((e) => (e.type === 'invoice.issued' ? 30 : 1));
    await deliverInOrder(events, 8, temporal.deliver);
    const at = (entry: string) => temporal.log.indexOf(entry);
    expect(at(`begin ${pay1}`)).toBeGreaterThan(at(`end ${start1}`));
    expect(at(`begin ${pay2}`)).toBeGreaterThan(at(`end ${start2}`));
    // Different invoices do not wait for each other: the second start began before the first ended.
    expect(at(`begin ${start2}`)).toBeLessThan(at(`end ${start1}`));
  });

  it('when many invoices enter at once, then no more than the bound are in flight, and all go', async () => {
    const events = Array.from({ length: 40 }, (_, i) => issued(`INV-${i}`));
    const temporal = slowTemporal(() => 5);
    await deliverInOrder(events, 6, temporal.deliver);
    expect(temporal.maxInFlight()).toBe(6);
    expect(temporal.log.filter((l) => l.startsWith('end')).length).toBe(40);
  });

  it("when a contact is flagged do-not-contact between two invoices' events, then it waits for the first and the second waits for it", async () => {
    const flag = event('contact.do_not_contact', { contactId: 'c1', flagged: true });
    const events = [issued('INV-1'), flag, issued('INV-2')];
    expect(orderingKey(flag)).toBeNull();
    const temporal = slowTemporal((e) => (e.id === events[0]?.id ? 30 : 1));
    await deliverInOrder(events, 8, temporal.deliver);
    expect(temporal.log).toEqual(events.flatMap((e) => [`begin ${e.id}`, `end ${e.id}`]));
  });

  it('when Temporal refuses an event, then the later events of its invoice are not delivered, and no new ones begin', async () => {
    const events = [issued('INV-1'), payment('INV-1'), issued('INV-2'), issued('INV-3')];
    const delivered: string[] = [];
    await deliverInOrder(events, 1, (e) => {
      if (e.id === events[0]?.id) return Promise.resolve(false);
      delivered.push(e.id);
      return Promise.resolve(true);
    });
    expect(delivered).toEqual([]);
  });

  it('when events concern contacts only (no workflow to tell), then each is its own subject', () => {
    const a = event('contact.upserted', { id: 'c1' });
    const b = event('contact.upserted', { id: 'c1' });
    expect(orderingKey(a)).not.toEqual(orderingKey(b));
    expect(orderingKey(event('campaign.scheduled', { id: 'spring' }))).toBeNull();
    expect(orderingKey(event('card.registered', { id: 'card-1' }))).toBe('card:card-1');
    expect(orderingKey(payment('INV-9'))).toBe('invoice:INV-9');
  });
});
