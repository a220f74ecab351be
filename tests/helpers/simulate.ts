/** Runs an example scenario through the real simulator and offers small readers over its timeline. */
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../../cli/simulator/scenario';
import { runSimulation, type SimulationOptions } from '../../cli/simulator/run-simulation';
import type { Timeline, TimelineMessage } from '../../cli/simulator/timeline';

export const examplePath = (name: string) =>
  fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

export function simulateExample(name: string, options?: SimulationOptions): Promise<Timeline> {
  return runSimulation(loadScenario(examplePath(name)), options);
}

/** "step/channel" of each sent message, in time order. */
export function sentSteps(t: Timeline, subjectId?: string): string[] {
  return t.messages
    .filter((m) => m.status === 'sent' && (!subjectId || m.subjectIds.includes(subjectId)))
    .map((m) => `${m.step}/${m.channel}`);
}

export function find(
  t: Timeline,
  step: string,
  channel: 'email' | 'sms',
  subjectId?: string,
): TimelineMessage[] {
  return t.messages.filter(
    (m) => m.step === step && m.channel === channel && (!subjectId || m.subjectIds.includes(subjectId)),
  );
}

/**
 * The instant, to the minute. Work runs in real time while the simulated clock waits for it, so a
 * message leaves milliseconds (on a loaded machine, seconds) after the instant it was due.
 */
export const minute = (iso: string) => `${iso.slice(0, 16)}Z`;
