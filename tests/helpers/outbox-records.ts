/** Runs a scenario of tests/fixtures/scenarios and keeps what the local outbox received. */
import { fileURLToPath } from 'node:url';
import { sqlOutboxStore, type OutboxRecord } from '../../channels/outbox/outbox-store';
import { loadScenario } from '../../cli/simulator/scenario';
import { runSimulation } from '../../cli/simulator/run-simulation';
import type { Timeline } from '../../cli/simulator/timeline';

export interface SimulatedRun {
  timeline: Timeline;
  /** What the provider side (SendGrid and Twilio as the outbox emulates them) received, oldest first. */
  outbox: OutboxRecord[];
}

export async function simulateFixture(name: string): Promise<SimulatedRun> {
  let outbox: OutboxRecord[] = [];
  const file = fileURLToPath(new URL(`../fixtures/scenarios/${name}`, import.meta.url));
  const timeline = await runSimulation(loadScenario(file), {
    beforeTeardown: async (_env, db) => {
      outbox = await sqlOutboxStore(db).list();
    },
  });
  return { timeline, outbox };
}
