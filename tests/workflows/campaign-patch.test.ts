/**
 * A PATCH reaches the campaign's schedule loop at once: on Monday at 08:00, a weekly offer due at
 * 10:00 Paris time is moved to 09:00, and the customer receives it at 09:00 (read from the
 * outbox). The PATCH goes through the real API over the simulation's store; its internal
 * `campaign.updated` event waits in the store until the dispatcher pumps it (here, with the next
 * event a few seconds later; in the stack, the PATCH's own commit nudges the dispatcher).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OutboxRecord } from '../../channels/outbox/outbox-store';
import { authHeaders, buildTestApi } from '../helpers/api-auth';
import { simulateFile } from '../helpers/simulate';

const content = { title: 'Offre Or', body: '-20 % cette semaine', url: 'https://shop.example.com/or' };
const member = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  email: `${id}@example.com`,
  locale: 'fr-FR',
  timezone: 'Europe/Paris',
  country: 'FR',
  ...extra,
});

function scenarioFile(): string {
  const scenario = {
    name: 'weekly offer moved two hours before it opens',
    start: '2026-03-02T06:00:00+01:00', // a Monday
    until: '2026-03-02T10:30:00+01:00',
    contacts: [member('g1', { attributes: { tier: 'gold' } })],
    events: [
      {
        at: '2026-03-02T06:10:00+01:00',
        type: 'contact.consent',
        data: { contactId: 'g1', channel: 'email', purpose: 'marketing', granted: true, source: 'signup' },
      },
      {
        at: '2026-03-02T06:30:00+01:00',
        type: 'campaign.scheduled',
        data: {
          id: 'weekly-gold',
          template: 'weekly-offer',
          channels: ['email'],
          segment: { all: [{ attribute: 'tier', eq: 'gold' }] },
          recurrence: { days: ['mon'], time: '10:00', timezone: 'Europe/Paris' },
          content,
        },
      },
      // The PATCH is sent right after this one (index 2); the next event's drain delivers it.
      { at: '2026-03-02T08:00:00+01:00', type: 'contact.upserted', data: member('n1') },
      { at: '2026-03-02T08:00:05+01:00', type: 'contact.upserted', data: member('n2') },
    ],
  };
  const file = join(mkdtempSync(join(tmpdir(), 'relance-patch-')), 'scenario.json');
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}

describe('a PATCH moving the next run earlier', () => {
  let outbox: OutboxRecord[];
  let patchStatus = 0;
  beforeAll(async () => {
    const simulated = await simulateFile(scenarioFile(), {
      onEvent: async (db, index) => {
        if (index !== 2) return;
        const app = await buildTestApi(db, { now: () => '2026-03-02T07:00:00.000Z' });
        const res = await app.inject({
          method: 'PATCH',
          url: '/v1/campaigns/weekly-gold',
          headers: { ...authHeaders, 'content-type': 'application/json' },
          payload: JSON.stringify({ recurrence: { days: ['mon'], time: '09:00', timezone: 'Europe/Paris' } }),
        });
        patchStatus = res.statusCode;
        await app.close();
      },
    });
    outbox = simulated.outbox;
  }, 240_000);

  it('when the offer is moved from 10:00 to 09:00 at 08:00, then the member receives it at 09:00, once', () => {
    expect(patchStatus).toBe(200);
    expect(outbox.map((r) => `${r.to} ${r.receivedAt.slice(0, 16)}`)).toEqual([
      'g1@example.com 2026-03-02T08:00', // 09:00 in Paris (UTC+1)
    ]);
  });
});
