/** OpenAPI paths of the campaign routes (api/campaign-routes.ts); roles come from the route table. */
import { z } from 'zod';
import { campaignScheduledData } from '../domain/events';
import { segmentSchema } from '../domain/segment';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const error = (description: string) => ({
  description,
  content: json({ $ref: '#/components/schemas/Error' }),
});
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

const generated = z.toJSONSchema(campaignScheduledData, { io: 'input', unrepresentable: 'any' });
const definition = {
  ...generated,
  properties: {
    ...(generated.properties ?? {}),
    segment: z.toJSONSchema(segmentSchema, { io: 'input', unrepresentable: 'any' }),
  },
};
const counts = {
  targeted: { type: 'integer', description: 'Recipients the run reached a decision for' },
  sent: { type: 'integer' },
  deferred: { type: 'integer', description: 'Waiting for their instant (quiet hours, recipient time)' },
  suppressed: {
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Suppressed messages by reason (no_consent, frequency_cap, duplicate, …)',
  },
  failed: { type: 'integer' },
};
const campaign = {
  type: 'object',
  required: ['id', 'status', 'definition', 'nextRun', 'runs'],
  properties: {
    id: { type: 'string' },
    status: { enum: ['scheduled', 'running', 'paused', 'cancelled', 'completed'] },
    definition,
    nextRun: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          properties: {
            runId: { type: 'string', example: 'weekly-offer/2026-03-09' },
            opensAt: { type: 'string', format: 'date-time' },
            closesAt: { type: 'string', format: 'date-time' },
          },
        },
      ],
    },
    runs: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          runId: { type: 'string' },
          status: { enum: ['running', 'paused', 'cancelled', 'completed'] },
          startedAt: { type: 'string', format: 'date-time' },
          finishedAt: { type: ['string', 'null'], format: 'date-time' },
          ...counts,
        },
      },
    },
  },
};
const ok = (description: string) => ({ description, content: json(campaign) });

const control = (verb: string) => ({
  post: {
    summary: `${verb} the campaign (recorded as a campaign event)`,
    parameters: [idParam],
    responses: {
      '200': ok('The campaign after the change'),
      '400': error('Not possible in its status'),
      '404': error('No such campaign'),
    },
  },
});

export const campaignPaths = {
  '/v1/campaigns': {
    get: {
      summary: 'Every campaign with its status, next run and runs',
      responses: {
        '200': {
          description: 'The campaigns',
          content: json({ type: 'object', properties: { campaigns: { type: 'array', items: campaign } } }),
        },
      },
    },
    post: {
      summary: 'Creates a campaign: the data of a campaign.scheduled event, with the same checks',
      requestBody: { required: true, content: json(definition) },
      responses: {
        '201': ok('Created'),
        '200': ok('This id already holds this very definition: nothing changed'),
        '400': error('A bad definition, or an id already used with a different one: each offending path'),
      },
    },
  },
  '/v1/campaigns/{id}': {
    get: {
      summary: 'The definition, status, next run and each run with its counts',
      parameters: [idParam],
      responses: { '200': ok('The campaign'), '404': error('No such campaign') },
    },
    patch: {
      summary: 'Replaces the given keys of the definition (null removes one); the next run uses it',
      parameters: [idParam],
      requestBody: { required: true, content: json({ type: 'object' }) },
      responses: {
        '200': ok('The campaign after the change'),
        '400': error('Each offending path'),
        '404': error('No such campaign'),
      },
    },
  },
  '/v1/campaigns/{id}/audience': {
    get: {
      summary:
        'How many contacts the campaign would reach now (its segment evaluated now, erased contacts left out)',
      parameters: [idParam],
      responses: {
        '200': {
          description: 'The count',
          content: json({
            type: 'object',
            properties: {
              campaignId: { type: 'string' },
              count: { type: 'integer' },
              at: { type: 'string', format: 'date-time' },
            },
          }),
        },
        '404': error('No such campaign'),
      },
    },
  },
  '/v1/campaigns/{id}/pause': control('Pauses'),
  '/v1/campaigns/{id}/resume': control('Resumes'),
  '/v1/campaigns/{id}/cancel': control('Cancels'),
};
