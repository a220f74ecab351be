/**
 * The stack's local outbox in its own thread, with a store of its own (channels/outbox/
 * outbox-thread.ts): the real SDKs' requests are read, checked and recorded there; the stack
 * reads its listing and erases a contact's copies over its HTTP routes; what it holds outlives it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSendgridEmailChannel } from '../../channels/email-sendgrid';
import { eraseInOutbox, listOutbox } from '../../channels/outbox/outbox-lookup';
import { startOutboxThread, type OutboxThread } from '../../channels/outbox/outbox-thread';
import { createTwilioSmsChannel } from '../../channels/sms-twilio';
import { ERASED } from '../../domain/erasure';

const API_KEY = 'SG.thread-test-key';
const TWILIO = { accountSid: `AC${'c'.repeat(32)}`, authToken: 'thread-token' };

let dir: string;
let thread: OutboxThread;
const failures: Error[] = [];

const start = () =>
  startOutboxThread(
    {
      dbUrl: `pglite://${join(dir, 'outbox')}`,
      port: 0,
      host: '127.0.0.1',
      sendgridApiKey: API_KEY,
      twilio: TWILIO,
    },
    (error) => failures.push(error),
  );

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'relance-outbox-thread-'));
  thread = await start();
}, 60_000);

afterAll(async () => {
  await thread.close();
  rmSync(dir, { recursive: true, force: true });
});

const email = (n: number) => ({
  to: `marie.${n}@example.com`,
  toName: 'Marie Curie',
  from: { email: 'offers@relance.test', name: 'Relance' },
  subject: `Offre ${n}`,
  text: `Bonjour Marie, offre ${n}.`,
  html: `<p>Bonjour Marie, offre ${n}.</p>`,
  idempotencyKey: `weekly/2026-03-02/c${n}/email`,
  messageId: `msg-${n}`,
  categories: ['campaign'],
});

describe('the local outbox in its own thread', () => {
  it('when the SendGrid and Twilio SDKs send to it, then it records both, lists them in order and finds them by key', async () => {
    const mail = createSendgridEmailChannel({ apiKey: API_KEY, baseUrl: thread.url });
    const sms = createTwilioSmsChannel({ ...TWILIO, baseUrl: thread.url });

    expect(await mail.send(email(1))).toMatchObject({ kind: 'accepted', provider: 'sendgrid' });
    const texted = await sms.send({
      to: '+33612345678',
      from: '+15005550006',
      body: 'Offre 2',
      idempotencyKey: 'weekly/2026-03-02/c2/sms',
      messageId: 'msg-2',
    });
    expect(texted).toMatchObject({ kind: 'accepted', provider: 'twilio' });

    expect(await listOutbox(thread.url)).toEqual([
      expect.objectContaining({ channel: 'email', to: 'marie.1@example.com', subject: 'Offre 1' }),
      expect.objectContaining({ channel: 'sms', to: '+33612345678', text: 'Offre 2' }),
    ]);
    expect(await mail.confirm?.('weekly/2026-03-02/c1/email', 'marie.1@example.com')).toEqual(
      expect.any(String),
    );
    expect(await mail.confirm?.('never-sent', 'marie.1@example.com')).toBeNull();
  });

  it('when a request carries a wrong API key, then it answers 401 as SendGrid does and records nothing', async () => {
    const before = (await listOutbox(thread.url)).length;
    const mail = createSendgridEmailChannel({ apiKey: 'SG.wrong', baseUrl: thread.url });
    await expect(mail.send(email(3))).rejects.toThrow();
    expect(await listOutbox(thread.url)).toHaveLength(before);
  });

  it("when a contact is erased, then its copies lose address and text, by the ledger's key or the provider's id, and no one else's do", async () => {
    const mail = createSendgridEmailChannel({ apiKey: API_KEY, baseUrl: thread.url });
    await mail.send(email(4));
    const sms = (await listOutbox(thread.url)).find((m) => m.channel === 'sms');

    const erased = await eraseInOutbox(thread.url, {
      idempotencyKeys: ['weekly/2026-03-02/c1/email', 'never-sent'],
      ids: [sms?.id ?? ''],
    });

    expect(erased).toBe(2);
    const after = await listOutbox(thread.url);
    expect(after.map((m) => [m.to, m.text])).toEqual([
      [ERASED, ERASED],
      [ERASED, ERASED],
      ['marie.4@example.com', 'Bonjour Marie, offre 4.'],
    ]);
    expect(after[0]).not.toHaveProperty('subject');
  });

  it('when an erasure request is malformed, then it answers 400 naming the field, and erases nothing', async () => {
    const before = await listOutbox(thread.url);
    const response = await fetch(`${thread.url}/_outbox/erasures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idempotencyKeys: 'weekly/2026-03-02/c4/email', ids: [] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ issues: [{ path: 'idempotencyKeys' }] });
    expect(await listOutbox(thread.url)).toEqual(before);
  });

  it('when it is closed and started again on its folder, then it still holds what it recorded, and neither was a failure', async () => {
    const before = await listOutbox(thread.url);
    const url = thread.url;
    await thread.close();
    await expect(fetch(`${url}/_outbox/count`)).rejects.toThrow();

    thread = await start();

    expect(await listOutbox(thread.url)).toEqual(before);
    expect(failures).toEqual([]);
  }, 60_000);
});
