/**
 * A campaign run survives SIGKILL: the whole stack (API, worker, dispatcher, PGlite on disk) runs
 * as a child process against a Temporal dev server on the wall clock, running a 3,000-recipient
 * one-shot campaign (pages of 1,000). It is killed twice and started again on the same data each
 * time: once early in page two's request, which the provider then drops (it recorded a few of its
 * messages, never the rest); once while the provider takes a later request, which it keeps whole
 * (Relance never hears back). A page is prepared while the one before it is sent, so the provider
 * may hold two requests when a kill comes. Every recipient allowed
 * to receive the offer gets it exactly once (by address, in the outbox), nobody else gets it, and
 * the run completes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryOutboxStore, type OutboxRecord, type OutboxStore } from '../../channels/outbox/outbox-store';
import { type OutboxServer } from '../../channels/outbox/server';
import { audience, campaignOf, countsByAddress, postInChunks } from '../helpers/campaign-audience';
import { startDevServer, type DevServer } from '../helpers/dev-server';
import { postJson, startStack, waitFor, type StackProcess } from '../helpers/stack-process';
import { startTestOutbox } from '../helpers/test-outbox';
import { alwaysOpen, offer } from '../helpers/wall-events';

const SIZE = 3_000;
/**
 * The kills, by the offer the outbox is taking: the 1,001st, early in page two's request (the
 * rest of that request is dropped), then one in the middle of a later request (kept whole).
 */
const KILLS = [
  { at: 1_001, providerTakesIt: false },
  { at: 2_500, providerTakesIt: true },
];

describe('when the stack is killed with SIGKILL in the middle of a campaign run', () => {
  let temporal: DevServer | undefined;
  let outbox: OutboxServer;
  let outboxUrl: string;
  let dataDir: string;
  let stack: StackProcess | undefined;
  const received: OutboxRecord[] = [];
  let killed: Promise<void> | undefined;
  let kills = 0;
  /** What the provider had received when each kill came (a request it keeps goes on after). */
  const receivedAtKill: number[] = [];
  /** Messages of a dropped request the provider never recorded. */
  const droppedAtKill: number[] = [];
  /** Stacks started so far: a kill comes to a running stack, not to one already killed. */
  let started = 0;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'relance-run-crash-'));
    temporal = await startDevServer(dataDir);
    const memory = memoryOutboxStore();
    // The outbox records before it answers: the kill comes while the provider holds a request.
    // Dropped, the rest of it is never recorded; taken, it is (Relance never hears back).
    const store: OutboxStore = {
      ...memory,
      async record(m) {
        const kill = KILLS[kills];
        // Two requests may be in flight (a page is prepared while one is sent): the count may pass
        // a kill's mark while the stack is down, so the kill comes at the next message after it.
        if (kill && received.length + 1 >= kill.at && started === kills + 1) {
          receivedAtKill.push(received.length);
          kills += 1;
          killed = stack?.kill();
          await killed;
          if (!kill.providerTakesIt) throw new Error('the provider went away with the request');
        }
        received.push(m);
        await memory.record(m);
      },
      // A SendGrid request of several personalizations: each recipient, as above.
      async recordAll(all) {
        for (const [i, m] of all.entries())
          await store.record(m).catch((error: unknown) => {
            droppedAtKill.push(all.length - i);
            throw error;
          });
      },
    };
    ({ server: outbox, url: outboxUrl } = await startTestOutbox(join(dataDir, 'relance'), store));
  });

  afterAll(async () => {
    await stack?.stop();
    await outbox?.close();
    await temporal?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = () => {
    started += 1;
    return startStack({
      TEMPORAL_ADDRESS: temporal?.address ?? '',
      OUTBOX_URL: outboxUrl,
      RELANCE_DATA_DIR: join(dataDir, 'relance'),
      RELANCE_CLOCK: 'wall',
      RELANCE_CONFIG: alwaysOpen,
    });
  };

  it('then every allowed recipient gets the offer exactly once and the run completes', async () => {
    stack = await start();
    // Every 97th contact never consented to marketing: the run suppresses it, before and after.
    const members = audience(SIZE, (i) => i % 97 === 0);
    await postInChunks(stack.apiUrl, members.events);
    const fail = (error: unknown) => {
      throw new Error(`${String(error)}\n${stack?.output()}`);
    };
    const accepted = await postJson(`${stack.apiUrl}/v1/events`, [
      offer('crash', members.ids, new Date().toISOString()),
    ]);
    expect(accepted.status).toBe(202);

    // A page cut off is retried once its heartbeat times out (2 minutes); its rows left `sending`
    // are first confirmed with the provider: sent if it has them, else decided and sent again.
    for (const [i, kill] of KILLS.entries()) {
      await waitFor(`kill ${i + 1}`, () => (kills > i ? true : undefined), 300_000).catch(fail);
      await killed;
      expect(receivedAtKill[i]).toBeLessThan(members.allowed.length); // some, not all, when killed
      if (!kill.providerTakesIt) {
        // The provider drops the rest of the request once the kill is done: wait for it to say so.
        await waitFor(
          'the request to be dropped',
          () => (droppedAtKill.length > 0 ? true : undefined),
          10_000,
        );
        expect(droppedAtKill[0]).toBeGreaterThan(0); // the rest was dropped
      }
      stack = await start();
    }
    await waitFor(
      'the run to complete',
      async () =>
        (await campaignOf(stack?.apiUrl ?? '', 'crash')).status === 'completed' ? true : undefined,
      300_000,
    ).catch(fail);
    await new Promise((r) => setTimeout(r, 3_000)); // a second copy would have arrived by now

    const counts = countsByAddress(received);
    const expected = members.allowed.map((id) => `${id}@example.com`).sort();
    expect([...counts.keys()].sort()).toEqual(expected); // none missing, nobody else
    expect([...counts].filter(([, n]) => n !== 1)).toEqual([]); // none twice
    const campaign = await campaignOf(stack.apiUrl, 'crash');
    expect(campaign.runs.map((r) => `${r.status}:${r.sent}`)).toEqual([`completed:${expected.length}`]);
  }, 900_000);
});
