/**
 * Changing a schedule without a deploy: PUT /v1/schedules/{id} adds a version that GET and the
 * preview show; a bad one is refused with every path named and changes nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config';
import type { ScheduleConfig } from '../../config/schema';
import { createTemplates } from '../../runtime/engine';
import type { TemplateRegistry } from '../../templates/registry';
import { authHeaders, buildTestApi } from '../helpers/api-auth';
import { createTestDb, type TestDb } from '../helpers/db';

const config = loadConfig();
const standard: ScheduleConfig = (() => {
  const schedule = config.schedules['invoice-standard'];
  if (!schedule) throw new Error('the default configuration has invoice-standard');
  return schedule;
})();

/** invoice-standard with its first reminder three days after the due date, at 10:00. */
const laterAndSlower = {
  ...standard,
  sendAt: '10:00',
  steps: standard.steps.map((s) => (s.id === 'overdue-1' ? { ...s, offset: { days: 3 } } : s)),
};

/** The real templates, except that weekly-offer has no SMS version. */
function withoutOfferSms(real: TemplateRegistry): TemplateRegistry {
  return {
    ...real,
    meta: (id) => (id === 'weekly-offer' ? { ...real.meta(id), channels: ['email'] } : real.meta(id)),
  };
}

interface ScheduleView {
  id: string;
  version: number;
  source: string;
  createdBy: string | null;
  sendAt: string;
  steps: { id: string; offset: unknown }[];
}

describe('PUT /v1/schedules/{id}', () => {
  let testDb: TestDb;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    testDb = await createTestDb();
    app = await buildTestApi(testDb.db, { templates: withoutOfferSms(createTemplates(config)) });
    for (const role of ['agent', 'marketing', 'finance']) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/tokens',
        headers: { ...authHeaders, 'content-type': 'application/json' },
        payload: { name: `The ${role}`, role },
      });
      tokens[role] = res.json<{ token: string }>().token;
    }
  });
  afterAll(async () => {
    await app.close();
    await testDb.drop();
  });

  const as = (role: string) => ({ authorization: `Bearer ${tokens[role] ?? ''}` });
  const get = (url: string) => app.inject({ url, headers: authHeaders });
  const put = (id: string, payload: unknown, headers: Record<string, string> = as('finance')) =>
    app.inject({
      method: 'PUT',
      url: `/v1/schedules/${id}`,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
  const latest = async (id: string) => (await get(`/v1/schedules/${id}`)).json<ScheduleView>();

  it('when finance puts a valid schedule, then it is version 2, shown by GET and used by the preview', async () => {
    const res = await put('invoice-standard', laterAndSlower);
    expect(res.statusCode).toBe(200);
    expect(res.json<ScheduleView>()).toMatchObject({
      id: 'invoice-standard',
      version: 2,
      source: 'api',
      createdBy: 'The finance (finance)',
      sendAt: '10:00',
    });

    const shown = await latest('invoice-standard');
    expect([shown.version, shown.source, shown.sendAt]).toEqual([2, 'api', '10:00']);
    expect(shown.steps.find((s) => s.id === 'overdue-1')?.offset).toEqual({ days: 3 });
    const listed = (await get('/v1/schedules')).json<{ schedules: { id: string; version: number }[] }>();
    expect(listed.schedules.find((s) => s.id === 'invoice-standard')?.version).toBe(2);

    const preview = await get(
      '/v1/schedules/invoice-standard/preview?anchor=2026-05-06&timezone=Europe/Paris',
    );
    const body = preview.json<{ version: number; steps: { id: string; plannedLocal: string }[] }>();
    expect(body.version).toBe(2);
    expect(body.steps.find((s) => s.id === 'overdue-1')?.plannedLocal).toBe('2026-05-09T10:00+02:00');
    // The first version is still there to read and preview.
    const old = await get(
      '/v1/schedules/invoice-standard/preview?anchor=2026-05-06&timezone=Europe/Paris&version=1',
    );
    expect(
      old.json<{ steps: { id: string; plannedLocal: string }[] }>().steps.find((s) => s.id === 'overdue-1'),
    ).toMatchObject({ plannedLocal: '2026-05-07T09:30+02:00' });
    expect((await get('/v1/schedules/invoice-standard?version=1')).json<ScheduleView>()).toMatchObject({
      version: 1,
      source: 'config',
      sendAt: '09:30',
    });
    const history = (await get('/v1/schedules/invoice-standard/versions')).json<{
      latest: number;
      versions: { version: number; source: string; createdBy: string }[];
    }>();
    expect(history.latest).toBe(2);
    expect(history.versions.map((v) => [v.version, v.source, v.createdBy])).toEqual([
      [1, 'config', 'configuration'],
      [2, 'api', 'The finance (finance)'],
    ]);
  });

  it('when a schedule breaks the schema or names templates it cannot use, then a 400 names each path and the old version stays', async () => {
    const before = await latest('invoice-standard');
    const broken = {
      ...standard,
      colour: 'red',
      steps: [
        { ...standard.steps[0], offset: { days: 400 } },
        { ...standard.steps[1], template: 'invoice-gone' },
        { ...standard.steps[2], template: 'weekly-offer' }, // email and SMS; no SMS version here
        ...standard.steps.slice(3),
      ],
    };
    const schema = await put('invoice-standard', broken);
    expect(schema.statusCode).toBe(400);
    const paths = (res: typeof schema) =>
      res
        .json<{ issues: { path: string; message: string }[] }>()
        .issues.map((i) => i.path)
        .sort();
    expect(paths(schema)).toEqual(['colour', 'steps[0].offset.days']);

    const templates = await put('invoice-standard', {
      ...broken,
      colour: undefined,
      steps: broken.steps.slice(1),
    });
    expect(templates.statusCode).toBe(400);
    const issues = templates.json<{ error: string; issues: { path: string; message: string }[] }>();
    expect(issues.error).toBe('INVALID_INPUT');
    expect(issues.issues).toEqual([
      {
        path: 'steps[0].template',
        message: expect.stringContaining('unknown template "invoice-gone"') as unknown,
      },
      { path: 'steps[1].channels[1]', message: expect.stringContaining('has no sms version') as unknown },
    ]);

    expect(await latest('invoice-standard')).toEqual(before);
    const preview = await get(
      '/v1/schedules/invoice-standard/preview?anchor=2026-05-06&timezone=Europe/Paris',
    );
    expect(preview.json<{ version: number }>().version).toBe(before.version);
  });

  it('when an agent puts a schedule, then it is refused (403); marketing may', async () => {
    const before = await latest('invoice-standard');
    const agent = await put('invoice-standard', laterAndSlower, as('agent'));
    expect(agent.statusCode).toBe(403);
    expect((await latest('invoice-standard')).version).toBe(before.version);
    const marketing = await put('invoice-standard', { ...laterAndSlower, sendAt: '10:15' }, as('marketing'));
    expect(marketing.statusCode).toBe(200);
    expect(marketing.json<ScheduleView>()).toMatchObject({
      version: before.version + 1,
      createdBy: 'The marketing (marketing)',
    });
  });

  it('when a GET answer is put back, then unchanged it adds no version (a PUT repeated changes nothing), edited it is the next one', async () => {
    const shown = await latest('invoice-standard');
    const same = await put('invoice-standard', shown);
    expect(same.statusCode).toBe(200);
    expect(same.json<ScheduleView>().version).toBe(shown.version);
    const edited = await put('invoice-standard', { ...shown, sendAt: '08:45' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json<ScheduleView>()).toMatchObject({ version: shown.version + 1, sendAt: '08:45' });
    const other = await put('invoice-standard', { ...shown, id: 'invoice-other' });
    expect(other.statusCode).toBe(400);
    expect(other.json<{ issues: { path: string }[] }>().issues.map((i) => i.path)).toEqual(['id']);
  });

  it('when a new id is put, then it is version 1 and invoice.issued may name it', async () => {
    const events = (schedule: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { ...authHeaders, 'content-type': 'application/json' },
        payload: [
          {
            type: 'contact.upserted',
            data: { id: 'c1', email: 'marie@example.com', locale: 'fr-FR', timezone: 'Europe/Paris' },
          },
          {
            type: 'invoice.issued',
            data: {
              id: `INV-${schedule}`,
              contactId: 'c1',
              amount: '10.00',
              currency: 'EUR',
              dueDate: '2026-06-01',
              schedule,
            },
          },
        ],
      });
    const before = await events('invoice-gentle');
    expect(before.statusCode).toBe(400);
    expect(before.json<{ issues: { path: string }[] }>().issues.map((i) => i.path)).toEqual([
      '[1].data.schedule',
    ]);

    const created = await put('invoice-gentle', { ...laterAndSlower, description: 'Gentler dunning' });
    expect(created.statusCode).toBe(200);
    expect(created.json<ScheduleView>()).toMatchObject({ id: 'invoice-gentle', version: 1, source: 'api' });
    const listed = (await get('/v1/schedules')).json<{ schedules: { id: string; isDefault: boolean }[] }>();
    expect(listed.schedules.find((s) => s.id === 'invoice-gentle')).toMatchObject({ isDefault: false });
    expect((await events('invoice-gentle')).statusCode).toBe(202);
  });

  it('when the id or the body cannot be a schedule, then 400 or 415, and nothing is created', async () => {
    const badId = await put('Invoice_Gentle', laterAndSlower);
    expect(badId.statusCode).toBe(400);
    expect(badId.json<{ issues: { path: string }[] }>().issues.map((i) => i.path)).toEqual(['params.id']);
    const notJson = await app.inject({
      method: 'PUT',
      url: '/v1/schedules/invoice-plain',
      headers: { ...as('finance'), 'content-type': 'text/plain' },
      payload: 'steps: []',
    });
    expect(notJson.statusCode).toBe(415);
    expect((await get('/v1/schedules/invoice-plain')).statusCode).toBe(404);
  });
});
