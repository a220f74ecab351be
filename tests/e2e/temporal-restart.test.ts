/**
 * The Temporal server goes away and comes back, on the wall clock: a real dev server is killed
 * (SIGKILL) while two offers fall due and an invoice event waits to be delivered, then started
 * again on the same history file and port; later it is stopped (SIGTERM) while sequences sleep
 * between two steps, and started again. The running worker reconnects by itself. Every message
 * reaches the outbox exactly once, and a sequence asleep across both restarts still obeys a payment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutboxStore } from '../../channels/outbox/outbox-store';
import { type OutboxServer } from '../../channels/outbox/server';
import { campaignLoopId } from '../../workflows/messages';
import { startDevServer, type DevServer } from '../helpers/dev-server';
import { postJson, startStack, waitFor, type StackProcess } from '../helpers/stack-process';
import { arrivedFor, receivedBy, startTestOutbox } from '../helpers/test-outbox';
import { alwaysOpen, contact, lateInvoice, offer } from '../helpers/wall-events';
import { authHeaders } from '../helpers/api-auth';

describe('when the Temporal server is killed and restarted in the middle of sequences', () => {
  let temporal: DevServer;
  let outbox: OutboxServer;
  let outboxUrl: string;
  let store: OutboxStore;
  let dataDir: string;
  let stack: StackProcess | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'relance-temporal-restart-'));
    temporal = await startDevServer(dataDir);
    ({ store, server: outbox, url: outboxUrl } = await startTestOutbox(join(dataDir, 'relance')));
  });

  afterAll(async () => {
    await stack?.stop();
    await outbox?.close();
    await temporal?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const received = (to: string) => receivedBy(store, to);
  const arrived = (who: string[]) => arrivedFor(store, who, () => stack?.output() ?? '');
  const post = async (events: unknown[]) =>
    expect((await postJson(`${stack?.apiUrl}/v1/events`, events)).status).toBe(202);
  const invoice = async (id: string) =>
    (await (await fetch(`${stack?.apiUrl}/v1/invoices/${id}`, { headers: authHeaders })).json()) as {
      sequence: { status: string; outcome: string | null; next: { step: string } | null } | null;
    };

  it('then everything resumes, and every message reaches the outbox exactly once', async () => {
    stack = await startStack({
      TEMPORAL_ADDRESS: temporal.address,
      OUTBOX_URL: outboxUrl,
      RELANCE_DATA_DIR: join(dataDir, 'relance'),
      RELANCE_CLOCK: 'wall',
      RELANCE_CONFIG: alwaysOpen,
    });
    await post([
      ...contact('ana'),
      ...contact('ben', true),
      ...contact('cleo', true),
      ...contact('dan'),
      ...contact('eve'),
      lateInvoice('INV-1', 'ana'),
    ]);
    await arrived(['ana']);
    await waitFor('INV-1 asleep until its next step', async () => (await invoice('INV-1')).sequence?.next);

    // Two offers fall due in a few seconds; the server dies before they do.
    const sendAt = Date.now() + 15_000;
    await post([offer('spring', ['ben', 'cleo'], new Date(sendAt).toISOString())]);
    const connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection });
    // One campaign loop waits for the send time (the event pump started one workflow, not two).
    await waitFor('the campaign loop to be waiting', async () => {
      const handle = client.workflow.getHandle(campaignLoopId('spring'));
      return (await handle.describe().catch(() => undefined))?.status.name === 'RUNNING' ? true : undefined;
    });
    await connection.close();
    await temporal.kill('SIGKILL');
    expect(Date.now()).toBeLessThan(sendAt); // the offers really fall due while it is down

    // While it is down: an invoice arrives (the API takes it; it waits in the store), the offers
    // fall due, and nothing leaves.
    await post([lateInvoice('INV-2', 'dan')]);
    await new Promise((r) => setTimeout(r, Math.max(0, sendAt - Date.now()) + 3_000));
    expect(await store.list()).toHaveLength(1);

    await temporal.restart();
    await arrived(['ben', 'cleo', 'dan']);

    // Between two steps: every sequence asleep until its next step; a clean stop this time.
    await temporal.kill('SIGTERM');
    await temporal.restart();
    await post([
      lateInvoice('INV-3', 'eve'),
      { id: 'paid-1', type: 'invoice.payment', data: { invoiceId: 'INV-1', amount: '80.00' } },
    ]);
    await arrived(['eve']);
    await waitFor('INV-1 to end as paid', async () => (await invoice('INV-1')).sequence?.outcome === 'paid');
    await new Promise((r) => setTimeout(r, 3_000)); // a second copy would have arrived by now

    for (const who of ['ana', 'ben', 'cleo', 'dan', 'eve'])
      expect({ who, n: await received(who) }).toEqual({ who, n: 1 });
    expect(await store.list()).toHaveLength(5);
  }, 240_000);
});
