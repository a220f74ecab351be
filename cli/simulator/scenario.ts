/**
 * Scenario files of `relance simulate` (shared/contract.md §3): a start and end instant,
 * contacts, dated events, and optional configuration overrides. Invalid scenarios are reported
 * with the file, the path and what was expected (exit status 2).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { formatPath, type FieldIssue } from '../../domain/errors';
import { contactUpsertedData, issueMessage, parseEvents, type RelanceEvent } from '../../domain/events';
import { zInstant } from '../../domain/validators';

const scenarioSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  start: zInstant,
  until: zInstant,
  config: z.string().optional(),
  contacts: z.array(contactUpsertedData).default([]),
  events: z.array(z.object({ at: zInstant }).loose()).default([]),
});

export interface Scenario {
  name: string;
  start: string;
  until: string;
  /** Absolute path of the configuration override, if any. */
  configFile?: string;
  contacts: z.infer<typeof contactUpsertedData>[];
  /** Sorted by time (stable); each with its index in the file for error messages. */
  events: { index: number; at: string; event: RelanceEvent }[];
}

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly issues: FieldIssue[],
  ) {
    super(`Invalid scenario ${file}:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

function readStructured(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(file, [
      { path: '(file)', message: `cannot be read: ${(error as Error).message}` },
    ]);
  }
  try {
    return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ScenarioError(file, [
      {
        path: '(file)',
        message: `is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
      },
    ]);
  }
}

export function loadScenario(file: string): Scenario {
  const path = resolve(file);
  const parsed = scenarioSchema.safeParse(readStructured(path));
  if (!parsed.success) {
    throw new ScenarioError(
      path,
      parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: issueMessage(i) })),
    );
  }
  const raw = parsed.data;
  const issues: FieldIssue[] = [];
  const start = Date.parse(raw.start);
  const until = Date.parse(raw.until);
  if (until <= start) issues.push({ path: 'until', message: 'expected an instant after start' });
  const checked = parseEvents(raw.events);
  if (!checked.ok)
    issues.push(...checked.issues.map((i) => ({ path: `events${i.path}`, message: i.message })));
  raw.events.forEach((e, index) => {
    const at = Date.parse(e.at);
    if (at < start || at > until)
      issues.push({
        path: `events[${index}].at`,
        message: `expected an instant between start (${raw.start}) and until (${raw.until})`,
      });
  });
  if (issues.length > 0 || !checked.ok) throw new ScenarioError(path, issues);
  const events = checked.events
    .map((event, index) => ({ index, at: new Date(event.at ?? raw.start).toISOString(), event }))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.index - b.index);
  return {
    name: raw.name ?? path,
    start: new Date(raw.start).toISOString(),
    until: new Date(raw.until).toISOString(),
    ...(raw.config ? { configFile: resolve(dirname(path), raw.config) } : {}),
    contacts: raw.contacts,
    events,
  };
}
