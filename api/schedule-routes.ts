/**
 * Schedules, read side: the schedules of the loaded configuration (version 1, source "config";
 * editing them through the API comes later) and a preview of one laid out from an anchor date.
 */
import type { FastifyInstance } from 'fastify';
import type { RelanceConfig, ScheduleConfig } from '../config/schema';
import { createHolidayCalendar } from '../domain/calendar';
import { ErrorCode, invalidInput, RelanceError, type FieldIssue } from '../domain/errors';
import { previewSchedule, type PreviewContext } from '../domain/schedule-preview';
import { isCalendarDate, isDateInRange, isValidCountry, isValidTimeZone } from '../domain/validators';
import type { TemplateRegistry } from '../templates/registry';

interface PreviewQuery {
  anchor?: string;
  timezone?: string;
  country?: string;
}

/** Until schedules are stored with versions, each one is the configuration's first version. */
const CONFIG_ORIGIN = { version: 1, source: 'config' } as const;

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

export function registerScheduleRoutes(
  app: FastifyInstance,
  config: RelanceConfig,
  templates: TemplateRegistry | undefined,
): void {
  const calendar = createHolidayCalendar();
  const find = (id: string): ScheduleConfig => {
    const schedule = Object.hasOwn(config.schedules, id) ? config.schedules[id] : undefined;
    if (!schedule)
      throw new RelanceError(
        ErrorCode.NotFound,
        `No schedule "${id}"; known: ${Object.keys(config.schedules).join(', ')}`,
      );
    return schedule;
  };

  // Finance runs the dunning schedules, marketing the expiry ones; both read them all.
  const access = { config: { access: ['finance', 'marketing'] as const } };
  app.get('/v1/schedules', access, () => ({
    schedules: Object.entries(config.schedules).map(([id, schedule]) => {
      const purpose = purposeOf(schedule, templates);
      return {
        id,
        description: schedule.description,
        sendAt: schedule.sendAt,
        steps: schedule.steps.length,
        ...(purpose ? { purpose } : {}),
        isDefault: id === config.defaultSchedule,
        ...CONFIG_ORIGIN,
      };
    }),
  }));
  app.get<{ Params: { id: string } }>('/v1/schedules/:id', access, (request) => {
    const schedule = find(request.params.id);
    const purpose = purposeOf(schedule, templates);
    return { id: request.params.id, ...CONFIG_ORIGIN, ...(purpose ? { purpose } : {}), ...schedule };
  });
  app.get<{ Params: { id: string }; Querystring: PreviewQuery }>(
    '/v1/schedules/:id/preview',
    access,
    (request) => {
      const schedule = find(request.params.id);
      const ctx = previewContext(request.query, config.policy.defaultCountry);
      if (Array.isArray(ctx)) throw invalidInput(ctx, 'The preview query is invalid');
      return {
        schedule: request.params.id,
        version: CONFIG_ORIGIN.version,
        ...ctx,
        sendAt: schedule.sendAt,
        steps: previewSchedule(schedule, config.policy.windows, { ...ctx, calendar }),
      };
    },
  );
}
