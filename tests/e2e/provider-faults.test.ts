/**
 * A provider having a bad day: the local outbox answers a seeded 20 % of SendGrid and Twilio
 * requests with a 5xx, and bursts of 429 with Retry-After land when whole steps fall due at once.
 * The whole stack runs as a child process over a time-skipping server; eight invoices walk through
 * four steps (48 messages, email and SMS). Every message reaches the outbox exactly once, and the
 * ledger says sent for each of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultScript, FaultStats } from '../../channels/outbox/faults';
import { type OutboxStore } from '../../channels/outbox/outbox-store';
import { type OutboxServer } from '../../channels/outbox/server';
import { postJson, startStack, waitFor, type StackProcess } from '../helpers/stack-process';
import { startTestOutbox } from '../helpers/test-outbox';
import { authHeaders } from '../helpers/api-auth';

const INVOICES = 8;
const people = Array.from({ length: INVOICES }, (_, i) => ({
  id: `c${i + 1}`,
  firstName: `Client${i + 1}`,
  email: `client${i + 1}@example.com`,
  phone: `+3361234560${i}`,
  locale: 'fr-FR',
  timezone: 'Europe/Paris',
  country: 'FR',
}));

/** Each step falls at 09:30 in Paris for every invoice at once: D-5, D+1, D+5, D+12 of 18 March. */
const steps = [
  { until: '2026-03-13T12:00:00+01:00', email: 'arrive à échéance', sms: undefined },
  { until: '2026-03-19T12:00:00+01:00', email: 'Rappel : facture', sms: undefined },
  { until: '2026-03-23T12:00:00+01:00', email: 'échue depuis 5 jours', sms: 'la facture' },
  { until: '2026-03-30T12:00:00+02:00', email: 'Mise en demeure', sms: 'mise en demeure' },
];

describe('when the provider answers 20 % of requests with 5xx and bursts of 429', () => {
  let env: TestWorkflowEnvironment;
  let outbox: OutboxServer;
  let outboxUrl: string;
  let store: OutboxStore;
  let dataDir: string;
  let stack: StackProcess | undefined;

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: {
        executable: { type: 'existing-path', path: process.env.RELANCE_TEST_SERVER ?? '' },
        extraArgs: ['--start-time', String(Date.parse('2026-03-02T08:00:00+01:00'))],
      },
    });
    dataDir = mkdtempSync(join(tmpdir(), 'relance-faults-'));
    ({ store, server: outbox, url: outboxUrl } = await startTestOutbox(dataDir));
  });

  afterAll(async () => {
    await stack?.stop();
    await outbox?.close();
    await env?.teardown();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const fault = async (script: FaultScript) =>
    expect((await postJson(`${outboxUrl}/_outbox/faults`, script)).status).toBe(201);
  const faultStats = async () => (await (await fetch(`${outboxUrl}/_outbox/faults`)).json()) as FaultStats;
  const advanceTo = async (iso: string) => {
    const now = await env.currentTimeMs();
    if (Date.parse(iso) > now) await env.sleep(Date.parse(iso) - now);
  };
  const received = () => store.list();

  it('then every message reaches the outbox exactly once, and the ledger agrees', async () => {
    stack = await startStack({
      TEMPORAL_ADDRESS: env.address,
      OUTBOX_URL: outboxUrl,
      RELANCE_DATA_DIR: dataDir,
      RELANCE_CLOCK: 'temporal',
    });
    const events = people.flatMap((person, i) => [
      { id: `contact-${person.id}`, type: 'contact.upserted', data: person },
      {
        id: `invoice-${i + 1}`,
        type: 'invoice.issued',
        data: {
          id: `INV-${i + 1}`,
          contactId: person.id,
          number: `FA-${i + 1}`,
          amount: '100.00',
          currency: 'EUR',
          dueDate: '2026-03-18',
        },
      },
    ]);
    expect((await postJson(`${stack.apiUrl}/v1/events`, events)).status).toBe(202);
    await waitFor('every sequence to plan its steps', async () => {
      for (let i = 1; i <= INVOICES; i += 1) {
        const body = (await (
          await fetch(`${stack?.apiUrl}/v1/invoices/INV-${i}`, { headers: authHeaders })
        ).json()) as {
          sequence: { next: unknown } | null;
        };
        if (!body.sequence?.next) return undefined;
      }
      return true;
    });

    await fault({ channel: 'email', random: { rate: 0.2, seed: 20260318, response: { status: 503 } } });
    await fault({ channel: 'sms', random: { rate: 0.2, seed: 33612345, response: { status: 500 } } });
    let expected = 0;
    for (const step of steps) {
      // A burst of 429 meets the first requests of each step, when all eight fall due at once.
      await fault({ channel: 'email', responses: Array(4).fill({ status: 429, retryAfter: 2 }) });
      if (step.sms) await fault({ channel: 'sms', responses: Array(3).fill({ status: 429, retryAfter: 1 }) });
      expected += INVOICES * (step.sms ? 2 : 1);
      await advanceTo(step.until);
      await waitFor(
        `${expected} messages in the outbox`,
        async () => ((await received()).length >= expected ? true : undefined),
        120_000,
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}\n${stack?.output()}`);
      });
    }
    await new Promise((r) => setTimeout(r, 3000)); // a duplicate would arrive now

    const stats = await faultStats();
    expect(stats.pending).toBe(0); // every burst was met
    expect(stats.served['429']).toBe(4 * 4 + 3 * 2);
    expect((stats.served['503'] ?? 0) + (stats.served['500'] ?? 0)).toBeGreaterThanOrEqual(5);

    const messages = await received();
    expect(messages).toHaveLength(expected);
    for (const person of people) {
      const emails = messages.filter((m) => m.to === person.email).map((m) => m.subject ?? '');
      const sms = messages.filter((m) => m.to === person.phone).map((m) => m.text);
      expect(emails).toHaveLength(4);
      steps.forEach((step, i) => expect(emails[i]).toContain(step.email));
      expect(sms).toHaveLength(2);
      expect(sms[0]).toContain('la facture');
      expect(sms[1]).toContain('mise en demeure');
    }
    for (let i = 1; i <= INVOICES; i += 1) {
      const invoice = (await (
        await fetch(`${stack.apiUrl}/v1/invoices/INV-${i}`, { headers: authHeaders })
      ).json()) as {
        messages: { step: string; channel: string; status: string }[];
      };
      expect(invoice.messages.map((m) => `${m.step}/${m.channel}/${m.status}`).sort()).toEqual(
        [
          'pre-due/email/sent',
          'overdue-1/email/sent',
          'overdue-2/email/sent',
          'overdue-2/sms/sent',
          'formal-notice/email/sent',
          'formal-notice/sms/sent',
        ].sort(),
      );
    }
  }, 400_000);
});
