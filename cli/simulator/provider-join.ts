/**
 * Joins what the provider (the local outbox) received to the ledger our own code wrote, so the
 * simulator reports what customers got rather than what we believe we sent. The join key is the
 * idempotency key each channel hands to the provider: SendGrid `custom_args.relance_key` per
 * personalization, Twilio's `StatusCallback` query parameter `relance_key`.
 */
import type { OutboxRecord } from '../../channels/outbox/outbox-store';
import type { LedgerEntry } from '../../store/ledger-repository';

export type Discrepancy =
  | {
      /** The provider received a message that no `sent` ledger row accounts for. */
      kind: 'provider_without_ledger';
      providerMessageId: string;
      channel: 'email' | 'sms';
      to: string;
      idempotencyKey: string | null;
      /** The ledger row with that key, when there is one (not `sent`, or for another recipient). */
      ledgerId: string | null;
      ledgerStatus: string | null;
      subject: string | null;
      text: string;
    }
  | {
      /** The ledger says `sent`, but the provider never received it. */
      kind: 'ledger_sent_without_provider';
      ledgerId: string;
      idempotencyKey: string;
      channel: 'email' | 'sms';
      to: string | null;
      sequenceId: string | null;
      step: string | null;
      subjectIds: string[];
      sentAt: string | null;
    }
  | {
      /** The provider received one ledger message more than once: the customer got it twice. */
      kind: 'provider_duplicate';
      ledgerId: string;
      idempotencyKey: string;
      channel: 'email' | 'sms';
      to: string;
      sequenceId: string | null;
      step: string | null;
      providerMessageIds: string[];
    };

export interface ProviderJoin {
  /** Each `sent` ledger row with the provider records that carry its key, in ledger order. */
  delivered: { row: LedgerEntry; records: OutboxRecord[] }[];
  discrepancies: Discrepancy[];
}

const sameAddress = (a: string | null, b: string): boolean =>
  a !== null && a.trim().toLowerCase() === b.trim().toLowerCase();

function groupByKey(records: OutboxRecord[]): Map<string, OutboxRecord[]> {
  const byKey = new Map<string, OutboxRecord[]>();
  for (const record of records) {
    if (record.idempotencyKey === null) continue;
    const group = byKey.get(record.idempotencyKey) ?? [];
    group.push(record);
    byKey.set(record.idempotencyKey, group);
  }
  return byKey;
}

function unmatched(record: OutboxRecord, row: LedgerEntry | undefined): Discrepancy {
  return {
    kind: 'provider_without_ledger',
    providerMessageId: record.id,
    channel: record.channel,
    to: record.to,
    idempotencyKey: record.idempotencyKey,
    ledgerId: row?.id ?? null,
    ledgerStatus: row?.status ?? null,
    subject: record.subject,
    text: record.text,
  };
}

/** Pure: the same inputs always give the same join, in ledger order then provider order. */
export function joinProviderToLedger(rows: LedgerEntry[], records: OutboxRecord[]): ProviderJoin {
  const byKey = groupByKey(records);
  const matched = new Set<OutboxRecord>();
  const delivered: ProviderJoin['delivered'] = [];
  const discrepancies: Discrepancy[] = [];
  for (const row of rows) {
    if (row.status !== 'sent') continue;
    // A sent row always named its recipient; a null one was erased (contract §7), as was the
    // outbox copy's address: the key alone then tells which message the provider received.
    const received = (byKey.get(row.idempotencyKey) ?? []).filter(
      (r) => r.channel === row.channel && (row.recipient === null || sameAddress(row.recipient, r.to)),
    );
    received.forEach((r) => matched.add(r));
    if (received.length === 0) {
      discrepancies.push({
        kind: 'ledger_sent_without_provider',
        ledgerId: row.id,
        idempotencyKey: row.idempotencyKey,
        channel: row.channel,
        to: row.recipient,
        sequenceId: row.sequenceId,
        step: row.step,
        subjectIds: row.subjectIds,
        sentAt: row.sentAt,
      });
      continue;
    }
    delivered.push({ row, records: received });
    const [first] = received;
    if (first && received.length > 1) {
      discrepancies.push({
        kind: 'provider_duplicate',
        ledgerId: row.id,
        idempotencyKey: row.idempotencyKey,
        channel: row.channel,
        to: first.to,
        sequenceId: row.sequenceId,
        step: row.step,
        providerMessageIds: received.map((r) => r.id),
      });
    }
  }
  const rowByKey = new Map(rows.map((r) => [r.idempotencyKey, r]));
  for (const record of records) {
    if (matched.has(record)) continue;
    const row = record.idempotencyKey === null ? undefined : rowByKey.get(record.idempotencyKey);
    discrepancies.push(unmatched(record, row));
  }
  return { delivered, discrepancies };
}
