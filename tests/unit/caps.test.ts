import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { CapConfig } from '../../config/schema';
import { applicableCaps, checkCap } from '../../domain/policy/caps';
import { decide } from '../../domain/policy/decide';
import type { Decision, MessageIntent } from '../../domain/policy/types';
import {
  at,
  consent,
  defaultPolicy,
  local,
  PARIS,
  policyInput,
  sent,
  type InputOverrides,
} from '../fixtures/policy';

const decision = (overrides: InputOverrides = {}): Decision => decide(policyInput(overrides));
const deferredTo = (d: Decision, zone = PARIS) => (d.kind === 'defer' ? local(d.until, zone) : d.kind);

const offer = (channel: 'email' | 'sms'): Partial<MessageIntent> => ({
  purpose: 'marketing',
  kind: 'offer',
  channel,
  dedupKey: `offer/new/${channel}`,
  subjects: [],
});
const optedIn = [
  consent(at('2026-01-10T12:00'), 'email', 'marketing', true),
  consent(at('2026-01-10T12:00'), 'sms', 'marketing', true),
];

describe('transactional caps: one message per contact, channel and local day', () => {
  it('when an email already went this morning, then the next is deferred to tomorrow at window opening', () => {
    const d = decision({
      now: at('2026-03-03T15:00'),
      history: [sent(at('2026-03-03T09:30'), 'email', 'transactional')],
    });
    expect(deferredTo(d)).toBe('2026-03-04 08:00 +01:00');
    expect(d.checks.find((c) => c.rule === 'cap')).toMatchObject({ ok: false });
  });

  it('when the cap hits on a Saturday, then the message waits for Monday, never dropped', () => {
    const d = decision({
      now: at('2026-03-07T11:00'),
      message: { channel: 'sms', recipient: '+33612345678' },
      history: [sent(at('2026-03-07T09:30'), 'sms', 'transactional')],
    });
    expect(deferredTo(d)).toBe('2026-03-09 09:00 +01:00');
  });

  it('when the day after is Easter Monday, then the deferred message waits for Tuesday', () => {
    const d = decision({
      now: at('2026-04-04T10:00'),
      history: [sent(at('2026-04-04T09:30'), 'email', 'transactional')],
    });
    expect(deferredTo(d)).toBe('2026-04-07 08:00 +02:00');
  });

  it('when the email was sent today, then an SMS is not capped by it', () => {
    const d = decision({
      now: at('2026-03-03T15:00'),
      message: { channel: 'sms', dedupKey: 'invoice-dunning/INV-1/overdue-2/sms' },
      history: [sent(at('2026-03-03T09:30'), 'email', 'transactional')],
    });
    expect(d.kind).toBe('send');
  });

  it('when yesterday evening was the same UTC day, then the local day still decides', () => {
    // 23:30 in Paris on 2 March is 22:30 UTC on 2 March; 08:30 on 3 March is a new local day.
    const d = decision({
      now: at('2026-03-03T08:30'),
      history: [sent(at('2026-03-02T23:30'), 'email', 'transactional')],
    });
    expect(d.kind).toBe('send');
    // In Auckland, 3 March 10:00 and 2 March 23:00 UTC are the same local day (4 March, NZDT).
    const auckland = 'Pacific/Auckland';
    const d2 = decision({
      now: at('2026-03-04T12:00', auckland),
      contact: { timezone: auckland, country: 'NZ' },
      history: [sent(at('2026-03-04T09:00', auckland), 'email', 'transactional')],
    });
    expect(deferredTo(d2, auckland)).toBe('2026-03-05 08:00 +13:00');
  });

  it('when the marketing history is full, then it does not cap a transactional message', () => {
    const history = [1, 2, 3].map((h) => sent(at(`2026-03-03T0${h}:00`), 'email', 'marketing'));
    expect(decision({ history }).kind).toBe('send');
  });
});

describe('marketing caps: 3 emails and 2 SMS per rolling 7 days', () => {
  it('when 3 offer emails went in the last 7 days, then a fourth is suppressed as frequency_cap', () => {
    const history = ['2026-02-25T10:00', '2026-02-27T10:00', '2026-03-02T10:00'].map((t) =>
      sent(at(t), 'email', 'marketing'),
    );
    const d = decision({ message: offer('email'), consents: optedIn, history });
    expect(d).toMatchObject({ kind: 'suppress', reason: 'frequency_cap' });
    expect(d.checks.at(-1)?.detail).toBe('marketing email: 3/3 in 7 days');
  });

  it('when only 2 went, then the third is sent', () => {
    const history = ['2026-02-27T10:00', '2026-03-02T10:00'].map((t) => sent(at(t), 'email', 'marketing'));
    expect(decision({ message: offer('email'), consents: optedIn, history }).kind).toBe('send');
  });

  it('when the oldest of 3 is more than 7 days old, then it no longer counts', () => {
    const history = ['2026-02-24T09:59', '2026-02-27T10:00', '2026-03-02T10:00'].map((t) =>
      sent(at(t), 'email', 'marketing'),
    );
    expect(decision({ message: offer('email'), consents: optedIn, history }).kind).toBe('send');
  });

  it('when 2 offer SMS went this week, then a third SMS is suppressed, but an email is fine', () => {
    const history = ['2026-02-28T10:00', '2026-03-02T10:00'].map((t) => sent(at(t), 'sms', 'marketing'));
    expect(decision({ message: offer('sms'), consents: optedIn, history })).toMatchObject({
      kind: 'suppress',
      reason: 'frequency_cap',
    });
    expect(decision({ message: offer('email'), consents: optedIn, history }).kind).toBe('send');
  });

  it('when the cap lapses before the window opens, then the offer is deferred to the opening, not suppressed', () => {
    // Monday 07:00, before the 08:00 opening; the oldest offer (last Monday 07:30) leaves the 7 days by 08:00.
    const history = ['2026-02-23T07:30', '2026-02-25T10:00', '2026-02-27T10:00'].map((t) =>
      sent(at(t), 'email', 'marketing'),
    );
    const d = decision({ now: at('2026-03-02T07:00'), message: offer('email'), consents: optedIn, history });
    expect(deferredTo(d)).toBe('2026-03-02 08:00 +01:00');
  });
});

describe('checkCap', () => {
  const rolling: CapConfig = { purpose: 'marketing', channel: 'email', max: 2, per: { rollingDays: 7 } };

  it('when a rolling cap is full, then it frees one millisecond after the oldest counted message leaves', () => {
    const history = ['2026-03-01T10:00', '2026-03-02T10:00'].map((t) => sent(at(t), 'email', 'marketing'));
    const answer = checkCap(rolling, DateTime.fromISO(at('2026-03-03T10:00')), PARIS, history);
    expect(answer.ok).toBe(false);
    expect(answer.freeAt?.toUTC().toISO()).toBe('2026-03-08T09:00:00.001Z');
  });

  it('when the rolling window spans the spring-forward night, then 7 days are 7 local days', () => {
    const history = ['2026-03-25T10:00', '2026-03-26T10:00'].map((t) => sent(at(t), 'email', 'marketing'));
    const answer = checkCap(rolling, DateTime.fromISO(at('2026-03-27T10:00')), PARIS, history);
    expect(answer.freeAt && local(answer.freeAt.toUTC().toISO() ?? '')).toBe('2026-04-01 10:00 +02:00');
  });

  it('when caps are listed, then only those of the same purpose and channel apply', () => {
    expect(applicableCaps(defaultPolicy.caps, 'marketing', 'sms')).toEqual([
      { purpose: 'marketing', channel: 'sms', max: 2, per: { rollingDays: 7 } },
    ]);
    expect(applicableCaps([], 'transactional', 'email')).toEqual([]);
  });
});
