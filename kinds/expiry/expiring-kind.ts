/**
 * What a kind whose sequence counts down to a date adds to a SequenceKind, so the one generic
 * workflow (workflows/expiry-sequence.workflow.ts) and its planning activities can run it: where
 * its subject stands now, its sequence type and purpose, and how it lapses. Cards, vouchers and
 * lots of points implement it over the `items` table; another kind (a subscription renewal)
 * implements it over its own store.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { ErrorCode } from '../../domain/errors';
import type { Purpose } from '../../domain/policy/types';
import type { Sql } from '../../store/db';
import type { KindRegistry, SequenceKind } from '../kind';

/** A subject as stored now: its date, schedule, and whether it is still live. */
export interface ExpiringSubject {
  id: string;
  contactId: string;
  /** YYYY-MM-DD, contact-local: good until the end of that day. */
  expiresOn: string;
  scheduleId: string;
  live: boolean;
  /** Why it ended (`redeemed`, `used`, `cancelled`, `expired`, `erased`…), null while live. */
  endedReason: string | null;
}

export interface ExpiringKind extends SequenceKind {
  /** The sequence type in the ledger and the output (`voucher-expiry`). */
  sequenceType: string;
  /** Transactional or marketing; a schedule's own `purpose` overrides it. */
  purpose: Purpose;
  /** The subject as stored now; undefined when unknown. */
  subject(sql: Sql, id: string): Promise<ExpiringSubject | undefined>;
  /** Its date passed with no ending event: marks it lapsed (false when it ended or moved meanwhile). */
  lapse(sql: Sql, id: string, expiresOn: string, at: string): Promise<boolean>;
}

export function isExpiringKind(kind: SequenceKind): kind is ExpiringKind {
  return 'subject' in kind && 'lapse' in kind && 'sequenceType' in kind;
}

/** The registered expiring kind of that name; a non-retryable configuration error otherwise. */
export function expiringKind(kinds: KindRegistry, name: string): ExpiringKind {
  const kind = kinds.get(name);
  if (!kind || !isExpiringKind(kind))
    throw ApplicationFailure.nonRetryable(
      `No expiring sequence kind "${name}" is registered (known: ${[...kinds.keys()].join(', ')})`,
      ErrorCode.InvalidConfig,
    );
  return kind;
}

/**
 * How a subject's sequence for `anchor` stands: null while it runs (live with that same date),
 * else its outcome (a moved date is a renewal, whatever came of the subject afterwards).
 */
export function closedOutcome(subject: ExpiringSubject | undefined, anchor: string): string | null {
  if (!subject) return 'cancelled';
  if (subject.expiresOn !== anchor) return 'renewed';
  if (subject.live) return null;
  return subject.endedReason ?? 'cancelled';
}
