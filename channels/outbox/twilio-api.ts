/**
 * Twilio Programmable Messaging, 2010-04-01, as far as Relance uses it: create a Message (form
 * encoded), list Messages with Twilio's filters and paging, fetch one by sid. Basic auth and the
 * documented 4xx codes (including the test-credential magic numbers) behave as in production.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import type { FaultQueue } from './faults';
import { answerFault } from './faults';
import type { OutboxRecord, OutboxStore } from './outbox-store';
import { twilioError, TWILIO_CODES } from './provider-errors';
import { listPage } from './twilio-list';
import { messageResource, newMessageSid, relanceKeyOf, type FormFields } from './twilio-message';

export interface TwilioRouteDeps {
  store: OutboxStore;
  accountSid: string;
  authToken: string;
  faults: FaultQueue;
  clock: () => Date;
}

interface AccountParams {
  accountSid: string;
}

/** Magic `To` numbers of Twilio test credentials, with the errors Twilio documents for them. */
const MAGIC_TO: Record<string, [number, string]> = {
  '+15005550001': [TWILIO_CODES.invalidTo, "The 'To' number +15005550001 is not a valid phone number."],
  '+15005550002': [
    TWILIO_CODES.cannotRoute,
    "The 'To' phone number: +15005550002, is not currently reachable using the 'From' phone number via SMS.",
  ],
  '+15005550004': [TWILIO_CODES.unsubscribed, 'Attempt to send to unsubscribed recipient'],
  '+15005550009': [TWILIO_CODES.notMobile, "'To' number is not a valid mobile number"],
};
const MAX_BODY_CHARS = 1600;

function authorized(request: FastifyRequest<{ Params: AccountParams }>, deps: TwilioRouteDeps): boolean {
  const header = request.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const expected = `${deps.accountSid}:${deps.authToken}`;
  return decoded === expected && request.params.accountSid === deps.accountSid;
}

/** Twilio only reads application/x-www-form-urlencoded bodies; anything else reads as empty. */
function formFields(request: FastifyRequest): FormFields {
  const fields: FormFields = {};
  const type = request.headers['content-type'] ?? '';
  const body: unknown = request.body;
  if (!type.startsWith('application/x-www-form-urlencoded') || typeof body !== 'object' || body === null)
    return fields;
  for (const [key, value] of Object.entries(body)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') fields[key] = first;
  }
  return fields;
}

/** The first failing check, in the order Twilio reports them; undefined when the send is valid. */
function rejection(f: FormFields): [number, string] | undefined {
  const to = f.To?.trim();
  if (!to) return [TWILIO_CODES.toRequired, "A 'To' phone number is required."];
  const magic = MAGIC_TO[to];
  if (magic) return magic;
  if (!to.startsWith('+') || !isValidPhoneNumber(to)) {
    return [TWILIO_CODES.invalidTo, `The 'To' number ${to} is not a valid phone number.`];
  }
  if (!f.From && !f.MessagingServiceSid) {
    return [
      TWILIO_CODES.fromRequired,
      "A 'From' or 'MessagingServiceSid' parameter is required to send a message.",
    ];
  }
  if (!f.Body && !f.MediaUrl) return [TWILIO_CODES.bodyRequired, 'Message body is required.'];
  if ([...(f.Body ?? '')].length > MAX_BODY_CHARS) {
    return [
      TWILIO_CODES.bodyTooLong,
      `The concatenated message body exceeds the ${MAX_BODY_CHARS} character limit.`,
    ];
  }
  return undefined;
}

async function createMessage(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: TwilioRouteDeps,
): Promise<unknown> {
  const fields = formFields(request);
  const fault = deps.faults.take('sms', fields.To ? [fields.To] : []);
  if (fault) return answerFault(reply, 'sms', fault);
  const rejected = rejection(fields);
  if (rejected) return reply.code(400).send(twilioError(400, ...rejected));
  const record: OutboxRecord = {
    id: newMessageSid(),
    channel: 'sms',
    to: (fields.To ?? '').trim(),
    from: fields.From ?? null,
    subject: null,
    text: fields.Body ?? '',
    html: null,
    headers: {},
    payload: fields,
    idempotencyKey: relanceKeyOf(fields.StatusCallback),
    receivedAt: deps.clock().toISOString(),
  };
  await deps.store.record(record);
  return reply.code(201).send(messageResource(record, deps.accountSid, 'queued'));
}

export function registerTwilioRoutes(app: FastifyInstance, deps: TwilioRouteDeps): void {
  const base = '/2010-04-01/Accounts/:accountSid';
  app.register((scope, _opts, done) => {
    // Fastify stops the chain when an async hook returns the reply it has sent.
    scope.addHook('onRequest', async (request: FastifyRequest<{ Params: AccountParams }>, reply) => {
      if (authorized(request, deps)) return;
      return reply
        .code(401)
        .header('www-authenticate', 'Basic realm="Twilio API"')
        .send(twilioError(401, TWILIO_CODES.authenticate, 'Authenticate'));
    });
    scope.post(`${base}/Messages.json`, (request, reply) => createMessage(request, reply, deps));
    scope.get(`${base}/Messages.json`, async (request, reply) => {
      const query = request.query as Record<string, string | string[] | undefined>;
      const records = await deps.store.list({ channel: 'sms' });
      return reply.send(listPage(records, query, deps.accountSid));
    });
    scope.get(
      `${base}/Messages/:file`,
      async (request: FastifyRequest<{ Params: AccountParams & { file: string } }>, reply) => {
        const sid = request.params.file.replace(/\.json$/, '');
        const records = await deps.store.list({ channel: 'sms' });
        const record = records.find((r) => r.id === sid);
        if (!record || !request.params.file.endsWith('.json')) {
          return reply
            .code(404)
            .send(
              twilioError(404, TWILIO_CODES.notFound, `The requested resource ${request.url} was not found`),
            );
        }
        return reply.send(messageResource(record, deps.accountSid, 'sent'));
      },
    );
    done();
  });
}
