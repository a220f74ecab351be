/**
 * Campaign scenarios on the time-skipping server (`relance simulate`), read from the outbox:
 * examples/weekly-offer-time-change.yaml, a weekly segment offer over five weeks across both March
 * time changes, with a member joining mid-way, a pause and a resume; and a run that opens in
 * quiet hours (tests/fixtures/scenarios/campaign-quiet-hours.yaml).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runCounts, runsOf, type RunCounts, type StoredRun } from '../../store/campaign-repository';
import { fixturePath, simulateExample, simulateFile, type Simulated } from '../helpers/simulate';

/** "UTC minute  recipient  run" of each offer the provider received, in the order received. */
function offers(t: Simulated): string[] {
  return t.outbox
    .map((r) => {
      const message = t.messages.find((m) => m.providerMessageId === r.id);
      return `${r.receivedAt.slice(0, 16)}Z ${r.to} ${message?.runId ?? '(no ledger row)'}`;
    })
    .sort();
}

describe('a weekly offer across the March time change, paused one week', () => {
  let t: Simulated;
  let runs: StoredRun[];
  let counts: Map<string, RunCounts>;
  beforeAll(async () => {
    t = await simulateExample('weekly-offer-time-change.yaml', {
      beforeTeardown: async (_env, db) => {
        runs = await runsOf(db, 'spring-weekly');
        counts = await runCounts(db, 'spring-weekly');
      },
    });
  }, 120_000);

  it('when five Mondays pass, then each member got each week her offer at 10:00 in her own zone, UTC moving with each zone’s time change, and the paused week is skipped with no catch-up', () => {
    const week = (date: string, at: Record<string, string>) =>
      Object.entries(at).map(([to, utc]) => `${utc} ${to} spring-weekly/${date}`);
    expect(offers(t)).toEqual(
      [
        // Winter time on both sides: Paris UTC+1, New York UTC−5.
        ...week('2027-03-08', {
          'marie@example.fr': '2027-03-08T09:00Z',
          'paul@example.fr': '2027-03-08T09:00Z',
          'ana@example.com': '2027-03-08T15:00Z',
        }),
        // New York on summer time since 14 March (UTC−4); Paris not yet.
        ...week('2027-03-15', {
          'marie@example.fr': '2027-03-15T09:00Z',
          'paul@example.fr': '2027-03-15T09:00Z',
          'ana@example.com': '2027-03-15T14:00Z',
        }),
        // 22 March: paused, no run. 29 March: resumed; Luc has joined. Easter Monday is a public
        // holiday in France: Paris gets the offer when Tuesday's window opens (08:00 UTC+2).
        ...week('2027-03-29', {
          'ana@example.com': '2027-03-29T14:00Z',
          'luc@example.fr': '2027-03-30T06:00Z',
          'marie@example.fr': '2027-03-30T06:00Z',
          'paul@example.fr': '2027-03-30T06:00Z',
        }),
        // Both on summer time: 10:00 Paris is 08:00 UTC.
        ...week('2027-04-05', {
          'luc@example.fr': '2027-04-05T08:00Z',
          'marie@example.fr': '2027-04-05T08:00Z',
          'paul@example.fr': '2027-04-05T08:00Z',
          'ana@example.com': '2027-04-05T14:00Z',
        }),
      ].sort(),
    );
    expect(t.outbox.some((r) => r.to === 'hugo@example.fr')).toBe(false);
    expect(t.discrepancies).toEqual([]);
  });

  it('when the campaign is read, then it ran on four Mondays only, each run counting what it sent', () => {
    expect(runs.map((r) => `${r.runId} ${r.status}`).sort()).toEqual([
      'spring-weekly/2027-03-08 completed',
      'spring-weekly/2027-03-15 completed',
      'spring-weekly/2027-03-29 completed',
      'spring-weekly/2027-04-05 completed',
    ]);
    expect([...counts.keys()].sort()).toEqual([
      'spring-weekly/2027-03-08',
      'spring-weekly/2027-03-15',
      'spring-weekly/2027-03-29',
      'spring-weekly/2027-04-05',
    ]);
    expect(counts.get('spring-weekly/2027-03-15')).toMatchObject({ sent: 3, failed: 0, deferred: 0 });
    expect(counts.get('spring-weekly/2027-03-29')).toMatchObject({ sent: 4, failed: 0, deferred: 0 });
  });

  it('when a Paris member reads her offers, then each arrived at 10:00 her time, winter and summer alike', () => {
    const marie = t.messages.filter((m) => m.contactId === 'marie' && m.status === 'sent');
    const local = marie.map((m) => `${m.localTime.slice(0, 16)}${m.localTime.slice(-6)}`);
    expect(local).toEqual([
      '2027-03-08T10:00+01:00',
      '2027-03-15T10:00+01:00',
      '2027-03-30T08:00+02:00',
      '2027-04-05T10:00+02:00',
    ]);
  });
});

describe('a campaign run that falls in quiet hours', () => {
  let t: Simulated;
  beforeAll(async () => {
    t = await simulateFile(fixturePath('campaign-quiet-hours.yaml'));
  }, 120_000);

  it('when the run opens at 07:00 Paris time, then each recipient gets it when their own window opens, email at 08:00 and SMS at 09:00, and Tokyo at once', () => {
    const received = t.outbox.map((r) => `${r.receivedAt.slice(0, 16)}Z ${r.channel} ${r.to}`).sort();
    expect(received).toEqual([
      '2026-03-10T06:00Z email kenji@example.jp', // 15:00 in Tokyo: inside the window
      '2026-03-10T07:00Z email elise@example.fr', // 08:00 Paris
      '2026-03-10T08:00Z email oliver@example.co.uk', // 08:00 London
      '2026-03-10T08:00Z sms +33612345678', // 09:00 Paris
      '2026-03-10T09:00Z sms +447911123456', // 09:00 London
      '2026-03-10T12:00Z email grace@example.com', // 08:00 New York (summer time)
      '2026-03-10T13:00Z sms +12125550123', // 09:00 New York
    ]);
    expect(t.discrepancies).toEqual([]);
  });

  it('when a message waited for its window, then the ledger keeps the instant it was first due', () => {
    const waited = t.messages.filter((m) => m.status === 'sent' && m.contactId !== 'kenji');
    expect(waited).toHaveLength(6);
    expect(waited.every((m) => m.plannedAt === '2026-03-10T06:00:00.000Z')).toBe(true);
    expect(t.messages.find((m) => m.contactId === 'kenji' && m.channel === 'sms')).toMatchObject({
      status: 'suppressed',
      reason: 'invalid_address',
    });
  });
});
