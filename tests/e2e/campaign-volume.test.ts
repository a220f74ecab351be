/**
 * The broadcast path at volume, through the default embedded stack the benchmark uses (PGlite,
 * the Temporal dev server, the worker, the API and the local outbox, as `npm start` runs them):
 * one segment campaign to 5,000 loyalty members. Every member allowed gets exactly one offer in
 * the outbox; members without marketing consent, who withdrew it, or flagged do-not-contact get
 * none, nor do members outside the segment; the run's counts read by GET /v1/campaigns/{id}
 * say the same. (bench:campaign runs this at 100,000 and times it; this checks, not times.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBenchStack, type BenchStack } from '../../scripts/bench/stack';

const MEMBERS = 5000;
const id = (i: number) => `m${String(i).padStart(5, '0')}`;
const kindOf = (i: number): 'no-consent' | 'withdrawn' | 'dnc' | 'silver' | 'allowed' => {
  if (i % 50 === 1) return 'no-consent';
  if (i % 50 === 2) return 'withdrawn';
  if (i % 50 === 3) return 'dnc';
  if (i % 50 === 4) return 'silver';
  return 'allowed';
};

function eventsOf(i: number): unknown[] {
  const contactId = id(i);
  const kind = kindOf(i);
  const consent = (granted: boolean, n: number) => ({
    id: `consent-${contactId}-${n}`,
    type: 'contact.consent',
    data: { contactId, channel: 'email', purpose: 'marketing', granted, source: 'loyalty signup' },
  });
  return [
    {
      id: `contact-${contactId}`,
      type: 'contact.upserted',
      data: {
        id: contactId,
        firstName: 'Camille',
        email: `${contactId}@example.com`,
        locale: 'fr-FR',
        timezone: 'Europe/Paris',
        tags: ['loyalty'],
        attributes: { tier: kind === 'silver' ? 'silver' : i % 2 ? 'gold' : 'platinum' },
      },
    },
    ...(kind === 'no-consent' ? [] : [consent(true, 1)]),
    ...(kind === 'withdrawn' ? [consent(false, 2)] : []),
    ...(kind === 'dnc'
      ? [
          {
            id: `dnc-${contactId}`,
            type: 'contact.do_not_contact',
            data: { contactId, flagged: true, reason: 'customer_request', source: 'call centre' },
          },
        ]
      : []),
  ];
}

interface Run {
  status: string;
  targeted: number;
  sent: number;
  deferred: number;
  suppressed: Record<string, number>;
  failed: number;
}

describe('when a segment campaign reaches 5,000 loyalty members through the stack', () => {
  let stack: BenchStack;
  beforeAll(async () => {
    stack = await startBenchStack();
    const events = Array.from({ length: MEMBERS }, (_, i) => eventsOf(i)).flat();
    for (let i = 0; i < events.length; i += 1000) await stack.post('/v1/events', events.slice(i, i + 1000));
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('then each allowed member has exactly one offer, the others none, and the run counts match', async () => {
    await stack.post('/v1/campaigns', {
      id: 'volume-gold',
      template: 'weekly-offer',
      channels: ['email'],
      segment: { all: [{ attribute: 'tier', in: ['gold', 'platinum'] }, { tag: 'loyalty' }] },
      content: { title: 'Offre de la semaine', body: '-20 % sur tout', url: 'https://shop.example.com/o' },
    });
    let run: Run | undefined;
    const deadline = Date.now() + 150_000;
    while (run?.status !== 'completed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      run = ((await stack.get('/v1/campaigns/volume-gold')) as { runs: Run[] }).runs[0];
    }
    const res = await fetch(`${stack.outboxUrl}/_outbox/messages?channel=email`);
    const received = ((await res.json()) as { messages: { to: string }[] }).messages.map((m) => m.to);
    const perAddress = new Map<string, number>();
    for (const to of received) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);

    const all = Array.from({ length: MEMBERS }, (_, i) => i);
    const allowed = all.filter((i) => kindOf(i) === 'allowed').map((i) => `${id(i)}@example.com`);
    const others = all.filter((i) => kindOf(i) !== 'allowed').map((i) => `${id(i)}@example.com`);
    expect(allowed.filter((to) => perAddress.get(to) !== 1)).toEqual([]);
    expect(others.filter((to) => perAddress.has(to))).toEqual([]);
    expect(received).toHaveLength(allowed.length);
    const count = (kind: string) => all.filter((i) => kindOf(i) === kind).length;
    expect(run).toMatchObject({
      status: 'completed',
      targeted: MEMBERS - count('silver'),
      sent: allowed.length,
      deferred: 0,
      failed: 0,
      suppressed: {
        no_consent: count('no-consent'),
        opted_out: count('withdrawn'),
        do_not_contact: count('dnc'),
      },
    });
  }, 180_000);
});
