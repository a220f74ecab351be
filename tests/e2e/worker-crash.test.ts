/**
 * Nothing lost, nothing sent twice: the whole stack runs as a child process and is killed with
 * SIGKILL twice, once while idle between two steps and once while the provider is answering a
 * send, then started again on the same data. Every reminder reaches the outbox exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryOutboxStore, type OutboxRecord, type OutboxStore } from '../../channels/outbox/outbox-store';
import { type OutboxServer } from '../../channels/outbox/server';
import { postJson, startStack, waitFor, type StackProcess } from '../helpers/stack-process';
import { startTestOutbox } from '../helpers/test-outbox';
import { authHeaders } from '../helpers/api-auth';

describe('when the process is killed between steps and during a send', () => {
  let env: TestWorkflowEnvironment;
  let outbox: OutboxServer;
  let outboxUrl: string;
  let dataDir: string;
  let stack: StackProcess | undefined;
  const received: OutboxRecord[] = [];
  let killOnRecord: ((m: OutboxRecord) => boolean) | undefined;

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: {
        executable: { type: 'existing-path', path: process.env.RELANCE_TEST_SERVER ?? '' },
        extraArgs: ['--start-time', String(Date.parse('2026-03-02T08:00:00+01:00'))],
      },
    });
    const memory = memoryOutboxStore();
    // The outbox records before it answers: killing the stack here is a crash after the provider
    // accepted the message and before Relance heard back.
    const store: OutboxStore = {
      ...memory,
      async record(m) {
        received.push(m);
        await memory.record(m);
        if (killOnRecord?.(m)) {
          killOnRecord = undefined;
          await stack?.kill();
        }
      },
      // A SendGrid request of several personalizations: each recipient, as above.
      async recordAll(all) {
        for (const m of all) await store.record(m);
      },
    };
    dataDir = mkdtempSync(join(tmpdir(), 'relance-crash-'));
    ({ server: outbox, url: outboxUrl } = await startTestOutbox(dataDir, store));
  });

  afterAll(async () => {
    await stack?.stop();
    await outbox?.close();
    await env?.teardown();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = () =>
    startStack({
      TEMPORAL_ADDRESS: env.address,
      OUTBOX_URL: outboxUrl,
      RELANCE_DATA_DIR: dataDir,
      // The time-skipping test server never moves a task off a dead worker's sticky queue (a real
      // server does after a few seconds), so these workers do not use one.
      RELANCE_WORKER_CACHED_WORKFLOWS: '0',
      RELANCE_CLOCK: 'temporal', // the test server's days run months behind the wall clock
    });
  const advanceTo = async (iso: string) => {
    const now = await env.currentTimeMs();
    if (Date.parse(iso) > now) await env.sleep(Date.parse(iso) - now);
  };
  const steps = () => received.map((m) => `${m.channel}:${m.subject ?? m.text.slice(0, 40)}`);
  const countOf = (prefix: string) => received.filter((m) => (m.subject ?? m.text).startsWith(prefix)).length;

  it('then every reminder reaches the outbox exactly once', async () => {
    stack = await start();
    const accepted = await postJson(`${stack.apiUrl}/v1/events`, [
      {
        id: 'e1',
        type: 'contact.upserted',
        data: {
          id: 'c1',
          firstName: 'Marie',
          email: 'marie@example.com',
          phone: '+33612345678',
          locale: 'fr-FR',
          timezone: 'Europe/Paris',
          country: 'FR',
        },
      },
      {
        id: 'e2',
        type: 'invoice.issued',
        data: {
          id: 'INV-1',
          contactId: 'c1',
          number: 'FA-1',
          amount: '1250.00',
          currency: 'EUR',
          dueDate: '2026-03-18',
        },
      },
    ]);
    expect(accepted.status).toBe(202);
    // Time only moves when the test says so; first let the sequence start and plan its steps.
    await waitFor('the sequence to start', async () => {
      const response = await fetch(`${stack?.apiUrl}/v1/invoices/INV-1`, { headers: authHeaders });
      const body = (await response.json()) as { sequence: { next: unknown } | null };
      return body.sequence?.next ? true : undefined;
    });

    await advanceTo('2026-03-19T12:00:00+01:00'); // past D-5 and D+1
    await waitFor('pre-due and overdue-1', () => (received.length >= 2 ? true : undefined)).catch(
      (error: unknown) => {
        throw new Error(`${String(error)}\n${stack?.output()}`);
      },
    );

    await stack.kill(); // idle, between overdue-1 and overdue-2
    stack = await start();

    killOnRecord = (m) => m.channel === 'email' && (m.subject ?? '').includes('échue depuis');
    // Time can only move on once a worker is back: start the clock, wait for the kill, restart.
    const toOverdue2 = advanceTo('2026-03-23T12:00:00+01:00'); // D+5: overdue-2, email then SMS
    await waitFor('the kill during the overdue-2 email', () =>
      stack?.child.exitCode !== null || stack.child.signalCode !== null ? true : undefined,
    );
    expect(countOf('Facture FA-1 échue')).toBe(1);
    stack = await start();
    // The send that was cut off times out (60 s), is retried, and finds the outbox already has it.
    await toOverdue2;
    await advanceTo('2026-03-31T12:00:00+02:00'); // D+12: formal notice
    await waitFor(
      'formal notice by SMS',
      () =>
        received.some((m) => m.channel === 'sms' && m.text.includes('mise en demeure')) ? true : undefined,
      180_000,
    );

    expect(steps()).toEqual([
      'email:Votre facture FA-1 arrive à échéance le 18 mars 2026',
      'email:Rappel : facture FA-1 en attente de règlement',
      'email:Facture FA-1 échue depuis 5 jours',
      expect.stringMatching(/^sms:Maison Exemple : bonjour Marie, la fac/),
      'email:Mise en demeure de payer — facture FA-1',
      expect.stringMatching(/^sms:Maison Exemple : mise en demeure/),
    ]);
    const invoice = (await (
      await fetch(`${stack.apiUrl}/v1/invoices/INV-1`, { headers: authHeaders })
    ).json()) as {
      messages: { step: string; channel: string; status: string }[];
    };
    expect(invoice.messages.map((m) => `${m.step}/${m.channel}/${m.status}`)).toEqual([
      'pre-due/email/sent',
      'overdue-1/email/sent',
      'overdue-2/email/sent',
      'overdue-2/sms/sent',
      'formal-notice/email/sent',
      'formal-notice/sms/sent',
    ]);
  }, 400_000);
});
