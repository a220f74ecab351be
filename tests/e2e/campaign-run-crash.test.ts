/**
 * A campaign run survives SIGKILL: the whole stack (API, worker, dispatcher, PGlite on disk) runs
 * as a child process against a Temporal dev server on the wall clock, and is killed while the
 * provider takes the second page of a 3,000-recipient one-shot campaign (pages of 1,000), then
 * started again on the same data. Every recipient allowed to receive the offer gets it exactly
 * once (by address, in the outbox), nobody else gets it, and the run completes.
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
/** The outbox has taken this many offers when the stack is killed: in the middle of page two. */
const KILL_AT = 1_500;

describe('when the stack is killed with SIGKILL in the middle of a campaign run', () => {
  let temporal: DevServer | undefined;
  let outbox: OutboxServer;
  let outboxUrl: string;
  let dataDir: string;
  let stack: StackProcess | undefined;
  const received: OutboxRecord[] = [];
  let killed: Promise<void> | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'relance-run-crash-'));
    temporal = await startDevServer(dataDir);
    const memory = memoryOutboxStore();
    // The outbox records before it answers: the kill comes while the provider holds a request
    // (the rest of that request is still recorded: the provider accepted it, Relance never heard).
    const store: OutboxStore = {
      ...memory,
      async record(m) {
        received.push(m);
        await memory.record(m);
        if (received.length === KILL_AT) {
          killed = stack?.kill();
          await killed;
        }
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

  const start = () =>
    startStack({
      TEMPORAL_ADDRESS: temporal?.address ?? '',
      OUTBOX_URL: outboxUrl,
      RELANCE_DATA_DIR: join(dataDir, 'relance'),
      RELANCE_CLOCK: 'wall',
      RELANCE_CONFIG: alwaysOpen,
    });

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

    await waitFor('the kill in the middle of the run', () => (killed ? true : undefined), 180_000).catch(
      fail,
    );
    await killed;
    expect(received.length).toBeLessThan(members.allowed.length); // some, not all
    stack = await start();

    // The page cut off is retried once its heartbeat times out (2 minutes), and its rows left
    // `sending` are first confirmed with the provider.
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
  }, 600_000);
});
