/**
 * The embedded store's one session, driven by Relance rather than by PGlite's `query()`.
 *
 * PGlite's `query()` sends each statement to the engine in six protocol round trips (parse,
 * describe, bind, describe, execute, sync), and the engine parses and analyses it again every
 * time: 150-350 µs for a one-row statement, most of a sequence's store time. Here a statement is
 * prepared once under a name (parse and describe), and each later run is one round trip: bind,
 * execute, sync. A prepared statement is planned as PostgreSQL plans any (`plan_cache_mode`
 * `auto`): for its own values at its first five runs, then once for all when that generic plan
 * costs no more. Planning each run again (`force_custom_plan`, until stop 22) cost a dunning
 * sequence 1.5 ms of the embedded store's CPU, most of it on key lookups whose plan never changes.
 *
 * PGlite is one session, so the session lock is ours: a transaction holds it from BEGIN to
 * COMMIT, a statement outside one holds it for that statement. Every statement on the database
 * goes through here (the store's upkeep included); PGlite's own locks still order the protocol
 * calls. Statements other than `select`/`insert`/`update`/`delete`/`with`/`values` (DDL,
 * VACUUM, SET) go through PGlite's `query()` unchanged.
 */
import { Mutex, type PGlite } from '@electric-sql/pglite';
import { protocol } from '@electric-sql/pglite';
import type { Sql } from './db';

type Serializer = (value: unknown) => unknown;

interface Prepared {
  name: string;
  paramTypes: number[];
  fields: { name: string; dataTypeID: number }[];
}

interface Message {
  name: string;
}
interface DataRow extends Message {
  fields: (string | null)[];
}

/** Statements kept prepared at once; the least recently used is closed beyond it. */
const MAX_PREPARED = 400;
const PREPARABLE = /^\s*(select|insert|update|delete|with|values)\b/i;
/** A table under a prepared statement changed shape (SQLSTATE 0A000 is also every other unsupported feature). */
const resultTypeChanged = (error: unknown) =>
  (error as { code?: unknown }).code === '0A000' &&
  (error as { message?: unknown }).message === 'cached plan must not change result type';
const JSONB = 3802;
/** Types whose binary form is their UTF-8 text (jsonb: after a version byte). */
const TEXT_LIKE = new Set([25, 1043, 114, JSONB]);
/** From this many characters a text parameter goes as bytes (see `asBytes`). */
const LONG_TEXT = 512;

/**
 * A text, json or jsonb parameter as bytes in binary form (jsonb: version 1, then the UTF-8
 * text). PGlite's driver measures and encodes a string parameter character by character in
 * JavaScript, twice over: a campaign page's 3 MB of rendered mail took some 100 ms that way, where
 * Buffer encodes it natively.
 */
function asBytes(text: string, type: number): Uint8Array {
  const prefix = type === JSONB ? 1 : 0;
  const bytes = Buffer.allocUnsafe(prefix + Buffer.byteLength(text, 'utf8'));
  if (prefix) bytes[0] = 1;
  bytes.write(text, prefix, 'utf8');
  return bytes;
}

const serialize = protocol.serialize;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export interface PgliteSession extends Sql {
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}

export function pgliteSession(db: PGlite): PgliteSession {
  const lock = new Mutex();
  const prepared = new Map<string, Prepared>();
  let toClose: Uint8Array[] = [];
  let counter = 0;
  let inTransaction = false;

  /** One protocol exchange, ordered with every other by PGlite's lock. */
  const exchange = (parts: Uint8Array[]) =>
    db.runExclusive(
      () =>
        db.execProtocolStream(concat(parts), { syncToFs: !inTransaction }) as unknown as Promise<Message[]>,
    );

  /** An extended-protocol exchange: the closes waiting to go first, a sync last. */
  const extended = (parts: Uint8Array[]) => {
    const closing = toClose;
    toClose = [];
    return exchange([...closing, ...parts, serialize.sync()]);
  };

  async function prepare(text: string): Promise<Prepared> {
    const known = prepared.get(text);
    if (known) {
      prepared.delete(text); // most recently used goes last
      prepared.set(text, known);
      return known;
    }
    const name = `relance_${++counter}`;
    const messages = await extended([
      serialize.parse({ name, text }),
      serialize.describe({ type: 'S', name }),
    ]);
    const params = messages.find((m) => m.name === 'parameterDescription') as
      (Message & { dataTypeIDs: number[] }) | undefined;
    const rows = messages.find((m) => m.name === 'rowDescription') as
      (Message & { fields: { name: string; dataTypeID: number }[] }) | undefined;
    const statement: Prepared = {
      name,
      paramTypes: params?.dataTypeIDs ?? [],
      fields: rows?.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })) ?? [],
    };
    prepared.set(text, statement);
    for (const [oldest, old] of prepared) {
      if (prepared.size <= MAX_PREPARED) break;
      prepared.delete(oldest);
      toClose.push(serialize.close({ type: 'S', name: old.name }));
    }
    return statement;
  }

  function values(statement: Prepared, params: unknown[]): unknown[] {
    return params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const type = statement.paramTypes[i] ?? 0;
      const write = db.serializers[type] as Serializer | undefined;
      const value = write ? write(param) : (param as { toString(): string }).toString();
      return typeof value === 'string' && value.length >= LONG_TEXT && TEXT_LIKE.has(type)
        ? asBytes(value, type)
        : value;
    });
  }

  function rowsOf<T>(statement: Prepared, messages: Message[]): T[] {
    const parsers = db.parsers as Record<number, ((v: string, type: number) => unknown) | undefined>;
    const rows: T[] = [];
    for (const message of messages) {
      if (message.name !== 'dataRow') continue;
      const row: Record<string, unknown> = {};
      (message as DataRow).fields.forEach((value, i) => {
        const field = statement.fields[i];
        if (!field) return;
        const parse = parsers[field.dataTypeID];
        row[field.name] = value === null ? null : parse ? parse(value, field.dataTypeID) : value;
      });
      rows.push(row as T);
    }
    return rows;
  }

  async function runPrepared<T>(text: string, params: unknown[]): Promise<T[]> {
    const statement = await prepare(text);
    const messages = await extended([
      serialize.bind({ statement: statement.name, values: values(statement, params) as string[] }),
      serialize.execute({}),
    ]);
    return rowsOf<T>(statement, messages);
  }

  /** Forgets a statement prepared before a migration changed its table; it is closed with the next exchange. */
  function forget(text: string): void {
    const stale = prepared.get(text);
    prepared.delete(text);
    if (stale) toClose.push(serialize.close({ type: 'S', name: stale.name }));
  }

  async function run<T>(text: string, params: unknown[]): Promise<T[]> {
    if (!PREPARABLE.test(text)) return (await db.query<T>(text, params)).rows;
    try {
      try {
        return await runPrepared<T>(text, params);
      } catch (error) {
        if (!resultTypeChanged(error)) throw error;
        // Prepared again; run again when no transaction was under way (within one, the
        // transaction has failed and says so).
        forget(text);
        if (inTransaction) throw error;
        return await runPrepared<T>(text, params);
      }
    } catch (error) {
      Object.assign(error as object, { query: text, params });
      throw error;
    }
  }

  const simple = (command: string) => exchange([serialize.query(command)]);

  return {
    query: <T>(text: string, params: unknown[] = []) => lock.runExclusive(() => run<T>(text, params)),
    transaction: <T>(fn: (tx: Sql) => Promise<T>) =>
      lock.runExclusive(async () => {
        await simple('BEGIN');
        inTransaction = true;
        let result: T;
        try {
          result = await fn({ query: <R>(text: string, params: unknown[] = []) => run<R>(text, params) });
        } catch (error) {
          inTransaction = false;
          await simple('ROLLBACK');
          throw error;
        }
        inTransaction = false;
        try {
          await simple('COMMIT');
        } catch (error) {
          await simple('ROLLBACK').catch(() => undefined);
          throw error;
        }
        return result;
      }),
  };
}
