/**
 * Agents' actions in a scenario: `{ at, agent: { subjectId, type, by, … } }` acts on the open
 * hand-off of that subject at that time, through the same Update the API executes. A refusal
 * (no open task, a resolved one, a claim someone else holds) is part of the output, not a crash.
 */
import type { Client } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { HandoffAction } from '../../domain/handoff-actions';
import type { Sql } from '../../store/db';
import { listHandoffs } from '../../store/handoff-repository';
import { handoffActionUpdate } from '../../workflows/messages';

export interface AgentActionResult {
  at: string;
  subjectId: string;
  type: HandoffAction['type'];
  by: string;
  /** `applied`, or `refused` with the reason the task gave. */
  status: 'applied' | 'refused';
  taskId: number | null;
  reason?: string;
}

export async function applyAgentAction(
  db: Sql,
  client: Client,
  item: { at: string; subjectId: string; action: HandoffAction },
): Promise<AgentActionResult> {
  const { action } = item;
  const base = { at: item.at, subjectId: item.subjectId, type: action.type, by: action.by };
  const open = (await listHandoffs(db, { subjectId: item.subjectId })).filter((h) => h.status !== 'resolved');
  const task = open[open.length - 1];
  if (!task)
    return { ...base, status: 'refused', taskId: null, reason: `no open hand-off for ${item.subjectId}` };
  try {
    await client.workflow
      .getHandle(task.sequenceId)
      .executeUpdate(handoffActionUpdate, { args: [{ ...action, role: action.role ?? 'agent' }] });
    return { ...base, status: 'applied', taskId: task.id };
  } catch (error) {
    if (!(error instanceof WorkflowUpdateFailedError)) throw error;
    const reason = error.cause instanceof ApplicationFailure ? error.cause.message : error.message;
    return { ...base, status: 'refused', taskId: task.id, reason };
  }
}
