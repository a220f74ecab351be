/** OpenAPI paths of the schedule routes (api/schedule-routes.ts); roles come from the route table. */
const json = (schema: unknown) => ({ 'application/json': { schema } });
const errorRef = json({ $ref: '#/components/schemas/Error' });
const id = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', example: 'invoice-standard' },
};
const notFound = { description: 'Unknown schedule', content: errorRef };
const origin = {
  version: { type: 'integer', const: 1, description: 'Schedules come from the configuration: version 1' },
  source: { const: 'config' },
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
      summary: 'The schedules of the loaded configuration (editing through the API comes later)',
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
      summary: 'One schedule, as configured',
      parameters: [id],
      responses: {
        '200': { description: 'The schedule definition', content: json({ type: 'object' }) },
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
        '400': { description: 'query.anchor, query.timezone or query.country invalid', content: errorRef },
        '404': notFound,
      },
    },
  },
};
