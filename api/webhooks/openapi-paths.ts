/** OpenAPI paths of the provider webhooks and the one-click unsubscribe link (see api/openapi.ts). */
const json = (schema: unknown) => ({ 'application/json': { schema } });
const error = (description: string) => ({
  description,
  content: json({ $ref: '#/components/schemas/Error' }),
});
const form = (properties: Record<string, { type: 'string'; description?: string }>, required: string[]) => ({
  'application/x-www-form-urlencoded': { schema: { type: 'object', properties, required } },
});
const twiml = { 'text/xml': { schema: { type: 'string', example: '<Response/>' } } };
const twilioSignature = {
  name: 'X-Twilio-Signature',
  in: 'header',
  required: true,
  description:
    'HMAC-SHA1 of the public URL (with query) and the sorted form parameters, keyed by the auth token',
  schema: { type: 'string' },
};
const token = {
  name: 'token',
  in: 'query',
  required: true,
  description: 'Signed, expiring unsubscribe token from the List-Unsubscribe header',
  schema: { type: 'string' },
};
const html = (description: string) => ({
  description,
  content: { 'text/html': { schema: { type: 'string' } } },
});

const sendgridEvent = {
  type: 'object',
  required: ['email', 'event'],
  additionalProperties: true,
  properties: {
    email: { type: 'string' },
    event: {
      type: 'string',
      examples: ['processed', 'delivered', 'deferred', 'bounce', 'dropped', 'spamreport', 'unsubscribe'],
    },
    timestamp: { type: 'integer', description: 'Unix seconds' },
    sg_event_id: { type: 'string' },
    sg_message_id: { type: 'string', description: 'Starts with the X-Message-Id of the send, before a "."' },
    relance_message_id: { type: 'string', description: 'Custom arg: the ledger id of the message' },
    relance_key: { type: 'string', description: 'Custom arg: the idempotency key of the message' },
    type: { enum: ['bounce', 'blocked'], description: 'On bounce events: a hard bounce or a block' },
    reason: { type: 'string' },
  },
};

const sendgridPath = {
  post: {
    summary: 'SendGrid Signed Event Webhook: delivery statuses, suppressions, unsubscribes',
    description:
      'Verifies the ECDSA signature of timestamp + raw body with SENDGRID_WEBHOOK_PUBLIC_KEY and refuses timestamps more than 10 minutes old. Events for unknown messages are reported, not refused, so a batch is never retried forever.',
    parameters: [
      {
        name: 'X-Twilio-Email-Event-Webhook-Signature',
        in: 'header',
        required: true,
        schema: { type: 'string' },
      },
      {
        name: 'X-Twilio-Email-Event-Webhook-Timestamp',
        in: 'header',
        required: true,
        schema: { type: 'string' },
      },
    ],
    requestBody: { required: true, content: json({ type: 'array', items: sendgridEvent }) },
    responses: {
      '200': {
        description: 'Applied; counts, and the events whose message Relance does not know',
        content: json({
          type: 'object',
          properties: {
            received: { type: 'integer' },
            applied: { type: 'integer' },
            ignored: { type: 'integer', description: 'Engagement events (open, click) and unknown kinds' },
            unmatched: { type: 'integer' },
            unmatchedEvents: { type: 'array', items: { type: 'object' } },
            suppressedAddresses: { type: 'integer' },
            consentsWithdrawn: { type: 'integer' },
          },
        }),
      },
      '400': error('Not a JSON array of events; every offending field path is named; nothing applied'),
      '401': error('No signature headers, or no verification key configured'),
      '403': error('Signature does not verify, or the timestamp is stale (replay)'),
    },
  },
};

const twilioStatusPath = {
  post: {
    summary: 'Twilio StatusCallback of an SMS Relance sent',
    description:
      'Records the status (with ErrorCode) on the message; 30005, 30006 and 21610 put the number on the suppression list.',
    parameters: [twilioSignature],
    requestBody: {
      required: true,
      content: form(
        {
          MessageSid: { type: 'string' },
          MessageStatus: { type: 'string', description: 'queued, sent, delivered, undelivered, failed…' },
          To: { type: 'string' },
          ErrorCode: { type: 'string' },
        },
        ['MessageSid', 'MessageStatus'],
      ),
    },
    responses: {
      '200': { description: 'Recorded', content: json({ type: 'object' }) },
      '400': error('MessageSid or MessageStatus missing'),
      '401': error('No X-Twilio-Signature'),
      '403': error('Signature does not verify'),
      '404': error('No SMS with this MessageSid'),
      '503': error('NOT_CONFIGURED: no token to verify Twilio webhooks with'),
    },
  },
};

const twilioInboundPath = {
  post: {
    summary: 'Inbound SMS: STOP / ARRET withdraw SMS consent, START restores it, HELP / AIDE answer',
    parameters: [twilioSignature],
    requestBody: {
      required: true,
      content: form(
        {
          From: { type: 'string' },
          To: { type: 'string' },
          Body: { type: 'string' },
          MessageSid: { type: 'string' },
        },
        ['From', 'MessageSid'],
      ),
    },
    responses: {
      '200': {
        description:
          'TwiML: empty, or the help reply in the contact’s locale. A MessageSid already applied changes nothing.',
        content: twiml,
      },
      '401': error('No X-Twilio-Signature'),
      '403': error('Signature does not verify'),
      '503': error('NOT_CONFIGURED: no token to verify Twilio webhooks with'),
    },
  },
};

const unsubscribePath = {
  get: {
    summary: 'Unsubscribe page (changes nothing: link scanners fetch it); its button POSTs',
    parameters: [token],
    responses: {
      '200': html('Bilingual (fr/en) confirmation page'),
      '400': html('Missing or malformed token'),
      '403': html('Forged or expired token'),
    },
  },
  post: {
    summary: 'RFC 8058 one-click unsubscribe: withdraws marketing consent on the token’s channel',
    description: 'Body `List-Unsubscribe=One-Click` (form-urlencoded or multipart) or empty. Idempotent.',
    parameters: [token],
    responses: {
      '200': {
        description: 'Unsubscribed (an HTML page when the caller accepts text/html)',
        content: json({
          type: 'object',
          properties: {
            status: { const: 'unsubscribed' },
            channel: { enum: ['email', 'sms'] },
            purpose: { const: 'marketing' },
            alreadyUnsubscribed: { type: 'boolean' },
          },
        }),
      },
      '400': error('Missing or malformed token'),
      '403': error('Forged or expired token; nothing changed'),
      '404': error('The token names a contact Relance no longer knows'),
    },
  },
};

export const webhookPaths = {
  '/v1/webhooks/sendgrid': sendgridPath,
  '/v1/webhooks/twilio/status': twilioStatusPath,
  '/v1/webhooks/twilio/inbound': twilioInboundPath,
  '/v1/unsubscribe': unsubscribePath,
};
