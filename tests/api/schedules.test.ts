/**
 * Schedules over HTTP, read side: what a finance or marketing user sees of the configured
 * schedules, and a preview of one laid out on the calendar (windows and holidays applied).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config';
import type { RelanceConfig } from '../../config/schema';
import { authHeaders, buildTestApi } from '../helpers/api-auth';
import { createTestDb, type TestDb } from '../helpers/db';

interface Send {
  channel: string;
  fallback: boolean;
  leavesAt: string;
  leavesAtLocal: string;
  deferredBecause?: string;
}
interface Step {
  id: string;
  action: string;
  localDate: string;
  plannedLocal: string;
  plannedAt: string;
  template?: string;
  holiday?: string;
  sends: Send[];
}
interface Preview {
  schedule: string;
  version: number;
  country: string;
  steps: Step[];
}

/** The default configuration plus a schedule counted in business days. */
function withBusinessDaySchedule(): RelanceConfig {
  const config = loadConfig();
  const { installments } = config.schedules['invoice-standard'] ?? {};
  if (!installments) throw new Error('the default configuration has invoice-standard');
  const step = {
    id: 'next-business-day',
    offset: { businessDays: 1 },
    action: 'send' as const,
    channels: ['email' as const],
    template: 'invoice-pre-due',
    escalation: 0,
  };
  return {
    ...config,
    schedules: {
      ...config.schedules,
      'business-days': {
        description: 'One step, a business day on',
        sendAt: '10:00',
        steps: [step],
        installments,
      },
    },
  };
}

describe('schedules', () => {
  let testDb: TestDb;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    testDb = await createTestDb();
    app = await buildTestApi(testDb.db, { config: withBusinessDaySchedule() });
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

  const get = (url: string, headers: Record<string, string> = authHeaders) => app.inject({ url, headers });
  const preview = async (query: string): Promise<Preview> => {
    const res = await get(`/v1/schedules/invoice-standard/preview?${query}`);
    expect(res.statusCode).toBe(200);
    return res.json<Preview>();
  };
  const step = (body: Preview, id: string): Step => {
    const found = body.steps.find((s) => s.id === id);
    if (!found) throw new Error(`no step ${id} in ${JSON.stringify(body)}`);
    return found;
  };

  it('when a user lists schedules, then each configured one is listed with its step count, version 1 from config', async () => {
    const res = await get('/v1/schedules');
    expect(res.statusCode).toBe(200);
    const listed = res.json<{ schedules: Record<string, unknown>[] }>().schedules;
    expect(listed.find((s) => s.id === 'invoice-standard')).toEqual({
      id: 'invoice-standard',
      description: loadConfig().schedules['invoice-standard']?.description,
      sendAt: '09:30',
      steps: 5,
      purpose: 'transactional',
      isDefault: true,
      version: 1,
      source: 'config',
    });
    expect(listed.map((s) => s.id)).toContain('business-days');
  });

  it('when a user gets one schedule, then it is the definition as configured; an unknown id is a 404', async () => {
    const res = await get('/v1/schedules/invoice-standard');
    expect(res.statusCode).toBe(200);
    const { id, version, source, purpose, createdBy, createdAt, ...definition } =
      res.json<Record<string, unknown>>();
    expect({ id, version, source, purpose, createdBy }).toEqual({
      id: 'invoice-standard',
      version: 1,
      source: 'config',
      purpose: 'transactional',
      createdBy: 'configuration',
    });
    expect(typeof createdAt).toBe('string');
    expect(definition).toEqual(loadConfig().schedules['invoice-standard']);

    for (const url of ['/v1/schedules/nope', '/v1/schedules/nope/preview?anchor=2026-05-06&timezone=UTC']) {
      const missing = await get(url);
      expect(missing.statusCode).toBe(404);
      expect(missing.json<{ error: string; message: string }>()).toMatchObject({ error: 'NOT_FOUND' });
      expect(missing.json<{ message: string }>().message).toContain('invoice-standard');
    }
  });

  it('when a step falls on 1 May in Paris, then its email leaves on Saturday 2 May at 08:00, when the window opens', async () => {
    const body = await preview('anchor=2026-05-06&timezone=Europe/Paris&country=FR');
    expect(body).toMatchObject({ schedule: 'invoice-standard', version: 1, country: 'FR' });
    const preDue = step(body, 'pre-due');
    expect(preDue).toMatchObject({
      action: 'send',
      localDate: '2026-05-01',
      plannedLocal: '2026-05-01T09:30+02:00',
      plannedAt: '2026-05-01T07:30:00.000Z',
      template: 'invoice-pre-due',
    });
    expect(preDue.holiday).toBeTruthy();
    // The email window runs Monday to Saturday 08:00–20:00, closed on public holidays.
    expect(preDue.sends).toEqual([
      {
        channel: 'email',
        fallback: false,
        leavesAt: '2026-05-02T06:00:00.000Z',
        leavesAtLocal: '2026-05-02T08:00+02:00',
        deferredBecause: expect.stringContaining('public holiday') as unknown,
      },
    ]);
    // A working day inside both windows: each channel leaves at the planned time.
    const overdue2 = step(body, 'overdue-2');
    expect(overdue2.localDate).toBe('2026-05-11');
    expect(overdue2.sends.map((s) => [s.channel, s.leavesAtLocal, s.deferredBecause])).toEqual([
      ['email', '2026-05-11T09:30+02:00', undefined],
      ['sms', '2026-05-11T09:30+02:00', undefined],
    ]);
    expect(step(body, 'handoff')).toMatchObject({ action: 'handoff', localDate: '2026-05-26', sends: [] });
  });

  it('when the schedule crosses the October change in London, then local times stay at 09:30 and a Sunday step waits for Monday', async () => {
    const body = await preview('anchor=2026-10-20&timezone=Europe/London&country=GB');
    expect(step(body, 'pre-due')).toMatchObject({
      localDate: '2026-10-15',
      plannedLocal: '2026-10-15T09:30+01:00',
      plannedAt: '2026-10-15T08:30:00.000Z',
    });
    // 25 October 2026, the Sunday clocks go back: 09:30 local is 09:30 UTC.
    const sunday = step(body, 'overdue-2');
    expect(sunday).toMatchObject({
      plannedLocal: '2026-10-25T09:30+00:00',
      plannedAt: '2026-10-25T09:30:00.000Z',
    });
    expect(sunday.sends.map((s) => [s.channel, s.leavesAtLocal, s.leavesAt])).toEqual([
      ['email', '2026-10-26T08:00+00:00', '2026-10-26T08:00:00.000Z'],
      ['sms', '2026-10-26T09:00+00:00', '2026-10-26T09:00:00.000Z'],
    ]);
    expect(sunday.sends[0]?.deferredBecause).toBe('no sending on sun');
  });

  it('when a step counts business days, then weekends and the country’s holidays are skipped', async () => {
    const at = async (query: string) => {
      const res = await get(`/v1/schedules/business-days/preview?anchor=2026-04-30&${query}`);
      expect(res.statusCode).toBe(200);
      return res.json<Preview>().steps[0];
    };
    // Friday 1 May is a holiday in France, not in Britain (its May bank holiday is Monday the 4th).
    expect(await at('timezone=Europe/Paris&country=FR')).toMatchObject({
      localDate: '2026-05-04',
      plannedLocal: '2026-05-04T10:00+02:00',
    });
    expect(await at('timezone=Europe/London&country=GB')).toMatchObject({
      localDate: '2026-05-01',
      plannedLocal: '2026-05-01T10:00+01:00',
    });
  });

  it('when no country is given, then the policy’s default country applies', async () => {
    const body = await preview('anchor=2026-05-06&timezone=Europe/Paris');
    expect(body.country).toBe('FR');
    expect(step(body, 'pre-due').sends[0]?.leavesAtLocal).toBe('2026-05-02T08:00+02:00');
  });

  it('when the query is bad, then a 400 names each query field', async () => {
    const paths = async (query: string) => {
      const res = await get(`/v1/schedules/invoice-standard/preview?${query}`);
      expect(res.statusCode).toBe(400);
      const body = res.json<{ error: string; issues: { path: string }[] }>();
      expect(body.error).toBe('INVALID_INPUT');
      return body.issues.map((i) => i.path).sort();
    };
    expect(await paths('anchor=2026-02-30&timezone=Europe/Parys&country=fr')).toEqual([
      'query.anchor',
      'query.country',
      'query.timezone',
    ]);
    expect(await paths('timezone=Europe/Paris')).toEqual(['query.anchor']);
    expect(await paths('anchor=6/5/2026&timezone=Europe/Paris&country=FRA')).toEqual([
      'query.anchor',
      'query.country',
    ]);
    expect(await paths('anchor=2026-05-06')).toEqual(['query.timezone']);
    // The input guard: one value per parameter.
    expect(await paths('anchor=2026-05-06&anchor=2026-05-07&timezone=UTC')).toEqual(['query.anchor']);
  });

  it('when an agent asks, then schedules are refused (403); finance and marketing read them', async () => {
    for (const url of [
      '/v1/schedules',
      '/v1/schedules/invoice-standard',
      '/v1/schedules/invoice-standard/preview?anchor=2026-05-06&timezone=Europe/Paris',
    ]) {
      const agent = await get(url, { authorization: `Bearer ${tokens.agent ?? ''}` });
      expect(agent.statusCode).toBe(403);
      for (const role of ['finance', 'marketing'])
        expect((await get(url, { authorization: `Bearer ${tokens[role] ?? ''}` })).statusCode).toBe(200);
    }
  });

  it('when the OpenAPI description is read, then the schedule operations carry their roles', async () => {
    const doc = (await get('/v1/openapi.json')).json<{
      paths: Record<string, Record<string, { 'x-relance-roles'?: string[] }>>;
    }>();
    for (const [path, method] of [
      ['/v1/schedules', 'get'],
      ['/v1/schedules/{id}', 'get'],
      ['/v1/schedules/{id}', 'put'],
      ['/v1/schedules/{id}/versions', 'get'],
      ['/v1/schedules/{id}/preview', 'get'],
    ] as const)
      expect(doc.paths[path]?.[method]?.['x-relance-roles']).toEqual(['admin', 'finance', 'marketing']);
  });
});
