/**
 * The simulator's output (shared/contract.md §3), read back after a run: `sent` messages from what
 * the local outbox received, joined to the ledger; suppressed and failed ones from the ledger.
 */
import { DateTime } from 'luxon';
import { sqlOutboxStore, type OutboxRecord } from '../../channels/outbox/outbox-store';
import type { Db } from '../../store/db';
import { listHandoffs } from '../../store/handoff-repository';
import type { AgentActionResult } from './agent-actions';
import { allMessages, type LedgerEntry } from '../../store/ledger-repository';
import { allSequences } from '../../store/sequence-repository';
import { joinProviderToLedger, type Discrepancy } from './provider-join';

export type { Discrepancy } from './provider-join';

export interface TimelineMessage {
  at: string;
  localTime: string;
  plannedAt?: string;
  contactId: string;
  channel: 'email' | 'sms';
  sequence: string | null;
  sequenceId: string | null;
  subjectIds: string[];
  step: string | null;
  status: 'sent' | 'suppressed' | 'failed';
  reason: string | null;
  to: string | null;
  subject: string | null;
  text: string | null;
  /** Present on a fallback attempt: the ledger id of the attempt it replaces. */
  fallbackOf?: string;
  /** The ledger row's id. */
  id: string;
  /** On a campaign run's message: the run's id (`<campaignId>/<YYYY-MM-DD>`). */
  runId?: string;
  /** On a `sent` message: the id of the provider message the outbox received. */
  providerMessageId?: string;
}

export interface Timeline {
  messages: TimelineMessage[];
  handoffs: {
    at: string;
    contactId: string;
    sequenceId: string;
    subjectIds: string[];
    reason: string;
    id: number;
    status: 'open' | 'claimed' | 'resolved';
    owner: string | null;
    resolution: string | null;
    dueBy: string | null;
  }[];
  /** What agents did in the scenario (`{ at, agent }` items): applied, or refused and why. */
  agentActions?: AgentActionResult[];
  sequences: { id: string; type: string; subjectId: string; status: string; outcome: string | null }[];
  /** Messages still waiting (deferred) when the simulation ended. */
  pending: { sequenceId: string | null; step: string | null; channel: string; until: string | null }[];
  /** Where the provider and the ledger disagree; empty when all is well. */
  discrepancies: Discrepancy[];
}

type Zones = Map<string, string>;

/** A ledger row as the timeline shows it; `record` (what the provider received) wins for content. */
function toMessage(m: LedgerEntry, zones: Zones, record?: OutboxRecord): TimelineMessage {
  // A sent message is dated when the provider received it (the simulator's outbox follows the
  // simulated clock); other rows when the ledger decided them.
  const at = record?.receivedAt ?? m.sentAt ?? m.decidedAt ?? m.plannedAt;
  // Execution takes milliseconds; a message counts as moved when quiet hours or a cap moved it.
  const moved = Date.parse(at) - Date.parse(m.plannedAt) > 60_000;
  return {
    at,
    localTime: DateTime.fromISO(at, { zone: zones.get(m.contactId) ?? 'UTC' }).toISO() ?? at,
    ...(moved && m.status === 'sent' ? { plannedAt: m.plannedAt } : {}),
    contactId: m.contactId,
    channel: m.channel,
    sequence: m.sequenceType,
    sequenceId: m.sequenceId,
    subjectIds: m.subjectIds,
    step: m.step,
    status: m.status as TimelineMessage['status'],
    reason: m.reason,
    to: record ? record.to : m.recipient,
    subject: record ? record.subject : m.subject,
    text: record ? record.text : m.text,
    id: m.id,
    ...(m.fallbackOf ? { fallbackOf: m.fallbackOf } : {}),
    ...(m.runId ? { runId: m.runId } : {}),
    ...(record ? { providerMessageId: record.id } : {}),
  };
}

export async function buildTimeline(db: Db): Promise<Timeline> {
  const zones: Zones = new Map(
    (await db.query<{ id: string; timezone: string }>('select id, timezone from contacts')).map((r) => [
      r.id,
      r.timezone,
    ]),
  );
  const rows = await allMessages(db);
  const { delivered, discrepancies } = joinProviderToLedger(rows, await sqlOutboxStore(db).list());
  const received = new Map(delivered.map((d) => [d.row, d.records]));
  const messages: TimelineMessage[] = rows
    .flatMap((m) => {
      if (m.status === 'sent') return (received.get(m) ?? []).map((r) => toMessage(m, zones, r));
      return m.status === 'suppressed' || m.status === 'failed' ? [toMessage(m, zones)] : [];
    })
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return {
    messages,
    handoffs: (await listHandoffs(db)).map((h) => ({
      at: h.at,
      contactId: h.contactId,
      sequenceId: h.sequenceId,
      subjectIds: h.subjectIds,
      reason: h.reason,
      id: h.id,
      status: h.status,
      owner: h.owner,
      resolution: h.resolution,
      dueBy: h.dueBy,
    })),
    sequences: (await allSequences(db)).map((s) => ({
      id: s.id,
      type: s.type,
      subjectId: s.subjectId,
      status: s.status,
      outcome: s.outcome,
    })),
    pending: rows
      .filter((m) => m.status === 'deferred')
      .map((m) => ({ sequenceId: m.sequenceId, step: m.step, channel: m.channel, until: m.deferredUntil })),
    discrepancies,
  };
}
