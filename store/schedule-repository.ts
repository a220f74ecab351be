/**
 * Schedules with versions: the YAML configuration seeds them, PUT /v1/schedules/{id} adds
 * versions, and each sequence is pinned to the version it started with (sequence_schedules).
 * Versions are never edited nor deleted.
 *
 * How the YAML seeds (seedConfigSchedules, at every start): a configured schedule becomes a new
 * version, `source = config`, only when its definition differs from the latest version the
 * configuration seeded. So a restart with unchanged YAML leaves the API's later versions in force;
 * a deploy that changes the YAML is a deliberate change and becomes the latest version, above any
 * API version (those stay in the history, and a PUT can bring one back). Reads seed a configured
 * schedule that has no version yet as version 1, so a store that was never seeded still works.
 */
import type { RelanceConfig, ScheduleConfig } from '../config/schema';
import { scheduleSchema } from '../config/schedule-schema';
import { ErrorCode, formatPath, RelanceError } from '../domain/errors';
import { iso, type Sql } from './db';

export type ScheduleSource = 'config' | 'api';

export interface ScheduleVersion {
  scheduleId: string;
  version: number;
  source: ScheduleSource;
  createdAt: string;
  createdBy: string | null;
  schedule: ScheduleConfig;
}

type Row = {
  schedule_id: string;
  version: number;
  source: ScheduleSource;
  created_at: Date;
  created_by: string | null;
  definition: unknown;
};
const COLUMNS = 'schedule_id, version, source, created_at, created_by, definition';
const CONFIG_AUTHOR = 'configuration';
const UNIQUE_VIOLATION = '23505';

/**
 * Definitions already read back through the schema, by their stored text: a version never changes,
 * and each sequence's planning and each invoice accepted reads one, so the schema does not parse
 * the same definition again and again. Bounded: a process sees a handful of schedules.
 */
const parsedDefinitions = new Map<string, ScheduleConfig>();

/** A stored definition read back through the schema it was written with; refused if it no longer fits. */
function toVersion(r: Row): ScheduleVersion {
  const text = JSON.stringify(r.definition);
  const known = parsedDefinitions.get(text);
  if (known) return versionOf(r, known);
  const parsed = scheduleSchema.safeParse(r.definition);
  if (!parsed.success)
    throw new RelanceError(
      ErrorCode.InvalidConfig,
      `Stored schedule "${r.schedule_id}" version ${r.version} no longer fits the schema: ${parsed.error.issues
        .map((i) => `${formatPath(i.path)}: ${i.message}`)
        .join('; ')}`,
    );
  if (parsedDefinitions.size >= 256) parsedDefinitions.clear();
  parsedDefinitions.set(text, parsed.data);
  return versionOf(r, parsed.data);
}

const versionOf = (r: Row, schedule: ScheduleConfig): ScheduleVersion => ({
  scheduleId: r.schedule_id,
  version: Number(r.version),
  source: r.source,
  createdAt: iso(r.created_at),
  createdBy: r.created_by,
  schedule: structuredClone(schedule),
});

const configured = (config: RelanceConfig, id: string): ScheduleConfig | undefined =>
  Object.hasOwn(config.schedules, id) ? config.schedules[id] : undefined;

/**
 * Reads `query`; when it finds nothing and `id` is configured but has no version at all, seeds the
 * configuration's as version 1 and reads again. A seeded store (every start seeds) reads once.
 */
async function readSeeding<T>(
  sql: Sql,
  config: RelanceConfig,
  id: string,
  query: () => Promise<T[]>,
): Promise<T[]> {
  const rows = await query();
  if (rows.length > 0 || !configured(config, id)) return rows;
  await seedIfAbsent(sql, config, id);
  return query();
}

/** A configured schedule that has no version at all gets the configuration's as version 1. */
async function seedIfAbsent(sql: Sql, config: RelanceConfig, id: string): Promise<void> {
  const schedule = configured(config, id);
  if (!schedule) return;
  await sql.query(
    `insert into schedule_versions (schedule_id, version, definition, source, created_by)
     select $1, 1, $2::jsonb, 'config', $3
     where not exists (select 1 from schedule_versions where schedule_id = $1)
     on conflict do nothing`,
    [id, JSON.stringify(schedule), CONFIG_AUTHOR],
  );
}

const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === UNIQUE_VIOLATION;

/**
 * Inserts the next version of `id` (one statement, so two writers cannot both take the same
 * number: the loser hits the primary key and tries again). Run it outside a transaction, where a
 * failed statement does not abort the rest. Inserts nothing when the latest version (`unless:
 * 'same-as-latest'`) or the latest the configuration seeded (`'same-as-latest-config'`) already
 * has this definition; jsonb equality ignores key order.
 */
async function insertNextVersion(
  sql: Sql,
  input: { id: string; definition: ScheduleConfig; source: ScheduleSource; by: string | null },
  unless: 'same-as-latest' | 'same-as-latest-config',
): Promise<number | undefined> {
  const sources = unless === 'same-as-latest-config' ? "and source = 'config'" : '';
  const condition = `where not exists (
         select 1 from (select definition from schedule_versions
                        where schedule_id = $1 ${sources} order by version desc limit 1) latest
         where latest.definition = $2::jsonb)`;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const rows = await sql.query<{ version: number }>(
        `insert into schedule_versions (schedule_id, version, definition, source, created_by)
         select $1, coalesce((select max(version) from schedule_versions where schedule_id = $1), 0) + 1,
                $2::jsonb, $3, $4
         ${condition}
         returning version`,
        [input.id, JSON.stringify(input.definition), input.source, input.by],
      );
      return rows[0] ? Number(rows[0].version) : undefined;
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 5) throw error;
    }
  }
}

/**
 * At start: each configured schedule becomes a new version when it differs from the latest one
 * the configuration seeded (see the file's comment). Returns the versions it added.
 */
export async function seedConfigSchedules(
  sql: Sql,
  config: RelanceConfig,
): Promise<{ scheduleId: string; version: number }[]> {
  const added: { scheduleId: string; version: number }[] = [];
  for (const [id, definition] of Object.entries(config.schedules)) {
    const version = await insertNextVersion(
      sql,
      { id, definition, source: 'config', by: CONFIG_AUTHOR },
      'same-as-latest-config',
    );
    if (version !== undefined) added.push({ scheduleId: id, version });
  }
  return added;
}

/** The version in force for new sequences; undefined for a schedule neither configured nor stored. */
export async function latestSchedule(
  sql: Sql,
  config: RelanceConfig,
  id: string,
): Promise<ScheduleVersion | undefined> {
  const [row] = await readSeeding(sql, config, id, () =>
    sql.query<Row>(
      `select ${COLUMNS} from schedule_versions where schedule_id = $1 order by version desc limit 1`,
      [id],
    ),
  );
  return row ? toVersion(row) : undefined;
}

export async function scheduleVersion(
  sql: Sql,
  config: RelanceConfig,
  id: string,
  version: number,
): Promise<ScheduleVersion | undefined> {
  const [row] = await readSeeding(sql, config, id, () =>
    sql.query<Row>(`select ${COLUMNS} from schedule_versions where schedule_id = $1 and version = $2`, [
      id,
      version,
    ]),
  );
  return row ? toVersion(row) : undefined;
}

/** Every version of a schedule, oldest first. */
export async function listScheduleVersions(
  sql: Sql,
  config: RelanceConfig,
  id: string,
): Promise<ScheduleVersion[]> {
  await seedIfAbsent(sql, config, id);
  const rows = await sql.query<Row>(
    `select ${COLUMNS} from schedule_versions where schedule_id = $1 order by version`,
    [id],
  );
  return rows.map(toVersion);
}

/** The latest version of every schedule, configured or made through the API, by id. */
export async function latestSchedules(sql: Sql, config: RelanceConfig): Promise<ScheduleVersion[]> {
  const read = () =>
    sql.query<Row>(
      `select distinct on (schedule_id) ${COLUMNS} from schedule_versions
       order by schedule_id, version desc`,
    );
  let rows = await read();
  const unseeded = Object.keys(config.schedules).filter((id) => !rows.some((r) => r.schedule_id === id));
  for (const id of unseeded) await seedIfAbsent(sql, config, id);
  if (unseeded.length > 0) rows = await read();
  return rows.map(toVersion);
}

/** The ids a sequence may name: configured, or created through the API. */
export async function scheduleIds(sql: Sql, config: RelanceConfig): Promise<string[]> {
  const rows = await sql.query<{ schedule_id: string }>('select distinct schedule_id from schedule_versions');
  return [...new Set([...Object.keys(config.schedules), ...rows.map((r) => r.schedule_id)])].sort();
}

/**
 * Adds a version made through the API (`definition` already validated) and returns its number; a
 * new id starts at 1. A definition equal to the latest version adds nothing and returns the
 * latest's number, so repeating a PUT changes nothing. The configuration's version is seeded
 * first, so it stays in the history.
 */
export async function putSchedule(
  sql: Sql,
  config: RelanceConfig,
  id: string,
  definition: ScheduleConfig,
  by: string | null,
): Promise<number> {
  await seedIfAbsent(sql, config, id);
  const added = await insertNextVersion(sql, { id, definition, source: 'api', by }, 'same-as-latest');
  if (added !== undefined) return added;
  const latest = await latestSchedule(sql, config, id);
  if (!latest) throw new Error(`schedule "${id}" has no version after a put`);
  return latest.version;
}

/**
 * The schedule a sequence runs: at its first call, the latest version, pinned; afterwards the
 * pinned one, whatever was added since. Undefined when the schedule is unknown (nothing pinned).
 * When two first calls race, the first pin wins and both answer it.
 */
/** A new sequence in one statement: pins the latest stored version and returns it; else nothing (pinned already, or not seeded yet). */
async function pinLatest(sql: Sql, input: { sequenceId: string; scheduleId: string }) {
  const [row] = await sql.query<Row>(
    `with pin as (
       insert into sequence_schedules (sequence_id, schedule_id, version)
       select $1, schedule_id, version from schedule_versions where schedule_id = $2 order by version desc limit 1
       on conflict (sequence_id) do nothing
       returning schedule_id, version)
     select v.* from pin join schedule_versions v using (schedule_id, version)`,
    [input.sequenceId, input.scheduleId],
  );
  return row ? toVersion(row) : undefined;
}

export async function scheduleForSequence(
  sql: Sql,
  config: RelanceConfig,
  input: { sequenceId: string; scheduleId: string },
): Promise<{ version: number; schedule: ScheduleConfig } | undefined> {
  const pinned = async () =>
    (
      await sql.query<{ schedule_id: string; version: number }>(
        'select schedule_id, version from sequence_schedules where sequence_id = $1',
        [input.sequenceId],
      )
    )[0];
  const first = await pinLatest(sql, input);
  if (first) return { version: first.version, schedule: first.schedule };
  let pin = await pinned();
  if (!pin) {
    const latest = await latestSchedule(sql, config, input.scheduleId);
    if (!latest) return undefined;
    const [won] = await sql.query(
      `insert into sequence_schedules (sequence_id, schedule_id, version) values ($1, $2, $3)
       on conflict (sequence_id) do nothing returning version`,
      [input.sequenceId, input.scheduleId, latest.version],
    );
    if (won) return { version: latest.version, schedule: latest.schedule }; // this call pinned it
    pin = await pinned();
    if (!pin) throw new Error(`the pin of ${input.sequenceId} was not stored`);
  }
  // The pin names its schedule: a sequence's schedule does not change once it has run.
  const found = await scheduleVersion(sql, config, pin.schedule_id, Number(pin.version));
  return found ? { version: found.version, schedule: found.schedule } : undefined;
}
