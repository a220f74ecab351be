/**
 * Segment preview for marketing: how many contacts a segment selects now, and the first ids,
 * before a campaign is built on it. A bad segment is a 400 naming each path (`segment.all[0].eq`).
 */
import type { FastifyInstance } from 'fastify';
import { invalidInput } from '../domain/errors';
import { parseSegment } from '../domain/segment';
import type { Sql } from '../store/db';
import { countSegment, selectSegmentPage } from '../store/segment-query';
import { requireJson } from './input-guard';

export const PREVIEW_SAMPLE = 20;

function segmentOfBody(body: unknown) {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidInput([{ path: '(root)', message: 'an object { "segment": { "all": [ … ] } }' }]);
  const extra = Object.keys(body).filter((k) => k !== 'segment');
  if (extra.length > 0)
    throw invalidInput(extra.map((k) => ({ path: k, message: 'unknown key: the body is { "segment": … }' })));
  return parseSegment((body as { segment?: unknown }).segment, ['segment']);
}

export function registerSegmentRoutes(app: FastifyInstance, db: Sql): void {
  app.post(
    '/v1/segments/preview',
    { onRequest: requireJson, config: { access: ['marketing'] } },
    async (request) => {
      const segment = segmentOfBody(request.body);
      const [count, page] = await Promise.all([
        countSegment(db, segment),
        selectSegmentPage(db, segment, { limit: PREVIEW_SAMPLE }),
      ]);
      return { count, sample: page.ids };
    },
  );
}
