/**
 * Marketing that asks to wait when capped (an expiring voucher's reminder, `deferWhenCapped`):
 * deferred to the first slot the caps and windows allow while that slot is before the end of its
 * last valid day; dropped as `frequency_cap` when it is not; `expired` once the day has passed.
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../domain/policy/decide';
import type { Decision, MessageIntent } from '../../domain/policy/types';
import { at, consent, policyInput, sent, TUESDAY_10AM, type InputOverrides } from '../fixtures/policy';

const outcome = (d: Decision) => (d.kind === 'suppress' ? `suppress:${d.reason}` : d.kind);

const voucherReminder = (overrides: Partial<MessageIntent> = {}): Partial<MessageIntent> => ({
  purpose: 'marketing',
  kind: 'notice',
  dedupKey: 'voucher-expiry/V-1/2026-03-10|expiry-14|email|marie@example.com',
  subjects: [{ id: 'V-1', condition: 'open' }],
  validUntil: '2026-03-10',
  deferWhenCapped: true,
  ...overrides,
});

// Three marketing emails in the rolling week (the default cap is 3 per 7 days): the oldest, sent
// Thursday 26 February at 11:00 Paris time, leaves the window on Thursday 5 March at 11:00.
const cappedWeek = [
  sent(at('2026-02-26T11:00'), 'email', 'marketing'),
  sent(at('2026-02-28T11:00'), 'email', 'marketing'),
  sent(at('2026-03-02T11:00'), 'email', 'marketing'),
];
const consents = [consent(at('2026-01-10T12:00'), 'email', 'marketing', true)];

const decideFor = (message: Partial<MessageIntent>, overrides: InputOverrides = {}) =>
  decide(policyInput({ consents, history: cappedWeek, now: TUESDAY_10AM, ...overrides, message }));

describe('a capped marketing message that asks to wait', () => {
  it('when the marketing cap is full and frees up before the voucher expires, then the reminder is deferred to that instant', () => {
    const d = decideFor(voucherReminder());
    expect(d.kind).toBe('defer');
    // The cap frees the instant the oldest send leaves the rolling week (to the millisecond).
    const until = d.kind === 'defer' ? Date.parse(d.until) : NaN;
    expect(until - Date.parse(at('2026-03-05T11:00'))).toBeGreaterThanOrEqual(0);
    expect(until - Date.parse(at('2026-03-05T11:00'))).toBeLessThan(1000);
    const cap = d.checks.find((c) => c.rule === 'cap');
    expect(cap).toMatchObject({ ok: false });
    expect(cap?.detail).toContain('can still arrive by 2026-03-10');
  });

  it('when the same message does not ask to wait, then the cap drops it (frequency_cap), as for a generic offer', () => {
    expect(outcome(decideFor(voucherReminder({ deferWhenCapped: false })))).toBe('suppress:frequency_cap');
    expect(outcome(decideFor(voucherReminder({ deferWhenCapped: undefined })))).toBe(
      'suppress:frequency_cap',
    );
  });

  it('when the cap frees up only after the last valid day, then it is dropped as frequency_cap', () => {
    const d = decideFor(voucherReminder({ validUntil: '2026-03-04' }));
    expect(outcome(d)).toBe('suppress:frequency_cap');
    expect(d.checks.at(-1)?.detail).toContain('after 2026-03-04');
  });

  it('when the cap frees up on the last valid day but after the send window closed, then it is dropped (the next opening is too late)', () => {
    const lateWeek = [sent(at('2026-02-26T20:30'), 'email', 'marketing'), ...cappedWeek.slice(1)];
    // Frees on 5 March at 20:30, after the 20:00 close; the next opening, 6 March 08:00, is past the 5th.
    const d = decideFor(voucherReminder({ validUntil: '2026-03-05' }), { history: lateWeek });
    expect(outcome(d)).toBe('suppress:frequency_cap');
    // One day more and it waits for that opening.
    expect(decideFor(voucherReminder({ validUntil: '2026-03-06' }), { history: lateWeek })).toMatchObject({
      kind: 'defer',
      until: at('2026-03-06T08:00'),
    });
  });

  it('when the last valid day has already passed, then it is expired, capped or not', () => {
    const d = decideFor(voucherReminder({ validUntil: '2026-03-02' }));
    expect(outcome(d)).toBe('suppress:expired');
    expect(outcome(decideFor(voucherReminder({ validUntil: '2026-03-02' }), { history: [] }))).toBe(
      'suppress:expired',
    );
  });

  it('when nothing caps it, then it is sent now, as any message', () => {
    expect(outcome(decideFor(voucherReminder(), { history: [] }))).toBe('send');
  });

  it('when it has no marketing consent, then waiting does not help: no_consent', () => {
    expect(outcome(decideFor(voucherReminder(), { consents: [] }))).toBe('suppress:no_consent');
  });
});
