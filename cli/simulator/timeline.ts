/** The simulator's output (shared/contract.md §3), read back from the store after a run. */
import { DateTime } from 'luxon';
import type { Db } from '../../store/db';
import { listHandoffs } from '../../store/handoff-repository';
import { allMessages } from '../../store/ledger-repository';
import { allSequences } from '../../store/sequence-repository';

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
}

export interface Timeline {
  messages: TimelineMessage[];
  handoffs: { at: string; contactId: string; sequenceId: string; subjectIds: string[]; reason: string }[];
  sequences: { id: string; type: string; subjectId: string; status: string; outcome: string | null }[];
  /** Messages still waiting (deferred) when the simulation ended. */
  pending: { sequenceId: string | null; step: string | null; channel: string; until: string | null }[];
}

export async function buildTimeline(db: Db): Promise<Timeline> {
  const zones = new Map(
    (await db.query<{ id: string; timezone: string }>('select id, timezone from contacts')).map((r) => [
      r.id,
      r.timezone,
    ]),
  );
  const rows = await allMessages(db);
  const messages: TimelineMessage[] = rows
    .filter((m) => m.status === 'sent' || m.status === 'suppressed' || m.status === 'failed')
    .map((m) => {
      const at = m.sentAt ?? m.decidedAt ?? m.plannedAt;
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
        to: m.recipient,
        subject: m.subject,
        text: m.text,
        id: m.id,
        ...(m.fallbackOf ? { fallbackOf: m.fallbackOf } : {}),
      };
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
  };
}
