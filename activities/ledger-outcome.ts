/** A ledger row, read as the outcome a workflow switches on. */
import type { SendOutcome } from '../domain/sequence-types';
import type { LedgerEntry } from '../store/ledger-repository';

export function outcomeOf(row: LedgerEntry): SendOutcome {
  const base = { messageId: row.id, channel: row.channel };
  switch (row.status) {
    case 'sent':
    case 'sending':
      return { kind: 'sent', ...base };
    case 'suppressed':
      return { kind: 'suppressed', ...base, reason: row.reason ?? 'duplicate' };
    case 'failed':
      return { kind: 'failed', ...base, reason: row.reason ?? 'provider_rejected' };
    case 'deferred':
      return { kind: 'deferred', ...base, until: row.deferredUntil ?? row.plannedAt };
  }
}
