/**
 * Production time: the whole stack runs on the wall clock (RELANCE_CLOCK=wall, the default) against
 * a real Temporal dev server, not a time-skipping one. A reminder already due leaves at once, and
 * an offer scheduled a few seconds ahead leaves when its real time comes, each exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutboxStore } from '../../channels/outbox/outbox-store';
import { type OutboxServer } from '../../channels/outbox/server';
import { startDevServer, type DevServer } from '../helpers/dev-server';
import { postJson, startStack, waitFor, type StackProcess } from '../helpers/stack-process';
import { startTestOutbox } from '../helpers/test-outbox';
import { alwaysOpen, contact, lateInvoice, offer } from '../helpers/wall-events';

describe('when the stack runs on the wall clock against a Temporal dev server', () => {
  let temporal: DevServer | undefined;
  let outbox: OutboxServer;
  let outboxUrl: string;
  let store: OutboxStore;
  let dataDir: string;
  let stack: StackProcess | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'relance-wall-'));
    temporal = await startDevServer(dataDir);
    ({ store, server: outbox, url: outboxUrl } = await startTestOutbox(join(dataDir, 'relance')));
  });

  afterAll(async () => {
    await stack?.stop();
    await outbox?.close();
    await temporal?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('then a reminder already due leaves at once, and an offer due in a few seconds leaves then, each once', async () => {
    stack = await startStack({
      TEMPORAL_ADDRESS: temporal?.address ?? '',
      OUTBOX_URL: outboxUrl,
      RELANCE_DATA_DIR: join(dataDir, 'relance'),
      RELANCE_CLOCK: 'wall',
      RELANCE_CONFIG: alwaysOpen, // windows open at any hour, so the test may run at night
    });
    const sendAt = new Date(Date.now() + 8_000).toISOString();
    const accepted = await postJson(`${stack.apiUrl}/v1/events`, [
      ...contact('marie'),
      ...contact('paul', true),
      lateInvoice('INV-1', 'marie'),
      offer('spring', ['paul'], sendAt),
    ]);
    expect(accepted.status).toBe(202);

    const fail = (error: unknown) => {
      throw new Error(`${String(error)}\n${stack?.output()}`);
    };
    await waitFor(
      'the reminder',
      async () => ((await store.list({ to: 'marie@example.com' })).length > 0 ? true : undefined),
      30_000,
    ).catch(fail);
    await waitFor(
      'the offer',
      async () => ((await store.list({ to: 'paul@example.com' })).length > 0 ? true : undefined),
      45_000,
    ).catch(fail);
    await new Promise((r) => setTimeout(r, 3_000)); // a second copy would have arrived by now

    const reminders = await store.list({ to: 'marie@example.com' });
    expect(reminders.map((m) => m.subject)).toEqual(['Rappel : facture FA-INV-1 en attente de règlement']);
    const offers = await store.list({ to: 'paul@example.com' });
    expect(offers).toHaveLength(1);
    // Not before its time on the real clock, and not long after it either.
    expect(Date.parse(offers[0]?.receivedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(sendAt));
    expect(Date.parse(offers[0]?.receivedAt ?? '')).toBeLessThan(Date.parse(sendAt) + 30_000);
    expect(await store.list()).toHaveLength(2);
  }, 180_000);
});
