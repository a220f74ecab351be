/**
 * Schedules over HTTP: finance and marketing read them, preview them on a calendar and change
 * them without a deploy. Each PUT adds a version; the latest applies to sequences that start
 * after it, a running sequence keeps its own (store/schedule-repository.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { RelanceConfig, ScheduleConfig } from '../config/schema';
import { createHolidayCalendar } from '../domain/calendar';
import { ErrorCode, invalidInput, RelanceError, type FieldIssue } from '../domain/errors';
import { previewSchedule, type PreviewContext } from '../domain/schedule-preview';
import { isCalendarDate, isDateInRange, isValidCountry, isValidTimeZone } from '../domain/validators';
import type { Sql } from '../store/db';
import {
  latestSchedule,
  latestSchedules,
  listScheduleVersions,
  putSchedule,
  scheduleIds,
  scheduleVersion,
  type ScheduleVersion,
} from '../store/schedule-repository';
import type { TemplateRegistry } from '../templates/registry';
import { requireJson } from './input-guard';
import { parseScheduleBody, scheduleIdIssues } from './schedule-input';

interface PreviewQuery {
  anchor?: string;
  timezone?: string;
  country?: string;
  version?: string;
}

export interface ScheduleRouteDeps {
  db: Sql;
  config: RelanceConfig;
  templates?: TemplateRegistry;
}

/** The purpose of a schedule, when every template it sends agrees on one; undefined otherwise. */
function purposeOf(schedule: ScheduleConfig, templates: TemplateRegistry | undefined): string | undefined {
  if (!templates) return undefined;
  const known = new Set(templates.ids());
  const purposes = new Set(
    schedule.steps.flatMap((step) =>
      step.template && known.has(step.template) ? [templates.meta(step.template).purpose] : [],
    ),
  );
  return purposes.size === 1 ? [...purposes][0] : undefined;
}

function previewContext(
  query: PreviewQuery,
  defaultCountry: string,
): Omit<PreviewContext, 'calendar'> | FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { anchor, timezone, country = defaultCountry } = query;
  if (!anchor || !isCalendarDate(anchor) || !isDateInRange(anchor))
    issues.push({ path: 'query.anchor', message: 'a calendar date YYYY-MM-DD such as "2026-05-06"' });
  if (!timezone || !isValidTimeZone(timezone))
    issues.push({ path: 'query.timezone', message: 'an IANA time zone such as "Europe/Paris"' });
  if (!isValidCountry(country))
    issues.push({ path: 'query.country', message: 'an ISO 3166-1 alpha-2 country code such as "FR"' });
  if (issues.length > 0 || !anchor || !timezone) return issues;
  return { anchor, timezone, country };
}

/** `?version=N`: a positive integer, or absent for the latest. */
function versionOf(raw: string | undefined): number | undefined | FieldIssue {
  if (raw === undefined) return undefined;
  if (!/^[1-9][0-9]{0,8}$/.test(raw))
    return { path: 'query.version', message: 'expected a version number such as 2' };
  return Number(raw);
}

/** Fields a GET answers that are not part of the definition: a GET answer, edited, can be PUT back. */
const READ_ONLY = ['id', 'version', 'source', 'purpose', 'createdAt', 'createdBy'] as const;

function definitionOf(body: unknown, id: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const { id: bodyId, ...rest } = body as Record<string, unknown>;
  if (bodyId !== undefined && bodyId !== id)
    throw invalidInput([{ path: 'id', message: `expected "${id}", the id in the URL, or no id` }]);
  return Object.fromEntries(
    Object.entries(rest).filter(([key]) => !(READ_ONLY as readonly string[]).includes(key)),
  );
}

export function registerScheduleRoutes(app: FastifyInstance, deps: ScheduleRouteDeps): void {
  const { db, config, templates } = deps;
  const calendar = createHolidayCalendar();
  const view = (found: ScheduleVersion) => {
    const purpose = purposeOf(found.schedule, templates);
    return {
      id: found.scheduleId,
      version: found.version,
      source: found.source,
      createdAt: found.createdAt,
      createdBy: found.createdBy,
      ...(purpose ? { purpose } : {}),
      ...found.schedule,
    };
  };
  const find = async (id: string, rawVersion?: string): Promise<ScheduleVersion> => {
    const version = versionOf(rawVersion);
    if (typeof version === 'object') throw invalidInput([version], 'The request URL is invalid');
    const found =
      version === undefined
        ? await latestSchedule(db, config, id)
        : await scheduleVersion(db, config, id, version);
    if (found) return found;
    const latest = version === undefined ? undefined : await latestSchedule(db, config, id);
    throw new RelanceError(
      ErrorCode.NotFound,
      latest
        ? `No version ${version} of schedule "${id}"; the latest is ${latest.version}`
        : `No schedule "${id}"; known: ${(await scheduleIds(db, config)).join(', ')}`,
    );
  };

  // Finance runs the dunning schedules, marketing the expiry ones; both read and change them.
  const access = { config: { access: ['finance', 'marketing'] as const } };
  app.get('/v1/schedules', access, async () => ({
    schedules: (await latestSchedules(db, config)).map((found) => {
      const purpose = purposeOf(found.schedule, templates);
      return {
        id: found.scheduleId,
        description: found.schedule.description,
        sendAt: found.schedule.sendAt,
        steps: found.schedule.steps.length,
        ...(purpose ? { purpose } : {}),
        isDefault: found.scheduleId === config.defaultSchedule,
        version: found.version,
        source: found.source,
      };
    }),
  }));
  app.get<{ Params: { id: string }; Querystring: { version?: string } }>(
    '/v1/schedules/:id',
    access,
    async (request) => view(await find(request.params.id, request.query.version)),
  );
  app.get<{ Params: { id: string } }>('/v1/schedules/:id/versions', access, async (request) => {
    const latest = await find(request.params.id);
    const versions = await listScheduleVersions(db, config, request.params.id);
    return {
      id: request.params.id,
      latest: latest.version,
      versions: versions.map((v) => ({
        version: v.version,
        source: v.source,
        createdAt: v.createdAt,
        createdBy: v.createdBy,
        description: v.schedule.description,
        sendAt: v.schedule.sendAt,
        steps: v.schedule.steps.length,
      })),
    };
  });
  app.put<{ Params: { id: string } }>(
    '/v1/schedules/:id',
    { ...access, onRequest: requireJson },
    async (request) => {
      const { id } = request.params;
      const idIssues = scheduleIdIssues(id);
      if (idIssues.length > 0) throw invalidInput(idIssues, 'The request URL is invalid');
      if (!templates)
        throw new RelanceError(
          ErrorCode.NotConfigured,
          'Schedules cannot be changed here: the templates they name are not loaded',
        );
      const parsed = parseScheduleBody(definitionOf(request.body, id), templates);
      if (!parsed.ok) throw invalidInput(parsed.issues, `The schedule is invalid; "${id}" is unchanged`);
      const principal = request.principal;
      const by = principal ? `${principal.name} (${principal.role})` : null;
      const version = await putSchedule(db, config, id, parsed.schedule, by);
      return view(await find(id, String(version)));
    },
  );
  app.get<{ Params: { id: string }; Querystring: PreviewQuery }>(
    '/v1/schedules/:id/preview',
    access,
    async (request) => {
      const found = await find(request.params.id, request.query.version);
      const ctx = previewContext(request.query, config.policy.defaultCountry);
      if (Array.isArray(ctx)) throw invalidInput(ctx, 'The preview query is invalid');
      return {
        schedule: request.params.id,
        version: found.version,
        ...ctx,
        sendAt: found.schedule.sendAt,
        steps: previewSchedule(found.schedule, config.policy.windows, { ...ctx, calendar }),
      };
    },
  );
}
