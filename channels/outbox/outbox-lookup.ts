/**
 * The channels' side of `GET /_outbox/messages/by-key/:key`: how `confirm` asks the local outbox
 * whether a send with this idempotency key reached it. Only meaningful when a channel's baseUrl is
 * the outbox; the real providers have no such lookup.
 */
import { z } from 'zod';
import { ProviderTransientError } from '../channel';

const recordSummary = z.object({ id: z.string(), channel: z.enum(['email', 'sms']), to: z.string() });

export type OutboxRecordSummary = z.infer<typeof recordSummary>;

/** The record the outbox holds for this key, or null; an unreachable outbox is transient. */
export async function findInOutbox(
  baseUrl: string,
  idempotencyKey: string,
): Promise<OutboxRecordSummary | null> {
  const root = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const url = new URL(`_outbox/messages/by-key/${encodeURIComponent(idempotencyKey)}`, root);
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
