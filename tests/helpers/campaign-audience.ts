/** A large audience for the end-to-end campaign tests: contacts, their consents, posted in chunks. */
import { expect } from 'vitest';
import { authHeaders } from './api-auth';
import { postJson } from './stack-process';
import { contact } from './wall-events';

/** `m0001…`: every contact but those `without(i)` picks consents to marketing email. */
export function audience(size: number, without: (i: number) => boolean = () => false) {
  const ids = Array.from({ length: size }, (_, i) => `m${String(i + 1).padStart(5, '0')}`);
  const allowed = ids.filter((_, i) => !without(i));
  const events = ids.flatMap((id, i) => contact(id, !without(i)));
  return { ids, allowed, events };
}

/** Posts the events in requests of `chunk` (the API takes them in order, each request at once). */
export async function postInChunks(apiUrl: string, events: unknown[], chunk = 1000): Promise<void> {
  for (let i = 0; i < events.length; i += chunk) {
    const response = await postJson(`${apiUrl}/v1/events`, events.slice(i, i + chunk));
    expect(response.status).toBe(202);
  }
}

/** The campaign as GET /v1/campaigns/{id} shows it (status and runs). */
export async function campaignOf(
  apiUrl: string,
  id: string,
): Promise<{ status: string; runs: { runId: string; status: string; sent: number }[] }> {
  const response = await fetch(`${apiUrl}/v1/campaigns/${id}`, { headers: authHeaders });
  return (await response.json()) as {
    status: string;
    runs: { runId: string; status: string; sent: number }[];
  };
}

/** How many records the outbox holds per address. */
export function countsByAddress(records: readonly { to: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.to, (counts.get(r.to) ?? 0) + 1);
  return counts;
}
