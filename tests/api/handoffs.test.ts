/**
 * The hand-off routes over the real API, a real database and real workflows: the scenario runs on
 * the time-skipping server up to two open tasks, then, with the worker still running, the calls
 * an agent's console makes go through the API and the sequence's `handoffAction` Update.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { temporalHandoffActions } from '../../api/handoff-actions';
import { authHeaders, buildTestApi } from '../helpers/api-auth';
import { fixturePath, simulateFile } from '../helpers/simulate';

const NOW = '2026-04-10T10:00:00.000Z';
type Json = Record<string, unknown> & { handoffs?: Record<string, unknown>[] };
interface Call {
  status: number;
  body: Json;
}
const calls = new Map<string, Call>();

async function tokenFor(app: FastifyInstance, name: string, role: string): Promise<Record<string, string>> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/tokens',
    headers: authHeaders,
    payload: { name, role },
  });
  return { authorization: `Bearer ${res.json<{ token: string }>().token}` };
}

const asCall = (res: LightMyRequestResponse): Call => ({ status: res.statusCode, body: res.json<Json>() });

beforeAll(async () => {
  await simulateFile(fixturePath('handoff-api.yaml'), {
    beforeTeardown: async (env, db) => {
      const app = await buildTestApi(db, {
        handoffActions: temporalHandoffActions(env.client),
        now: () => NOW,
      });
      const claire = await tokenFor(app, 'Claire Martin', 'agent');
      const paul = await tokenFor(app, 'Paul Roux', 'agent');
      const marketing = await tokenFor(app, 'Camille', 'marketing');
      const get = async (key: string, url: string, headers: Record<string, string> = claire) =>
        calls.set(key, asCall(await app.inject({ method: 'GET', url, headers })));
      const act = async (
        key: string,
        id: unknown,
        payload: object,
        headers: Record<string, string> = claire,
      ) =>
        calls.set(
          key,
          asCall(
            await app.inject({ method: 'POST', url: `/v1/handoffs/${String(id)}/actions`, headers, payload }),
          ),
        );
      await get('anonymous', '/v1/handoffs', {});
      await get('marketing', '/v1/handoffs', marketing);
      await get('list', '/v1/handoffs');
      const ids: Record<string, unknown> = Object.fromEntries(
        (calls.get('list')?.body.handoffs ?? []).map((h) => [
          (h['subjectIds'] as string[])[0] ?? '',
          h['id'],
        ]),
      );
      await get('byAmount', '/v1/handoffs?sort=-amount');
      await get('overdue', '/v1/handoffs?overdue=true');
      await get('badStatus', '/v1/handoffs?status=done');
      await get('unknown', '/v1/handoffs/9999');
      await get('detail', `/v1/handoffs/${String(ids['INV-1'])}`);
      await act('claim', ids['INV-1'], { type: 'claim' });
      await act('paulClaims', ids['INV-1'], { type: 'claim' }, paul);
      await get('mine', '/v1/handoffs?owner=Claire%20Martin&status=claimed');
      await act('pastPromise', ids['INV-1'], { type: 'promise_to_pay', promisedDate: '2026-04-09' });
      await act('badResolution', ids['INV-1'], { type: 'close', resolution: 'forgiven' });
      await act('longSms', ids['INV-1'], { type: 'send_message', channel: 'sms', text: 'x'.repeat(600) });
      await get('afterRefusals', `/v1/handoffs/${String(ids['INV-1'])}`);
      await act('forced', ids['INV-1'], { type: 'claim', by: 'Team lead', force: true }, authHeaders);
      await act('note', ids['INV-1'], { type: 'note', text: 'Called twice, no answer.' });
      await act('close', ids['INV-1'], { type: 'close', resolution: 'sent_to_collection' });
      await act('afterClose', ids['INV-1'], { type: 'note', text: 'Too late' });
      await act('unknownTask', 9999, { type: 'note', text: 'Anyone?' });
    },
  });
}, 180_000);

const call = (key: string): Call => {
  const found = calls.get(key);
  if (!found) throw new Error(`no call ${key}`);
  return found;
};
const issuesOf = (c: Call) => (c.body['issues'] as { path: string }[] | undefined)?.map((i) => i.path);

describe('GET /v1/handoffs', () => {
  it('when no token or a marketing token asks, then 401 and 403', () => {
    expect(call('anonymous').status).toBe(401);
    expect(call('marketing').status).toBe(403);
  });

  it('when an agent lists tasks, then each has its due-by time and overdue flag, soonest due first', () => {
    const list = call('list').body.handoffs ?? [];
    expect(
      list.map((h) => [(h['subjectIds'] as string[])[0], h['reasonCode'], h['dueBy'], h['overdue']]),
    ).toEqual([
      ['INV-1', 'dunning', '2026-04-09T16:00:00.000Z', true],
      ['INV-2', 'dispute', '2026-04-15T16:00:00.000Z', false],
    ]);
    expect(list[0]).toMatchObject({ status: 'open', owner: null, amountDue: '1250.00', currency: 'EUR' });
  });

  it('when sorted by amount or filtered as overdue or by owner, then the list follows', () => {
    expect(call('byAmount').body.handoffs?.map((h) => h['amountDue'])).toEqual(['1250.00', '89.90']);
    expect(call('overdue').body.handoffs?.map((h) => (h['subjectIds'] as string[])[0])).toEqual(['INV-1']);
    expect(call('mine').body.handoffs?.map((h) => h['owner'])).toEqual(['Claire Martin']);
  });

  it('when a filter is not one the API knows, then 400 naming it', () => {
    expect(call('badStatus').status).toBe(400);
    expect(issuesOf(call('badStatus'))).toEqual(['query.status']);
  });
});

describe('GET /v1/handoffs/{id}', () => {
  it('when the task is unknown, then 404', () => {
    expect(call('unknown').status).toBe(404);
  });

  it('when an agent opens a task, then it shows the subject, the contact and a timeline of messages and events', () => {
    const { body } = call('detail');
    expect(body).toMatchObject({
      status: 'open',
      reason: 'schedule step handoff: no payment after the formal notice',
      overdue: true,
      subject: {
        kind: 'invoice',
        ids: ['INV-1'],
        invoices: [expect.objectContaining({ number: 'FA-2026-0001' })],
      },
      contact: { id: 'c1', firstName: 'Marie', email: 'marie.durand@example.com' },
    });
    const timeline = body['timeline'] as { kind: string; type?: string; message?: { step: string } }[];
    expect(timeline.filter((e) => e.kind === 'message').map((e) => e.message?.step)).toContain(
      'formal-notice',
    );
    expect(timeline.at(-1)).toMatchObject({ kind: 'event', type: 'opened' });
  });
});

describe('POST /v1/handoffs/{id}/actions', () => {
  it("when an agent claims without saying who, then the task is theirs, by the token's name", () => {
    expect(call('claim').status).toBe(200);
    expect(call('claim').body).toMatchObject({ status: 'claimed', owner: 'Claire Martin' });
  });

  it('when another agent claims a task someone holds, then 409 says who holds it', () => {
    expect(call('paulClaims').status).toBe(409);
    expect(call('paulClaims').body['message']).toContain('claimed by Claire Martin');
  });

  it('when a promise is dated in the past, a resolution unknown or an SMS over budget, then 400 naming the field, and nothing changed', () => {
    expect([call('pastPromise').status, call('badResolution').status, call('longSms').status]).toEqual([
      400, 400, 400,
    ]);
    expect(issuesOf(call('pastPromise'))).toEqual(['promisedDate']);
    expect(issuesOf(call('badResolution'))).toEqual(['resolution']);
    expect(issuesOf(call('longSms'))).toEqual(['text']);
    const after = call('afterRefusals').body;
    expect(after).toMatchObject({ status: 'claimed', owner: 'Claire Martin' });
    const events = (after['timeline'] as { kind: string; type?: string }[]).filter((e) => e.kind === 'event');
    expect(events.map((e) => e.type)).toEqual(['opened', 'claimed']);
  });

  it('when an admin forces a claim, then the task changes hands; notes join the timeline; a close resolves it', () => {
    expect(call('forced').body).toMatchObject({ status: 'claimed', owner: 'Team lead' });
    const note = call('note').body['timeline'] as { type?: string; by?: string; data?: { text?: string } }[];
    expect(note.at(-1)).toMatchObject({
      type: 'note',
      by: 'Claire Martin',
      data: { text: 'Called twice, no answer.' },
    });
    expect(call('close').status).toBe(200);
    expect(call('close').body).toMatchObject({
      status: 'resolved',
      resolution: 'sent_to_collection',
      overdue: false,
    });
  });

  it('when the task is resolved or unknown, then 409 or 404', () => {
    expect(call('afterClose').status).toBe(409);
    expect(call('afterClose').body['message']).toContain('resolved (sent_to_collection)');
    expect(call('unknownTask').status).toBe(404);
  });
});
