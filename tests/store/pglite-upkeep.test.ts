/**
 * PGlite has no autovacuum: the store does its work (store/pglite-upkeep.ts), with PostgreSQL's
 * default thresholds. Without it, a campaign page's dedup lookup read every sent message of the
 * ledger, each page of a 100,000-recipient run was slower than the last, and every sent message
 * left its old row version in the store for good.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../store/db';
import { migrate } from '../../store/migrate';
import { upkeep, upkeepDue } from '../../store/pglite-upkeep';
import { createTestDb, type TestDb } from '../helpers/db';

const RUN = 'campaign-run/weekly/2026-03-02';
const at = '2026-03-02T09:00:00.000Z';

/** Contacts, and an offer to each decided (`sending`) as a campaign page writes it. */
async function ledgerOf(testDb: TestDb, contacts: number): Promise<void> {
  const { db } = testDb;
  await db.query(
    `insert into contacts (id, email, locale, timezone)
     select 'c' || g, 'c' || g || '@example.com', 'fr-FR', 'Europe/Paris' from generate_series(1, $1::int) g`,
    [contacts],
  );
  // A body the size of a real one (the table's pages matter to the planner).
  await db.query(
    `insert into messages (idempotency_key, dedup_key, channel, purpose, contact_id, status, planned_at,
       body_text, body_html, run_id)
     select $2 || '/' || id || '/email', $2 || '/email/' || email, 'email', 'marketing', id, 'sending', $1,
       repeat('Bonjour ', 60), repeat('<p>offre</p>', 120), $2
     from contacts`,
    [at, RUN],
  );
}

/** The providers accepted every offer: each row is updated, as a page records its answers. */
async function allSent(testDb: TestDb): Promise<void> {
  await testDb.db.query(
    `update messages set status = 'sent', sent_at = $1, provider = 'sendgrid', provider_id = md5(id::text)`,
    [at],
  );
}

/** The plan of a page's "sent before under this dedup key?" lookup (store/campaign-page-store.ts). */
async function dedupLookupPlan(testDb: TestDb): Promise<string> {
  const keys = Array.from({ length: 1000 }, (_, i) => `${RUN}/email/c${i + 1}@example.com`);
  const rows = await testDb.db.query<{ 'QUERY PLAN': string }>(
    `explain select distinct on (dedup_key) coalesce(sent_at, decided_at) as at, channel, purpose, dedup_key
     from messages where dedup_key = any($1::text[]) and status in ('sent', 'sending') order by dedup_key, created_at`,
    [keys],
  );
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

const pagesOf = async (testDb: TestDb, table: string) =>
  (await testDb.db.query<{ n: number }>(`select (pg_relation_size($1) / 8192)::int as n`, [table]))[0]?.n ??
  0;

describe('autovacuum for the embedded store', () => {
  let testDb: TestDb;
  afterEach(async () => testDb.drop());

  it('when the ledger has grown from nothing to 20,000 sent offers, then it is analyzed and a dedup lookup reads its index', async () => {
    testDb = await createTestDb('pglite');
    await ledgerOf(testDb, 20_000);
    await allSent(testDb);

    const before = await dedupLookupPlan(testDb);
    const done = await upkeep(testDb.db);
    const after = await dedupLookupPlan(testDb);

    expect(done.analyze).toEqual(expect.arrayContaining(['contacts', 'messages']));
    // Without column statistics, 1,000 keys looked like most of the table: the lookup went by status.
    expect(before).not.toContain('messages_by_dedup');
    expect(after).toContain('messages_by_dedup');
    expect(await upkeepDue(testDb.db)).toEqual({ analyze: [], vacuum: [] });
  });

  it('when every offer of a run has been sent, then the old row versions are vacuumed and the next run reuses their room', async () => {
    testDb = await createTestDb('pglite');
    await ledgerOf(testDb, 5000);
    await upkeep(testDb.db);
    await allSent(testDb);

    expect((await upkeepDue(testDb.db)).vacuum).toEqual(['messages']);
    await upkeep(testDb.db);
    const pages = await pagesOf(testDb, 'messages');
    // The next run's offers (as many again) fit in the room the old versions left.
    await testDb.db.query(
      `insert into messages (idempotency_key, dedup_key, channel, purpose, contact_id, status, planned_at, body_text, body_html)
       select 'next/' || id || '/email', 'next/' || email, 'email', 'marketing', id, 'sending', $1,
         repeat('Bonjour ', 60), repeat('<p>offre</p>', 120)
       from contacts`,
      [at],
    );

    expect(await pagesOf(testDb, 'messages')).toBeLessThan(pages * 1.1);
  });

  it('when the store is opened, then its upkeep runs by itself', async () => {
    const db = await openDb('pglite://memory', { upkeepIntervalMs: 100 });
    testDb = { db, url: 'pglite://memory', drop: () => db.close() };
    await migrate(db);
    await ledgerOf(testDb, 2000);

    const analyzed = async () =>
      (
        await db.query<{ at: Date | null }>(
          `select last_analyze as at from pg_stat_user_tables where relname = 'messages'`,
        )
      )[0]?.at ?? null;
    for (let i = 0; i < 100 && (await analyzed()) === null; i += 1)
      await new Promise((r) => setTimeout(r, 100));

    expect(await analyzed()).not.toBeNull();
  });

  it('when a table has changed by less than a tenth since it was analyzed, then it is left as it is', async () => {
    testDb = await createTestDb('pglite');
    await ledgerOf(testDb, 5000);
    await upkeep(testDb.db);

    await testDb.db.query(
      `insert into contacts (id, email, locale, timezone)
       select 'd' || g, 'd' || g || '@example.com', 'fr-FR', 'Europe/Paris' from generate_series(1, 400) g`,
    );

    expect(await upkeepDue(testDb.db)).toEqual({ analyze: [], vacuum: [] });
  });
});
