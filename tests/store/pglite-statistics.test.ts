/**
 * PGlite has no autovacuum: the store analyzes a table again once its size has moved by half
 * (store/pglite-statistics.ts). Without it, a campaign page's dedup lookup read every sent
 * message of the ledger, and each page of a 100,000-recipient run was slower than the last.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { refreshStatistics, staleTables } from '../../store/pglite-statistics';
import { createTestDb, type TestDb } from '../helpers/db';

const RUN = 'campaign-run/weekly/2026-03-02';
const at = '2026-03-02T09:00:00.000Z';

async function ledgerOf(testDb: TestDb, contacts: number): Promise<void> {
  const { db } = testDb;
  await db.query(
    `insert into contacts (id, email, locale, timezone)
     select 'c' || lpad(g::text, 6, '0'), 'c' || g || '@example.com', 'fr-FR', 'Europe/Paris'
     from generate_series(1, $1::int) g`,
    [contacts],
  );
  // A sent offer per contact, with a body the size of a real one (the table's pages matter).
  await db.query(
    `insert into messages (idempotency_key, dedup_key, channel, purpose, contact_id, status, planned_at, sent_at,
       provider, provider_id, body_text, body_html, run_id)
     select $2 || '/' || id || '/email', $2 || '/email/' || email, 'email', 'marketing', id, 'sent', $1, $1,
       'sendgrid', md5(id), repeat('Bonjour ', 60), repeat('<p>offre</p>', 120), $2
     from contacts`,
    [at, RUN],
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

describe('planner statistics of the embedded store', () => {
  let testDb: TestDb;
  afterEach(async () => testDb.drop());

  it('when the ledger has grown from nothing to 20,000 sent offers, then it is analyzed and a dedup lookup reads its index', async () => {
    testDb = await createTestDb('pglite');
    await ledgerOf(testDb, 20_000);

    expect(await staleTables(testDb.db)).toEqual(expect.arrayContaining(['contacts', 'messages']));
    const before = await dedupLookupPlan(testDb);
    expect(await refreshStatistics(testDb.db)).toEqual(expect.arrayContaining(['contacts', 'messages']));
    const after = await dedupLookupPlan(testDb);

    // Judged by a planner that believed the ledger empty, the lookup went by status: every sent row.
    expect(before).not.toContain('messages_by_dedup');
    expect(after).toContain('messages_by_dedup');
    expect(await staleTables(testDb.db)).toEqual([]);
  });

  it('when a table has grown by less than half since it was analyzed, then it is left as it is', async () => {
    testDb = await createTestDb('pglite');
    await ledgerOf(testDb, 20_000);
    await refreshStatistics(testDb.db);

    await testDb.db.query(
      `insert into contacts (id, email, locale, timezone)
       select 'd' || g, 'd' || g || '@example.com', 'fr-FR', 'Europe/Paris' from generate_series(1, 5000) g`,
    );

    expect(await staleTables(testDb.db)).toEqual([]);
    expect(await refreshStatistics(testDb.db)).toEqual([]);
  });
});
