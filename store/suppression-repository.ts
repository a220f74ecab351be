/** Addresses never to write to again: hard bounces, spam reports, provider-side unsubscribes. */
import { createHash } from 'node:crypto';
import { redact } from '../domain/erasure';
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

/**
 * Suppresses an address. An address no live contact holds (an erased contact's, reported late by
 * a provider) is stored only as its hash, and so is one whose hash is already there: erasure must
 * not find the address again in plain text, nor meet two rows for it (contract §7).
 */
export async function suppressAddress(
  sql: Sql,
  s: { channel: Channel; address: string; reason: string; source: string; at: string },
): Promise<void> {
  const plain = normalize(s.channel, s.address);
  const hash = addressHash(s.channel, s.address);
  const hashed = await sql.query('select 1 from suppressions where channel = $1 and address = $2', [
    s.channel,
    hash,
  ]);
  const keepHash = hashed.length > 0 || !(await heldByLiveContact(sql, s.channel, plain));
  await sql.query(
    `insert into suppressions (channel, address, reason, source, at) values ($1, $2, $3, $4, $5)
     on conflict (channel, address) do nothing`,
    keepHash
      ? [s.channel, hash, s.reason, redact(s.source, [s.address.trim(), plain]), s.at]
      : [s.channel, plain, s.reason, s.source, s.at],
  );
}

/** True when a contact not erased holds the address (erasure clears an erased one's). */
async function heldByLiveContact(sql: Sql, channel: Channel, plain: string): Promise<boolean> {
  const column = channel === 'email' ? 'lower(email)' : 'phone';
  const rows = await sql.query(`select 1 from contacts where ${column} = $1 and erased_at is null limit 1`, [
    plain,
  ]);
  return rows.length > 0;
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
