/** The projection an expiry workflow keeps in the store: what the API and the simulator show. */
import type { SequenceReport } from '../activities';
import type { ExpiryState } from './messages';

export function expiryReport(args: {
  state: ExpiryState;
  sequenceId: string;
  sequenceType: string;
  startedAt: string;
}): Omit<SequenceReport, 'updatedAt'> {
  const { state } = args;
  return {
    id: args.sequenceId,
    type: args.sequenceType,
    subjectId: state.itemId,
    contactId: state.contactId,
    status: state.status,
    stage: state.status === 'completed' ? 'done' : 'counting_down',
    outcome: state.outcome,
    pausedReason: null,
    nextStep: state.status === 'completed' ? null : state.nextStep,
    nextAt: state.status === 'completed' ? null : state.nextAt,
    steps: state.steps.map((s) => ({ id: s.id, at: s.at, status: s.status })),
    escalation: 0,
    startedAt: args.startedAt,
  };
}
