/** Inbound SMS already applied (table inbound_messages), so that a replay applies nothing. */
import type { Sql } from './db';

/** Records the message; false when a message with this MessageSid was already recorded. */
export async function claimInboundMessage(
  sql: Sql,
  m: { messageSid: string; keyword: string; receivedAt: string },
): Promise<boolean> {
  const rows = await sql.query(
    `insert into inbound_messages (message_sid, keyword, received_at) values ($1, $2, $3)
     on conflict (message_sid) do nothing returning message_sid`,
    [m.messageSid, m.keyword, m.receivedAt],
  );
  return rows.length === 1;
}
