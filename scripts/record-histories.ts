/**
 * Records the workflow histories that tests/workflows/replay.test.ts replays against the current
 * workflow code: `npx tsx scripts/record-histories.ts`. Re-record only for a deliberate,
 * incompatible change, and guard that change with patched() so running sequences keep their path.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import proto from '@temporalio/proto';
import { loadScenario } from '../cli/simulator/scenario';
import { runSimulation } from '../cli/simulator/run-simulation';
import { projectRoot } from '../runtime/paths';
import { FIXTURE_PAYLOAD_KEYS } from '../tests/helpers/payload-keys';

const scenarios = [
  'payment-plan-missed.yaml',
  'dispute.yaml',
  'promise-broken.yaml',
  'capped-marketing.yaml',
  // The hand-off held for the notice's delay (patch handoff-after-notice-delay).
  '../tests/fixtures/scenarios/notice-delay.yaml',
  // Store calls as local activities, a step due on arrival without a timer (dunning-local-store-calls).
  'late-entry.yaml',
];
/** Scenarios to record, by name: those given on the command line, else all of the above. */
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : scenarios;
const out = join(projectRoot, 'tests', 'fixtures', 'histories');
mkdirSync(out, { recursive: true });

for (const name of chosen) {
  await runSimulation(loadScenario(join(projectRoot, 'examples', name)), {
    // Encrypted as in production, with the fixture key that replay.test.ts decrypts with.
    payloadKeys: FIXTURE_PAYLOAD_KEYS,
    async beforeTeardown(env, db) {
      const rows = await db.query<{ id: string }>('select id from sequences order by id');
      for (const { id } of rows) {
        const history = await env.client.workflow.getHandle(id).fetchHistory();
        // Binary protobuf (what the server sends), base64: exact, and independent of JSON mappings.
        const file = join(
          out,
          `${basename(name, '.yaml')}--${id.replace(/[^a-zA-Z0-9-]+/g, '_')}.history.b64`,
        );
        const bytes = proto.temporal.api.history.v1.History.encode(
          proto.temporal.api.history.v1.History.fromObject(history),
        ).finish();
        writeFileSync(file, `${id}\n${Buffer.from(bytes).toString('base64')}\n`);
        process.stdout.write(`recorded ${file}\n`);
      }
    },
  });
}
