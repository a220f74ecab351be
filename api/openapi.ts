/**
 * The OpenAPI 3.1 description served at /v1/openapi.json. Event data schemas are generated from
 * the same zod schemas that validate requests, so the description cannot drift from the code.
 */
import { z } from 'zod';
import { eventDataSchemas } from '../domain/events';
import { bearerScheme } from './openapi-access';
import { itemPaths } from './openapi-items';
import { kpiPaths } from './openapi-kpis';
import { replyPaths } from './openapi-replies';
import { campaignPaths } from './openapi-campaigns';
import { schedulePaths } from './openapi-schedules';
import { templatePaths } from './openapi-templates';
import { segmentPaths } from './openapi-segments';
import { handoffPaths } from './openapi-handoffs';
import { tokenPaths } from './openapi-tokens';
import { webhookPaths } from './webhooks/openapi-paths';

const issue = {
  type: 'object',
  properties: { path: { type: 'string', example: '[0].data.amount' }, message: { type: 'string' } },
  required: ['path', 'message'],
};
const errorBody = {
  type: 'object',
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
    issues: { type: 'array', items: issue },
  },
  required: ['error', 'message'],
};

function eventSchema() {
  return {
    oneOf: Object.entries(eventDataSchemas).map(([type, schema]) => ({
      title: type,
      type: 'object',
      additionalProperties: false,
      required: ['type', 'data'],
      properties: {
        id: { type: 'string', description: 'Optional; an id already accepted is acknowledged and ignored' },
        type: { const: type },
        at: { type: 'string', format: 'date-time', description: 'When the fact happened (default: now)' },
        data: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
      },
    })),
  };
}

const json = (schema: unknown) => ({ 'application/json': { schema } });

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Relance API',
      version: '1.0.0',
      description:
        'Events in (what happened upstream), state out (where each sequence stands, what was sent). Every message goes through consent, frequency caps, dedup, quiet hours and payment-plan / dispute awareness.',
    },
    components: { schemas: { Event: eventSchema(), Error: errorBody }, securitySchemes: bearerScheme },
    security: [{ bearerAuth: [] }],
    paths: {
      '/v1/events': {
        post: {
          summary: 'Submit one event or an array of events (all-or-nothing, idempotent on event id)',
          requestBody: {
            required: true,
            content: json({
              oneOf: [
                { $ref: '#/components/schemas/Event' },
                { type: 'array', items: { $ref: '#/components/schemas/Event' } },
              ],
            }),
          },
          responses: {
            '202': {
              description: 'Accepted; duplicates are acknowledged and ignored',
              content: json({
                type: 'object',
                properties: {
                  results: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        id: { type: 'string' },
                        type: { type: 'string' },
                        status: { enum: ['accepted', 'duplicate'] },
                        note: { type: 'string' },
                      },
                    },
                  },
                },
              }),
            },
            '400': {
              description: 'Rejected: every offending field path is named; nothing was applied',
              content: json({ $ref: '#/components/schemas/Error' }),
            },
            '413': {
              description: 'PAYLOAD_TOO_LARGE: the body is over 5 MiB; nothing was applied',
              content: json({ $ref: '#/components/schemas/Error' }),
            },
            '415': {
              description: 'UNSUPPORTED_MEDIA_TYPE: the body must be sent as application/json',
              content: json({ $ref: '#/components/schemas/Error' }),
            },
          },
        },
      },
      '/v1/invoices/{id}': {
        get: {
          summary: 'The invoice, its sequence state (stage, next step and when) and its messages so far',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'Invoice, sequence, messages, hand-offs',
              content: json({ type: 'object' }),
            },
            '404': { description: 'Unknown invoice', content: json({ $ref: '#/components/schemas/Error' }) },
          },
        },
      },
      '/v1/contacts/{id}/consents': {
        get: {
          summary: 'The full consent history of a contact, with source, time and legal basis',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description:
                'Consent history in the order Relance received it (receivedAt, then seq); the last record of a channel and purpose is the one in force',
              content: json({ type: 'object' }),
            },
          },
        },
      },
      '/v1/contacts/{id}/export': {
        get: {
          summary:
            'Everything held about a contact, as JSON (right of access): the contact, consents with their sources, do-not-contact flag, invoices with payments, plans and promises, cards, vouchers and lots of points, sequences, messages with their texts, hand-offs, suppressions of its addresses, and the events about it. After contact.erased, what is left: ids, amounts, dates and codes.',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'The contact record',
              content: json({
                type: 'object',
                required: [
                  'exportedAt',
                  'contact',
                  'doNotContact',
                  'consents',
                  'invoices',
                  'items',
                  'sequences',
                  'messages',
                  'handoffs',
                  'suppressions',
                  'events',
                ],
                properties: {
                  exportedAt: { type: 'string', format: 'date-time' },
                  contact: {
                    type: 'object',
                    properties: { erasedAt: { type: ['string', 'null'], format: 'date-time' } },
                  },
                  doNotContact: { type: 'object' },
                  consents: { type: 'array', items: { type: 'object' } },
                  invoices: { type: 'array', items: { type: 'object' } },
                  items: {
                    type: 'array',
                    description:
                      'Cards, vouchers and lots of points: { kind, card | voucher | lot } as their GET answers them',
                    items: { type: 'object' },
                  },
                  sequences: { type: 'array', items: { type: 'object' } },
                  messages: { type: 'array', items: { type: 'object' } },
                  handoffs: { type: 'array', items: { type: 'object' } },
                  suppressions: { type: 'array', items: { type: 'object' } },
                  events: { type: 'array', items: { type: 'object' } },
                },
              }),
            },
            '404': { description: 'Unknown contact', content: json({ $ref: '#/components/schemas/Error' }) },
          },
        },
      },
      '/v1/outbox': {
        get: {
          summary: 'What the local outbox received (newest last)',
          responses: {
            '200': {
              description: 'Messages',
              content: json({
                type: 'object',
                properties: {
                  messages: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        id: { type: 'string' },
                        channel: { enum: ['email', 'sms'] },
                        to: { type: 'string' },
                        subject: { type: 'string' },
                        text: { type: 'string' },
                        receivedAt: { type: 'string', format: 'date-time' },
                      },
                    },
                  },
                },
              }),
            },
          },
        },
      },
      ...itemPaths,
      ...webhookPaths,
      ...tokenPaths,
      ...handoffPaths,
      ...segmentPaths,
      ...campaignPaths,
      ...templatePaths,
      ...schedulePaths,
      ...kpiPaths,
      ...replyPaths,
      '/v1/openapi.json': {
        get: { summary: 'This description', responses: { '200': { description: 'OpenAPI 3.1' } } },
      },
      '/health': {
        get: {
          summary: 'Liveness: the store answers',
          security: [],
          responses: { '200': { description: 'ok' } },
        },
      },
    },
  };
}
