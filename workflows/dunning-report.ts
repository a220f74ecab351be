/**
 * The projection a dunning workflow keeps in the store: what the API shows and the merge reads.
 * Pure: the workflow reports with it, and planDunning records a new run's first projection with it
 * (startReport), in the same call that plans the schedule.
 */
import type { SequenceReport } from '../activities';
import { pendingAfterLateEntry, type PlannedStep } from '../domain/sequence-types';
import type { DunningInput, DunningState } from './messages';

type Report = Omit<SequenceReport, 'updatedAt'>;

/** A dunning run's state before its schedule is planned. */
export function initialDunningState(input: DunningInput): DunningState {
  return {
    invoiceId: input.invoiceId,
    contactId: input.contactId,
    status: 'running',
    mode: 'escalating',
    outcome: null,
    pausedReason: null,
    nextStep: null,
    nextAt: null,
    escalation: 0,
    steps: [],
    installments: [],
  };
}

/**
 * The schedule as a run entering at `nowMs` takes it: the steps still to go (from the latest one
 * already due, sent at once) and every step's tracked status.
 */
export function plannedStart(
  steps: PlannedStep[],
  nowMs: number,
): { queue: PlannedStep[]; tracked: DunningState['steps'] } {
  const queue = pendingAfterLateEntry(steps, nowMs);
  const tracked = steps.map((s) => ({
    id: s.id,
    at: s.at,
    status: queue.includes(s) ? ('pending' as const) : ('skipped' as const),
    outcomes: [],
  }));
  return { queue, tracked };
}

export function dunningReport(args: {
  state: DunningState;
  sequenceId: string;
  startedAt: string;
  nextStepId: string | null;
  nextAt: string | null;
}): Report {
  const { state } = args;
  const live = state.status !== 'completed';
  state.nextStep = live ? args.nextStepId : null;
  state.nextAt = live ? args.nextAt : null;
  return {
    id: args.sequenceId,
    type: 'invoice-dunning',
    subjectId: state.invoiceId,
    contactId: state.contactId,
    status: state.status,
    stage: state.mode,
    outcome: state.outcome,
    pausedReason: state.pausedReason,
    nextStep: state.nextStep,
    nextAt: state.nextAt,
    steps: state.steps.map((s) => ({ id: s.id, at: s.at, status: s.status })),
    escalation: state.escalation,
    startedAt: args.startedAt,
  };
}

/** What a run reports once planned, before its first wait: escalating, next at its first step to go. */
export function startReport(args: {
  input: DunningInput;
  sequenceId: string;
  startedAt: string;
  steps: PlannedStep[];
  nowMs: number;
}): Report {
  const { queue, tracked } = plannedStart(args.steps, args.nowMs);
  const next = queue[0];
  return dunningReport({
    state: { ...initialDunningState(args.input), steps: tracked },
    sequenceId: args.sequenceId,
    startedAt: args.startedAt,
    nextStepId: next?.id ?? null,
    nextAt: next?.at ?? null,
  });
}
