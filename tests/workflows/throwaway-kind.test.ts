/**
 * Follows the README's "Add a sequence kind" once, with a throw-away kind registered in this
 * test's own registry: subscription renewals, reminded 14 days and 1 day before the renewal date.
 * Its folder (here: the kind below), its registry entry, its schedule in the configuration and
 * its template are the only things added; the generic expiry workflow and the one send path run
 * it unchanged, on the time-skipping server, and the outbox shows what subscribers received.
 */
import { randomBytes } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import Handlebars from 'handlebars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryOutboxStore } from '../../channels/outbox/outbox-store';
import { createOutboxServer, type OutboxServer } from '../../channels/outbox/server';
import { loadConfig } from '../../config/load-config';
import type { RelanceConfig } from '../../config/schema';
import { ingestEvents } from '../../ingestion/ingest-events';
import type { ExpiringKind, ExpiringSubject } from '../../kinds/expiry/expiring-kind';
import type { LoadedSubjects } from '../../kinds/kind';
import { defaultKinds, kindRegistry } from '../../kinds/registry';
import { createChannels, outboxCredentials } from '../../runtime/channels';
import { createActivities, createActivityDeps, createTemplates, createWorker } from '../../runtime/engine';
import { createLogger } from '../../runtime/logger';
import { workflowsPath } from '../../runtime/paths';
import { createDataConverter, failureConverterPath } from '../../runtime/payload-codec';
import { generatePayloadKey, parsePayloadKeys } from '../../runtime/payload-keys';
import type { Db } from '../../store/db';
import type { TemplateRegistry } from '../../templates/registry';
import { expiryWorkflowId, TASK_QUEUE, type ExpiryInput, type ExpiryState } from '../../workflows/messages';
import { createTestDb, type TestDb } from '../helpers/db';
import { marie } from '../helpers/engine';

// Step 1, the kind's folder (kinds/subscription-renewal/): its subjects and what its templates get.
interface Subscription extends ExpiringSubject {
  plan: string;
}
const subscriptions = new Map<string, Subscription>();

const subscriptionKind: ExpiringKind = {
  name: 'subscription-renewal',
  sequenceType: 'subscription-renewal',
  purpose: 'transactional',
  subject: (_sql, id) => Promise.resolve(subscriptions.get(id)),
  lapse: (_sql, id) => {
    const subscription = subscriptions.get(id);
    if (!subscription?.live) return Promise.resolve(false);
    subscriptions.set(id, { ...subscription, live: false, endedReason: 'expired' });
    return Promise.resolve(true);
  },
  loadSubjects(ctx): Promise<LoadedSubjects> {
    const found = ctx.message.content.subjectIds.flatMap((id) => subscriptions.get(id) ?? []);
    return Promise.resolve({
      subjects: found.map((s) => ({
        id: s.id,
        condition: s.live ? ('open' as const) : ('settled' as const),
        ...(s.endedReason ? { detail: s.endedReason } : {}),
      })),
      subjectIds: found.map((s) => s.id),
      loaded: found,
    });
  },
  templateData(_ctx, loaded) {
    const [subscription] = loaded.loaded as Subscription[];
    return { subscription: { plan: subscription?.plan, renewsOn: subscription?.expiresOn } };
  },
};

// Step 2, the registry: the default kinds plus the new one (kinds/registry.ts's defaultKinds).
const kinds = kindRegistry([...defaultKinds().values(), subscriptionKind]);

// Step 3, the schedule in the configuration (config/default.yaml, `kind` names the kind).
function withSchedule(config: RelanceConfig): RelanceConfig {
  const step = (id: string, days: number) => ({
    id,
    offset: { days },
    action: 'send' as const,
    channels: ['email' as const],
    template: 'subscription-renewal',
    escalation: 0,
  });
  const schedule = {
    description: 'Subscription renewing: two weeks and a day before',
    kind: 'subscription-renewal',
    purpose: 'transactional' as const,
    sendAt: '10:00',
    steps: [step('renewal-14', -14), step('renewal-1', -1)],
  };
  return { ...config, schedules: { ...config.schedules, 'subscription-renewal': schedule } };
}

// Step 4, the template (templates/subscription-renewal/, one file per channel and locale).
function withTemplate(base: TemplateRegistry): TemplateRegistry {
  const id = 'subscription-renewal';
  const subject = Handlebars.compile(
    'Votre abonnement {{subscription.plan}} se renouvelle le {{subscription.renewsOn}}',
    {
      strict: true,
    },
  );
  const text = Handlebars.compile(
    'Bonjour {{contact.firstName}}, votre abonnement {{subscription.plan}} se renouvelle le {{subscription.renewsOn}}.',
    { strict: true },
  );
  return {
    ids: () => [...base.ids(), id],
    meta: (t) =>
      t === id
        ? {
            id,
            description: 'renewal',
            purpose: 'transactional',
            variables: 'offer',
            channels: ['email'],
            statesPaymentDays: false,
          }
        : base.meta(t),
    resolveLocale: (t, channel, locale) => (t === id ? 'fr-FR' : base.resolveLocale(t, channel, locale)),
    renderForm: (t, channel, locale, data, compact) => base.renderForm(t, channel, locale, data, compact),
    smsBudget: (t) => base.smsBudget(t),
    render: (t, channel, locale, data) => {
      if (t !== id) return base.render(t, channel, locale, data);
      const body = text(data);
      return { locale: 'fr-FR', subject: subject(data), text: body, html: `<p>${body}</p>` };
    },
  };
}

describe('a throw-away kind added as the README says (subscription renewals)', () => {
  let env: TestWorkflowEnvironment;
  let testDb: TestDb;
  let outbox: OutboxServer;
  const store = memoryOutboxStore();
  const clock = { ms: Date.parse('2026-04-01T08:00:00+02:00') };

  beforeAll(async () => {
    const dataConverter = createDataConverter(parsePayloadKeys(generatePayloadKey('throwaway-kind')));
    env = await TestWorkflowEnvironment.createTimeSkipping({
      client: { dataConverter },
      server: {
        executable: { type: 'existing-path', path: process.env.RELANCE_TEST_SERVER ?? '' },
        extraArgs: ['--start-time', String(clock.ms)],
      },
    });
    testDb = await createTestDb();
    const twilioAuthToken = randomBytes(16).toString('hex');
    outbox = createOutboxServer({ store, ...outboxCredentials(twilioAuthToken), logger: false });
    const { channels } = createChannels(
      {},
      { url: await outbox.listen(0, '127.0.0.1'), twilioAuthToken },
      false,
    );
    const config = withSchedule(loadConfig());
    const deps = createActivityDeps({
      db: testDb.db,
      config,
      channels,
      logger: createLogger('silent'),
      signingSecret: 'test-secret-of-32-characters!!!',
      clock: 'temporal',
      templates: withTemplate(createTemplates(config)),
      kinds,
    });
    await ingestContact(testDb.db, config);
    const worker = await createWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      activities: createActivities(deps),
      dataConverter,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath,
        failureConverterPath,
        logger: new DefaultLogger('WARN'),
      }),
    });
    const start = (id: string, renewsOn: string) => {
      subscriptions.set(id, {
        id,
        contactId: marie.id,
        expiresOn: renewsOn,
        scheduleId: 'subscription-renewal',
        live: true,
        endedReason: null,
        plan: id === 'SUB-1' ? 'Premium annuel' : 'Essentiel mensuel',
      });
      const input: ExpiryInput = {
        kind: 'subscription-renewal',
        itemId: id,
        contactId: marie.id,
        expiresOn: renewsOn,
        sequenceType: 'subscription-renewal',
      };
      return env.client.workflow.start<(input: ExpiryInput) => Promise<ExpiryState>>(
        'expirySequenceWorkflow',
        {
          taskQueue: TASK_QUEUE,
          workflowId: expiryWorkflowId('subscription-renewal', id, renewsOn),
          args: [input],
        },
      );
    };
    await worker.runUntil(async () => {
      const kept = await start('SUB-1', '2026-04-30');
      const cancelled = await start('SUB-2', '2026-04-29');
      // 20 April: after both first reminders, SUB-2 is cancelled in its own store (no signal).
      await env.sleep(Date.parse('2026-04-20T12:00:00+02:00') - (await env.currentTimeMs()));
      const sub2 = subscriptions.get('SUB-2');
      if (sub2) subscriptions.set('SUB-2', { ...sub2, live: false, endedReason: 'cancelled' });
      results.push(await kept.result(), await cancelled.result());
    });
  }, 240_000);
  const results: ExpiryState[] = [];

  afterAll(async () => {
    await outbox?.close();
    await env?.teardown();
    await testDb?.drop();
  });

  it('when the kind is registered with a schedule and a template, then its reminders reach the outbox, a cancelled subject gets nothing more and its sequence ends cancelled', async () => {
    const received = await store.list();
    expect(received.map((r) => `${r.channel} ${r.to} ${r.subject ?? ''}`)).toEqual([
      `email ${marie.email} Votre abonnement Essentiel mensuel se renouvelle le 2026-04-29`,
      `email ${marie.email} Votre abonnement Premium annuel se renouvelle le 2026-04-30`,
      `email ${marie.email} Votre abonnement Premium annuel se renouvelle le 2026-04-30`,
    ]);
    expect(received[0]?.text).toBe(
      'Bonjour Marie, votre abonnement Essentiel mensuel se renouvelle le 2026-04-29.',
    );
    expect(
      results.map((r) => [r.itemId, r.outcome, r.steps.map((s) => s.outcomes.map((o) => o.status).join())]),
    ).toEqual([
      ['SUB-1', 'expired', ['sent', 'sent']],
      ['SUB-2', 'cancelled', ['sent', 'suppressed']],
    ]);
    expect(results[1]?.steps[1]?.outcomes[0]).toMatchObject({ reason: 'settled' });
  });
});

async function ingestContact(db: Db, config: RelanceConfig): Promise<void> {
  await ingestEvents({ db, config }, { type: 'contact.upserted', data: marie }, '2026-04-01T06:00:00Z');
}
