/**
 * How the API executes an agent's action: the `handoffAction` Update on the sequence's workflow,
 * waiting for its answer. A refusal by the validator comes back typed (CONFLICT, INVALID_INPUT)
 * and becomes the same RelanceError (409, 400) as any other; nothing changed then.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ErrorCode, RelanceError, type FieldIssue } from '../domain/errors';
import type { HandoffAction } from '../domain/handoff-actions';
import { handoffActionUpdate, type HandoffActionResult } from '../workflows/messages';

export type HandoffActionExecutor = (
  sequenceId: string,
  action: HandoffAction,
) => Promise<HandoffActionResult>;

function issuesOf(failure: ApplicationFailure): FieldIssue[] {
  const [first] = failure.details ?? [];
  return Array.isArray(first)
    ? first.filter(
        (i): i is FieldIssue =>
          typeof i === 'object' && i !== null && typeof (i as FieldIssue).path === 'string',
      )
    : [];
}

export function temporalHandoffActions(client: Client): HandoffActionExecutor {
  return async (sequenceId, action) => {
    try {
      return await client.workflow
        .getHandle(sequenceId)
        .executeUpdate(handoffActionUpdate, { args: [action] });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError)
        throw new RelanceError(
          ErrorCode.Conflict,
          'The sequence behind this task has ended: no action changes it',
        );
      if (!(error instanceof WorkflowUpdateFailedError)) throw error;
      const cause = error.cause;
      if (cause instanceof ApplicationFailure && cause.type === ErrorCode.InvalidInput)
        throw new RelanceError(ErrorCode.InvalidInput, cause.message, issuesOf(cause));
      if (cause instanceof ApplicationFailure && cause.type === ErrorCode.Conflict)
        throw new RelanceError(ErrorCode.Conflict, cause.message);
      throw error;
    }
  };
}
