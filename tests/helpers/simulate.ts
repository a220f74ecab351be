/**
 * Runs a scenario through the real simulator and offers small readers over its timeline and over
 * what the local outbox (the provider) received: what the customer actually got.
 */
import { fileURLToPath } from 'node:url';
import { sqlOutboxStore, type OutboxRecord } from '../../channels/outbox/outbox-store';
import { loadScenario } from '../../cli/simulator/scenario';
import { runSimulation, type SimulationOptions } from '../../cli/simulator/run-simulation';
import type { Timeline, TimelineMessage } from '../../cli/simulator/timeline';

export const examplePath = (name: string) =>
  fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));
export const fixturePath = (name: string) =>
  fileURLToPath(new URL(`../fixtures/scenarios/${name}`, import.meta.url));

/** A timeline plus the outbox's records, oldest first. */
export type Simulated = Timeline & { outbox: OutboxRecord[] };

export async function simulateFile(file: string, options: SimulationOptions = {}): Promise<Simulated> {
  let outbox: OutboxRecord[] = [];
  const timeline = await runSimulation(loadScenario(file), {
    ...options,
    beforeTeardown: async (env, db) => {
      await options.beforeTeardown?.(env, db);
      outbox = await sqlOutboxStore(db).list();
    },
  });
  return { ...timeline, outbox };
}

export const simulateExample = (name: string, options?: SimulationOptions): Promise<Simulated> =>
  simulateFile(examplePath(name), options);

/** "channel to" of each message the provider received, in the order it received them. */
export const delivered = (t: Simulated, to?: string): string[] =>
  t.outbox.filter((r) => !to || r.to === to).map((r) => `${r.channel} ${r.to}`);

/** The provider records sent to `to` on `channel`, oldest first. */
export const receivedBy = (t: Simulated, channel: 'email' | 'sms', to: string): OutboxRecord[] =>
  t.outbox.filter((r) => r.channel === channel && r.to === to);

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
