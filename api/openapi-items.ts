/**
 * OpenAPI paths of GET /v1/cards/{id}, /v1/vouchers/{id} and /v1/points/{lotId} (api/item-routes.ts);
 * roles come from the route table.
 */
const json = (schema: unknown) => ({ 'application/json': { schema } });
const error = json({ $ref: '#/components/schemas/Error' });
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, 'null'], ...extra });

const standing = {
  expiresOn: { type: 'string', format: 'date', description: "The contact's local date; good until its end" },
  schedule: { type: 'string' },
  status: { enum: ['live', 'ended'] },
  endedReason: nullable('string', {
    enum: ['redeemed', 'used', 'cancelled', 'expired', 'erased', 'renewed', null],
    description: 'Why it ended (erased: its contact was erased, label, code and link with it)',
  }),
};

const card = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    contactId: { type: 'string' },
    kind: { enum: ['loyalty', 'payment'] },
    label: { type: 'string' },
    renewUrl: nullable('string'),
    renewals: {
      type: 'array',
      description: 'The card.renewed events applied, oldest first: the date left, the date moved to, when',
      items: {
        type: 'object',
        properties: {
          from: { type: 'string', format: 'date' },
          to: { type: 'string', format: 'date' },
          at: { type: 'string', format: 'date-time' },
        },
      },
    },
    ...standing,
  },
};
const voucher = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    contactId: { type: 'string' },
    code: nullable('string'),
    label: { type: 'string' },
    value: nullable('string', { example: '10.00', description: 'Decimal string in currency' }),
    currency: nullable('string', { example: 'EUR' }),
    useUrl: nullable('string'),
    ...standing,
  },
};
const lot = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    contactId: { type: 'string' },
    label: nullable('string'),
    points: { type: 'integer', description: 'Credited' },
    pointsLeft: { type: 'integer', description: 'Credited minus points.used; 0 ends the lot (used)' },
    ...standing,
  },
};

function itemPath(key: string, noun: string, schema: unknown, param: string) {
  return {
    get: {
      summary: `The ${noun}, its expiry sequence (and earlier ones, newest first) and its messages so far`,
      parameters: [{ name: param, in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '200': {
          description: `The ${noun}; \`sequence\` is the newest of \`sequences\` (null before the first starts); messages as GET /v1/invoices/{id} lists them`,
          content: json({
            type: 'object',
            required: [key, 'sequence', 'sequences', 'messages'],
            properties: {
              [key]: schema,
              sequence: { type: ['object', 'null'] },
              sequences: { type: 'array', items: { type: 'object' } },
              messages: { type: 'array', items: { type: 'object' } },
            },
          }),
        },
        '400': { description: `A malformed ${param} (params.${param} named)`, content: error },
        '404': { description: `Unknown ${noun}`, content: error },
      },
    },
  };
}

export const itemPaths = {
  '/v1/cards/{id}': itemPath('card', 'card', card, 'id'),
  '/v1/vouchers/{id}': itemPath('voucher', 'voucher', voucher, 'id'),
  '/v1/points/{lotId}': itemPath('lot', 'lot of points', lot, 'lotId'),
};
