/**
 * Campaigns over HTTP, as a CRM team manages them: create a weekly segment offer, read it back
 * with its next run, count its audience now, change it, pause, resume and cancel it; bad input is
 * a 400 naming each path, an unknown campaign a 404 (a 400 naming data.campaignId as an event).
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createToken } from '../../store/token-repository';
import { authHeaders, buildTestApi } from '../helpers/api-auth';
import { createTestDb, drivers, type TestDb } from '../helpers/db';

const NOW = '2026-03-04T12:00:00.000Z'; // a Wednesday
const contact = (id: string, extra: Record<string, unknown>) => ({
  type: 'contact.upserted',
  data: { id, locale: 'fr-FR', timezone: 'Europe/Paris', email: `${id}@example.com`, ...extra },
});
const weekly = {
  id: 'weekly-gold',
  template: 'weekly-offer',
  channels: ['email'],
  segment: { all: [{ attribute: 'tier', in: ['gold', 'platinum'] }] },
  recurrence: { days: ['mon'], time: '10:00', timezone: 'Europe/Paris' },
  content: { title: 'Offre de la semaine', body: '-20 % sur tout', url: 'https://shop.example.com/o' },
};

interface CampaignBody {
  id: string;
  status: string;
  nextRun: { runId: string; opensAt: string } | null;
  definition: Record<string, unknown>;
  runs: unknown[];
  note?: string;
}
interface ErrorBody {
  error: string;
  issues?: { path: string; message: string }[];
}

describe.each(drivers)('campaigns API (%s)', (driver) => {
  let testDb: TestDb;
  let app: FastifyInstance;
  beforeEach(async () => {
    testDb = await createTestDb(driver);
    app = await buildTestApi(testDb.db, { now: () => NOW });
  });
  afterEach(async () => {
    await app.close();
    await testDb.drop();
  });

  const call = (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    body?: unknown,
    headers: Record<string, string> = authHeaders,
  ) =>
    app.inject({
      method,
      url,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  const paths = (res: { json: () => unknown }) => ((res.json() as ErrorBody).issues ?? []).map((i) => i.path);

  it('when marketing creates a weekly segment campaign, then it is listed with its next run on Monday 10:00 Paris time', async () => {
    const { token } = await createToken(testDb.db, { name: 'CRM', role: 'marketing' });
    const created = await call('POST', '/v1/campaigns', weekly, { authorization: `Bearer ${token}` });
    expect(created.statusCode).toBe(201);
    const body = created.json<CampaignBody>();
    expect(body).toMatchObject({ id: 'weekly-gold', status: 'scheduled', runs: [] });
    expect(body.nextRun).toEqual({
      runId: 'weekly-gold/2026-03-09',
      opensAt: '2026-03-09T09:00:00.000Z',
      closesAt: '2026-03-09T09:00:00.000Z',
    });
    const list = await call('GET', '/v1/campaigns');
    expect(list.json<{ campaigns: CampaignBody[] }>().campaigns.map((c) => c.id)).toEqual(['weekly-gold']);
    const again = await call('POST', '/v1/campaigns', weekly);
    expect(again.statusCode).toBe(200);
  });

  it('when finance asks for campaigns, then 403', async () => {
    const { token } = await createToken(testDb.db, { name: 'Billing', role: 'finance' });
    const res = await call('GET', '/v1/campaigns', undefined, { authorization: `Bearer ${token}` });
    expect(res.statusCode).toBe(403);
  });

  it('when the audience is asked, then it counts who the segment selects now, erased contacts left out', async () => {
    await call('POST', '/v1/events', [
      contact('c1', { attributes: { tier: 'gold' } }),
      contact('c2', { attributes: { tier: 'platinum' } }),
      contact('c3', { attributes: { tier: 'silver' } }),
    ]);
    await call('POST', '/v1/campaigns', weekly);
    const count = async () =>
      (await call('GET', '/v1/campaigns/weekly-gold/audience')).json<{ count: number }>().count;
    expect(await count()).toBe(2);
    await call('POST', '/v1/events', [
      contact('c4', { attributes: { tier: 'gold' } }),
      { type: 'contact.erased', data: { contactId: 'c1' } },
    ]);
    expect(await count()).toBe(2);
  });

  it('when a campaign is bad, then 400 names each path and nothing is stored', async () => {
    const res = await call('POST', '/v1/campaigns', {
      ...weekly,
      segment: { all: [{ attribute: 'tier', regex: 'g.*' }] },
      recurrence: { days: [], time: '25:00', timezone: 'Mars/Olympus' },
    });
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toEqual(
      expect.arrayContaining([
        'segment.all[0].regex',
        'recurrence.days',
        'recurrence.time',
        'recurrence.timezone',
      ]),
    );
    expect((await call('GET', '/v1/campaigns/weekly-gold')).statusCode).toBe(404);
  });

  it('when a recurrence ends in the past, or both contactIds and a segment are given, then 400 names the path', async () => {
    const past = await call('POST', '/v1/campaigns', {
      ...weekly,
      recurrence: { ...weekly.recurrence, until: '2026-03-01T00:00:00Z' },
    });
    expect(past.statusCode).toBe(400);
    expect(paths(past)).toEqual(['recurrence.until']);
    const both = await call('POST', '/v1/campaigns', { ...weekly, contactIds: ['c1'] });
    expect(paths(both)).toEqual(['segment']);
    const none = await call('POST', '/v1/campaigns', { ...weekly, segment: undefined });
    expect(paths(none)).toEqual(['contactIds']);
  });

  it('when a campaign id is reused with different content, then 400 names data.id (as an event) or id', async () => {
    expect((await call('POST', '/v1/campaigns', weekly)).statusCode).toBe(201);
    const res = await call('POST', '/v1/campaigns', {
      ...weekly,
      content: { ...weekly.content, title: 'Autre' },
    });
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toEqual(['id']);
    const event = await call('POST', '/v1/events', {
      type: 'campaign.scheduled',
      data: { ...weekly, channels: ['email', 'sms'] },
    });
    expect(event.statusCode).toBe(400);
    expect(paths(event)).toEqual(['data.id']);
    expect((await call('GET', '/v1/campaigns/weekly-gold')).json<CampaignBody>().definition).toEqual(weekly);
  });

  it('when a campaign is patched, then the change is kept and checked like a new one', async () => {
    await call('POST', '/v1/campaigns', weekly);
    const patched = await call('PATCH', '/v1/campaigns/weekly-gold', {
      recurrence: { days: ['mon', 'thu'], time: '09:30', timezone: 'recipient' },
    });
    expect(patched.statusCode).toBe(200);
    const body = patched.json<CampaignBody>();
    expect(body.definition.recurrence).toEqual({
      days: ['mon', 'thu'],
      time: '09:30',
      timezone: 'recipient',
    });
    expect(body.nextRun?.runId).toBe('weekly-gold/2026-03-05');
    const swap = await call('PATCH', '/v1/campaigns/weekly-gold', { segment: null, contactIds: ['nobody'] });
    expect(swap.statusCode).toBe(400);
    expect(paths(swap)).toEqual(['contactIds[0]']);
    const bad = await call('PATCH', '/v1/campaigns/weekly-gold', { recurrence: { days: ['someday'] } });
    expect(paths(bad)).toEqual(expect.arrayContaining(['recurrence.days[0]', 'recurrence.time']));
    expect((await call('PATCH', '/v1/campaigns/nope', { channels: ['sms'] })).statusCode).toBe(404);
  });

  it('when a campaign is patched, then one campaign.updated event naming the changed keys is recorded for the schedule loop; a refused patch records none', async () => {
    await call('POST', '/v1/campaigns', weekly);
    const updates = () =>
      testDb.db.query<{ data: unknown; dispatched_at: Date | null }>(
        `select data, dispatched_at from events where type = 'campaign.updated' order by seq`,
      );
    const refused = await call('PATCH', '/v1/campaigns/weekly-gold', { recurrence: { days: [] } });
    expect(refused.statusCode).toBe(400);
    expect(await updates()).toEqual([]);
    const moved = await call('PATCH', '/v1/campaigns/weekly-gold', {
      recurrence: { ...weekly.recurrence, time: '09:00' },
      content: { ...weekly.content, title: 'Offre avancée' },
    });
    expect(moved.statusCode).toBe(200);
    expect(await updates()).toEqual([
      { data: { campaignId: 'weekly-gold', changed: ['content', 'recurrence'] }, dispatched_at: null },
    ]);
    const posted = await call('POST', '/v1/events', {
      type: 'campaign.updated',
      data: { campaignId: 'weekly-gold', changed: [] },
    });
    expect(posted.statusCode).toBe(400); // internal: never accepted from upstream systems
  });

  it('when a campaign is paused, resumed and cancelled, then its status follows and a cancelled one stays cancelled', async () => {
    await call('POST', '/v1/campaigns', weekly);
    const paused = await call('POST', '/v1/campaigns/weekly-gold/pause');
    expect(paused.json<CampaignBody>()).toMatchObject({ status: 'paused', nextRun: null });
    const resumed = await call('POST', '/v1/campaigns/weekly-gold/resume');
    expect(resumed.json<CampaignBody>()).toMatchObject({ status: 'scheduled' });
    expect(resumed.json<CampaignBody>().nextRun?.runId).toBe('weekly-gold/2026-03-09');
    expect((await call('POST', '/v1/campaigns/weekly-gold/cancel')).json<CampaignBody>().status).toBe(
      'cancelled',
    );
    const again = await call('POST', '/v1/campaigns/weekly-gold/resume');
    expect(again.statusCode).toBe(400);
    expect((await call('PATCH', '/v1/campaigns/weekly-gold', { channels: ['sms'] })).statusCode).toBe(400);
    expect((await call('GET', '/v1/campaigns/weekly-gold')).json<CampaignBody>().status).toBe('cancelled');
  });

  it('when an unknown campaign is paused, then the API answers 404 and the event 400 naming data.campaignId', async () => {
    expect((await call('POST', '/v1/campaigns/nope/pause')).statusCode).toBe(404);
    expect((await call('GET', '/v1/campaigns/nope')).statusCode).toBe(404);
    expect((await call('GET', '/v1/campaigns/nope/audience')).statusCode).toBe(404);
    const event = await call('POST', '/v1/events', { type: 'campaign.paused', data: { campaignId: 'nope' } });
    expect(event.statusCode).toBe(400);
    expect(paths(event)).toEqual(['data.campaignId']);
  });

  it('when a one-shot campaign lists its contacts, then it keeps working and runs once at its sendAt', async () => {
    await call('POST', '/v1/events', [contact('c1', {})]);
    const res = await call('POST', '/v1/campaigns', {
      id: 'flash',
      template: 'weekly-offer',
      channels: ['email'],
      contactIds: ['c1'],
      sendAt: '2026-03-05T09:00:00+01:00',
      content: weekly.content,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<CampaignBody>().nextRun).toMatchObject({
      runId: 'flash/2026-03-05',
      opensAt: '2026-03-05T08:00:00.000Z',
    });
  });
});
