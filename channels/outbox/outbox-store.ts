/** Where the local outbox keeps what it received: the database in the stack, memory in tests. */
import { ERASED } from '../../domain/erasure';
import { iso, type Sql } from '../../store/db';

export interface OutboxRecord {
  /** The provider id the outbox answered with (SendGrid X-Message-Id, Twilio SM…). */
  id: string;
  channel: 'email' | 'sms';
  to: string;
  from: string | null;
  subject: string | null;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  /** The request body as received (per recipient for SendGrid personalizations). */
  payload: unknown;
  idempotencyKey: string | null;
  receivedAt: string;
}

/** A contact's copies, after its erasure: by the ledger's idempotency keys and provider ids. */
export interface OutboxCopies {
  idempotencyKeys: string[];
  ids: string[];
}

export interface OutboxStore {
  record(message: OutboxRecord): Promise<void>;
  /** Several messages of one request, in order, all or none. */
  recordAll(messages: readonly OutboxRecord[]): Promise<void>;
  /** Oldest first. */
  list(filter?: { channel?: 'email' | 'sms'; to?: string }): Promise<OutboxRecord[]>;
  findByIdempotencyKey(key: string): Promise<OutboxRecord | undefined>;
  /** How many messages were accepted (per recipient), without reading them. */
  count(filter?: { channel?: 'email' | 'sms' }): Promise<number>;
  /** Blanks the copies' addresses and texts (contract §7); how many there were. */
  erase(copies: OutboxCopies): Promise<number>;
}

export function memoryOutboxStore(): OutboxStore {
  const messages: OutboxRecord[] = [];
  return {
    record: (m) => {
      messages.push(m);
      return Promise.resolve();
    },
    recordAll: (all) => {
      messages.push(...all);
      return Promise.resolve();
    },
    list: (filter = {}) =>
      Promise.resolve(
        messages.filter(
          (m) => (!filter.channel || m.channel === filter.channel) && (!filter.to || m.to === filter.to),
        ),
      ),
    findByIdempotencyKey: (key) => Promise.resolve(messages.find((m) => m.idempotencyKey === key)),
    count: (filter = {}) =>
      Promise.resolve(messages.filter((m) => !filter.channel || m.channel === filter.channel).length),
    erase: ({ idempotencyKeys, ids }) => {
      const keys = new Set(idempotencyKeys);
      let erased = 0;
      messages.forEach((m, i) => {
        if (!ids.includes(m.id) && !(m.idempotencyKey !== null && keys.has(m.idempotencyKey))) return;
        messages[i] = { ...m, to: ERASED, subject: null, text: ERASED, html: null, headers: {}, payload: {} };
        erased += 1;
      });
      return Promise.resolve(erased);
    },
  };
}

type Row = {
  id: string;
  channel: 'email' | 'sms';
  to_address: string;
  from_address: string | null;
  subject: string | null;
  body_text: string;
  body_html: string | null;
  headers: Record<string, string>;
  payload: unknown;
  idempotency_key: string | null;
  received_at: Date;
};
const toRecord = (r: Row): OutboxRecord => ({
  id: r.id,
  channel: r.channel,
  to: r.to_address,
  from: r.from_address,
  subject: r.subject,
  text: r.body_text,
  html: r.body_html,
  headers: r.headers,
  payload: r.payload,
  idempotencyKey: r.idempotency_key,
  receivedAt: iso(r.received_at),
});

export function sqlOutboxStore(sql: Sql): OutboxStore {
  // One statement for a request's messages (1,000 personalizations), in the request's order.
  const recordAll = async (all: readonly OutboxRecord[]): Promise<void> => {
    if (all.length === 0) return;
    await sql.query(
      `insert into outbox_messages (id, channel, to_address, from_address, subject, body_text, body_html, headers, payload, idempotency_key, received_at)
       select m->>'id', m->>'channel', m->>'to', m->>'from', m->>'subject', m->>'text', m->>'html', m->'headers',
         m->'payload', m->>'idempotencyKey', (m->>'receivedAt')::timestamptz
       from jsonb_array_elements($1::jsonb) with ordinality as r(m, n) order by n`,
      [JSON.stringify(all)],
    );
  };
  return {
    recordAll,
    // A single message is a request of one: one insert statement serves both.
    record: (m) => recordAll([m]),
    async list(filter = {}) {
      const rows = await sql.query<Row>(
        `select * from outbox_messages where ($1::text is null or channel = $1) and ($2::text is null or to_address = $2) order by seq`,
        [filter.channel ?? null, filter.to ?? null],
      );
      return rows.map(toRecord);
    },
    async findByIdempotencyKey(key) {
      const [row] = await sql.query<Row>(
        'select * from outbox_messages where idempotency_key = $1 order by seq limit 1',
        [key],
      );
      return row ? toRecord(row) : undefined;
    },
    async count(filter = {}) {
      // Kept by triggers as messages are recorded (migration 017): no scan of 100,000 rows.
      const [row] = await sql.query<{ n: number }>(
        'select coalesce(sum(n), 0)::int as n from outbox_counts where ($1::text is null or channel = $1)',
        [filter.channel ?? null],
      );
      return row?.n ?? 0;
    },
    async erase({ idempotencyKeys, ids }) {
      const rows = await sql.query(
        `update outbox_messages set to_address = $3, subject = null, body_text = $3, body_html = null,
           headers = '{}', payload = '{}'
         where idempotency_key = any($1::text[]) or id = any($2::text[]) returning 1`,
        [idempotencyKeys, ids, ERASED],
      );
      return rows.length;
    },
  };
}
