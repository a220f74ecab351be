/**
 * The clients of the local outbox's own routes: the channels' `confirm` (whether a send with this
 * idempotency key reached it), and, for an outbox in its own thread (outbox-thread.ts), the
 * listing `GET /v1/outbox` shows and the erasure of a contact's copies. The real providers have
 * none of these.
 */
import { z } from 'zod';
import { ProviderTransientError } from '../channel';
import type { OutboxCopies } from './outbox-store';

const outboxRoot = (baseUrl: string) => (baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);

const recordSummary = z.object({ id: z.string(), channel: z.enum(['email', 'sms']), to: z.string() });

export type OutboxRecordSummary = z.infer<typeof recordSummary>;

/** The record the outbox holds for this key, or null; an unreachable outbox is transient. */
export async function findInOutbox(
  baseUrl: string,
  idempotencyKey: string,
): Promise<OutboxRecordSummary | null> {
  const url = new URL(`_outbox/messages/by-key/${encodeURIComponent(idempotencyKey)}`, outboxRoot(baseUrl));
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new ProviderTransientError(
      `outbox unreachable: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (res.status === 404) return null;
  if (!res.ok) throw new ProviderTransientError(`outbox answered ${res.status} to a confirmation`);
  return recordSummary.parse(await res.json());
}

const listItem = z.object({
  id: z.string(),
  channel: z.enum(['email', 'sms']),
  to: z.string(),
  subject: z.string().optional(),
  text: z.string(),
  receivedAt: z.string(),
});

/** What an outbox in its own thread received (`GET /_outbox/messages`), for `GET /v1/outbox`. */
export async function listOutbox(baseUrl: string): Promise<z.infer<typeof listItem>[]> {
  const res = await fetch(new URL('_outbox/messages', outboxRoot(baseUrl)));
  if (!res.ok) throw new Error(`the local outbox answered ${res.status} to a listing`);
  return z.object({ messages: z.array(listItem) }).parse(await res.json()).messages;
}

/** Asks an outbox in its own thread to erase its copies of a contact's messages; how many went. */
export async function eraseInOutbox(baseUrl: string, copies: OutboxCopies): Promise<number> {
  const res = await fetch(new URL('_outbox/erasures', outboxRoot(baseUrl)), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(copies),
  });
  if (!res.ok) throw new Error(`the local outbox answered ${res.status} to an erasure`);
  return z.object({ erased: z.number() }).parse(await res.json()).erased;
}
