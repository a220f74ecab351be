/**
 * The communication policy, end to end: each example scenario of issue "policy engine" run on the
 * real workflows over a time-skipping Temporal server, asserting what the customer receives: the
 * outbox's records, which must agree with the ledger (no discrepancies).
 */
import { describe, expect, it } from 'vitest';
import { delivered, find, minute, receivedBy, sentSteps, simulateExample } from '../helpers/simulate';

const MARIE = 'marie.durand@example.com';
const MARIE_SMS = '+33612345678';

describe('the communication policy, as the examples show it', () => {
  it("when a reminder falls in a contact's quiet hours, then it waits for the window, in that contact's own zone", async () => {
    const t = await simulateExample('quiet-hours.yaml');
    // Sam in New York is served at once, Marie in Paris the next morning.
    expect(delivered(t)).toEqual(['email sam.ortiz@example.com', `email ${MARIE}`]);
    expect(t.outbox[0]?.text).toContain('US-0009');
    expect(t.outbox[1]?.text).toContain('FA-2026-0001');
    expect(t.discrepancies).toEqual([]);
    const paris = find(t, 'overdue-1', 'email', 'INV-1')[0];
    const newYork = find(t, 'overdue-1', 'email', 'INV-9')[0];
    expect(minute(paris?.at ?? '')).toBe('2026-03-25T07:00Z'); // 08:00 Paris, the next morning
    expect(paris?.plannedAt).toBe('2026-03-23T08:30:00.000Z');
    expect(paris?.status).toBe('sent');
    expect(minute(newYork?.at ?? '')).toBe('2026-03-24T20:30Z'); // 16:30 in New York: at once
    expect(newYork?.localTime).toMatch(/^2026-03-24T16:30:\d\d\.\d{3}-04:00$/);
  });

  it('when a step falls on a public holiday, then it goes on the next allowed day at the window opening', async () => {
    const t = await simulateExample('holiday.yaml');
    const email = `email ${MARIE}`;
    expect(delivered(t)).toEqual([email, email, email, `sms ${MARIE_SMS}`]);
    expect(t.outbox.every((r) => r.text.includes('FA-2026-0003'))).toBe(true);
    expect(t.outbox.filter((r) => r.receivedAt.startsWith('2026-05-01'))).toEqual([]); // Labour Day
    expect(t.outbox.map((r) => `${r.channel} ${minute(r.receivedAt)}`)).toContain('email 2026-05-02T06:00Z');
    expect(t.discrepancies).toEqual([]);
    const reminder = find(t, 'overdue-1', 'email')[0];
    expect(minute(reminder?.at ?? '')).toBe('2026-05-02T06:00Z'); // Saturday 08:00 Paris
    expect(reminder?.plannedAt).toBe('2026-05-01T07:30:00.000Z');
    expect(t.messages.filter((m) => m.at.startsWith('2026-05-01'))).toEqual([]);
    expect(minute(find(t, 'overdue-2', 'sms')[0]?.at ?? '')).toBe('2026-05-05T07:30Z');
  });

  it('when the daily cap is reached, then a transactional message is deferred to the next day, never dropped', async () => {
    const t = await simulateExample('capped-transactional.yaml');
    expect(t.outbox.every((r) => r.to === (r.channel === 'email' ? MARIE : MARIE_SMS))).toBe(true);
    expect(t.discrepancies).toEqual([]);
    // One email on the 19th (the cap), the other the next morning; both invoices served.
    const received = (day: string) => t.outbox.filter((r) => r.receivedAt.startsWith(day));
    expect(received('2026-03-19').map((r) => `${r.channel} ${minute(r.receivedAt)}`)).toEqual([
      'email 2026-03-19T08:30Z',
    ]);
    expect(received('2026-03-20').map((r) => `${r.channel} ${minute(r.receivedAt)}`)).toEqual([
      'email 2026-03-20T07:00Z',
    ]);
    const numbers = [...received('2026-03-19'), ...received('2026-03-20')].map((r) =>
      r.text.includes('FA-2026-0101') ? 'INV-A' : r.text.includes('FA-2026-0102') ? 'INV-B' : '?',
    );
    expect(numbers.sort()).toEqual(['INV-A', 'INV-B']);
    // Both steps are due at 09:30 on the 19th; whichever is decided first goes, the other waits.
    const due = [...find(t, 'overdue-1', 'email', 'INV-A'), ...find(t, 'pre-due', 'email', 'INV-B')];
    expect(due.map((m) => m.status)).toEqual(['sent', 'sent']);
    const [first, deferred] = due.sort((a, b) => a.at.localeCompare(b.at));
    expect(minute(first?.at ?? '')).toBe('2026-03-19T08:30Z');
    expect(first?.plannedAt).toBeUndefined();
    expect(minute(deferred?.at ?? '')).toBe('2026-03-20T07:00Z'); // the next morning, 08:00 Paris
    expect(deferred?.plannedAt).toBe('2026-03-19T08:30:00.000Z');
    expect(t.messages.filter((m) => m.at.startsWith('2026-03-19'))).toHaveLength(1);
  });

  it('when marketing exceeds its cap or lacks consent, then it is suppressed with the reason', async () => {
    const t = await simulateExample('capped-marketing.yaml');
    expect(delivered(t)).toEqual(Array<string>(3).fill('email claire@example.fr'));
    expect(t.outbox.every((r) => r.text.includes('/v1/unsubscribe?token='))).toBe(true);
    expect(t.outbox.every((r) => r.headers['List-Unsubscribe']?.includes('/v1/unsubscribe?token='))).toBe(
      true,
    );
    expect(t.discrepancies).toEqual([]);
    const claire = t.messages
      .filter((m) => m.contactId === 'c4')
      .map((m) => `${m.subjectIds.join()}:${m.status}:${m.reason ?? ''}`);
    expect(claire).toEqual([
      'spring-1:sent:',
      'spring-2:sent:',
      'spring-3:sent:',
      'spring-4:suppressed:frequency_cap',
    ]);
    const theo = t.messages.filter((m) => m.contactId === 'c5');
    expect(theo.map((m) => `${m.status}:${m.reason ?? ''}`)).toEqual(['suppressed:no_consent']);
    expect(find(t, 'offer', 'email').find((m) => m.status === 'sent')?.text).toContain(
      '/v1/unsubscribe?token=',
    );
  });

  it('when windows would push an offer past its validUntil day, then the customer receives nothing after it (expired)', async () => {
    const t = await simulateExample('offer-expired.yaml');
    // The outbox got the flash sale's email on Saturday at 19:30, and nothing else: no SMS after
    // the sale, nothing of the late-night offer.
    expect(delivered(t)).toEqual(['email claire@example.fr']);
    expect(t.outbox[0]?.subject).toContain('Vente flash');
    expect(minute(t.outbox[0]?.receivedAt ?? '')).toBe('2026-03-07T18:30Z');
    expect(t.discrepancies).toEqual([]);
    expect(
      t.messages.map((m) => `${m.subjectIds.join()}:${m.channel}:${m.status}:${m.reason ?? ''}`).sort(),
    ).toEqual([
      'flash-sale:email:sent:',
      'flash-sale:sms:suppressed:expired',
      'late-night:email:suppressed:expired',
      'late-night:sms:suppressed:expired',
    ]);
    expect(t.pending).toEqual([]);
  });

  it('when a contact withdraws SMS mid-sequence, then later SMS are suppressed and email continues; do-not-contact hands over', async () => {
    const t = await simulateExample('consent-withdrawn.yaml');
    expect(delivered(t, MARIE_SMS)).toEqual([]);
    expect(delivered(t, MARIE)).toEqual(Array<string>(4).fill(`email ${MARIE}`));
    expect(receivedBy(t, 'email', MARIE).every((r) => r.text.includes('FA-2026-0001'))).toBe(true);
    expect(t.discrepancies).toEqual([]);
    expect(find(t, 'overdue-2', 'sms', 'INV-1').map((m) => `${m.status}:${m.reason ?? ''}`)).toEqual([
      'suppressed:opted_out',
    ]);
    expect(find(t, 'formal-notice', 'sms', 'INV-1').map((m) => `${m.status}:${m.reason ?? ''}`)).toEqual([
      'suppressed:opted_out',
    ]);
    expect(sentSteps(t, 'INV-1')).toEqual([
      'pre-due/email',
      'overdue-1/email',
      'overdue-2/email',
      'formal-notice/email',
    ]);
    expect(t.messages.filter((m) => m.contactId === 'c3' && m.at > '2026-03-21T09:00:00Z')).toEqual([]);
    expect(t.handoffs.find((h) => h.subjectIds.includes('INV-2'))?.reason).toBe(
      'contact flagged do-not-contact (insolvency)',
    );
    // The sequence waits for the person: a task is open, nothing automatic goes out.
    expect(t.sequences.find((s) => s.subjectId === 'INV-2')).toMatchObject({
      status: 'paused',
      outcome: null,
    });
    expect(t.handoffs.find((h) => h.subjectIds.includes('INV-2'))).toMatchObject({ status: 'open' });
  });

  it('when two invoices of one contact are due the same day, then one message lists both', async () => {
    const t = await simulateExample('two-invoices-same-day.yaml');
    expect(delivered(t)).toEqual([`email ${MARIE}`, `email ${MARIE}`]);
    expect(t.outbox[0]?.subject).toBe('Vos factures arrivent à échéance');
    expect(t.outbox.every((r) => r.text.includes('FA-2026-0101') && r.text.includes('FA-2026-0102'))).toBe(
      true,
    );
    expect(t.discrepancies).toEqual([]);
    const sent = t.messages.filter((m) => m.status === 'sent');
    expect(sent.map((m) => `${m.step}:${[...m.subjectIds].sort().join('+')}`)).toEqual([
      'pre-due:INV-A+INV-B',
      'overdue-1:INV-A+INV-B',
    ]);
    expect(sent.map((m) => m.providerMessageId)).toEqual(t.outbox.map((r) => r.id));
    expect(t.messages.filter((m) => m.status === 'suppressed').map((m) => m.reason)).toEqual([
      'duplicate',
      'duplicate',
    ]);
  });

  it('when a promise to pay is kept, then escalation never resumes', async () => {
    const t = await simulateExample('promise-kept.yaml');
    expect(delivered(t)).toEqual([`email ${MARIE}`, `email ${MARIE}`]);
    expect(t.outbox.every((r) => r.text.includes('FA-2026-0001'))).toBe(true);
    expect(t.discrepancies).toEqual([]);
    expect(sentSteps(t)).toEqual(['pre-due/email', 'overdue-1/email']);
    expect(t.sequences[0]).toMatchObject({ status: 'completed', outcome: 'paid' });
  });

  it('when a promise to pay is broken, then escalation resumes after the promised date and the grace days', async () => {
    const t = await simulateExample('promise-broken.yaml');
    const email = `email ${MARIE}`;
    const sms = `sms ${MARIE_SMS}`;
    expect(delivered(t)).toEqual([email, email, email, sms, email, sms]);
    expect(t.outbox.every((r) => r.text.includes('FA-2026-0001'))).toBe(true);
    expect(t.discrepancies).toEqual([]);
    const during = t.messages.filter((m) => m.at > '2026-03-20T10:00:00Z' && m.at < '2026-03-29T22:00:00Z');
    expect(during).toEqual([]); // D+5 (23 March) fell inside the promise: held back
    expect(minute(find(t, 'overdue-2', 'email')[0]?.at ?? '')).toBe('2026-03-30T06:00Z');
    expect(sentSteps(t)).toEqual([
      'pre-due/email',
      'overdue-1/email',
      'overdue-2/email',
      'overdue-2/sms',
      'formal-notice/email',
      'formal-notice/sms',
    ]);
    expect(t.sequences[0]).toMatchObject({ status: 'paused', outcome: null });
  });
});
