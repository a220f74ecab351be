/**
 * Stored campaigns and their runs (migration 015). A run's counts come from the ledger rows that
 * carry its run id, one per recipient and channel under an idempotency key, so a page retried
 * after a crash counts each recipient once.
 */
import type { CampaignDefinition, CampaignStatus, RunStatus } from '../domain/campaign';
import { iso, isoOrNull, type Sql } from './db';

export interface StoredCampaign {
  id: string;
  definition: CampaignDefinition;
  status: CampaignStatus;
  createdAt: string;
  updatedAt: string;
}

export interface RunCounts {
  targeted: number;
  sent: number;
  deferred: number;
  suppressed: Record<string, number>;
  failed: number;
}

export interface StoredRun {
  runId: string;
  campaignId: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
}

const toCampaign = (r: Record<string, unknown>): StoredCampaign => ({
  id: String(r.id),
  definition: r.definition as CampaignDefinition,
  status: r.status as CampaignStatus,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

const toRun = (r: Record<string, unknown>): StoredRun => ({
  runId: String(r.run_id),
  campaignId: String(r.campaign_id),
  status: r.status as RunStatus,
  startedAt: iso(r.started_at),
  finishedAt: isoOrNull(r.finished_at),
});

export async function getCampaign(sql: Sql, id: string): Promise<StoredCampaign | undefined> {
  const [row] = await sql.query('select * from campaigns where id = $1', [id]);
  return row ? toCampaign(row) : undefined;
}

/** Locks the campaign's row for the rest of the transaction (a page decides against its status). */
export async function lockCampaign(sql: Sql, id: string): Promise<StoredCampaign | undefined> {
  const [row] = await sql.query('select * from campaigns where id = $1 for update', [id]);
  return row ? toCampaign(row) : undefined;
}

export async function listCampaigns(sql: Sql): Promise<StoredCampaign[]> {
  const rows = await sql.query('select * from campaigns order by created_at, id');
  return rows.map(toCampaign);
}

/**
 * Records a new campaign: `created`, or `same` when the id already holds this very definition
 * (jsonb equality: key order does not matter), or `conflict` when it holds another one.
 */
export async function insertCampaign(
  sql: Sql,
  id: string,
  definition: CampaignDefinition,
  at: string,
): Promise<'created' | 'same' | 'conflict'> {
  const inserted = await sql.query(
    `insert into campaigns (id, definition, status, created_at, updated_at) values ($1, $2::jsonb, 'scheduled', $3, $3)
     on conflict (id) do nothing returning id`,
    [id, JSON.stringify(definition), at],
  );
  if (inserted.length > 0) return 'created';
  const [same] = await sql.query<{ same: boolean }>(
    'select definition = $2::jsonb as same from campaigns where id = $1',
    [id, JSON.stringify(definition)],
  );
  return same?.same ? 'same' : 'conflict';
}

export async function updateDefinition(
  sql: Sql,
  id: string,
  definition: CampaignDefinition,
  at: string,
): Promise<void> {
  await sql.query('update campaigns set definition = $2::jsonb, updated_at = $3 where id = $1', [
    id,
    JSON.stringify(definition),
    at,
  ]);
}

export async function setCampaignStatus(
  sql: Sql,
  id: string,
  status: CampaignStatus,
  at: string,
): Promise<void> {
  await sql.query('update campaigns set status = $2, updated_at = $3 where id = $1', [id, status, at]);
}

/** Opens a run (once per run id): a run restarted after a crash keeps its first start time. */
export async function openRun(sql: Sql, runId: string, campaignId: string, at: string): Promise<void> {
  await sql.query(
    `insert into campaign_runs (run_id, campaign_id, status, started_at) values ($1, $2, 'running', $3)
     on conflict (run_id) do nothing`,
    [runId, campaignId, at],
  );
}

export async function finishRun(sql: Sql, runId: string, status: RunStatus, at: string): Promise<void> {
  await sql.query(
    `update campaign_runs set status = $2, finished_at = case when $2 = 'running' then null else $3::timestamptz end
     where run_id = $1`,
    [runId, status, at],
  );
}

export async function runsOf(sql: Sql, campaignId: string): Promise<StoredRun[]> {
  const rows = await sql.query(
    'select * from campaign_runs where campaign_id = $1 order by started_at, run_id',
    [campaignId],
  );
  return rows.map(toRun);
}

/**
 * Per run of the campaign: recipients targeted, and messages sent, deferred, suppressed, failed
 * (a message still `sending`, handed to the provider with no answer yet, is only targeted).
 */
export async function runCounts(sql: Sql, campaignId: string): Promise<Map<string, RunCounts>> {
  const rows = await sql.query<{
    run_id: string;
    status: string;
    reason: string | null;
    n: number;
    people: number;
  }>(
    `select m.run_id, m.status, m.reason, count(*)::int as n, count(distinct m.contact_id)::int as people
     from messages m join campaign_runs r on r.run_id = m.run_id
     where r.campaign_id = $1 group by grouping sets ((m.run_id, m.status, m.reason), (m.run_id))`,
    [campaignId],
  );
  const counts = new Map<string, RunCounts>();
  for (const row of rows) {
    const c = counts.get(row.run_id) ?? { targeted: 0, sent: 0, deferred: 0, suppressed: {}, failed: 0 };
    counts.set(row.run_id, c);
    if (row.status === null) c.targeted = row.people;
    else if (row.status === 'sent') c.sent += row.n;
    else if (row.status === 'deferred') c.deferred += row.n;
    else if (row.status === 'failed') c.failed += row.n;
    else if (row.status === 'suppressed') {
      const reason = row.reason ?? 'other';
      c.suppressed[reason] = (c.suppressed[reason] ?? 0) + row.n;
    }
  }
  return counts;
}
