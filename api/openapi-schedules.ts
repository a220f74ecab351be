/** OpenAPI paths of the schedule routes (api/schedule-routes.ts); roles come from the route table. */
const json = (schema: unknown) => ({ 'application/json': { schema } });
const errorRef = json({ $ref: '#/components/schemas/Error' });
const id = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', example: 'invoice-standard' },
};
const notFound = { description: 'Unknown schedule, or no such version of it', content: errorRef };
const origin = {
  version: { type: 'integer', minimum: 1, description: 'The version number; each PUT adds one' },
  source: {
    enum: ['config', 'api'],
    description: 'config: seeded from the YAML configuration at start; api: saved by a PUT',
  },
};
const authorship = {
  createdAt: { type: 'string', format: 'date-time' },
  createdBy: {
    type: ['string', 'null'],
    description: 'The token that saved it, "name (role)"; "configuration" for a YAML version',
    example: 'Alice (finance)',
  },
};
const versionQuery = {
  name: 'version',
  in: 'query',
  description: 'A version number; the latest when absent',
  schema: { type: 'integer', minimum: 1 },
};
const scheduleView = {
  type: 'object',
  description:
    'The definition in the YAML’s shape (description, sendAt, steps, installments) plus id, version, source, createdAt, createdBy and purpose (when its templates agree). These extra fields are ignored by a PUT, so a GET answer can be edited and put back.',
  properties: {
    id: { type: 'string' },
    ...origin,
    ...authorship,
    purpose: { enum: ['transactional', 'marketing'] },
    description: { type: 'string' },
    sendAt: { type: 'string', example: '09:30' },
    steps: { type: 'array', items: { type: 'object' } },
    installments: { type: 'object' },
  },
  required: ['id', 'version', 'source', 'description', 'sendAt', 'steps', 'installments'],
};
const scheduleBody = {
  type: 'object',
  description:
    'A schedule as under `schedules.<id>` of config/default.yaml, checked by the same schema. Each step: id, offset ({days} or {businessDays}), at?, action (send|handoff), channels, template, escalation. Every template named must exist and have a version for each channel its step sends on.',
  properties: {
    description: { type: 'string' },
    sendAt: { type: 'string', example: '09:30' },
    steps: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', example: 'overdue-1' },
          offset: { type: 'object', example: { days: 3 } },
          at: { type: 'string', example: '10:00' },
          action: { enum: ['send', 'handoff'] },
          channels: { type: 'array', example: ['email', ['sms', 'email']] },
          template: { type: 'string', example: 'invoice-overdue-1' },
          escalation: { type: 'integer', minimum: 0, maximum: 10 },
        },
        required: ['id', 'offset'],
      },
    },
    installments: {
      type: 'object',
      properties: {
        reminderDaysBefore: { type: 'integer' },
        graceDays: { type: 'integer' },
        template: { type: 'string' },
        channels: { type: 'array' },
      },
      required: ['reminderDaysBefore', 'graceDays', 'template', 'channels'],
    },
  },
  required: ['description', 'steps', 'installments'],
};

const send = {
  type: 'object',
  properties: {
    channel: { enum: ['email', 'sms'] },
    fallback: { type: 'boolean', description: 'Tried only if the channel before it fails for good' },
    leavesAt: { type: 'string', format: 'date-time', description: 'UTC: first slot the windows allow' },
    leavesAtLocal: { type: 'string', example: '2026-05-02T08:00+02:00' },
    deferredBecause: { type: 'string', example: 'public holiday (Fête du travail)' },
  },
  required: ['channel', 'fallback', 'leavesAt', 'leavesAtLocal'],
};
const previewStep = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    offset: { type: 'object', description: '{ days } or { businessDays } from the anchor' },
    action: { enum: ['send', 'handoff'] },
    localDate: { type: 'string', format: 'date' },
    plannedLocal: { type: 'string', example: '2026-05-01T09:30+02:00' },
    plannedAt: { type: 'string', format: 'date-time' },
    channels: { type: 'array', description: 'As configured; a nested list is a fallback chain' },
    template: { type: 'string' },
    escalation: { type: 'integer' },
    holiday: { type: 'string', description: 'The public holiday the planned date falls on' },
    sends: { type: 'array', items: send },
  },
  required: ['id', 'offset', 'action', 'localDate', 'plannedLocal', 'plannedAt', 'channels', 'sends'],
};

export const schedulePaths = {
  '/v1/schedules': {
    get: {
      summary: 'Every schedule, configured or saved through the API, at its latest version',
      responses: {
        '200': {
          description: 'Schedules: id, description, sendAt, step count, purpose when its templates agree',
          content: json({
            type: 'object',
            properties: {
              schedules: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    description: { type: 'string' },
                    sendAt: { type: 'string', example: '09:30' },
                    steps: { type: 'integer', description: 'How many steps' },
                    purpose: { enum: ['transactional', 'marketing'] },
                    isDefault: { type: 'boolean' },
                    ...origin,
                  },
                },
              },
            },
          }),
        },
      },
    },
  },
  '/v1/schedules/{id}': {
    get: {
      summary: 'One schedule at its latest version, or at `?version=N`',
      parameters: [id, versionQuery],
      responses: {
        '200': { description: 'The schedule definition and its version', content: json(scheduleView) },
        '400': { description: 'query.version is not a version number', content: errorRef },
        '404': notFound,
      },
    },
    put: {
      summary:
        'Saves a new version of a schedule (a new id starts at version 1). Sequences that start afterwards follow it; running ones keep the version they started with. A definition equal to the latest version adds none (a repeated PUT changes nothing).',
      parameters: [id],
      requestBody: { required: true, content: json(scheduleBody) },
      responses: {
        '200': { description: 'The version saved', content: json(scheduleView) },
        '400': {
          description:
            'The schedule breaks the schema or names a template that does not exist or cannot send on a channel of its step; each issue names its path (`steps[2].template`). Nothing is saved: the previous version stays in force.',
          content: errorRef,
        },
        '415': { description: 'The body is not application/json', content: errorRef },
      },
    },
  },
  '/v1/schedules/{id}/versions': {
    get: {
      summary: 'The history of a schedule, oldest first',
      parameters: [id],
      responses: {
        '200': {
          description: 'Every version, with who saved it and when',
          content: json({
            type: 'object',
            properties: {
              id: { type: 'string' },
              latest: { type: 'integer' },
              versions: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    ...origin,
                    ...authorship,
                    description: { type: 'string' },
                    sendAt: { type: 'string' },
                    steps: { type: 'integer', description: 'How many steps' },
                  },
                },
              },
            },
          }),
        },
        '404': notFound,
      },
    },
  },
  '/v1/schedules/{id}/preview': {
    get: {
      summary:
        'The dated steps of a schedule from an anchor date: planned time, and when each channel would leave once send windows and public holidays apply (no frequency cap: no contact history)',
      parameters: [
        id,
        { name: 'anchor', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
        {
          name: 'timezone',
          in: 'query',
          required: true,
          schema: { type: 'string', example: 'Europe/Paris' },
        },
        {
          name: 'country',
          in: 'query',
          description: 'ISO 3166-1 alpha-2; defaults to policy.defaultCountry',
          schema: { type: 'string', example: 'FR' },
        },
        versionQuery,
      ],
      responses: {
        '200': {
          description: 'The steps, dated',
          content: json({
            type: 'object',
            properties: {
              schedule: { type: 'string' },
              version: origin.version,
              anchor: { type: 'string', format: 'date' },
              timezone: { type: 'string' },
              country: { type: 'string' },
              sendAt: { type: 'string' },
              steps: { type: 'array', items: previewStep },
            },
          }),
        },
        '400': {
          description: 'query.anchor, query.timezone, query.country or query.version invalid',
          content: errorRef,
        },
        '404': notFound,
      },
    },
  },
};
