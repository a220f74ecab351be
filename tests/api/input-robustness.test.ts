/**
 * Input the API must answer with a 4xx naming what is wrong, never a 500: text PostgreSQL cannot
 * store, dates outside what it (or JS) can hold, runaway nesting, odd URLs, bodies too large or
 * in the wrong format, and a client that trickles its request. Real server (port 0), real database.
 */
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApi } from '../../api/server';
import { loadConfig } from '../../config/load-config';
import type { Db } from '../../store/db';
import { createTestDb, drivers, type TestDb } from '../helpers/db';
import { marie } from '../helpers/engine';
import { authHeaders, buildTestApi, TEST_ADMIN_TOKEN } from '../helpers/api-auth';

interface Answer {
  status: number;
  body: { error?: string; message?: string; issues?: { path: string; message: string }[] };
}

/** Rows in the tables an event batch writes: equal before and after a refused batch. */
export async function storeCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['events', 'contacts', 'consents', 'invoices', 'payments']) {
    const [row] = await db.query<{ n: number }>(`select count(*)::int8 as n from ${table}`);
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

const invoice = { id: 'INV-1', contactId: 'c1', amount: '1250.00', currency: 'EUR', dueDate: '2026-03-18' };

describe.each(drivers)('input the API refuses without a 500 (%s)', (driver) => {
  let testDb: TestDb;
  let app: FastifyInstance;
  let base: string;

  beforeEach(async () => {
    testDb = await createTestDb(driver);
    app = await buildTestApi(testDb.db);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await app.close();
    await testDb.drop();
  });

  /** Posts raw JSON text, so that lone surrogates reach the server exactly as written. */
  const postText = async (text: string, contentType = 'application/json'): Promise<Answer> => {
    const response = await fetch(`${base}/v1/events`, {
      method: 'POST',
      headers: { ...authHeaders, 'content-type': contentType },
      body: text,
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };
  const post = (body: unknown) => postText(JSON.stringify(body));
  const get = async (path: string): Promise<Answer> => {
    const response = await fetch(`${base}${path}`, { headers: authHeaders });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };

  it('when any string of an event holds a NUL character, then a 400 names its path and nothing is applied', async () => {
    const before = await storeCounts(testDb.db);
    const res = await post([
      { id: 'ok', type: 'contact.upserted', data: { ...marie, id: 'c2' } },
      { type: 'contact.upserted', data: { ...marie, firstName: 'Ma\u0000rie' } },
      { id: 'evt\u0000', type: 'contact.upserted', data: marie },
      { type: 'contact.upserted', data: { ...marie, attributes: { 'k\u0000': 1, list: ['a', 'b\u0000'] } } },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([
      { path: '[1].data.firstName', message: 'text must not contain NUL characters' },
      { path: '[2].id', message: 'text must not contain NUL characters' },
      { path: '[3].data.attributes.k\ufffd', message: 'field name: text must not contain NUL characters' },
      { path: '[3].data.attributes.list[1]', message: 'text must not contain NUL characters' },
    ]);
    expect(await storeCounts(testDb.db)).toEqual(before);
  });

  it('when a string holds a lone UTF-16 surrogate, then a 400 names its path', async () => {
    const text = JSON.stringify({ type: 'contact.upserted', data: { ...marie, lastName: 'LONE' } });
    const res = await postText(text.replace('LONE', 'Du\\ud800pont'));
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([
      { path: 'data.lastName', message: 'text must not contain unpaired UTF-16 surrogates' },
    ]);
    // A well-formed pair (an emoji written as two escapes) is text like any other.
    const pair = await postText(text.replace('LONE', 'Dupont \\ud83d\\ude00'));
    expect(pair.status).toBe(202);
  });

  it('when a date or an instant is in year 0000 or beyond 2999, then a 400 names the field', async () => {
    await post({ type: 'contact.upserted', data: marie });
    const res = await post([
      { type: 'invoice.issued', at: '0000-01-01T00:00:00Z', data: { ...invoice, dueDate: '0000-01-01' } },
      { type: 'invoice.issued', data: { ...invoice, id: 'INV-2', issuedAt: '9999-12-31T23:59:59-14:00' } },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.issues?.map((i) => i.path)).toEqual(['[0].at', '[0].data.dueDate', '[1].data.issuedAt']);
    expect(res.body.issues?.[1]?.message).toBe('expected a date between 1900-01-01 and 2999-12-31');
  });

  it('when attributes nest 5,000 levels deep, then a 400 names the path instead of overflowing a stack', async () => {
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const text = JSON.stringify({ type: 'contact.upserted', data: { ...marie, attributes: { x: 'DEEP' } } });
    const res = await postText(text.replace('"DEEP"', deep));
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([
      {
        path: `data.attributes.x${'.a'.repeat(29)}`, // the 33rd level
        message: 'expected at most 32 levels of nesting',
      },
    ]);
  });

  it('when attributes nest deeper than 10 levels or hold a non-finite number, then a 400 says which', async () => {
    const eleven = '{"a":'.repeat(10) + '1' + '}'.repeat(10);
    const text = JSON.stringify({
      type: 'contact.upserted',
      data: { ...marie, attributes: { x: 'DEEP', n: 'HUGE' } },
    });
    const res = await postText(text.replace('"DEEP"', eleven).replace('"HUGE"', '1e400'));
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([{ path: 'data.attributes.n', message: 'expected a finite number' }]);
    const deepOnly = await postText(text.replace('"DEEP"', eleven).replace('"HUGE"', '1'));
    expect(deepOnly.body.issues).toEqual([
      { path: `data.attributes.x${'.a'.repeat(9)}`, message: 'expected at most 10 levels of nesting' },
    ]);
  });

  it('when a path parameter holds a NUL or is longer than any id, then a 400 names it; a well-formed unknown id is a 404', async () => {
    for (const path of ['/v1/invoices/a%00b', '/v1/contacts/a%00b/consents']) {
      const res = await get(path);
      expect(res.status).toBe(400);
      expect(res.body.issues).toEqual([
        { path: 'params.id', message: 'text must not contain NUL characters' },
      ]);
    }
    const long = await get(`/v1/invoices/${'x'.repeat(201)}`);
    expect(long.status).toBe(400);
    expect(long.body.issues?.[0]?.path).toBe('params.id');
    expect((await get(`/v1/invoices/${'x'.repeat(200)}`)).status).toBe(404);
    expect((await get('/v1/invoices/a%ZZ')).body.error).toBe('INVALID_INPUT');
    expect((await get('/v1/outbox?x=%00')).status).toBe(400);
  });

  it('when a query parameter is repeated or a JSON body of another route holds a NUL, then a 400 names it', async () => {
    const preview = '/v1/templates/invoice-overdue-2/preview';
    const repeated = await get(`${preview}?locale=fr-FR&locale=en-GB`);
    expect(repeated.status).toBe(400);
    expect(repeated.body.issues).toEqual([{ path: 'query.locale', message: 'expected a single value' }]);
    const response = await fetch(`${base}${preview}`, {
      method: 'POST',
      headers: { ...authHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ contact: { firstName: 'Ma\u0000rie' } }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Answer['body']).issues).toEqual([
      { path: 'contact.firstName', message: 'text must not contain NUL characters' },
    ]);
  });

  it('when the body is larger than the limit, then a 413 PAYLOAD_TOO_LARGE says the limit', async () => {
    const big = JSON.stringify({
      type: 'contact.upserted',
      data: { ...marie, firstName: 'x'.repeat(6_000_000) },
    });
    const res = await postText(big);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      error: 'PAYLOAD_TOO_LARGE',
      message: 'The request body is larger than the limit of 5 MiB',
    });
  });

  it('when the body is not JSON, then 400; when it is not sent as JSON, then 415', async () => {
    expect((await postText('{"type":')).status).toBe(400);
    const plain = await postText(JSON.stringify({ type: 'contact.upserted', data: marie }), 'text/plain');
    expect(plain.status).toBe(415);
    expect(plain.body.error).toBe('UNSUPPORTED_MEDIA_TYPE');
    const xml = await postText('<event/>', 'application/xml');
    expect(xml.status).toBe(415);
    expect(await storeCounts(testDb.db)).toMatchObject({ events: 0, contacts: 0 });
  });
});

describe('a client that trickles its request', () => {
  it('when the body arrives a byte a second, then the server answers 408 and closes once the request timeout has passed', async () => {
    const testDb = await createTestDb();
    const app = await buildApi({
      adminToken: TEST_ADMIN_TOKEN,
      db: testDb.db,
      config: loadConfig(),
      requestTimeoutMs: 1500,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
    socket.on('error', () => undefined);
    const started = Date.now();
    socket.write(
      `POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: ${authHeaders.authorization}\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n`,
    );
    const trickle = setInterval(() => {
      if (!socket.destroyed) socket.write('{');
    }, 1000);
    const closedAt = await closed;
    clearInterval(trickle);
    await app.close();
    await testDb.drop();
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    // Cut well before the 60 s the body would take, and not before the timeout.
    expect(closedAt - started).toBeGreaterThanOrEqual(1400);
    expect(closedAt - started).toBeLessThan(10_000);
  });
});
