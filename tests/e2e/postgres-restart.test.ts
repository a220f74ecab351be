/**
 * The PostgreSQL server goes away and comes back under a running stack (DATABASE_URL): restarted
 * while sequences sleep between two steps, and crashed (`pg_ctl stop -m immediate`) while the
 * provider is accepting a message, before Relance could record it as sent. On a private cluster
 * the test owns, so CI's shared server is left alone; it runs where TEST_DATABASE_URL says that
 * PostgreSQL is available (CI sets it). Every message reaches the outbox exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryOutboxStore, type OutboxStore } from '../../channels/outbox/outbox-store';
import { type OutboxServer } from '../../channels/outbox/server';
import { startDevServer, type DevServer } from '../helpers/dev-server';
import { postgresBinDir, startPgCluster, type PgCluster } from '../helpers/pg-cluster';
import { postJson, startStack, waitFor, type StackProcess } from '../helpers/stack-process';
import { arrivedFor, receivedBy, startTestOutbox } from '../helpers/test-outbox';
import { alwaysOpen, contact, lateInvoice } from '../helpers/wall-events';
import { authHeaders } from '../helpers/api-auth';

const bin = postgresBinDir();
const available = !!process.env.TEST_DATABASE_URL && !!bin;
if (!available)
  console.warn(
    'postgres-restart.test.ts skipped: set TEST_DATABASE_URL (as .ci/run does) on a machine with the PostgreSQL server binaries',
  );

describe.skipIf(!available)('when the PostgreSQL server restarts under a running stack', () => {
  let cluster: PgCluster;
  let temporal: DevServer;
  let outbox: OutboxServer;
  let outboxUrl: string;
  let store: OutboxStore;
  let dataDir: string;
  let stack: StackProcess | undefined;
  let onRecord: ((to: string) => Promise<void>) | undefined;
  let restarted: Promise<void> | undefined;
  const lookups: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'relance-pg-restart-'));
    cluster = await startPgCluster(bin ?? '');
    temporal = await startDevServer(dataDir);
    const memory = memoryOutboxStore();
    // The outbox records, then (for the chosen recipient) crashes the database before answering:
    // the provider has the message, and Relance cannot write down that it was sent.
    store = {
      ...memory,
      async record(m) {
        await memory.record(m);
        const hook = onRecord;
        onRecord = undefined;
        await hook?.(m.to);
      },
      // A SendGrid request of several personalizations: each recipient, as above.
      async recordAll(all) {
        for (const m of all) await store.record(m);
      },
      async findByIdempotencyKey(key) {
        const found = await memory.findByIdempotencyKey(key);
        if (found) lookups.push(found.to);
        return found;
      },
    };
    ({ server: outbox, url: outboxUrl } = await startTestOutbox(join(dataDir, 'relance'), store));
  });

  afterAll(async () => {
    await restarted;
    await stack?.stop();
    await outbox?.close();
    await temporal?.stop();
    await cluster?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const received = (to: string) => receivedBy(store, to);
  const arrived = (who: string[]) => arrivedFor(store, who, () => stack?.output() ?? '');
  const healthy = () =>
    waitFor('the API to reach the database again', async () =>
      (await fetch(`${stack?.apiUrl}/health`).catch(() => undefined))?.ok ? true : undefined,
    );
  const post = async (events: unknown[]) =>
    expect((await postJson(`${stack?.apiUrl}/v1/events`, events)).status).toBe(202);
  const invoice = async (id: string) =>
    (await (await fetch(`${stack?.apiUrl}/v1/invoices/${id}`, { headers: authHeaders })).json()) as {
      sequence: { outcome: string | null; next: unknown } | null;
      messages: { step: string; channel: string; status: string; error: string | null }[];
    };

  it('then everything resumes, nothing is lost and nothing is sent twice', async () => {
    stack = await startStack({
      TEMPORAL_ADDRESS: temporal.address,
      DATABASE_URL: cluster.url,
      OUTBOX_URL: outboxUrl,
      RELANCE_DATA_DIR: join(dataDir, 'relance'),
      RELANCE_CLOCK: 'wall',
      RELANCE_CONFIG: alwaysOpen,
    });
    await post([...contact('ana'), ...contact('ben'), ...contact('cleo'), lateInvoice('INV-1', 'ana')]);
    await arrived(['ana']);
    await waitFor('INV-1 asleep until its next step', async () => (await invoice('INV-1')).sequence?.next);

    // Between two steps: a clean restart.
    await cluster.stop('fast');
    await cluster.start();
    await healthy();
    await post([lateInvoice('INV-2', 'ben')]);
    await arrived(['ben']);

    // During a send: the database crashes once the provider holds cleo's reminder.
    onRecord = async () => {
      const stopped = cluster.stop('immediate');
      restarted = stopped.then(() => new Promise((r) => setTimeout(r, 3_000))).then(() => cluster.start());
      await stopped; // the outbox answers only once the database is down
    };
    await post([lateInvoice('INV-3', 'cleo')]);
    await arrived(['cleo']);
    expect(restarted).toBeDefined();
    await restarted;
    await healthy();
    await waitFor('cleo’s reminder to be recorded as sent', async () =>
      (await invoice('INV-3')).messages.some((m) => m.status === 'sent') ? true : undefined,
    );

    await post([{ id: 'paid-1', type: 'invoice.payment', data: { invoiceId: 'INV-1', amount: '80.00' } }]);
    await waitFor('INV-1 to end as paid', async () => (await invoice('INV-1')).sequence?.outcome === 'paid');
    await new Promise((r) => setTimeout(r, 3_000)); // a second copy would have arrived by now

    for (const who of ['ana', 'ben', 'cleo']) expect({ who, n: await received(who) }).toEqual({ who, n: 1 });
    expect(await store.list()).toHaveLength(3);
    // The send cut off by the crash was retried, and the retry asked the provider instead of resending.
    expect(lookups).toContain('cleo@example.com');
    expect((await invoice('INV-3')).messages.map((m) => `${m.step}/${m.channel}/${m.status}`)).toEqual([
      'overdue-1/email/sent',
    ]);
  }, 240_000);
});
