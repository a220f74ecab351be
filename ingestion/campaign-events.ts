/**
 * What campaign events do to the store: `campaign.scheduled` records the campaign (an id already
 * used with another definition is refused), `campaign.paused|resumed|cancelled` change its status.
 * The dispatcher then tells the campaign's workflow; the store is what it reads at each run.
 * `checkCampaign`: what a campaign names (template, channels, contacts) exists.
 */
import { CONTROL_STATUS, type CampaignControlType, type CampaignDefinition } from '../domain/campaign';
import { RelanceError } from '../domain/errors';
import { parseRecurrence } from '../domain/recurrence';
import { getCampaign, insertCampaign, setCampaignStatus } from '../store/campaign-repository';
import type { RelanceEvent } from '../domain/events';
import type { ApplyContext } from './apply-event';
import { erasedMessage } from './erasure';

type Issue = (field: string, message: string) => undefined;

/** Records the campaign once; the same definition again is a no-op with a note. */
export async function recordCampaign(
  d: CampaignDefinition,
  ctx: ApplyContext,
  issue: Issue,
): Promise<string | undefined> {
  if (d.recurrence) {
    try {
      parseRecurrence(d.recurrence, ctx.receivedAt);
    } catch (error) {
      if (!(error instanceof RelanceError)) throw error;
      for (const i of error.issues) issue(`recurrence.${i.path}`, i.message);
      return undefined;
    }
  }
  const stored = await insertCampaign(ctx.tx, d.id, d, ctx.at);
  if (stored === 'conflict')
    return issue(
      'id',
      `campaign "${d.id}" already exists with a different definition: use PATCH /v1/campaigns/${d.id} to change it, or a new id`,
    );
  return stored === 'same' ? `campaign ${d.id} was already scheduled with this definition` : undefined;
}

/** The statuses a control event may leave: a cancelled or completed campaign stays as it is. */
const FROM: Record<CampaignControlType, readonly string[]> = {
  'campaign.paused': ['scheduled', 'running', 'paused'],
  'campaign.resumed': ['paused', 'scheduled', 'running'],
  'campaign.cancelled': ['scheduled', 'running', 'paused', 'cancelled'],
};

export async function controlCampaign(
  type: CampaignControlType,
  campaignId: string,
  ctx: Pick<ApplyContext, 'tx' | 'at'>,
  issue: Issue,
): Promise<string | undefined> {
  const campaign = await getCampaign(ctx.tx, campaignId);
  if (!campaign) return issue('campaignId', `unknown campaign "${campaignId}"`);
  if (!FROM[type].includes(campaign.status))
    return issue(
      'campaignId',
      `campaign "${campaignId}" is ${campaign.status}: it cannot be ${type.slice(9)}`,
    );
  const target = CONTROL_STATUS[type];
  if (campaign.status === target) return `campaign ${campaignId} is already ${target}`;
  // A resumed campaign in the middle of a run is running again, else waiting for its next run.
  if (type === 'campaign.resumed' && campaign.status !== 'paused')
    return `campaign ${campaignId} is not paused`;
  await setCampaignStatus(ctx.tx, campaignId, target, ctx.at);
  return undefined;
}

/** What a campaign names (template, channels, contacts) exists; its runs start from the dispatcher. */
export async function checkCampaign(
  d: Extract<RelanceEvent, { type: 'campaign.scheduled' }>['data'],
  ctx: Pick<ApplyContext, 'tx' | 'templates'>,
  issue: Issue,
): Promise<undefined> {
  if (ctx.templates) {
    const known = ctx.templates.ids();
    if (!known.includes(d.template))
      return issue('template', `unknown template "${d.template}"; known: ${known.join(', ')}`);
    const meta = ctx.templates.meta(d.template);
    if (meta.purpose !== 'marketing')
      issue('template', `a marketing template (${d.template} is ${meta.purpose})`);
    d.channels.forEach((channel, index) => {
      if (!meta.channels.includes(channel))
        issue(`channels[${index}]`, `a channel of ${d.template} (${meta.channels.join(', ')})`);
    });
  }
  const contactIds = d.contactIds ?? []; // a segment is evaluated at each run
  const rows = await ctx.tx.query<{ id: string; erased_at: Date | null }>(
    'select id, erased_at from contacts where id = any($1::text[])',
    [contactIds],
  );
  const found = new Map(rows.map((r) => [r.id, r.erased_at]));
  contactIds.forEach((contactId, index) => {
    const erasedAt = found.get(contactId);
    if (erasedAt === undefined) issue(`contactIds[${index}]`, `unknown contact "${contactId}"`);
    else if (erasedAt !== null)
      issue(
        `contactIds[${index}]`,
        erasedMessage({ id: contactId, erasedAt: new Date(erasedAt).toISOString() }),
      );
  });
  return undefined;
}
