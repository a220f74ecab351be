/** Addresses never to write to again: hard bounces, spam reports, provider-side unsubscribes. */
import { createHash } from 'node:crypto';
import type { Channel } from '../domain/policy/types';
import { iso, type Sql } from './db';

/**
 * Erasure keeps a suppression as a hash of its address (see eraseContact): the address is gone
 * from the store, yet a contact created later with the same address is still not written to.
 */
export function addressHash(channel: Channel, address: string): string {
  return `sha256:${createHash('sha256').update(normalize(channel, address)).digest('hex')}`;
}

export async function isSuppressed(sql: Sql, channel: Channel, address: string): Promise<boolean> {
  const rows = await sql.query(
    'select 1 from suppressions where channel = $1 and address = any($2::text[])',
    [channel, [normalize(channel, address), addressHash(channel, address)]],
  );
  return rows.length > 0;
}

export async function suppressAddress(
  sql: Sql,
  s: { channel: Channel; address: string; reason: string; source: string; at: string },
): Promise<void> {
  await sql.query(
    `insert into suppressions (channel, address, reason, source, at) values ($1, $2, $3, $4, $5)
     on conflict (channel, address) do nothing`,
    [s.channel, normalize(s.channel, s.address), s.reason, s.source, s.at],
  );
}

export interface Suppression {
  channel: Channel;
  address: string;
  reason: string;
  source: string;
  at: string;
}

/** The suppressions of some addresses (in plain or hashed form). */
export async function suppressionsOf(
  sql: Sql,
  addresses: { channel: Channel; address: string }[],
): Promise<Suppression[]> {
  const rows: Suppression[] = [];
  for (const { channel, address } of addresses) {
    const found = await sql.query<{ address: string; reason: string; source: string; at: Date }>(
      'select address, reason, source, at from suppressions where channel = $1 and address = any($2::text[])',
      [channel, [normalize(channel, address), addressHash(channel, address)]],
    );
    rows.push(
      ...found.map((r) => ({
        channel,
        address: r.address,
        reason: r.reason,
        source: r.source,
        at: iso(r.at),
      })),
    );
  }
  return rows;
}

export function normalize(channel: Channel, address: string): string {
  return channel === 'email' ? address.trim().toLowerCase() : address.trim();
}
