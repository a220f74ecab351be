import { describe, expect, it } from 'vitest';
import { decide } from '../../domain/policy/decide';
import type { Decision, MessageIntent } from '../../domain/policy/types';
import { at, consent, policyInput, sent, TUESDAY_10AM, type InputOverrides } from '../fixtures/policy';

const decision = (overrides: InputOverrides = {}): Decision => decide(policyInput(overrides));
const outcome = (d: Decision) => (d.kind === 'suppress' ? `suppress:${d.reason}` : d.kind);

const marketingEmail: Partial<MessageIntent> = {
  purpose: 'marketing',
  kind: 'offer',
  dedupKey: 'weekly-offer/2026-10/email',
  subjects: [],
};
const grantedMarketingEmail = [consent(at('2026-01-10T12:00'), 'email', 'marketing', true)];

describe('policy decisions, one rule at a time', () => {
  it('when nothing stands in the way on a Tuesday morning, then the message is sent and each check says why', () => {
    const d = decision();
    expect(d.kind).toBe('send');
    expect(d.checks.map((c) => [c.rule, c.ok])).toEqual([
      ['do_not_contact', true],
      ['subject', true],
      ['address', true],
      ['consent', true],
      ['dedup', true],
      ['cap', true],
      ['window', true],
    ]);
  });

  it('when the contact is flagged do-not-contact, then nothing goes out, whatever else holds', () => {
    const d = decision({ contact: { doNotContact: true, doNotContactReason: 'legal_hold' } });
    expect(outcome(d)).toBe('suppress:do_not_contact');
    expect(d.checks.at(-1)?.detail).toContain('legal_hold');
    // It wins over every later rule, even a duplicate to a suppressed address.
    expect(
      outcome(
        decision({
          contact: { doNotContact: true },
          addressSuppressed: true,
          history: [
            sent(at('2026-03-02T10:00'), 'email', 'transactional', 'invoice-dunning/INV-1/overdue-1/email'),
          ],
        }),
      ),
    ).toBe('suppress:do_not_contact');
  });

  it('when every invoice the message is about is settled, then it is suppressed as settled', () => {
    const d = decision({ message: { subjects: [{ id: 'INV-1', condition: 'settled', detail: 'paid' }] } });
    expect(outcome(d)).toBe('suppress:settled');
    expect(d.checks.at(-1)?.detail).toBe('INV-1 paid');
  });

  it('when only some of the invoices are settled, then the message still goes for the open ones', () => {
    const subjects = [
      { id: 'INV-1', condition: 'settled' as const },
      { id: 'INV-2', condition: 'open' as const },
    ];
    expect(outcome(decision({ message: { subjects } }))).toBe('send');
  });

  it('when the invoice is paused (dispute, promise, plan), then an escalation step is suppressed as paused', () => {
    const subjects = [{ id: 'INV-1', condition: 'paused' as const, detail: 'disputed' }];
    const d = decision({ message: { subjects, kind: 'escalation' } });
    expect(outcome(d)).toBe('suppress:paused');
    expect(d.checks.at(-1)?.detail).toBe('INV-1 disputed');
  });

  it('when the invoice is paused by a payment plan, then an installment reminder still goes out', () => {
    const subjects = [{ id: 'INV-1', condition: 'paused' as const, detail: 'payment plan' }];
    expect(outcome(decision({ message: { subjects, kind: 'installment' } }))).toBe('send');
  });

  it('when the contact has no usable address on the channel, then it is suppressed as invalid_address', () => {
    expect(outcome(decision({ message: { recipient: undefined } }))).toBe('suppress:invalid_address');
    expect(outcome(decision({ message: { recipient: 'marie@', recipientValid: false } }))).toBe(
      'suppress:invalid_address',
    );
  });

  it('when the address is on the suppression list (bounce, complaint), then it is suppressed_address', () => {
    const d = decision({ addressSuppressed: true });
    expect(outcome(d)).toBe('suppress:suppressed_address');
    expect(d.checks.at(-1)?.detail).toContain('marie@example.com');
  });

  it('when a marketing message has no consent on record, then it is no_consent', () => {
    expect(outcome(decision({ message: marketingEmail }))).toBe('suppress:no_consent');
  });

  it('when a marketing consent was withdrawn, then it is opted_out, not no_consent', () => {
    const consents = [
      ...grantedMarketingEmail,
      consent(at('2026-02-01T12:00'), 'email', 'marketing', false, 'unsubscribe link'),
    ];
    const d = decision({ message: marketingEmail, consents });
    expect(outcome(d)).toBe('suppress:opted_out');
    expect(d.checks.at(-1)?.detail).toContain('unsubscribe link');
  });

  it('when marketing consent is explicit and current, then the offer is sent', () => {
    expect(outcome(decision({ message: marketingEmail, consents: grantedMarketingEmail }))).toBe('send');
  });

  it('when marketing consent rests on legitimate interest, then the offer goes only if the configuration allows the soft opt-in', () => {
    const softOptIn = [{ ...grantedMarketingEmail[0]!, legalBasis: 'legitimate_interest' as const }];
    expect(outcome(decision({ consents: softOptIn, message: marketingEmail }))).toBe('suppress:no_consent');
    expect(
      decision({
        consents: softOptIn,
        message: marketingEmail,
        config: { marketingOnLegitimateInterest: true },
      }).kind,
    ).toBe('send');
  });

  it('when a transactional message has no consent record, then it rests on the contract and goes out', () => {
    const d = decision({ consents: [] });
    expect(d.kind).toBe('send');
    expect(d.checks.find((c) => c.rule === 'consent')?.detail).toContain('contract');
  });

  it('when the contact withdrew the channel for transactional messages, then it is opted_out on that channel only', () => {
    const consents = [consent(at('2026-02-01T12:00'), 'sms', 'transactional', false, 'STOP reply')];
    expect(outcome(decision({ consents, message: { channel: 'sms' } }))).toBe('suppress:opted_out');
    expect(outcome(decision({ consents, message: { channel: 'email' } }))).toBe('send');
  });

  it('when a marketing consent exists, then it does not make transactional messages need one (and vice versa)', () => {
    const withdrawnMarketing = [consent(at('2026-02-01T12:00'), 'email', 'marketing', false)];
    expect(outcome(decision({ consents: withdrawnMarketing }))).toBe('send');
    const grantedTransactional = [consent(at('2026-02-01T12:00'), 'email', 'transactional', true)];
    expect(outcome(decision({ message: marketingEmail, consents: grantedTransactional }))).toBe(
      'suppress:no_consent',
    );
  });

  it('when an open invoice has reached formal notice (escalation 3), then marketing stops', () => {
    const base = { message: marketingEmail, consents: grantedMarketingEmail };
    expect(outcome(decision({ ...base, openEscalation: 2 }))).toBe('send');
    const d = decision({ ...base, openEscalation: 3 });
    expect(outcome(d)).toBe('suppress:paused');
    expect(d.checks.at(-1)).toMatchObject({ rule: 'escalation', ok: false });
    expect(outcome(decision({ ...base, openEscalation: 4 }))).toBe('suppress:paused');
  });

  it('when the config stops marketing at another level, then that level is the threshold', () => {
    const base = { message: marketingEmail, consents: grantedMarketingEmail };
    expect(outcome(decision({ ...base, openEscalation: 1, config: { marketingStopsAtEscalation: 1 } }))).toBe(
      'suppress:paused',
    );
    // Transactional messages ignore the threshold: they are the escalation.
    expect(outcome(decision({ openEscalation: 4, config: { marketingStopsAtEscalation: 1 } }))).toBe('send');
  });

  it('when a message with the same key was already sent, then the second is a duplicate', () => {
    const history = [
      sent(at('2026-02-20T10:00'), 'email', 'transactional', 'invoice-dunning/INV-1/overdue-1/email'),
    ];
    const d = decision({ history });
    expect(outcome(d)).toBe('suppress:duplicate');
    expect(d.checks.at(-1)?.detail).toBe('already sent: invoice-dunning/INV-1/overdue-1/email');
  });

  it('when the same step goes on the other channel, then it is not a duplicate', () => {
    const history = [
      sent(at('2026-02-20T10:00'), 'email', 'transactional', 'invoice-dunning/INV-1/overdue-2/email'),
    ];
    const d = decision({
      history,
      message: { channel: 'sms', dedupKey: 'invoice-dunning/INV-1/overdue-2/sms' },
    });
    expect(d.kind).toBe('send');
  });

  it('when an offer is valid until a date, then it goes out that day, even at its last hour', () => {
    const d = decision({
      now: at('2026-03-03T19:30'),
      consents: grantedMarketingEmail,
      message: { ...marketingEmail, validUntil: '2026-03-03' },
    });
    expect(d.kind).toBe('send');
    expect(d.checks.find((c) => c.rule === 'expiry')).toEqual({
      rule: 'expiry',
      ok: true,
      detail: 'valid until 2026-03-03',
    });
  });

  it('when the window would push an offer past the end of its validUntil day, then it is suppressed as expired', () => {
    // Tuesday 21:00 in Paris: email opens again Wednesday 08:00, the day after the offer ends.
    const d = decision({
      now: at('2026-03-03T21:00'),
      consents: grantedMarketingEmail,
      message: { ...marketingEmail, validUntil: '2026-03-03' },
    });
    expect(outcome(d)).toBe('suppress:expired');
    expect(d.checks.at(-1)).toMatchObject({ rule: 'expiry', ok: false });
    // Valid one more day, the same offer waits for the window instead.
    const later = decision({
      now: at('2026-03-03T21:00'),
      consents: grantedMarketingEmail,
      message: { ...marketingEmail, validUntil: '2026-03-04' },
    });
    expect(later.kind).toBe('defer');
  });

  it('when the validUntil day has ended in the contact’s own zone, then the offer is expired, wherever the server is', () => {
    const input = {
      now: at('2026-03-04T00:30', 'Asia/Tokyo'), // still 3 March in Paris and in New York
      consents: grantedMarketingEmail,
      message: { ...marketingEmail, validUntil: '2026-03-03' },
    };
    expect(outcome(decision({ ...input, contact: { timezone: 'Asia/Tokyo', country: 'JP' } }))).toBe(
      'suppress:expired',
    );
    expect(decision({ ...input, contact: { timezone: 'America/New_York', country: 'US' } }).kind).toBe(
      'send',
    );
  });

  it('when the same input is decided twice, then the answer is the same (pure and deterministic)', () => {
    const input = policyInput({ now: at('2026-03-03T21:00') });
    expect(decide(input)).toEqual(decide(input));
    expect(input.now).not.toBe(TUESDAY_10AM);
  });
});
