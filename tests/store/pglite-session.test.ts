/**
 * The embedded store's session (store/pglite-session.ts): statements prepared once and run in
 * one round trip must answer exactly as PGlite's own query() did, keep transactions whole, and
 * survive what a long-lived prepared statement meets (a rollback, a table changing shape, more
 * statements than it keeps).
 */
import { PGlite } from '@electric-sql/pglite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PGLITE_PARSERS } from '../../store/db';
import { pgliteSession, type PgliteSession } from '../../store/pglite-session';

let pg: PGlite;
let session: PgliteSession;

beforeEach(async () => {
  pg = new PGlite({ parsers: PGLITE_PARSERS });
  await pg.waitReady;
  await pg.exec(`
    create table t (id text primary key, n bigint, day date, at timestamptz, doc jsonb, tags text[],
                    ok boolean, amount numeric, note text);
    insert into t values ('a', 1, '2026-03-29', '2026-03-29T01:30:00Z', '{"x": [1, "é"]}', '{gold,vip}',
                          true, 12.50, null);`);
  session = pgliteSession(pg);
});

afterEach(async () => {
  await pg.close();
});

describe('the embedded store session', () => {
  it('when a statement runs again and again, then each answer is what PGlite query() gives, type for type', async () => {
    const text = 'select * from t where id = $1 and n >= $2 and tags && $3::text[]';
    const params = ['a', 1, ['vip']];
    const expected = (await pg.query(text, params)).rows;
    expect(expected).toHaveLength(1);
    for (let i = 0; i < 3; i++) expect(await session.query(text, params)).toEqual(expected);
    const [row] = await session.query<Record<string, unknown>>(text, params);
    expect(row).toMatchObject({
      n: 1,
      day: '2026-03-29',
      doc: { x: [1, 'é'] },
      ok: true,
      amount: '12.50',
      note: null,
    });
    expect(row?.at).toEqual(new Date('2026-03-29T01:30:00Z'));
  });

  it('when parameters are objects, arrays, dates, nulls or JSON text, then they are stored as query() stores them', async () => {
    const insert =
      'insert into t (id, n, at, doc, tags, note) values ($1, $2, $3, $4, $5, $6) returning id, doc, tags, at';
    const at = new Date('2026-10-25T00:59:59Z');
    const [viaSession] = await session.query(insert, ['b', 2, at, { k: 'v' }, ['x', 'y'], null]);
    const [viaText] = await session.query(insert, ['c', 3, at, JSON.stringify({ k: 'v' }), ['x', 'y'], null]);
    const viaQuery = (await pg.query(insert, ['d', 4, at, { k: 'v' }, ['x', 'y'], null])).rows[0];
    expect(viaSession).toEqual({ ...(viaQuery as object), id: 'b' });
    expect(viaText).toEqual({ ...(viaQuery as object), id: 'c' });
  });

  it('when a text or jsonb parameter is long and not ASCII, then it is stored character for character', async () => {
    // Long parameters go as bytes: a page of rendered mail, accents, emoji and a lone quote.
    const note = `Bonjour Zoë, -20 % sur tout 🎁 « l'offre » ${'é€'.repeat(2_000)}`;
    const doc = { html: `<p>${note}</p>`, list: Array.from({ length: 300 }, (_, i) => `n°${i}`) };
    const insert = 'insert into t (id, note, doc) values ($1, $2, $3::jsonb) returning note, doc';
    const [viaSession] = await session.query(insert, ['h', note, JSON.stringify(doc)]);
    const viaQuery = (await pg.query(insert, ['i', note, JSON.stringify(doc)])).rows[0];
    expect(viaSession).toEqual(viaQuery);
    expect(viaSession).toEqual({ note, doc });
    const json = 'select $1::json as j, $2::varchar as v, length($2::text) as n';
    const [row] = await session.query(json, [JSON.stringify(doc), note]);
    expect(row).toEqual({ j: doc, v: note, n: [...note].length });
  });

  it('when a transaction fails, then none of it is kept and the statements it prepared still work', async () => {
    const insert = 'insert into t (id, n) values ($1, $2)';
    await expect(
      session.transaction(async (tx) => {
        await tx.query(insert, ['e', 5]);
        await tx.query(insert, ['a', 6]); // already there
      }),
    ).rejects.toMatchObject({ code: '23505', query: insert });
    expect(await session.query('select id from t order by id')).toEqual([{ id: 'a' }]);
    await session.transaction((tx) => tx.query(insert, ['e', 5]));
    expect(await session.query('select id from t order by id')).toEqual([{ id: 'a' }, { id: 'e' }]);
  });

  it('when a statement comes while a transaction is open, then it waits and never sees the transaction half done', async () => {
    let release: () => void = () => undefined;
    const holding = new Promise<void>((resolve) => (release = resolve));
    const tx = session.transaction(async (t) => {
      await t.query("insert into t (id, n) values ('f', 1)");
      await holding;
      await t.query("insert into t (id, n) values ('g', 2)");
    });
    const count = session.query<{ n: number }>('select count(*)::int as n from t');
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await tx;
    expect(await count).toEqual([{ n: 3 }]);
  });

  it('when a table changes shape under a prepared statement, then the statement answers with the new shape', async () => {
    const text = 'select * from t where id = $1';
    await session.query(text, ['a']);
    await session.query('alter table t add column extra text default $$new$$');
    const [row] = await session.query<Record<string, unknown>>(text, ['a']);
    expect(row?.extra).toBe('new');
  });

  it('when more distinct statements run than the session keeps prepared, then every one still answers', async () => {
    for (let i = 0; i < 450; i++)
      expect(await session.query(`select ${i}::int as n, $1::text as id`, ['a'])).toEqual([
        { n: i, id: 'a' },
      ]);
    expect(await session.query('select 0::int as n, $1::text as id', ['z'])).toEqual([{ n: 0, id: 'z' }]);
    const kept = await session.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements');
    expect(kept[0]?.n).toBeLessThanOrEqual(400);
  });

  it('when a statement is wrong, then the error names it and the session goes on', async () => {
    await expect(session.query('select nope from t')).rejects.toMatchObject({
      code: '42703',
      query: 'select nope from t',
    });
    await expect(session.query('vacuum (analyze) t')).resolves.toEqual([]);
    expect(await session.query('select id from t')).toEqual([{ id: 'a' }]);
  });
});
