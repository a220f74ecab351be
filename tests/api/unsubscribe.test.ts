import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApi } from '../../api/server';
import { createUnsubscribeToken } from '../../api/unsubscribe-token';
import { loadConfig } from '../../config/load-config';
import { ingestEvents } from '../../ingestion/ingest-events';
import { createTestDb, type TestDb } from '../helpers/db';
import { authHeaders, TEST_ADMIN_TOKEN } from '../helpers/api-auth';

const SECRET = 'unsubscribe-test-secret-0123456789';
const T0 = Date.parse('2026-03-10T09:00:00Z');
const DAY = 86_400_000;
const config = loadConfig();

let testDb: TestDb;
let app: FastifyInstance;
let url: string;

const token = (
  claim: { contactId?: string; channel?: 'email' | 'sms'; expiresAt?: number } = {},
  secret = SECRET,
) =>
  createUnsubscribeToken(
    {
      contactId: claim.contactId ?? 'c1',
      channel: claim.channel ?? 'email',
      expiresAt: claim.expiresAt ?? T0 + 30 * DAY,
    },
    secret,
  );

beforeEach(async () => {
  testDb = await createTestDb();
  await ingestEvents(
    { db: testDb.db, config },
    [
      {
        type: 'contact.upserted',
        data: { id: 'c1', email: 'marie@example.com', locale: 'fr-FR', timezone: 'Europe/Paris' },
      },
      {
        type: 'contact.consent',
        data: {
          contactId: 'c1',
          channel: 'email',
          purpose: 'marketing',
          granted: true,
          source: 'newsletter form',
        },
      },
    ],
    new Date(T0 - DAY).toISOString(),
  );
  app = await buildApi({
    adminToken: TEST_ADMIN_TOKEN,
    db: testDb.db,
    config,
    logger: false,
    webhooks: { twilioAuthToken: 'unused', signingSecret: SECRET, now: () => T0 },
  });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterEach(async () => {
  await app.close();
  await testDb.drop();
});

async function emailMarketing() {
  const res = await fetch(`${url}/v1/contacts/c1/consents`, { headers: authHeaders });
  const body = (await res.json()) as {
    consents: { channel: string; purpose: string; granted: boolean; source: string }[];
  };
  return body.consents.filter((c) => c.channel === 'email' && c.purpose === 'marketing');
}

const oneClick = (t: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/unsubscribe?token=${encodeURIComponent(t)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: 'List-Unsubscribe=One-Click',
  });

describe('one-click unsubscribe (RFC 8058)', () => {
  it('when a mail scanner or the recipient opens the link, then a bilingual page with a button shows and nothing changes', async () => {
    const res = await fetch(`${url}/v1/unsubscribe?token=${encodeURIComponent(token())}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('Se désabonner');
    expect(html).toContain('Unsubscribe');
    expect(html).toMatch(/<form method="post" action="\?token=[^"]+">/);
    expect(await emailMarketing()).toEqual([expect.objectContaining({ granted: true })]);
  });

  it('when the mailbox provider POSTs List-Unsubscribe=One-Click, then marketing email consent is withdrawn with its source', async () => {
    const res = await oneClick(token());
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'unsubscribed',
      channel: 'email',
      alreadyUnsubscribed: false,
    });
    const history = await emailMarketing();
    expect(history.at(-1)).toMatchObject({ granted: false, source: 'one-click unsubscribe (RFC 8058)' });
  });

  it('when the link is used twice, then the second POST succeeds without a second history row', async () => {
    await oneClick(token());
    const again = await oneClick(token());
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ alreadyUnsubscribed: true });
    expect((await emailMarketing()).filter((c) => !c.granted)).toHaveLength(1);
  });

  it('when a multipart or empty POST arrives, then it is honoured too', async () => {
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const res = await fetch(`${url}/v1/unsubscribe?token=${encodeURIComponent(token())}`, {
      method: 'POST',
      body: form,
    });
    expect(res.status).toBe(200);
    const empty = await fetch(`${url}/v1/unsubscribe?token=${encodeURIComponent(token())}`, {
      method: 'POST',
    });
    expect(empty.status).toBe(200);
  });

  it('when the recipient clicks the page’s button, then a confirmation page answers', async () => {
    const res = await oneClick(token(), { accept: 'text/html' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('C’est fait');
  });

  it('when the token was tampered with, then 403 and nothing changes', async () => {
    const forged = token({ contactId: 'c1' }, 'another-secret-of-enough-length');
    const res = await oneClick(forged);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toContain('bad signature');
    expect(await emailMarketing()).toEqual([expect.objectContaining({ granted: true })]);
  });

  it('when the token has expired, then 403 with a page saying so, and nothing changes', async () => {
    const expired = token({ expiresAt: T0 - 1 });
    expect((await oneClick(expired)).status).toBe(403);
    const page = await fetch(`${url}/v1/unsubscribe?token=${encodeURIComponent(expired)}`);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('expired');
    expect(await emailMarketing()).toEqual([expect.objectContaining({ granted: true })]);
  });

  it('when the token is missing or malformed, then 400', async () => {
    expect((await fetch(`${url}/v1/unsubscribe`, { method: 'POST' })).status).toBe(400);
    expect((await oneClick('not-a-token')).status).toBe(400);
    expect(await emailMarketing()).toEqual([expect.objectContaining({ granted: true })]);
  });
});
