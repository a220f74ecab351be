/** OpenAPI paths of customers' replies: the SendGrid Inbound Parse webhook and the contact timeline. */
import { REPLY_LABELS } from '../domain/reply-labels';
import { TIMELINE_KINDS, TIMELINE_LIMITS } from '../domain/timeline';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const error = (description: string) => ({
  description,
  content: json({ $ref: '#/components/schemas/Error' }),
});
const text = (description: string) => ({ type: 'string', description });

const reply = {
  type: 'object',
  properties: {
    id: text('Twilio MessageSid, or email:<Message-ID>'),
    channel: { enum: ['sms', 'email'] },
    from: text('Sender: phone number or email address'),
    contactIds: { type: 'array', items: { type: 'string' } },
    subject: { type: ['string', 'null'] },
    text: text('The customer’s own words (an email’s quoted history left out)'),
    labels: { type: 'array', items: { enum: REPLY_LABELS } },
    inReplyTo: {
      type: ['string', 'null'],
      description: 'The ledger message it answers, when its references name one',
    },
    needsPerson: {
      type: ['string', 'null'],
      enum: ['dispute', 'complaint', 'reply', null],
      description: 'Why a person must read it (the reason of the task it opens); null for an automatic reply',
    },
    receivedAt: { type: 'string', format: 'date-time' },
  },
};

export const replyPaths = {
  '/v1/webhooks/sendgrid/inbound': {
    post: {
      summary:
        'Email replies from SendGrid Inbound Parse ("parsed" mode, not raw). The URL set in SendGrid carries basic credentials: https://relance:<SENDGRID_INBOUND_SECRET>@host/v1/webhooks/sendgrid/inbound',
      requestBody: {
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: {
                from: text('Sender, e.g. "Marie Dupont <marie@example.com>"'),
                to: text('Recipient'),
                subject: text('Subject'),
                text: text('Plain-text body'),
                html: text('HTML body, read when no text came'),
                headers: text('Raw headers: Message-ID, In-Reply-To, References, Auto-Submitted'),
              },
              required: ['from'],
            },
          },
        },
      },
      responses: {
        '200': {
          description: 'Kept (once per Message-ID), also for an unknown sender',
          content: json({
            type: 'object',
            properties: {
              received: { const: true },
              contacts: { type: 'integer', description: 'Contacts it was matched to' },
              labels: { type: 'array', items: { enum: REPLY_LABELS } },
            },
          }),
        },
        '400': error(
          'Not multipart/form-data, no sender address, or text with NUL characters (names the field)',
        ),
        '401': error('No basic credentials (WWW-Authenticate: Basic)'),
        '403': error('Wrong credentials'),
        '503': error('No inbound secret configured'),
      },
    },
  },
  '/v1/contacts/{id}/timeline': {
    get: {
      summary:
        'What happened with a contact, newest last: events, consent changes, messages (with the policy checks that decided each), replies with their labels, hand-offs',
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
        {
          name: 'limit',
          in: 'query',
          description: `The latest entries to return (1 to ${TIMELINE_LIMITS.max}, default ${TIMELINE_LIMITS.default})`,
          schema: { type: 'integer', minimum: 1, maximum: TIMELINE_LIMITS.max },
        },
      ],
      responses: {
        '200': {
          description: 'The timeline; `truncated` when older entries were left out',
          content: json({
            type: 'object',
            properties: {
              contactId: { type: 'string' },
              erasedAt: { type: ['string', 'null'], format: 'date-time' },
              truncated: { type: 'boolean' },
              entries: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['at', 'kind'],
                  description: 'One of event, consent, message, reply or handoff, under the key of its kind',
                  properties: {
                    at: { type: 'string', format: 'date-time' },
                    kind: { enum: TIMELINE_KINDS },
                    reply,
                    message: { type: 'object' },
                    consent: { type: 'object' },
                    event: { type: 'object' },
                    handoff: { type: 'object' },
                  },
                },
              },
            },
          }),
        },
        '400': error('query.limit out of range'),
        '404': error('No such contact'),
      },
    },
  },
};
