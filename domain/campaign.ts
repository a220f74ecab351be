/**
 * Campaigns as stored things (contract section 5): who a campaign reaches (a list of contact ids
 * or a segment), when (once, or on a recurrence), its runs and their ids, and the events that
 * pause, resume and cancel it. Pure rules; the store and the workflows apply them.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { RelanceEvent } from './events';
import { nextRun, type PlannedRun } from './recurrence';
import { segmentSchema, type Segment } from './segment';

export type CampaignDefinition = Extract<RelanceEvent, { type: 'campaign.scheduled' }>['data'];
export type CampaignStatus = 'scheduled' | 'running' | 'paused' | 'cancelled' | 'completed';
export type RunStatus = 'running' | 'paused' | 'cancelled' | 'completed';

export const campaignControlData = z.strictObject({
  campaignId: z.string().min(1, 'a non-empty id').max(200, 'an id of at most 200 characters'),
});

/** What a control event does to a campaign's status. */
export const CONTROL_STATUS = {
  'campaign.paused': 'paused',
  'campaign.resumed': 'scheduled',
  'campaign.cancelled': 'cancelled',
} as const satisfies Record<string, CampaignStatus>;
export type CampaignControlType = keyof typeof CONTROL_STATUS;

/**
 * The internal event a PATCH records with the new definition, in the same transaction: the
 * dispatcher turns it into a signal, so the schedule loop re-reads the store at once (a run moved
 * from 10:00 to 09:00 two hours before is honoured). Never accepted from POST /v1/events.
 */
export const CAMPAIGN_UPDATED = 'campaign.updated';
/** What it holds: the campaign and the names of the keys changed, never their values. */
export interface CampaignUpdatedData {
  campaignId: string;
  changed: string[];
}

/**
 * A campaign's segment, as segmentSchema checks it, but naming an unknown operator or field kind
 * by its own path (`segment.all[0].regex`) rather than by its condition's.
 */
export const campaignSegment = z
  .unknown()
  .transform((value, ctx): Segment => {
    const parsed = segmentSchema.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const i of parsed.error.issues) {
      if (i.code !== 'unrecognized_keys') ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
      else
        for (const key of i.keys)
          ctx.addIssue({
            code: 'custom',
            path: [...i.path, key],
            message:
              i.path.length === 0
                ? 'expected no such key: a segment is { "all": [condition, …] }'
                : 'expected a known field kind (field, attribute, tag) or operator (eq, in, gte, lte, exists)',
          });
    }
    return z.NEVER;
  })
  .meta({ description: 'A segment { "all": [condition, …] }: see POST /v1/segments/preview' });

interface AudienceShape {
  contactIds?: readonly string[] | undefined;
  segment?: unknown;
  recurrence?: unknown;
  sendAt?: string | undefined;
}

/** Exactly one audience (contactIds or segment); sendAt belongs to one-shot campaigns only. */
export function audienceIssues(c: AudienceShape, ctx: z.RefinementCtx): void {
  if ((c.contactIds === undefined) === (c.segment === undefined))
    ctx.addIssue({
      code: 'custom',
      path: [c.contactIds === undefined ? 'contactIds' : 'segment'],
      message: 'expected exactly one audience: contactIds (a list) or segment ({ "all": [ … ] })',
    });
  if (c.recurrence !== undefined && c.sendAt !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['sendAt'],
      message: 'expected no sendAt on a recurring campaign: its runs follow the recurrence',
    });
}

/** A run's id: `<campaignId>/<YYYY-MM-DD>`, the run's local date. */
export const campaignRunId = (campaignId: string, localDate: string) => `${campaignId}/${localDate}`;

/**
 * The single run of a one-shot campaign: at `sendAt` (or `now`), dated in the zone `sendAt` was
 * written in (its offset), as its sender reads it; UTC when it names none.
 */
export function oneShotRun(definition: CampaignDefinition, acceptedAt: string): PlannedRun {
  const at = definition.sendAt ?? acceptedAt;
  const local = DateTime.fromISO(at, { setZone: true });
  const date = local.toISODate() ?? at.slice(0, 10);
  const iso = new Date(Date.parse(at)).toISOString();
  return { date, opensAt: iso, closesAt: iso };
}

/** The campaign's next run after `now`, or null when it has none left (or is paused/cancelled). */
export function upcomingRun(
  definition: CampaignDefinition,
  status: CampaignStatus,
  acceptedAt: string,
  ranDates: readonly string[],
  now: string,
): PlannedRun | null {
  if (status === 'cancelled' || status === 'completed') return null;
  if (!definition.recurrence) {
    const run = oneShotRun(definition, acceptedAt);
    return ranDates.includes(run.date) || status === 'paused' ? null : run;
  }
  if (status === 'paused') return null;
  return nextRun(definition.recurrence, now);
}
