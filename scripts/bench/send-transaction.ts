/**
 * A whole decision as the send activity makes it: prepareMessage() opens the send transaction,
 * locks the contact row, reads its ledger row, same-day cover, invoices, consents, suppressions
 * and sent history, decides, renders when sending, and writes the ledger row. The real function
 * runs over a seeded store (300 contacts, each with an open invoice, consents and 0–50 messages in
 * the last month). Each call's transaction is rolled back, so every call sees the same store, and
 * the baseline (an empty transaction: `select 1`) is rolled back the same way.
 */
import { loadConfig } from '../../config/load-config';
import type { RelanceConfig } from '../../config/schema';
import { createChannels } from '../../runtime/channels';
import { createActivityDeps } from '../../runtime/engine';
import { createLogger } from '../../runtime/logger';
import type { ActivityDeps } from '../../activities/deps';
import { prepareMessage, type DeliverInput, type Prepared } from '../../activities/prepare-message';
import { ingestEvents } from '../../ingestion/ingest-events';
import type { Db, Sql } from '../../store/db';
import { insertAttempt } from '../../store/ledger-repository';
import { channels, places, purposes } from './policy-inputs';
import { picker, Samples, timed, type Picker } from './stats';

const DAY = 86_400_000;
const CONTACTS = 300;
const NOW = Date.parse('2026-03-23T06:00:00Z'); // a Monday; calls spread over the next 14 hours
const STEPS = [
  { step: 'overdue-1', template: 'invoice-overdue-1', channel: 'email' as const },
  { step: 'overdue-2', template: 'invoice-overdue-2', channel: 'email' as const },
  { step: 'overdue-2', template: 'invoice-overdue-2', channel: 'sms' as const },
  { step: 'formal-notice', template: 'invoice-formal-notice', channel: 'email' as const },
  { step: 'formal-notice', template: 'invoice-formal-notice', channel: 'sms' as const },
];

class Rollback extends Error {}

/** The same database, but every transaction is rolled back once its work is done. */
function rollingBack(db: Db): Db {
  return {
    ...db,
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      let result: { value: T } | undefined;
      await db
        .transaction(async (tx) => {
          result = { value: await fn(tx) };
          throw new Rollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof Rollback)) throw error;
        });
      if (!result) throw new Error('transaction ended without a result');
      return result.value;
    },
  };
}

function contactEvents(i: number, p: Picker): unknown[] {
  const place = p.pick(places);
  const id = `c${i}`;
  const consent = (channel: string, purpose: string, granted: boolean) => ({
    // Consents predate the seeding batch: an event dated after its reception is refused.
    type: 'contact.consent',
    at: new Date(NOW - p.between(61, 400) * DAY).toISOString(),
    data: { contactId: id, channel, purpose, granted, source: 'checkout' },
  });
  return [
    {
      type: 'contact.upserted',
      data: {
        id,
        firstName: `Client${i}`,
        email: `client${i}@example.com`,
        phone: `+336${String(10_000_000 + i).padStart(8, '0')}`,
        locale: place.country === 'FR' ? 'fr-FR' : 'en-GB',
        ...place,
      },
    },
    consent('email', 'transactional', true),
    consent('sms', 'transactional', p.random() < 0.9),
    consent('email', 'marketing', p.random() < 0.6),
    {
      type: 'invoice.issued',
      data: {
        id: `INV-${i}`,
        contactId: id,
        number: `FA-${i}`,
        amount: `${p.between(20, 5000)}.00`,
        currency: 'EUR',
        dueDate: new Date(NOW - p.between(1, 15) * DAY).toISOString().slice(0, 10),
      },
    },
  ];
}

async function seedHistory(db: Db, i: number, p: Picker): Promise<void> {
  await db.transaction(async (tx) => {
    for (let n = p.between(0, 50); n > 0; n -= 1) {
      const channel = p.pick(channels);
      const at = new Date(NOW - p.between(0, 30 * DAY)).toISOString();
      const key = `seed/${i}/${n}`;
      await insertAttempt(
        tx,
        {
          idempotencyKey: key,
          dedupKey: key,
          sequenceId: `invoice-dunning/OLD-${i}-${n}`,
          sequenceType: 'invoice-dunning',
          step: 'overdue-1',
          channel,
          purpose: p.pick(purposes),
          contactId: `c${i}`,
          recipient: channel === 'email' ? `client${i}@example.com` : null,
          subjectIds: [],
          template: 'invoice-overdue-1',
          locale: 'fr-FR',
          plannedAt: at,
        },
        { status: 'sent', decidedAt: at },
      );
    }
  });
}

/** Fills a fresh, migrated database with the benchmark's contacts, invoices and histories. */
export async function seedStore(db: Db, config: RelanceConfig): Promise<void> {
  const p = picker(20260323);
  for (let i = 1; i <= CONTACTS; i += 50) {
    const batch = Array.from({ length: 50 }, (_, k) => contactEvents(i + k, p)).flat();
    await ingestEvents({ db, config }, batch, new Date(NOW - 60 * DAY).toISOString());
  }
  for (let i = 1; i <= CONTACTS; i += 1) await seedHistory(db, i, p);
}

function deliverInput(i: number, p: Picker): { input: DeliverInput; now: string } {
  const contact = p.between(1, CONTACTS);
  const { step, template, channel } = p.pick(STEPS);
  const now = new Date(NOW + p.between(0, 14 * 3600) * 1000).toISOString();
  return {
    now,
    input: {
      sequenceId: `invoice-dunning/INV-${contact}`,
      sequenceType: 'invoice-dunning',
      step,
      round: i,
      channel,
      template,
      purpose: 'transactional',
      kind: 'escalation',
      contactId: `c${contact}`,
      plannedAt: now,
      content: { kind: 'invoice', subjectIds: [`INV-${contact}`], mergeSameDay: true },
    },
  };
}

function outcomeLabel(prepared: Prepared): string {
  if (prepared.kind !== 'done') return prepared.kind === 'send' ? 'send (rendered)' : prepared.kind;
  const { outcome } = prepared;
  return outcome.kind === 'suppressed' || outcome.kind === 'failed'
    ? `${outcome.kind}:${outcome.reason}`
    : outcome.kind;
}

export interface TransactionBench {
  decision: Samples;
  baseline: Samples;
  /** The whole-decision samples again, split by what the decision was. */
  byOutcome: Map<string, Samples>;
}

/** Times `calls` whole decisions and as many empty transactions, interleaved, on one database. */
export async function benchSendTransaction(db: Db, calls: number, warmUp: number): Promise<TransactionBench> {
  const config = loadConfig();
  await seedStore(db, config);
  const deps: ActivityDeps = createActivityDeps({
    db: rollingBack(db),
    config,
    // Never called: prepareMessage decides and renders; the provider call is the next phase.
    channels: createChannels({}, { url: 'http://127.0.0.1:9', twilioAuthToken: 'unused' }, false).channels,
    logger: createLogger('silent'),
    signingSecret: 'benchmark-secret-of-32-characters',
  });
  const p = picker(7);
  const inputs = Array.from({ length: warmUp + calls }, (_, i) => deliverInput(i, p));
  const decision = new Samples(calls);
  const baseline = new Samples(calls);
  const scratch = new Samples(warmUp * 2);
  const byOutcome = new Map<string, Samples>();
  const empty = () => deps.db.transaction((tx) => tx.query('select 1'));
  for (const [i, { input, now }] of inputs.entries()) {
    const warm = i < warmUp;
    const prepared = await timed(warm ? scratch : decision, () => prepareMessage(deps, input, now));
    if (!warm) {
      const label = outcomeLabel(prepared);
      const group = byOutcome.get(label) ?? new Samples(calls);
      group.add(...decision.last());
      byOutcome.set(label, group);
    }
    await timed(warm ? scratch : baseline, empty);
  }
  return { decision, baseline, byOutcome };
}
