/**
 * The decisions of one page of a campaign run, from facts gathered for the whole page
 * (store/campaign-page-store.ts): per recipient and channel, the same PolicyInput the one-by-one
 * path builds (activities/policy-context.ts) and the same `decide()`, so each answer is exactly
 * what that path would give. Pure: the activity loads the facts and writes what this returns.
 */
import type { HolidayCalendar } from '../domain/calendar';
import type { PolicyConfig } from '../config/schema';
import { decide } from '../domain/policy/decide';
import type { Channel, ConsentRecord, PolicyCheck, PolicyInput, SentRecord } from '../domain/policy/types';
import type { Contact } from '../store/contact-repository';
import type { LedgerEntry } from '../store/ledger-repository';
import type { RunRow } from '../store/campaign-page-store';
import { policyContact, recipientOf } from './policy-context';

/** What the page knows, loaded by set-based queries. */
export interface PageFacts {
  contacts: Contact[];
  consents: Map<string, ConsentRecord[]>;
  /** `<channel>|<address>` of suppressed addresses. */
  suppressed: Set<string>;
  histories: Map<string, SentRecord[]>;
  /** Earlier sends by dedup key, however long ago. */
  earlier: Map<string, SentRecord>;
  escalations: Map<string, number>;
  /** Rows already written for this run, by idempotency key. */
  existing: Map<string, LedgerEntry>;
}

export interface PageContext {
  campaignId: string;
  runId: string;
  template: string;
  channels: Channel[];
  validUntil: string | null;
  now: string;
  /** When a recipient's message is due (the run's instant, or 10:00 in their own zone). */
  plannedAt(contact: Contact): string;
  locale(contact: Contact, channel: Channel): string;
  policy: PolicyConfig;
  calendar: HolidayCalendar;
}

export const runSequenceId = (runId: string) => `campaign-run/${runId}`;
export const runIdempotencyKey = (runId: string, contactId: string, channel: Channel) =>
  `${runSequenceId(runId)}|${contactId}|${channel}`;
export const runDedupKey = (runId: string, channel: Channel, address: string | undefined) =>
  `${runSequenceId(runId)}|offer|${channel}|${address ?? '-'}`;

/** The PolicyInput the one-by-one path would build for this recipient and channel. */
export function pagePolicyInput(
  facts: PageFacts,
  ctx: PageContext,
  contact: Contact,
  channel: Channel,
): PolicyInput {
  const recipient = recipientOf(contact, channel);
  const dedupKey = runDedupKey(ctx.runId, channel, recipient.address);
  const history = [...(facts.histories.get(contact.id) ?? [])];
  const earlier = facts.earlier.get(dedupKey);
  if (earlier) history.push(earlier);
  return {
    now: ctx.now,
    message: {
      purpose: 'marketing',
      channel,
      dedupKey,
      kind: 'offer',
      ...(recipient.address ? { recipient: recipient.address } : {}),
      recipientValid: recipient.valid,
      subjects: [],
      ...(ctx.validUntil ? { validUntil: ctx.validUntil } : {}),
    },
    contact: policyContact(contact),
    consents: facts.consents.get(contact.id) ?? [],
    addressSuppressed: recipient.address ? facts.suppressed.has(`${channel}|${recipient.address}`) : false,
    history,
    openEscalation: facts.escalations.get(contact.id) ?? 0,
    config: ctx.policy,
    calendar: ctx.calendar,
  };
}

export interface PagePlan {
  /** Rows to write now: new, or waiting rows whose instant came. `sending` ones are to render and send. */
  rows: RunRow[];
  /** Rows left `sending` by an attempt that died: ask the provider before anything else. */
  confirm: LedgerEntry[];
}

/** Is an existing row settled for this run, waiting, or to be decided again now? */
function standing(
  row: LedgerEntry | undefined,
  now: string,
): 'new' | 'final' | 'waiting' | 'confirm' | 'again' {
  if (!row) return 'new';
  if (row.status === 'sending') return 'confirm';
  if (row.status !== 'deferred') return 'final';
  return row.deferredUntil && Date.parse(row.deferredUntil) > Date.parse(now) ? 'waiting' : 'again';
}

export function planPage(facts: PageFacts, ctx: PageContext): PagePlan {
  const plan: PagePlan = { rows: [], confirm: [] };
  for (const contact of facts.contacts) {
    for (const channel of ctx.channels) {
      const key = runIdempotencyKey(ctx.runId, contact.id, channel);
      const existing = facts.existing.get(key);
      const state = standing(existing, ctx.now);
      if (state === 'final' || state === 'waiting') continue;
      if (state === 'confirm' && existing) {
        plan.confirm.push(existing);
        continue;
      }
      plan.rows.push(decideOne(facts, ctx, contact, channel));
    }
  }
  return plan;
}

function decideOne(facts: PageFacts, ctx: PageContext, contact: Contact, channel: Channel): RunRow {
  const recipient = recipientOf(contact, channel);
  const plannedAt = ctx.plannedAt(contact);
  const base = {
    idempotencyKey: runIdempotencyKey(ctx.runId, contact.id, channel),
    dedupKey: runDedupKey(ctx.runId, channel, recipient.address),
    sequenceId: runSequenceId(ctx.runId),
    runId: ctx.runId,
    channel,
    contactId: contact.id,
    recipient: recipient.address ?? null,
    subjectIds: [ctx.campaignId],
    template: ctx.template,
    locale: ctx.locale(contact, channel),
    plannedAt,
    reason: null,
    deferredUntil: null,
    subject: null,
    text: null,
    html: null,
  };
  if (Date.parse(plannedAt) > Date.parse(ctx.now)) {
    const check: PolicyCheck = {
      rule: 'window',
      ok: false,
      detail: `due at the recipient's own time, ${plannedAt}`,
    };
    return { ...base, status: 'deferred', decision: [check], deferredUntil: plannedAt };
  }
  const decision = decide(pagePolicyInput(facts, ctx, contact, channel));
  switch (decision.kind) {
    case 'suppress':
      return { ...base, status: 'suppressed', reason: decision.reason, decision: decision.checks };
    case 'defer':
      return { ...base, status: 'deferred', decision: decision.checks, deferredUntil: decision.until };
    case 'send': {
      // Caps count this message for the contact's next channel, as a `sending` row would; and its
      // dedup key (run, channel, address) is taken for whoever else on the page shares the address,
      // as the one-by-one path would find it in the ledger.
      const sent: SentRecord = { at: ctx.now, channel, purpose: 'marketing', dedupKey: base.dedupKey };
      const history = facts.histories.get(contact.id) ?? [];
      facts.histories.set(contact.id, history);
      history.push(sent);
      if (!facts.earlier.has(base.dedupKey)) facts.earlier.set(base.dedupKey, sent);
      return { ...base, status: 'sending', decision: decision.checks };
    }
  }
}
