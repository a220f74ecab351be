/**
 * Campaigns for marketing: create (the same checks as a `campaign.scheduled` event, which it is),
 * change, pause, resume, cancel, list, read with next run and per-run counts, and count the
 * audience a segment selects now. Pause, resume and cancel are recorded as events, so the
 * dispatcher tells the campaign's workflow exactly as for an upstream system's event.
 */
import type { FastifyInstance } from 'fastify';
import type { CampaignControlType } from '../domain/campaign';
import { ErrorCode, invalidInput, RelanceError } from '../domain/errors';
import { patchCampaign } from '../ingestion/campaign-patch';
import { ingestEvents } from '../ingestion/ingest-events';
import { getCampaign, listCampaigns } from '../store/campaign-repository';
import { countSegment } from '../store/segment-query';
import type { Sql } from '../store/db';
import { campaignView } from './campaign-view';
import { requireJson } from './input-guard';
import type { RouteDeps } from './routes';

const access = { access: ['marketing'] as const };

/** Issue paths of the event (`data.segment.all[0]`) as the body's own (`segment.all[0]`). */
function asBodyError(error: unknown): unknown {
  if (!(error instanceof RelanceError) || error.code !== ErrorCode.InvalidInput) return error;
  const issues = error.issues.map((i) => ({
    ...i,
    path: i.path === 'data' ? '(root)' : i.path.replace(/^data\./, ''),
  }));
  return invalidInput(issues, error.message.replace('The events were rejected', 'The campaign was rejected'));
}

async function audienceCount(db: Sql, id: string): Promise<number> {
  const campaign = await getCampaign(db, id);
  if (!campaign) throw new RelanceError(ErrorCode.NotFound, `No campaign "${id}"`);
  const { segment, contactIds } = campaign.definition;
  if (segment) return countSegment(db, segment);
  const [row] = await db.query<{ n: number }>(
    'select count(*)::int as n from contacts where id = any($1::text[]) and erased_at is null',
    [contactIds ?? []],
  );
  return row?.n ?? 0;
}

const CONTROLS: Record<string, CampaignControlType> = {
  pause: 'campaign.paused',
  resume: 'campaign.resumed',
  cancel: 'campaign.cancelled',
};

export function registerCampaignRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const now = deps.now ?? (() => new Date().toISOString());
  const { db } = deps;
  const found = async (id: string) => {
    const campaign = await getCampaign(db, id);
    if (!campaign) throw new RelanceError(ErrorCode.NotFound, `No campaign "${id}"`);
    return campaign;
  };

  app.post('/v1/campaigns', { onRequest: requireJson, config: access }, async (request, reply) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw invalidInput([{ path: '(root)', message: 'an object: the campaign definition' }]);
    const result = await ingestEvents(deps, { type: 'campaign.scheduled', data: body }, now()).catch(
      (error: unknown) => {
        throw asBodyError(error);
      },
    );
    const id = String((body as { id?: unknown }).id);
    const created = !result.results[0]?.note;
    return reply.status(created ? 201 : 200).send(await campaignView(db, await found(id), now()));
  });

  app.get('/v1/campaigns', { config: access }, async () => {
    const campaigns = await listCampaigns(db);
    return { campaigns: await Promise.all(campaigns.map((c) => campaignView(db, c, now()))) };
  });

  app.get<{ Params: { id: string } }>('/v1/campaigns/:id', { config: access }, async (request) =>
    campaignView(db, await found(request.params.id), now()),
  );

  app.patch<{ Params: { id: string } }>(
    '/v1/campaigns/:id',
    { onRequest: requireJson, config: access },
    async (request) => {
      const campaign = await patchCampaign(deps, request.params.id, request.body, now());
      deps.onCommitted?.();
      return campaignView(db, campaign, now());
    },
  );

  app.get<{ Params: { id: string } }>('/v1/campaigns/:id/audience', { config: access }, async (request) => ({
    campaignId: request.params.id,
    count: await audienceCount(db, request.params.id),
    at: now(),
  }));

  for (const [action, type] of Object.entries(CONTROLS)) {
    app.post<{ Params: { id: string } }>(
      `/v1/campaigns/:id/${action}`,
      { config: access },
      async (request) => {
        await found(request.params.id); // an unknown campaign is a 404 here, a 400 as an event
        const result = await ingestEvents(
          deps,
          { type, data: { campaignId: request.params.id } },
          now(),
        ).catch((error: unknown) => {
          throw asBodyError(error);
        });
        const note = result.results[0]?.note;
        return {
          ...(await campaignView(db, await found(request.params.id), now())),
          ...(note ? { note } : {}),
        };
      },
    );
  }
}
