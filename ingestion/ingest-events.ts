/**
 * POST /v1/events and the simulator both come here: validate the whole batch, apply it in one
 * transaction (all of it or none of it), record each event once per id, then nudge the
 * dispatcher that tells Temporal.
 */
import { randomUUID } from 'node:crypto';
import type { RelanceConfig } from '../config/schema';
import { invalidInput, type FieldIssue } from '../domain/errors';
import { parseEvents } from '../domain/events';
import type { Db } from '../store/db';
import type { TemplateRegistry } from '../templates/registry';
import { insertEvent } from '../store/event-repository';
import { applyEvent } from './apply-event';
import type { ScheduleVersion } from '../store/schedule-repository';

export interface IngestResult {
  results: { id: string; type: string; status: 'accepted' | 'duplicate'; note?: string }[];
}

export interface IngestDeps {
  db: Db;
  config: RelanceConfig;
  /** Called after a batch commits, so its events reach Temporal without waiting for a poll. */
  onCommitted?: () => void;
  templates?: TemplateRegistry;
}

/** Throws RelanceError(INVALID_INPUT) naming every offending field; nothing is applied then. */
export async function ingestEvents(deps: IngestDeps, body: unknown, now: string): Promise<IngestResult> {
  const parsed = parseEvents(body);
  // With structural issues, the well-formed events are still checked against the store (then
  // rolled back) so that one answer names every offending field.
  const events = parsed.ok ? parsed.events.map((event, index) => ({ index, event })) : parsed.valid;
  const batch = Array.isArray(body);
  const result = await deps.db.transaction(async (tx) => {
    const issues: FieldIssue[] = parsed.ok ? [] : [...parsed.issues];
    const results: IngestResult['results'] = [];
    const seenInBatch = new Set<string>();
    const schedules = new Map<string, ScheduleVersion | undefined>();
    for (const { index, event } of events) {
      const id = event.id ?? randomUUID();
      const at = event.at ? new Date(event.at).toISOString() : now;
      const path = batch ? `[${index}]` : '';
      const skew = tooFarAhead(at, now, deps.config.events.maxFutureMinutes);
      if (skew) issues.push({ path: path ? `${path}.at` : 'at', message: skew });
      const fresh =
        !seenInBatch.has(id) && (await insertEvent(tx, { id, type: event.type, at, data: event.data }, now));
      seenInBatch.add(id);
      if (!fresh) {
        results.push({
          id,
          type: event.type,
          status: 'duplicate',
          note: 'an event with this id was already accepted',
        });
        continue;
      }
      const note = await applyEvent(event, {
        tx,
        config: deps.config,
        ...(deps.templates ? { templates: deps.templates } : {}),
        eventId: id,
        at,
        receivedAt: now,
        path,
        issues,
        schedules,
      });
      results.push({ id, type: event.type, status: 'accepted', ...(note ? { note } : {}) });
    }
    if (issues.length > 0)
      throw invalidInput(sortIssues(issues), 'The events were rejected; nothing was applied');
    return { results };
  });
  deps.onCommitted?.();
  return result;
}

/**
 * An `at` ahead of Relance's clock by more than the allowed skew: a fact cannot have happened in
 * the future, and a future-dated consent grant would otherwise outlast changes received after it.
 */
function tooFarAhead(at: string, now: string, maxMinutes: number): string | undefined {
  const aheadMs = Date.parse(at) - Date.parse(now);
  if (aheadMs <= maxMinutes * 60_000) return undefined;
  return `expected an instant no more than ${maxMinutes} minutes after the time of reception (${now})`;
}

/** Issues in request order: "[0]…" before "[1]…", structural and reference issues together. */
function sortIssues(issues: FieldIssue[]): FieldIssue[] {
  const indexOf = (path: string) => Number(/^\[(\d+)\]/.exec(path)?.[1] ?? -1);
  return [...issues].sort((a, b) => indexOf(a.path) - indexOf(b.path));
}
