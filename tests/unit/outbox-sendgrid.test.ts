import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import type { MailDataRequired } from '@sendgrid/mail';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryOutboxStore, type OutboxStore } from '../../channels/outbox/outbox-store';
import { createOutboxServer, type OutboxServer } from '../../channels/outbox/server';

/** Vitest types asymmetric matchers as `any`; these keep them `unknown` for the lint rules. */
const containing = (text: string): unknown => expect.stringContaining(text);

const API_KEY = 'SG.outbox-test-key';
const TWILIO = { accountSid: `AC${'1'.repeat(32)}`, authToken: 'twilio-token' };

let store: OutboxStore;
let outbox: OutboxServer;
let baseUrl: string;

function mailer(apiKey = API_KEY): MailService {
  const client = new Client();
  client.setApiKey(apiKey);
  client.setDefaultRequest('baseUrl', `${baseUrl}/`);
  const mail = new MailService();
  mail.setClient(client);
  return mail;
}

/** The SDK rejects with a ResponseError; this returns its status and SendGrid body. */
async function failure(
  promise: Promise<unknown>,
): Promise<{ code: number; body: unknown; headers: Record<string, string> }> {
  const error: unknown = await promise.then(
    () => expect.fail('expected SendGrid to refuse the request'),
    (e: unknown) => e,
  );
  const { code, response } = error as {
    code: number;
    response: { body: unknown; headers: Record<string, string> };
  };
  return { code, body: response.body, headers: response.headers };
}

const valid: MailDataRequired = {
  from: { email: 'billing@relance.test', name: 'Relance' },
  subject: 'Invoice INV-1',
  text: 'Please pay INV-1.',
  html: '<p>Please pay INV-1.</p>',
  personalizations: [{ to: [{ email: 'marie@example.com' }] }],
};

beforeEach(async () => {
  store = memoryOutboxStore();
  outbox = createOutboxServer({ store, sendgridApiKey: API_KEY, twilio: TWILIO });
  baseUrl = await outbox.listen(0);
});

afterEach(async () => {
  await outbox.close();
});

describe('SendGrid mail/send in the outbox', () => {
  it('when a valid mail is sent with the right key, then it answers 202 with an X-Message-Id and records one message per recipient', async () => {
    const [response, body] = await mailer().send({
      ...valid,
      subject: 'Invoice [%invoice%] for [%name%]',
      text: 'Hello [%name%], please pay [%invoice%].',
      html: '<p>Hello [%name%]</p>',
      headers: { 'X-Campaign': 'spring' },
      customArgs: { relance_key: 'top-level' },
      substitutionWrappers: ['[%', '%]'],
      personalizations: [
        {
          to: [{ email: 'marie@example.com' }, { email: 'paul@example.com' }],
          substitutions: { name: 'Marie', invoice: 'INV-1' },
          customArgs: { relance_key: 'key-marie' },
          headers: { 'X-Person': 'marie' },
        },
        { to: [{ email: 'lea@example.com' }], substitutions: { name: 'Léa', invoice: 'INV-2' } },
      ],
    });

    expect(response.statusCode).toBe(202);
    expect(body).toBe('');
    const messageId = (response.headers as Record<string, string>)['x-message-id'];
    expect(messageId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const records = await store.list();
    expect(records.map((r) => [r.id, r.to, r.subject, r.text, r.idempotencyKey])).toEqual([
      [
        `${messageId}.0`,
        'marie@example.com',
        'Invoice INV-1 for Marie',
        'Hello Marie, please pay INV-1.',
        'key-marie',
      ],
      [
        `${messageId}.1`,
        'paul@example.com',
        'Invoice INV-1 for Marie',
        'Hello Marie, please pay INV-1.',
        'key-marie',
      ],
      [
        `${messageId}.2`,
        'lea@example.com',
        'Invoice INV-2 for Léa',
        'Hello Léa, please pay INV-2.',
        'top-level',
      ],
    ]);
    expect(records[0]?.html).toBe('<p>Hello Marie</p>');
    expect(records[0]?.headers).toEqual({ 'X-Campaign': 'spring', 'X-Person': 'marie' });
    expect(records[2]?.headers).toEqual({ 'X-Campaign': 'spring' });
  });

  it('when the API key is wrong, then it answers 401 in SendGrid error format and records nothing', async () => {
    const { code, body } = await failure(mailer('SG.wrong').send(valid));

    expect(code).toBe(401);
    expect(body).toEqual({
      errors: [
        {
          message: 'The provided authorization grant is invalid, expired, or revoked',
          field: null,
          help: null,
        },
      ],
    });
    expect(await store.list()).toEqual([]);
  });

  it('when the subject is missing and addresses are malformed, then the 400 names every offending field', async () => {
    const { code, body } = await failure(
      mailer().send({
        ...valid,
        subject: undefined,
        from: { email: 'not-an-address' },
        personalizations: [{ to: [{ email: 'ok@example.com' }, { email: 'broken@' }] }],
      }),
    );

    expect(code).toBe(400);
    const fields = (body as { errors: { field: string | null }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(['personalizations.0.to.1.email', 'from.email', 'subject']);
    expect(await store.list()).toEqual([]);
  });

  it('when every personalization carries a subject, then no top-level subject is needed', async () => {
    await mailer().send({
      ...valid,
      subject: undefined,
      personalizations: [{ to: 'a@example.com', subject: 'Hi' }],
    });

    expect((await store.list())[0]?.subject).toBe('Hi');
  });

  it('when html comes before text, then SendGrid refuses the content order', async () => {
    const { body } = await failure(
      mailer().send({
        ...valid,
        content: [
          { type: 'text/html', value: '<p>x</p>' },
          { type: 'text/plain', value: 'x' },
        ],
        text: undefined,
        html: undefined,
      }),
    );

    expect(body).toMatchObject({
      errors: [{ field: 'content', message: containing('text/plain must be first') }],
    });
  });

  it('when a personalization repeats an address, uses a reserved header or a non-string custom arg, then each is reported', async () => {
    const { body } = await failure(
      mailer().send({
        ...valid,
        headers: { Subject: 'sneaky' },
        customArgs: { attempt: 2 },
        personalizations: [{ to: ['a@example.com'], cc: ['A@example.com'] }],
      }),
    );

    const fields = (body as { errors: { field: string | null }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(['personalizations.0', 'headers.Subject', 'custom_args.attempt']);
  });

  it('when a request carries exactly 1000 personalizations, then each recipient gets its own copy', async () => {
    const personalizations = Array.from({ length: 1000 }, (_, i) => ({
      to: `r${i}@example.com`,
      substitutions: { name: `R${i}` },
    }));
    const [response] = await mailer().send({
      ...valid,
      text: 'Hello {{name}}',
      html: undefined,
      personalizations,
    });

    expect(response.statusCode).toBe(202);
    const received = await store.list();
    expect(received).toHaveLength(1000);
    expect(received[999]).toMatchObject({ to: 'r999@example.com', text: 'Hello R999' });
    // The values live in the rendered text; the payload keeps their tags, not a second copy.
    expect(received[999]?.payload).toMatchObject({
      personalizations: [{ to: [{ email: 'r999@example.com' }], substitution_tags: ['{{name}}'] }],
    });
    expect(JSON.stringify(received[999]?.payload)).not.toContain('R999');
  });

  it('when a request carries more than 1000 personalizations, then it is refused as a whole', async () => {
    const personalizations = Array.from({ length: 1001 }, (_, i) => ({ to: `r${i}@example.com` }));
    const { code, body } = await failure(mailer().send({ ...valid, personalizations }));

    expect(code).toBe(400);
    expect(body).toMatchObject({
      errors: [
        { field: 'personalizations', message: containing('limited to 1000 personalizations') },
        { field: 'personalizations', message: containing('1000 total recipients') },
      ],
    });
  });

  it('when a 429 is scripted for a recipient, then only a send to that recipient gets it, with Retry-After', async () => {
    await fetch(`${baseUrl}/_outbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'email',
        to: 'slow@example.com',
        responses: [{ status: 429, retryAfter: 12 }],
      }),
    });

    await mailer().send(valid);
    const { code, headers, body } = await failure(
      mailer().send({ ...valid, personalizations: [{ to: 'slow@example.com' }] }),
    );
    await mailer().send({ ...valid, personalizations: [{ to: 'slow@example.com' }] });

    expect(code).toBe(429);
    expect(headers['retry-after']).toBe('12');
    expect(body).toEqual({ errors: [{ message: 'too many requests', field: null, help: null }] });
    expect((await store.list()).map((r) => r.to)).toEqual(['marie@example.com', 'slow@example.com']);
  });
});

describe('outbox inspection endpoints', () => {
  it('when messages were accepted, then /_outbox/messages lists them oldest first in the contract shape', async () => {
    await mailer().send({ ...valid, customArgs: { relance_key: 'k-1' } });
    await mailer().send({ ...valid, subject: 'Second' });

    const list = (await (await fetch(`${baseUrl}/_outbox/messages`)).json()) as {
      messages: Record<string, unknown>[];
    };

    expect(list.messages).toHaveLength(2);
    expect(Object.keys(list.messages[0] ?? {}).sort()).toEqual([
      'channel',
      'id',
      'receivedAt',
      'subject',
      'text',
      'to',
    ]);
    expect(list.messages.map((m) => m.subject)).toEqual(['Invoice INV-1', 'Second']);
    const byKey = await fetch(`${baseUrl}/_outbox/messages/by-key/k-1`);
    expect(byKey.status).toBe(200);
    expect(((await byKey.json()) as { to: string }).to).toBe('marie@example.com');
    expect((await fetch(`${baseUrl}/_outbox/messages/by-key/nope`)).status).toBe(404);
  });

  it('when messages were accepted, then /_outbox/count counts them per recipient without listing them', async () => {
    await mailer().send({ ...valid, personalizations: [{ to: 'a@example.com' }, { to: 'b@example.com' }] });

    const count = async (query: string) =>
      ((await (await fetch(`${baseUrl}/_outbox/count${query}`)).json()) as { count: number }).count;
    expect(await count('')).toBe(2);
    expect(await count('?channel=email')).toBe(2);
    expect(await count('?channel=sms')).toBe(0);
  });

  it('when a fault script is malformed, then it is refused with the offending path', async () => {
    const res = await fetch(`${baseUrl}/_outbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'fax', responses: [] }),
    });

    expect(res.status).toBe(400);
    const body = (await res.json()) as { issues: { path: string }[] };
    expect(body.issues.map((i) => i.path)).toEqual(['channel', 'responses']);
  });
});
