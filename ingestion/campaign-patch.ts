/**
 * PATCH /v1/campaigns/{id}: the given keys replace the stored definition's (`null` removes one, to
 * swap `contactIds` for a `segment`), and the result passes every check a new campaign passes.
 * The campaign's workflow reads the stored definition at each run, so the next run uses it; the
 * same transaction records an internal `campaign.updated` event, which the dispatcher turns into
 * a signal to the schedule loop, so a run moved earlier is not missed (nothing half-applied).
 */
import { randomUUID } from 'node:crypto';
import { CAMPAIGN_UPDATED, type CampaignDefinition, type CampaignUpdatedData } from '../domain/campaign';
import { ErrorCode, invalidInput, RelanceError, type FieldIssue } from '../domain/errors';
import { campaignScheduledData, issueMessage } from '../domain/events';
import { formatPath } from '../domain/errors';
import { parseRecurrence } from '../domain/recurrence';
import { getCampaign, updateDefinition, type StoredCampaign } from '../store/campaign-repository';
import { insertEvent } from '../store/event-repository';
import { checkCampaign } from './campaign-events';
import type { IngestDeps } from './ingest-events';

export async function patchCampaign(
  deps: IngestDeps,
  id: string,
  body: unknown,
  now: string,
): Promise<StoredCampaign> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidInput([{ path: '(root)', message: 'an object with the keys of the definition to change' }]);
  const changes = body as Record<string, unknown>;
  if ('id' in changes && changes.id !== id)
    throw invalidInput([{ path: 'id', message: `expected "${id}" or nothing: a campaign keeps its id` }]);
  return deps.db.transaction(async (tx) => {
    const stored = await getCampaign(tx, id);
    if (!stored) throw new RelanceError(ErrorCode.NotFound, `No campaign "${id}"`);
    if (stored.status === 'cancelled' || stored.status === 'completed')
      throw invalidInput(
        [{ path: '(root)', message: `campaign "${id}" is ${stored.status}: it no longer changes` }],
        'The campaign cannot be changed',
      );
    const merged: Record<string, unknown> = { ...stored.definition };
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    const parsed = campaignScheduledData.safeParse(merged, { reportInput: true });
    if (!parsed.success)
      throw invalidInput(
        parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: issueMessage(i) })),
        'The campaign was not changed',
      );
    const definition: CampaignDefinition = parsed.data;
    const issues: FieldIssue[] = [];
    const issue = (path: string, message: string) => {
      issues.push({ path, message });
      return undefined;
    };
    await checkCampaign(definition, { tx, ...(deps.templates ? { templates: deps.templates } : {}) }, issue);
    if (definition.recurrence && 'recurrence' in changes) {
      try {
        parseRecurrence(definition.recurrence, now, ['recurrence']);
      } catch (error) {
        if (!(error instanceof RelanceError)) throw error;
        issues.push(...error.issues);
      }
    }
    if (issues.length > 0) throw invalidInput(issues, 'The campaign was not changed');
    await updateDefinition(tx, id, definition, now);
    const data: CampaignUpdatedData = { campaignId: id, changed: Object.keys(changes).sort() };
    await insertEvent(
      tx,
      { id: `campaign-updated:${randomUUID()}`, type: CAMPAIGN_UPDATED, at: now, data },
      now,
    );
    return { ...stored, definition, updatedAt: now };
  });
}
