/** Addresses never to write to again: hard bounces, spam reports, provider-side unsubscribes. */
import type { Channel } from '../domain/policy/types';
import type { Sql } from './db';

export async function isSuppressed(sql: Sql, channel: Channel, address: string): Promise<boolean> {
  const rows = await sql.query('select 1 from suppressions where channel = $1 and address = $2', [
    channel,
    normalize(channel, address),
  ]);
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

function normalize(channel: Channel, address: string): string {
  return channel === 'email' ? address.trim().toLowerCase() : address.trim();
}
