/**
 * One-shot campaigns (a list of contactIds, with or without sendAt) run as one campaign run, like
 * segment and recurring ones, so pause, resume and cancel reach them. Run by the simulator on the
 * time-skipping server; what each customer receives is read from the outbox.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OutboxRecord } from '../../channels/outbox/outbox-store';
import { getCampaign, runsOf, type StoredRun } from '../../store/campaign-repository';
import { simulateFile, type Simulated } from '../helpers/simulate';

const people = ['ada', 'bo', 'cy'];
const contact = (id: string) => ({
  id,
  email: `${id}@example.com`,
  locale: 'fr-FR',
  timezone: 'Europe/Paris',
  country: 'FR',
});
const consent = (contactId: string) => ({
  at: '2026-03-02T08:10:00+01:00',
  type: 'contact.consent',
  data: { contactId, channel: 'email', purpose: 'marketing', granted: true, source: 'newsletter form' },
});
const campaign = (at: string, id: string, contactIds: string[], sendAt?: string) => ({
  at,
  type: 'campaign.scheduled',
  data: {
    id,
    template: 'weekly-offer',
    channels: ['email'],
    contactIds,
    ...(sendAt ? { sendAt } : {}),
    content: { title: `Offre ${id}`, body: 'Dix pour cent.', url: `https://shop.example.com/${id}` },
  },
});
const control = (at: string, type: string, campaignId: string) => ({ at, type, data: { campaignId } });

function scenarioFile(): string {
  const scenario = {
    name: 'one-shot campaigns paused, resumed and cancelled',
    start: '2026-03-02T08:00:00+01:00',
    until: '2026-03-04T09:00:00Z',
    contacts: people.map(contact),
    events: [
      ...people.map(consent),
      // Paused the day before its send time, resumed an hour before it: it goes at its time.
      campaign('2026-03-02T09:00:00+01:00', 'held', ['ada', 'bo'], '2026-03-03T10:00:00+01:00'),
      // Cancelled before its send time: nothing ever leaves.
      campaign('2026-03-02T09:00:00+01:00', 'dropped', ['cy'], '2026-03-03T11:00:00+01:00'),
      // Paused and never resumed: its send time passes, nothing leaves.
      campaign('2026-03-02T09:00:00+01:00', 'parked', ['ada'], '2026-03-03T11:30:00+01:00'),
      control('2026-03-02T12:00:00+01:00', 'campaign.paused', 'held'),
      control('2026-03-02T12:00:00+01:00', 'campaign.cancelled', 'dropped'),
      control('2026-03-02T12:00:00+01:00', 'campaign.paused', 'parked'),
      control('2026-03-03T09:00:00+01:00', 'campaign.resumed', 'held'),
      // Sent at 21:00, after the email window (20:00): the run waits for 08:00 the next morning.
      campaign('2026-03-03T21:00:00+01:00', 'late-kept', ['bo']),
      campaign('2026-03-03T21:00:00+01:00', 'late-cancelled', ['cy']),
      campaign('2026-03-03T21:00:00+01:00', 'late-paused', ['ada']),
      // A pause and a resume while the run waits change nothing for its recipients.
      control('2026-03-03T22:00:00+01:00', 'campaign.paused', 'late-kept'),
      control('2026-03-04T07:00:00+01:00', 'campaign.resumed', 'late-kept'),
      // A cancel while the run waits closes its waiting recipients at once.
      control('2026-03-03T22:00:00+01:00', 'campaign.cancelled', 'late-cancelled'),
      // Paused until after the morning: the run closes its waiting recipient when it wakes; the
      // resume does not send it (no catch-up) and leaves the campaign completed.
      control('2026-03-03T22:00:00+01:00', 'campaign.paused', 'late-paused'),
      control('2026-03-04T08:30:00+01:00', 'campaign.resumed', 'late-paused'),
    ],
  };
  const dir = mkdtempSync(join(tmpdir(), 'relance-one-shot-'));
  const file = join(dir, 'scenario.json');
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}

describe('one-shot list campaigns run as campaign runs', () => {
  let t: Simulated;
  const runs = new Map<string, StoredRun[]>();
  const statuses = new Map<string, string | undefined>();
  beforeAll(async () => {
    t = await simulateFile(scenarioFile(), {
      beforeTeardown: async (_env, db) => {
        for (const id of ['held', 'dropped', 'parked', 'late-kept', 'late-cancelled', 'late-paused']) {
          runs.set(id, await runsOf(db, id));
          statuses.set(id, (await getCampaign(db, id))?.status);
        }
      },
    });
  }, 300_000);

  const offersOf = (id: string): OutboxRecord[] =>
    t.outbox.filter((r) => r.subject?.includes(`Offre ${id}`) || r.text.includes(`/${id}`));
  const summary = (id: string) => offersOf(id).map((r) => `${r.to} ${r.receivedAt.slice(0, 16)}`);

  it('when a one-shot campaign is paused and resumed before its send time, then each listed contact gets the offer once, at that time, in one run', () => {
    expect(summary('held').sort()).toEqual([
      'ada@example.com 2026-03-03T09:00',
      'bo@example.com 2026-03-03T09:00',
    ]);
    expect(runs.get('held')?.map((r) => `${r.runId}:${r.status}`)).toEqual(['held/2026-03-03:completed']);
    expect(statuses.get('held')).toBe('completed');
    const offers = t.messages.filter((m) => m.subjectIds.includes('held'));
    expect(offers.every((m) => m.runId === 'held/2026-03-03' && m.sequence === 'campaign')).toBe(true);
  });

  it('when a one-shot campaign is cancelled, or paused and never resumed, before its send time, then nobody receives it', () => {
    expect(summary('dropped')).toEqual([]);
    expect(summary('parked')).toEqual([]);
    expect(runs.get('dropped')).toEqual([]);
    expect(runs.get('parked')).toEqual([]);
    expect([statuses.get('dropped'), statuses.get('parked')]).toEqual(['cancelled', 'paused']);
  });

  it('when a run waits for the morning and its campaign is paused and resumed before then, then the offer still leaves in the morning', () => {
    expect(summary('late-kept')).toEqual(['bo@example.com 2026-03-04T07:00']); // 08:00 Paris
  });

  it('when a run waits for the morning and its campaign is cancelled, then its waiting recipient is closed at once and receives nothing', () => {
    expect(summary('late-cancelled')).toEqual([]);
    const [run] = runs.get('late-cancelled') ?? [];
    expect(run).toMatchObject({ runId: 'late-cancelled/2026-03-03', status: 'cancelled' });
    expect(run?.finishedAt?.slice(0, 16)).toBe('2026-03-03T21:00'); // 22:00 Paris, not the morning
    expect(
      t.messages.filter((m) => m.subjectIds.includes('late-cancelled')).map((m) => `${m.status}:${m.reason}`),
    ).toEqual(['suppressed:paused']);
    expect(t.discrepancies).toEqual([]);
  });

  it('when a run waits for the morning and its campaign is paused until after it, then the offer never leaves, and the resume completes the campaign', () => {
    expect(summary('late-paused')).toEqual([]);
    expect(runs.get('late-paused')?.map((r) => `${r.status}:${r.finishedAt?.slice(0, 16)}`)).toEqual([
      'paused:2026-03-04T07:00', // 08:00 Paris, when the run woke
    ]);
    expect(statuses.get('late-paused')).toBe('completed');
  });
});
