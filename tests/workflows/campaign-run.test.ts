/**
 * A weekly offer to a loyalty segment, run by the broadcast path on the time-skipping server
 * (`relance simulate`): one run per date, the audience decided page by page, and what each
 * customer receives read from the outbox. Forty-odd gold members in Paris, two in New York, one
 * in Tokyo; some without marketing consent, three capped by earlier offers, one do-not-contact,
 *
 * two erased, silver members outside the segment.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sqlOutboxStore, type OutboxRecord } from '../../channels/outbox/outbox-store';
import { loadScenario } from '../../cli/simulator/scenario';
import { runSimulation } from '../../cli/simulator/run-simulation';
import type { Timeline } from '../../cli/simulator/timeline';
import { runCounts, type RunCounts } from '../../store/campaign-repository';

const pad = (n: number) => String(n).padStart(2, '0');
const gold = Array.from({ length: 42 }, (_, i) => `g${pad(i + 1)}`);
const NEW_YORK = ['g41', 'g42'];
const TOKYO = 'g40';
const NO_CONSENT = ['g01', 'g02', 'g03', 'g04', 'g05'];
const CAPPED = ['g06', 'g07', 'g08'];
const DNC = 'g09';
const ERASED = ['g10', 'g11'];
const silver = ['s01', 's02', 's03', 's04', 's05'];

const zone = (id: string) =>
  NEW_YORK.includes(id) ? 'America/New_York' : id === TOKYO ? 'Asia/Tokyo' : 'Europe/Paris';
const contact = (id: string, tier: string) => ({
  id,
  email: `${id}@example.com`,
  locale: 'fr-FR',
  timezone: zone(id),
  country: 'FR',
  attributes: { tier },
});
const consent = (contactId: string) => ({
  at: '2026-03-02T08:10:00+01:00',
  type: 'contact.consent',
  data: { contactId, channel: 'email', purpose: 'marketing', granted: true, source: 'loyalty signup' },
});
const content = { title: 'Offre Or', body: '-20 % cette semaine', url: 'https://shop.example.com/or' };

function scenarioFile(): string {
  const earlierOffers = [10, 11, 12].map((hour, i) => ({
    at: '2026-03-02T08:20:00+01:00',
    type: 'campaign.scheduled',
    data: {
      id: `earlier-${i}`,
      template: 'weekly-offer',
      channels: ['email'],
      contactIds: CAPPED,
      sendAt: `2026-03-02T${hour}:00:00+01:00`,
      content,
    },
  }));
  const scenario = {
    name: 'weekly gold offer, broadcast path',
    start: '2026-03-02T08:00:00+01:00',
    // Just after the last offer leaves (New York, 10:00 local).
    until: '2026-03-03T15:00:30Z',
    contacts: [...gold.map((id) => contact(id, 'gold')), ...silver.map((id) => contact(id, 'silver'))],
    events: [
      ...[...gold, ...silver].filter((id) => !NO_CONSENT.includes(id)).map(consent),
      ...earlierOffers,
      {
        at: '2026-03-02T08:30:00+01:00',
        type: 'contact.do_not_contact',
        data: { contactId: DNC, flagged: true, reason: 'customer_request', source: 'call centre' },
      },
      ...ERASED.map((contactId) => ({
        at: '2026-03-02T08:40:00+01:00',
        type: 'contact.erased',
        data: { contactId },
      })),
      {
        at: '2026-03-02T09:00:00+01:00',
        type: 'campaign.scheduled',
        data: {
          id: 'weekly-gold',
          template: 'weekly-offer',
          channels: ['email'],
          segment: { all: [{ attribute: 'tier', in: ['gold', 'platinum'] }] },
          recurrence: { days: ['tue'], time: '10:00', timezone: 'recipient', until: '2026-03-09T00:00:00Z' },
          content,
        },
      },
    ],
  };
  const dir = mkdtempSync(join(tmpdir(), 'relance-campaign-'));
  const file = join(dir, 'scenario.json');
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}

describe('a weekly segment campaign on the broadcast path', () => {
  let timeline: Timeline;
  let outbox: OutboxRecord[];
  let counts: Map<string, RunCounts>;
  beforeAll(async () => {
    timeline = await runSimulation(loadScenario(scenarioFile()), {
      beforeTeardown: async (_env, db) => {
        outbox = await sqlOutboxStore(db).list();
        counts = await runCounts(db, 'weekly-gold');
      },
    });
  }, 400_000);

  const byRecipient = (records: OutboxRecord[]) => records.map((r) => r.to).sort();
  const reachable = gold.filter(
    (id) => !NO_CONSENT.includes(id) && !CAPPED.includes(id) && id !== DNC && !ERASED.includes(id),
  );

  it('when the Tuesday run comes, then each reachable gold member gets the offer once, and nobody else', () => {
    const tuesday = outbox.filter((r) => r.receivedAt.startsWith('2026-03-03'));
    expect(byRecipient(tuesday)).toEqual(reachable.map((id) => `${id}@example.com`).sort());
  });

  it('when a member lives in New York or Tokyo, then the offer reaches them at 10:00 in their own zone', () => {
    const at = (id: string) =>
      outbox.find((r) => r.to === `${id}@example.com` && r.receivedAt.startsWith('2026-03-03'))?.receivedAt;
    expect(at('g41')?.slice(0, 16)).toBe('2026-03-03T15:00');
    expect(at(TOKYO)?.slice(0, 16)).toBe('2026-03-03T01:00');
    expect(at('g20')?.slice(0, 16)).toBe('2026-03-03T09:00');
  });

  it('when the runs are counted, then suppressed recipients are there by reason and the ledger agrees with the outbox', () => {
    const run = counts.get('weekly-gold/2026-03-03');
    expect(run).toMatchObject({ sent: reachable.length, failed: 0, deferred: 0 });
    expect(run?.suppressed).toEqual({
      no_consent: NO_CONSENT.length,
      frequency_cap: CAPPED.length,
      do_not_contact: 1,
    });
    const offers = timeline.messages.filter((m) => m.runId === 'weekly-gold/2026-03-03');
    expect(
      offers.every(
        (m) => m.sequence === 'campaign' && m.step === 'offer' && m.subjectIds[0] === 'weekly-gold',
      ),
    ).toBe(true);
    expect(timeline.discrepancies).toEqual([]);
    // Each received message is received once.
    const keys = outbox.map((r) => `${r.to}|${r.receivedAt}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
