/**
 * Records the workflow histories that tests/workflows/replay.test.ts replays against the current
 * workflow code: `npx tsx scripts/record-histories.ts`. Re-record only for a deliberate,
 * incompatible change, and guard that change with patched() so running sequences keep their path.
 * Invoices now run invoiceDunningWorkflowV2: the `-v1` dunning files are the first type's runs,
 * kept as they were recorded (re-recording writes the V2 ones, without the suffix).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { loadScenario } from '../cli/simulator/scenario';
import { runSimulation } from '../cli/simulator/run-simulation';
import { projectRoot } from '../runtime/paths';
import { campaignLoopId, campaignRunWorkflowId } from '../workflows/messages';
import { FIXTURE_PAYLOAD_KEYS } from '../tests/helpers/payload-keys';

const scenarios = [
  'payment-plan-missed.yaml',
  'dispute.yaml',
  'promise-broken.yaml',
  'capped-marketing.yaml',
  // The hand-off held for the notice's delay (patch handoff-after-notice-delay).
  '../tests/fixtures/scenarios/notice-delay.yaml',
  // A campaign's schedule loop, each of its executions, and its runs (patch campaign-loop-holds-runs).
  '../tests/fixtures/scenarios/weekly-offer-one-run.yaml',
  // Store calls as local activities, a step due on arrival without a timer (dunning-local-store-calls).
  'late-entry.yaml',
  // A send's first attempt as a local activity, deferred by quiet hours then sent (send-local-first-attempt).
  'quiet-hours.yaml',
];
/** Scenarios to record, by name: those given on the command line, else all of the above. */
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : scenarios;
const out = join(projectRoot, 'tests', 'fixtures', 'histories');
mkdirSync(out, { recursive: true });

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

function save(scenario: string, id: string, history: History, suffix = ''): void {
  // Binary protobuf (what the server sends), base64: exact, and independent of JSON mappings.
  const file = join(
    out,
    `${basename(scenario, '.yaml')}--${id.replace(/[^a-zA-Z0-9-]+/g, '_')}${suffix}.history.b64`,
  );
  const bytes = proto.temporal.api.history.v1.History.encode(
    proto.temporal.api.history.v1.History.fromObject(history),
  ).finish();
  writeFileSync(file, `${id}\n${Buffer.from(bytes).toString('base64')}\n`);
  process.stdout.write(`recorded ${file}\n`);
}

/** Each execution of a workflow that continues as new, first to last (`-1`, `-2`, …). */
async function saveChain(scenario: string, client: Client, id: string): Promise<void> {
  const latest = await client.workflow.getHandle(id).fetchHistory();
  let runId: string | undefined =
    latest.events?.[0]?.workflowExecutionStartedEventAttributes?.firstExecutionRunId ?? undefined;
  for (let n = 1; runId; n += 1) {
    const history = await client.workflow.getHandle(id, runId).fetchHistory();
    save(scenario, id, history, `-${n}`);
    const last = history.events?.[history.events.length - 1];
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
}

for (const name of chosen) {
  await runSimulation(loadScenario(join(projectRoot, 'examples', name)), {
    // Encrypted as in production, with the fixture key that replay.test.ts decrypts with.
    payloadKeys: FIXTURE_PAYLOAD_KEYS,
    async beforeTeardown(env, db) {
      const rows = await db.query<{ id: string }>('select id from sequences order by id');
      for (const { id } of rows) save(name, id, await env.client.workflow.getHandle(id).fetchHistory());
      const campaigns = await db.query<{ id: string }>(
        `select id from campaigns where definition->'recurrence' is not null order by id`,
      );
      for (const { id } of campaigns) await saveChain(name, env.client, campaignLoopId(id));
      const runs = await db.query<{ id: string }>('select run_id as id from campaign_runs order by run_id');
      for (const { id } of runs) await saveChain(name, env.client, campaignRunWorkflowId(id));
    },
  });
}
