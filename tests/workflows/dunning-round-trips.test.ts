/**
 * What an invoice's first reminder costs the Temporal server: its store calls (planning, the
 * projection, snapshots) and a send's first attempt run as local activities, recorded in the
 * workflow task that asked for them, and a step already due goes without a timer. The send
 * activity (a task-queue activity that retries for days) only takes over from a failed first
 * attempt. The new history replays on the current code.
 */
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '../../runtime/paths';
import { createDataConverter } from '../../runtime/payload-codec';
import { FIXTURE_PAYLOAD_KEYS } from '../helpers/payload-keys';
import { delivered, simulateExample } from '../helpers/simulate';

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const SHORT_STORE_CALLS = ['planDunning', 'recordSequence', 'invoiceSnapshot'];

const scheduledActivities = (events: HistoryEvent[]) =>
  events.flatMap((e) => {
    const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
    return name ? [name] : [];
  });

const timerSeconds = (events: HistoryEvent[]) =>
  events.flatMap((e) => {
    const timeout = e.timerStartedEventAttributes?.startToFireTimeout;
    return timeout ? [Number(timeout.seconds ?? 0) + (timeout.nanos ?? 0) / 1e9] : [];
  });

const localActivityMarkers = (events: HistoryEvent[]) =>
  events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length;

/** The local activities a history recorded, by name, in order (core writes their type in the marker). */
const localActivities = (events: HistoryEvent[]) =>
  events.flatMap((e) => {
    const data = e.markerRecordedEventAttributes?.details?.['data']?.payloads?.[0]?.data;
    if (e.markerRecordedEventAttributes?.markerName !== 'core_local_activity' || !data) return [];
    return [(JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type: string }).activity_type];
  });

/** The events before the first timer: the workflow task in which an overdue invoice's first reminder left. */
const untilFirstTimer = (events: HistoryEvent[]) => {
  const timer = events.findIndex((e) => e.timerStartedEventAttributes);
  return timer < 0 ? events : events.slice(0, timer);
};

describe('round trips of a dunning sequence', () => {
  it('when an invoice arrives overdue, then its store calls run in the worker, the due step goes without a timer, and the history replays', async () => {
    let history: History | undefined;
    const t = await simulateExample('late-entry.yaml', {
      payloadKeys: FIXTURE_PAYLOAD_KEYS,
      beforeTeardown: async (env) => {
        history = await env.client.workflow.getHandle('invoice-dunning/INV-7').fetchHistory();
      },
    });
    expect(delivered(t).length).toBeGreaterThan(0);
    const events = history?.events ?? [];
    // New invoices run the type written with every earlier change in: no patch marker, no
    // search-attribute update; the plan records the first projection and the send the next one.
    expect(events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe(
      'invoiceDunningWorkflowV2',
    );
    expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).toEqual([]);
    expect(events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toEqual([]);
    // The D+5 reminder goes by email then SMS; no recordSequence call of its own around them.
    expect(localActivities(untilFirstTimer(events))).toEqual([
      'planDunning',
      'deliverMessage',
      'deliverMessage',
    ]);
    const activities = scheduledActivities(events);
    expect(activities.filter((name) => SHORT_STORE_CALLS.includes(name))).toEqual([]);
    // Four messages left, each at its first attempt in the worker: no send activity at all.
    expect(t.outbox).toHaveLength(4);
    expect(activities).toEqual(['openHandoffTask']); // the hand-off after the formal notice
    expect(localActivityMarkers(events)).toBeGreaterThanOrEqual(4 + 1); // the sends and the plan
    // The late entry's first step was due on arrival: no timer of a millisecond before it.
    expect(timerSeconds(events).filter((s) => s < 1)).toEqual([]);

    const replayed = await Worker.runReplayHistory(
      { workflowsPath, dataConverter: createDataConverter(FIXTURE_PAYLOAD_KEYS) },
      history ?? {},
      'invoice-dunning/INV-7',
    ).then(
      () => 'replayed',
      (error: unknown) => String(error),
    );
    expect(replayed).toBe('replayed');
  });
});
