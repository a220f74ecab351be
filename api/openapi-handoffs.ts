/** OpenAPI paths of hand-off tasks (api/handoff-routes.ts); their roles come from the route table. */
import { ACTION_TYPES, CALL_OUTCOMES, RESOLUTIONS } from '../domain/handoff-actions';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const errorRef = json({ $ref: '#/components/schemas/Error' });
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, 'null'], ...extra });

const task = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    status: { enum: ['open', 'claimed', 'resolved'] },
    owner: nullable('string'),
    reasonCode: {
      type: 'string',
      example: 'dunning',
      description:
        "dunning, dispute, complaint, reply (a customer's reply that needs a person) or do_not_contact",
    },
    reason: { type: 'string' },
    labels: {
      type: 'array',
      items: { type: 'string' },
      example: ['already_paid'],
      description: "labels of the customer's replies on the task (already_paid, dispute, complaint…)",
    },
    at: { type: 'string', format: 'date-time', description: 'when the task opened' },
    dueBy: nullable('string', {
      format: 'date-time',
      description: 'business days per reason on the contact calendar',
    }),
    overdue: { type: 'boolean', description: 'not resolved and past dueBy' },
    resolution: nullable('string', { example: 'paid' }),
    resolvedAt: nullable('string', { format: 'date-time' }),
    contactId: { type: 'string' },
    sequenceId: { type: 'string' },
    subject: {
      type: 'object',
      description: 'invoice (ids of invoices), or contact (a reply from a contact with no sequence running)',
      properties: { kind: { type: 'string' }, ids: { type: 'array', items: { type: 'string' } } },
    },
    amountDue: nullable('string', { example: '1250.00' }),
    currency: nullable('string'),
  },
};

const detail = {
  allOf: [
    task,
    {
      type: 'object',
      properties: {
        contact: { type: ['object', 'null'] },
        timeline: {
          type: 'array',
          description:
            'messages about the subject, the customer’s replies (kind reply: channel, text, labels) and the task events (opened, claimed, note, call_outcome, promise_to_pay, message, resolved…), oldest first',
          items: {
            type: 'object',
            properties: {
              at: { type: 'string', format: 'date-time' },
              kind: { enum: ['message', 'reply', 'event'] },
            },
          },
        },
      },
    },
  ],
};

const action = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { enum: [...ACTION_TYPES] },
    by: { type: 'string', description: "who acts; the token's name when absent" },
    force: { type: 'boolean', description: 'claim: an admin takes over a task someone else holds' },
    text: {
      type: 'string',
      description: 'note, send_message (SMS within the segment budget), optional elsewhere',
    },
    outcome: { enum: [...CALL_OUTCOMES] },
    promisedDate: {
      type: 'string',
      format: 'date',
      description: 'promise_to_pay: today or later, contact-local',
    },
    amount: { type: 'string', example: '600.00' },
    installments: {
      type: 'array',
      items: {
        type: 'object',
        properties: { dueDate: { type: 'string', format: 'date' }, amount: { type: 'string' } },
      },
    },
    channel: { enum: ['email', 'sms'] },
    resolution: { enum: [...RESOLUTIONS] },
  },
};

export const handoffPaths = {
  '/v1/handoffs': {
    get: {
      summary: 'Hand-off tasks, filtered, with an overdue flag, sorted by due-by time (default) or amount',
      parameters: [
        { name: 'status', in: 'query', schema: { enum: ['open', 'claimed', 'resolved'] } },
        { name: 'owner', in: 'query', schema: { type: 'string' } },
        { name: 'overdue', in: 'query', schema: { enum: ['true', 'false'] } },
        { name: 'sort', in: 'query', schema: { enum: ['dueBy', '-dueBy', 'amount', '-amount', 'at'] } },
      ],
      responses: {
        '200': {
          description: 'The tasks',
          content: json({ type: 'object', properties: { handoffs: { type: 'array', items: task } } }),
        },
        '400': { description: 'A bad filter, named by path (query.status…)', content: errorRef },
      },
    },
  },
  '/v1/handoffs/{id}': {
    get: {
      summary: 'One task: subject, contact, reason, owner, due-by time, overdue flag and timeline',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      responses: {
        '200': { description: 'The task', content: json(detail) },
        '404': { description: 'No such task', content: errorRef },
      },
    },
  },
  '/v1/handoffs/{id}/actions': {
    post: {
      summary:
        "An agent's action, applied by the sequence's workflow (by the store for a contact-level task); the answer is the task's new state",
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      requestBody: { required: true, content: json(action) },
      responses: {
        '200': {
          description: 'Applied: the task as it now stands (and the message, for send_message)',
          content: json(detail),
        },
        '400': {
          description:
            'A bad action (field named by path), a promised date in the past, an SMS over the segment budget: nothing changed',
          content: errorRef,
        },
        '404': { description: 'No such task', content: errorRef },
        '409': {
          description:
            'The task is resolved, or claimed by someone else (an admin may force), or it is a contact-level task and the action needs an invoice sequence (only claim, note, call_outcome and close apply): nothing changed',
          content: errorRef,
        },
      },
    },
  },
};
