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
import { parseHandoffAction, type HandoffAction } from '../../domain/handoff-actions';
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
  /** Agents' actions (`{ at, agent: { subjectId, type, by, … } }`), sorted by time. */
  agentActions: { index: number; at: string; subjectId: string; action: HandoffAction }[];
}

/** The agent items of a scenario's events, checked as the API checks an action's body. */
function agentActionsOf(
  raw: { at: string; agent?: unknown }[],
  issues: FieldIssue[],
): Scenario['agentActions'] {
  const out: Scenario['agentActions'] = [];
  raw.forEach((e, index) => {
    if (e.agent === undefined) return;
    const where = `events[${index}].agent`;
    const body = typeof e.agent === 'object' && e.agent !== null ? (e.agent as Record<string, unknown>) : {};
    const { subjectId, ...rest } = body;
    if (typeof subjectId !== 'string' || subjectId.length === 0)
      issues.push({ path: `${where}.subjectId`, message: "expected the id of the hand-off's subject" });
    const parsed = parseHandoffAction(rest);
    if (!parsed.ok)
      issues.push(...parsed.issues.map((i) => ({ path: `${where}.${i.path}`, message: i.message })));
    else if (typeof subjectId === 'string')
      out.push({ index, at: new Date(e.at).toISOString(), subjectId, action: parsed.action });
  });
  return out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.index - b.index);
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
  // Agent actions and events share the list; each keeps its own index for error messages.
  const eventItems = raw.events.map((e, index) => ({ e, index })).filter(({ e }) => !('agent' in e));
  const agentActions = agentActionsOf(raw.events, issues);
  const checked = parseEvents(eventItems.map(({ e }) => e));
  if (!checked.ok)
    issues.push(
      ...checked.issues.map((i) => {
        const m = /^\[(\d+)\](.*)$/.exec(i.path);
        const original = m ? eventItems[Number(m[1])]?.index : undefined;
        return {
          path: original === undefined ? `events${i.path}` : `events[${original}]${m?.[2] ?? ''}`,
          message: i.message,
        };
      }),
    );
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
    .map((event, i) => ({
      index: eventItems[i]?.index ?? i,
      at: new Date(event.at ?? raw.start).toISOString(),
      event,
    }))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.index - b.index);
  return {
    name: raw.name ?? path,
    start: new Date(raw.start).toISOString(),
    until: new Date(raw.until).toISOString(),
    ...(raw.config ? { configFile: resolve(dirname(path), raw.config) } : {}),
    contacts: raw.contacts,
    events,
    agentActions,
  };
}
