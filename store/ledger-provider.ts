/**
 * The ledger as the providers name it: their message ids (delivery webhooks look rows up by
 * them and record what was delivered) and the copies they hold of a contact's sends (erasure).
 */
import type { Sql } from './db';
import { toEntry, type LedgerEntry, type Row } from './ledger-repository';

export async function findByProviderId(
  sql: Sql,
  provider: string,
  providerId: string,
): Promise<LedgerEntry | undefined> {
  const [row] = await sql.query<Row>('select * from messages where provider = $1 and provider_id = $2', [
    provider,
    providerId,
  ]);
  return row ? toEntry(row) : undefined;
}

/** Every row a provider id names: one SendGrid X-Message-Id covers all recipients of a batch. */
export async function messagesByProviderId(
  sql: Sql,
  provider: string,
  providerId: string,
): Promise<LedgerEntry[]> {
  const rows = await sql.query<Row>(
    'select * from messages where provider = $1 and provider_id = $2 order by created_at',
    [provider, providerId],
  );
  return rows.map(toEntry);
}

export async function recordDelivery(sql: Sql, id: string, status: string, at: string): Promise<void> {
  await sql.query(
    'update messages set delivery_status = $2, delivery_at = $3, updated_at = $3 where id = $1',
    [id, status, at],
  );
}

/**
 * What the providers hold of a contact's sends, after its erasure: the ledger keeps each
 * message's idempotency key and provider id (not its recipient or body), which find the copies.
 */
export async function providerCopiesOf(
  sql: Sql,
  contactId: string,
): Promise<{ idempotencyKeys: string[]; ids: string[] }> {
  const rows = await sql.query<{ idempotency_key: string; provider_id: string | null }>(
    'select idempotency_key, provider_id from messages where contact_id = $1',
    [contactId],
  );
  return {
    idempotencyKeys: rows.map((r) => r.idempotency_key),
    ids: rows.flatMap((r) => (r.provider_id ? [r.provider_id] : [])),
  };
}
