/**
 * A campaign's schedule loop (`campaign/<id>`), one long-lived workflow per campaign, whatever its
 * audience (a list of contactIds or a segment) and whether it recurs or not: sleeps until its next
 * run opens, starts that run as its own workflow (`campaign-run/<runId>`, left running when the
 * loop moves on), then continues as new, so its history holds one run at most; the last run (a
 * one-shot campaign's only one) it waits for before looking again. Temporal Schedules are not
 * used: the time-skipping test server behind `relance simulate` lacks them, and this loop runs
 * the same there and in the stack.
 *
 * The store is the campaign's truth (its definition, its status), read at each wake-up: a pause
 * skips the runs that fall while paused (no catch-up on resume), a cancel ends the loop, a patch
 * moves the next run. Signals only wake the loop early; it also looks again every 6 hours.
 *
 * Since patch `campaign-loop-holds-runs`, the loop continues as new only when no run it started is
 * still going (or when Temporal suggests it), and waits for its runs before it returns. A child
 * that completes after its parent closed (ABANDON) is fine on a real server, but the Java
 * time-skipping server behind `relance simulate` then takes a time-skipping lock "unlocked by the
 * parent" that no parent ever releases (sdk-java #2392): simulated time froze after the first run.
 */
import {
  ChildWorkflowFailure,
  condition,
  continueAsNew,
  ParentClosePolicy,
  patched,
  setHandler,
  startChild,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { act } from './activity-proxies';
import { campaignChangedSignal, campaignRunWorkflowId, type CampaignLoopInput } from './campaign-messages';
import { campaignRunWorkflow } from './campaign-run.workflow';

/** A PATCH, pause or resume signals the loop (via the dispatcher); it also looks again this often. */
const LOOK_AGAIN_MS = 6 * 60 * 60 * 1000;
/** Patch id: the loop stays open while its runs go on (see above). */
const HOLD_RUNS = 'campaign-loop-holds-runs';
/** Patch id: the loop waits for its last run before looking again (see below). */
const LAST_RUN_AWAITED = 'campaign-loop-waits-for-last-run';

export async function campaignWorkflow(input: CampaignLoopInput): Promise<string> {
  let changed = false;
  setHandler(campaignChangedSignal, () => {
    changed = true;
  });
  const holdRuns = patched(HOLD_RUNS);
  let open = 0; // runs started by this execution and still going
  let closed = false; // one of them closed since the loop last looked
  const runsDone = () => condition(() => open === 0);
  let after = input.after;
  for (;;) {
    if (holdRuns && after !== input.after && (open === 0 || workflowInfo().continueAsNewSuggested))
      await continueAsNew<typeof campaignWorkflow>({ campaignId: input.campaignId, after });
    changed = false;
    closed = false;
    const outlook = await act.campaignOutlook({ campaignId: input.campaignId, after });
    if (outlook.status === 'missing' || outlook.status === 'cancelled' || outlook.status === 'completed') {
      await runsDone();
      return outlook.status;
    }
    const run = outlook.run;
    if (!run) {
      if (outlook.status === 'paused') {
        await condition(() => changed, LOOK_AGAIN_MS);
        continue;
      }
      // A run still going completes the campaign when it closes (it knows it is the last).
      if (outlook.status !== 'running') await act.campaignComplete({ campaignId: input.campaignId });
      await runsDone();
      return 'completed';
    }
    const wait = Date.parse(run.opensAt) - Date.now();
    if (wait > 0) {
      await condition(() => changed || closed, Math.min(wait, LOOK_AGAIN_MS));
      continue; // look again: the campaign may have changed, the hour has come, or a run closed
    }
    if (outlook.status !== 'paused') {
      const following = await act.campaignOutlook({ campaignId: input.campaignId, after: run.opensAt });
      const child = await startChild(campaignRunWorkflow, {
        workflowId: campaignRunWorkflowId(run.runId),
        args: [
          {
            campaignId: input.campaignId,
            runId: run.runId,
            date: run.date,
            opensAt: run.opensAt,
            last: !following.run,
          },
        ],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      if (holdRuns) {
        open += 1;
        const close = () => {
          open -= 1;
          closed = true;
        };
        child.result().then(close, close);
      }
      // The last run (a one-shot campaign's only one) completes the campaign when it closes; the
      // loop waits for it before looking again (a pause that stopped it leaves the campaign to a
      // resume, which then completes it). The older path looked again at once, could find the
      // campaign still `scheduled` before the run opened and complete it while the run went on (a
      // pause was then refused); and a loop closed before its run left the time-skipping test
      // server unable to skip time. patched(): loops running the older code replay unchanged.
      if (!following.run && patched(LAST_RUN_AWAITED))
        await child.result().catch((error: unknown) => {
          if (!(error instanceof ChildWorkflowFailure)) throw error; // the run's failure is its own
        });
    }
    // A paused campaign skips this run for good: no catch-up on resume.
    if (!holdRuns)
      await continueAsNew<typeof campaignWorkflow>({ campaignId: input.campaignId, after: run.opensAt });
    after = run.opensAt;
  }
}
