import { DateTime, Settings } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { decide } from '../../domain/policy/decide';
import type { Decision } from '../../domain/policy/types';
import { nextWindowOpening } from '../../domain/policy/windows';
import {
  at,
  calendar,
  defaultPolicy,
  local,
  PARIS,
  policyInput,
  withSundayWindow,
  type InputOverrides,
} from '../fixtures/policy';

const decision = (overrides: InputOverrides = {}): Decision => decide(policyInput(overrides));
/** "send", or the local time a deferred message waits for, in the contact's zone. */
const when = (d: Decision, zone = PARIS) =>
  d.kind === 'defer' ? `defer ${local(d.until, zone)}` : d.kind === 'send' ? 'send' : `suppress ${d.reason}`;
const email = (now: string, extra: InputOverrides = {}) => decision({ now, ...extra });
const sms = (now: string, extra: InputOverrides = {}) =>
  decision({ now, ...extra, message: { channel: 'sms', ...extra.message } });

describe('send windows: email 08:00–20:00 and SMS 09:00–19:00, Monday to Saturday', () => {
  it('when an email is due before 08:00, then it waits for 08:00 the same day', () => {
    expect(when(email(at('2026-03-03T07:59')))).toBe('defer 2026-03-03 08:00 +01:00');
    expect(when(email(at('2026-03-03T08:00')))).toBe('send');
  });

  it('when an email is due at 20:00 or later, then it waits for 08:00 the next day', () => {
    expect(when(email(at('2026-03-03T19:59')))).toBe('send');
    expect(when(email(at('2026-03-03T20:00')))).toBe('defer 2026-03-04 08:00 +01:00');
  });

  it('when an SMS is due outside 09:00–19:00, then it waits for 09:00', () => {
    expect(when(sms(at('2026-03-03T08:30')))).toBe('defer 2026-03-03 09:00 +01:00');
    expect(when(sms(at('2026-03-03T18:59')))).toBe('send');
    expect(when(sms(at('2026-03-03T19:00')))).toBe('defer 2026-03-04 09:00 +01:00');
  });

  it('when it is Saturday, then messages go; when it is Sunday, then they wait for Monday', () => {
    expect(when(email(at('2026-03-07T10:00')))).toBe('send');
    const sunday = email(at('2026-03-08T10:00'));
    expect(when(sunday)).toBe('defer 2026-03-09 08:00 +01:00');
    expect(sunday.checks.find((c) => c.rule === 'window')?.detail).toBe('no sending on sun');
  });

  it('when it is a French public holiday, then nothing goes and the holiday is named', () => {
    const easterMonday = email(at('2026-04-06T10:00'));
    expect(when(easterMonday)).toBe('defer 2026-04-07 08:00 +02:00');
    expect(easterMonday.checks.find((c) => c.rule === 'window')?.detail).toBe(
      'public holiday (Lundi de Pâques)',
    );
    // Saturday evening before Easter: Sunday, then Easter Monday, are both skipped.
    expect(when(sms(at('2026-04-04T19:30')))).toBe('defer 2026-04-07 09:00 +02:00');
    // Friday 1 May: wait for Saturday 2 May.
    expect(when(email(at('2026-05-01T09:00')))).toBe('defer 2026-05-02 08:00 +02:00');
    // Ascension Thursday 14 May.
    expect(when(sms(at('2026-05-14T12:00')))).toBe('defer 2026-05-15 09:00 +02:00');
  });

  it("when the holiday is not one of the contact's country, then it does not close the window", () => {
    const london = { contact: { timezone: 'Europe/London', country: 'GB' } };
    expect(when(email(at('2026-05-08T10:00', 'Europe/London'), london))).toBe('send'); // 8 May: FR only
    expect(when(email(at('2026-04-03T10:00', 'Europe/London'), london), 'Europe/London')).toBe(
      'defer 2026-04-04 08:00 +01:00', // Good Friday: GB only
    );
  });

  it('when the contact has no country, then the configured default country gives the holidays', () => {
    expect(when(email(at('2026-07-14T10:00'), { contact: { country: undefined } }))).toBe(
      'defer 2026-07-15 08:00 +02:00',
    );
  });
});

describe('send windows across daylight-saving changes (Europe/Paris 2026)', () => {
  it('when a message is due on Saturday evening before spring-forward, then it goes Monday 08:00 summer time', () => {
    const d = email(at('2026-03-28T20:30'));
    expect(when(d)).toBe('defer 2026-03-30 08:00 +02:00');
    expect(d.kind === 'defer' && d.until).toBe('2026-03-30T06:00:00.000Z');
  });

  it('when a Sunday window covers the night of spring-forward, then it runs on the wall clock', () => {
    const config = withSundayWindow('email', '01:00', '04:00');
    expect(when(email(at('2026-03-29T00:30'), { config }))).toBe('defer 2026-03-29 01:00 +01:00');
    expect(when(email(at('2026-03-29T01:59'), { config }))).toBe('send');
    expect(when(email(at('2026-03-29T03:00'), { config }))).toBe('send'); // one real hour after 01:59
    expect(when(email(at('2026-03-29T04:00'), { config }))).toBe('defer 2026-03-30 08:00 +02:00');
  });

  it('when a window opens inside the skipped hour, then it opens at 03:00, the first minute that exists', () => {
    const config = withSundayWindow('email', '02:30', '05:00');
    const d = email(at('2026-03-29T01:30'), { config });
    expect(when(d)).toBe('defer 2026-03-29 03:00 +02:00');
    expect(d.kind === 'defer' && d.until).toBe('2026-03-29T01:00:00.000Z');
  });

  it('when a whole window lies inside the skipped hour, then that Sunday has no window at all', () => {
    const config = withSundayWindow('email', '02:00', '02:45');
    // 03:10 is after the gap: on the wall clock it is past 02:45, so nothing may go until next Sunday 02:00.
    expect(when(email(at('2026-03-29T03:10'), { config }))).toBe('defer 2026-03-30 08:00 +02:00');
    const sundayOnly = {
      windows: {
        ...defaultPolicy.windows,
        email: [{ days: ['sun' as const], from: '02:00', to: '02:45', skipPublicHolidays: false }],
      },
    };
    expect(when(email(at('2026-03-29T01:30'), { config: sundayOnly }))).toBe('defer 2026-04-05 02:00 +02:00');
  });

  it('when clocks go back on 25 October, then a Sunday window 01:00–04:00 lasts four real hours', () => {
    const config = withSundayWindow('email', '01:00', '04:00');
    expect(when(email('2026-10-24T23:00:00.000Z', { config }))).toBe('send'); // 01:00 summer time
    expect(when(email('2026-10-25T01:30:00.000Z', { config }))).toBe('send'); // 02:30, second time round
    expect(when(email('2026-10-25T02:59:00.000Z', { config }))).toBe('send'); // 03:59 winter time
    expect(when(email('2026-10-25T03:00:00.000Z', { config }))).toBe('defer 2026-10-26 08:00 +01:00');
  });

  it('when a message waits over the fall-back weekend, then Monday 08:00 is one hour later in UTC', () => {
    const d = sms(at('2026-10-24T19:30'));
    expect(when(d)).toBe('defer 2026-10-26 09:00 +01:00');
    expect(d.kind === 'defer' && d.until).toBe('2026-10-26T08:00:00.000Z');
  });
});

describe("send windows in the contact's own zone, wherever the server runs", () => {
  afterEach(() => {
    Settings.defaultZone = 'system';
  });

  ['Europe/Paris', 'Asia/Tokyo', 'UTC'].forEach((serverZone, second) => {
    it(`when the server runs in ${serverZone} and the contact lives in Auckland, then Auckland hours apply`, () => {
      Settings.defaultZone = serverZone;
      const auckland = { contact: { timezone: 'Pacific/Auckland', country: 'NZ' } };
      // Each server zone asks at its own second: window answers are remembered per instant, and a
      // remembered answer would not show what this zone computes.
      // 20:00 UTC on Monday 2 March: 21:00 in Paris (closed there), 09:00 Tuesday in Auckland.
      expect(when(email(`2026-03-02T20:00:0${second}.000Z`, auckland))).toBe('send');
      expect(when(sms(`2026-03-02T19:30:0${second}.000Z`, auckland), 'Pacific/Auckland')).toBe(
        'defer 2026-03-03 09:00 +13:00',
      );
    });
  });

  it('when the contact lives in Los Angeles, then an SMS at 08:30 there waits for 09:00 there', () => {
    const la = { contact: { timezone: 'America/Los_Angeles', country: 'US' } };
    // 16:30 UTC on Tuesday 3 March: 17:30 in Paris (open there), 08:30 in Los Angeles.
    const d = sms('2026-03-03T16:30:00.000Z', la);
    expect(when(d, 'America/Los_Angeles')).toBe('defer 2026-03-03 09:00 -08:00');
    expect(when(email('2026-03-03T16:30:00.000Z', la))).toBe('send');
    // After the US change of 8 March, 09:00 is 16:00 UTC.
    const afterDst = sms('2026-03-10T15:30:00.000Z', la);
    expect(afterDst.kind === 'defer' && afterDst.until).toBe('2026-03-10T16:00:00.000Z');
  });
});

describe('nextWindowOpening', () => {
  const open = (localIso: string) =>
    nextWindowOpening(DateTime.fromISO(at(localIso)), defaultPolicy.windows.email, PARIS, 'FR', calendar);

  it('when the instant is inside a window, then it is returned as is, with no reason', () => {
    const answer = open('2026-03-03T12:00');
    expect(answer.closedBecause).toBeUndefined();
    expect(answer.opensAt.toMillis()).toBe(Date.parse(at('2026-03-03T12:00')));
  });

  it('when the instant is closed, then the reason says why', () => {
    expect(open('2026-03-03T06:00').closedBecause).toBe('quiet hours (window 08:00–20:00)');
    expect(open('2026-03-03T21:00').closedBecause).toBe('quiet hours (after the last window)');
    expect(open('2026-03-08T12:00').closedBecause).toBe('no sending on sun');
  });

  it('when a channel has two ranges a day, then the gap between them is closed', () => {
    const ranges = [
      { days: ['mon' as const], from: '09:00', to: '12:00', skipPublicHolidays: true },
      { days: ['mon' as const], from: '14:00', to: '18:00', skipPublicHolidays: true },
    ];
    const lunch = nextWindowOpening(DateTime.fromISO(at('2026-03-02T12:30')), ranges, PARIS, 'FR', calendar);
    expect(local(lunch.opensAt.toUTC().toISO() ?? '')).toBe('2026-03-02 14:00 +01:00');
  });

  // Answers are remembered (a campaign page asks the same question for each recipient).
  it('when the same instant is asked of another configuration, zone or country, then each gets its own answer', () => {
    const instant = DateTime.fromISO(at('2026-03-02T08:30'));
    const email = defaultPolicy.windows.email;
    const late = [{ days: ['mon' as const], from: '10:00', to: '18:00', skipPublicHolidays: true }];
    const opens = (ranges: typeof email, zone = PARIS, country = 'FR') =>
      local(nextWindowOpening(instant, ranges, zone, country, calendar).opensAt.toUTC().toISO() ?? '', zone);

    expect(opens(email)).toBe('2026-03-02 08:30 +01:00');
    expect(opens(late)).toBe('2026-03-02 10:00 +01:00');
    expect(opens(email)).toBe('2026-03-02 08:30 +01:00');
    // 07:30 in London: its own window opens at 08:00 there.
    expect(opens(email, 'Europe/London', 'GB')).toBe('2026-03-02 08:00 +00:00');
    // 8 May is a public holiday in France, not in Germany.
    const victory = DateTime.fromISO(at('2026-05-08T10:00'));
    const may = (country: string) =>
      local(nextWindowOpening(victory, email, PARIS, country, calendar).opensAt.toUTC().toISO() ?? '');
    expect(may('FR')).toBe('2026-05-09 08:00 +02:00');
    expect(may('DE')).toBe('2026-05-08 10:00 +02:00');
  });
});
