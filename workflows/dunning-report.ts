/** The projection a dunning workflow keeps in the store: what the API shows and the merge reads. */
import type { SequenceReport } from '../activities';
import type { DunningState } from './messages';

export function dunningReport(args: {
  state: DunningState;
  sequenceId: string;
  startedAt: string;
  nextStepId: string | null;
  nextAt: string | null;
}): Omit<SequenceReport, 'updatedAt'> {
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
