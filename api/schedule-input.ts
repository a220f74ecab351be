/**
 * What PUT /v1/schedules/{id} accepts: a schedule in the YAML's shape, checked by the same zod
 * schema as the configuration, then against the templates it names (each one known, and able to
 * send on every channel its step uses). Every issue is named by its path, all at once.
 */
import type { ScheduleConfig } from '../config/schema';
import { scheduleSchema } from '../config/schedule-schema';
import { formatPath, type FieldIssue } from '../domain/errors';
import { issueMessage } from '../domain/events';
import type { TemplateRegistry } from '../templates/registry';

/** The id a schedule may have: the configuration's rule for the keys of `schedules`. */
const SCHEDULE_ID = /^[a-z0-9][a-z0-9-]*$/;

export function scheduleIdIssues(id: string): FieldIssue[] {
  return SCHEDULE_ID.test(id)
    ? []
    : [{ path: 'params.id', message: 'expected a lower-case schedule id such as "invoice-gentle"' }];
}

type Channels = ScheduleConfig['steps'][number]['channels'];

/** Issues of one template reference: unknown, or without a version for one of the channels. */
function templateIssues(
  templates: TemplateRegistry,
  template: string,
  channels: Channels,
  at: string,
): FieldIssue[] {
  const known = templates.ids();
  if (!known.includes(template))
    return [
      { path: `${at}.template`, message: `unknown template "${template}"; known: ${known.join(', ')}` },
    ];
  const has = templates.meta(template).channels;
  return channels.flatMap((entry, i) =>
    (Array.isArray(entry)
      ? entry.map((channel, j) => ({ channel, path: `[${i}][${j}]` }))
      : [{ channel: entry, path: `[${i}]` }]
    )
      .filter(({ channel }) => !has.includes(channel))
      .map(({ channel, path }) => ({
        path: `${at}.channels${path}`,
        message: `template "${template}" has no ${channel} version (it has ${has.join(', ')})`,
      })),
  );
}

export function scheduleTemplateIssues(schedule: ScheduleConfig, templates: TemplateRegistry): FieldIssue[] {
  return [
    ...schedule.steps.flatMap((step, i) =>
      step.template ? templateIssues(templates, step.template, step.channels, `steps[${i}]`) : [],
    ),
    ...(schedule.installments
      ? templateIssues(
          templates,
          schedule.installments.template,
          schedule.installments.channels,
          'installments',
        )
      : []),
  ];
}

/** The body as a schedule, or every issue with its path (`steps[2].template`). */
export function parseScheduleBody(
  body: unknown,
  templates: TemplateRegistry,
): { ok: true; schedule: ScheduleConfig } | { ok: false; issues: FieldIssue[] } {
  const parsed = scheduleSchema.safeParse(body);
  if (!parsed.success)
    return {
      ok: false,
      issues: parsed.error.issues.flatMap((i) =>
        // An unknown field is named by its own path, each one.
        i.code === 'unrecognized_keys'
          ? i.keys.map((key) => ({ path: formatPath([...i.path, key]), message: 'unknown field' }))
          : [{ path: formatPath(i.path), message: issueMessage(i) }],
      ),
    };
  const issues = scheduleTemplateIssues(parsed.data, templates);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, schedule: parsed.data };
}
