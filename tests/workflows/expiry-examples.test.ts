/**
 * The expiry examples of examples/ (issue 8, contract §4), run on the real workflows and
 * activities over a time-skipping Temporal server: what the customer received (the local outbox),
 * which must agree with the ledger, and how each item's sequence ended.
 */
import { describe, expect, it } from 'vitest';
import { delivered, find, minute, receivedBy, sentSteps, simulateExample } from '../helpers/simulate';

const MARIE = 'marie.durand@example.com';
const MARIE_SMS = '+33612345678';
const outcomes = (t: { sequences: { id: string; outcome: string | null; status: string }[] }) =>
  Object.fromEntries(t.sequences.map((s) => [s.id, s.outcome ?? s.status]));

describe('expiring vouchers, cards and points, as the examples show them', () => {
  it('when a voucher is redeemed between its two reminders, then the email went and the SMS never does', async () => {
    const t = await simulateExample('voucher-redeemed.yaml');
    expect(delivered(t)).toEqual([`email ${MARIE}`]);
    expect(t.outbox[0]?.text).toContain('PRINTEMPS10');
    expect(t.outbox[0]?.text).toContain('31 mars 2026');
    expect(t.outbox[0]?.text).toContain('https://shop.example.com/bons/PRINTEMPS10');
    expect(minute(t.outbox[0]?.receivedAt ?? '')).toBe('2026-03-17T09:00Z'); // D-14 at 10:00 Paris
    expect(t.discrepancies).toEqual([]);
    expect(sentSteps(t)).toEqual(['expiry-14/email']);
    expect(find(t, 'expiry-3', 'sms')).toEqual([]);
    expect(t.sequences).toEqual([
      expect.objectContaining({
        id: 'voucher-expiry/V-10/2026-03-31',
        type: 'voucher-expiry',
        subjectId: 'V-10',
        status: 'completed',
        outcome: 'redeemed',
      }),
    ]);
  });

  it('when a loyalty card is renewed, then its sequence ends renewed and a new one runs for the new date; an unrenewed card gets the day-after message and ends expired', async () => {
    const t = await simulateExample('loyalty-card-renewed.yaml');
    const paul = 'paul.lefevre@example.fr';
    expect(delivered(t, MARIE)).toEqual([`email ${MARIE}`]);
    expect(receivedBy(t, 'email', MARIE)[0]?.text).toContain('30 avril 2026');
    expect(minute(receivedBy(t, 'email', MARIE)[0]?.receivedAt ?? '')).toBe('2026-03-31T08:00Z');
    expect(sentSteps(t, 'LOY-2')).toEqual([
      'expiry-30/email',
      'expiry-7/email',
      'expiry-7/sms',
      'expired/email',
    ]);
    const lapsed = receivedBy(t, 'email', paul)[2];
    expect(lapsed?.text).toContain('a expiré le 15 avril 2026');
    expect(lapsed?.text).toContain('https://shop.example.com/fidelite/renouveler');
    expect(minute(lapsed?.receivedAt ?? '')).toBe('2026-04-16T08:00Z'); // D+1 at 10:00 Paris (summer time)
    expect(t.discrepancies).toEqual([]);
    expect(outcomes(t)).toEqual({
      'card-expiry/LOY-1/2026-04-30': 'renewed',
      'card-expiry/LOY-1/2027-04-30': 'running',
      'card-expiry/LOY-2/2026-04-15': 'expired',
    });
  });

  it('when a payment card expires across the October time change in London, then each reminder leaves at 10:00 London time', async () => {
    const t = await simulateExample('payment-card-time-change.yaml');
    const james = 'james.carter@example.co.uk';
    expect(delivered(t)).toEqual([`email ${james}`, `email ${james}`, 'sms +447911123456', `email ${james}`]);
    expect(t.outbox.every((r) => r.text.includes('4242'))).toBe(true);
    expect(t.discrepancies).toEqual([]);
    expect(minute(find(t, 'expiry-30', 'email')[0]?.at ?? '')).toBe('2026-10-01T09:00Z'); // BST
    expect(minute(find(t, 'expiry-7', 'email')[0]?.at ?? '')).toBe('2026-10-24T09:00Z'); // BST
    expect(minute(find(t, 'expiry-7', 'sms')[0]?.at ?? '')).toBe('2026-10-24T09:00Z');
    expect(minute(find(t, 'expiry-1', 'email')[0]?.at ?? '')).toBe('2026-10-30T10:00Z'); // GMT
    expect(find(t, 'expiry-1', 'email')[0]?.localTime).toMatch(/^2026-10-30T10:00:\d\d\.\d{3}\+00:00$/);
    expect(outcomes(t)).toEqual({ 'card-expiry/PAY-4242/2026-10-31': 'expired' });
  });

  it('when a lot of points is partly used, then the next reminder counts what is left; a lot used up ends before any reminder', async () => {
    const t = await simulateExample('points-partly-used.yaml');
    expect(delivered(t)).toEqual([`email ${MARIE}`, `sms ${MARIE_SMS}`]);
    expect(t.outbox[0]?.text).toContain('500');
    expect(t.outbox[1]?.text).toContain('300 points');
    expect(t.outbox[1]?.text).not.toContain('500');
    expect(minute(t.outbox[0]?.receivedAt ?? '')).toBe('2026-05-27T08:00Z');
    expect(minute(t.outbox[1]?.receivedAt ?? '')).toBe('2026-06-19T08:00Z');
    expect(sentSteps(t, 'LOT-2')).toEqual([]);
    expect(t.discrepancies).toEqual([]);
    expect(outcomes(t)).toEqual({
      'points-expiry/LOT-1/2026-06-26': 'expired',
      'points-expiry/LOT-2/2026-07-31': 'used',
    });
  });

  it('when two vouchers expire the same day, then each reminder is one message listing both, and the other sequence sends nothing', async () => {
    const t = await simulateExample('two-vouchers-same-day.yaml');
    expect(delivered(t)).toEqual([`email ${MARIE}`, `sms ${MARIE_SMS}`]);
    for (const record of t.outbox) {
      expect(record.text).toContain('BIENVENUE5');
      expect(record.text).toContain('ANNIV15');
    }
    expect(t.discrepancies).toEqual([]);
    const sent = t.messages.filter((m) => m.status === 'sent');
    expect(sent.map((m) => [...m.subjectIds].sort())).toEqual([
      ['V-A', 'V-B'],
      ['V-A', 'V-B'],
    ]);
    const duplicates = t.messages.filter((m) => m.status === 'suppressed');
    expect(duplicates.map((m) => `${m.step}/${m.channel} ${m.reason}`)).toEqual([
      'expiry-14/email duplicate',
      'expiry-3/sms duplicate',
    ]);
    expect(Object.values(outcomes(t))).toEqual(['expired', 'expired']);
  });

  it('when the marketing caps are full, then a voucher reminder waits for the cap while it can still arrive in time, and is dropped when it cannot', async () => {
    const t = await simulateExample('capped-voucher-deferred.yaml');
    const claire = 'claire@example.fr';
    expect(t.discrepancies).toEqual([]);
    const voucherC = find(t, 'expiry-14', 'email', 'V-C');
    expect(voucherC).toHaveLength(1);
    expect(voucherC[0]).toMatchObject({ status: 'sent', plannedAt: '2026-03-05T09:00:00.000Z' });
    expect(minute(voucherC[0]?.at ?? '')).toBe('2026-03-09T09:00Z'); // the cap frees Monday 10:00 Paris
    const received = receivedBy(t, 'email', claire).find((r) => r.id === voucherC[0]?.providerMessageId);
    expect(received?.text).toContain('PRINTEMPS20');
    expect(find(t, 'expiry-3', 'sms', 'V-D')).toEqual([
      expect.objectContaining({ status: 'suppressed', reason: 'frequency_cap' }),
    ]);
    expect(receivedBy(t, 'sms', '+33611223344').some((r) => r.text.includes('HIVER5'))).toBe(false);
    expect(sentSteps(t, 'V-C')).toEqual(['expiry-14/email', 'expiry-3/sms']);
  });
});
