/**
 * Actions on a task no sequence holds (a contact-level task, opened by a reply from a contact
 * with no running invoice sequence): the store is its state. Claim, note, call outcome and close
 * apply here in one transaction, refused by the same rules as the workflow's validator
 * (domain/handoff-actions.ts); an action that needs a sequence gets a 409 and changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, RelanceError } from '../domain/errors';
import {
  refuseHandoffAction,
  taskStateOf,
  type HandoffAction,
  type HandoffTaskState,
} from '../domain/handoff-actions';
import { getContact } from '../store/contact-repository';
import type { Db, Sql } from '../store/db';
import { changeHandoffTask, getHandoff, type Handoff, type TaskChange } from '../store/handoff-repository';

const STORE_ACTIONS = new Set<HandoffAction['type']>(['claim', 'note', 'call_outcome', 'close']);

/** True for tasks no workflow holds: their actions are applied by applyStoreTaskAction. */
export const isStoreTask = (task: Handoff) => task.subjectKind === 'contact';

async function stateOf(sql: Sql, task: Handoff): Promise<HandoffTaskState> {
  const contact = await getContact(sql, task.contactId);
  // No message goes from here (send_message is refused above): no SMS budget.
  return taskStateOf(task, contact?.timezone ?? 'UTC', 0);
}

function changeOf(action: HandoffAction, previousOwner: string | null) {
  const { by } = action;
  const text = 'text' in action && action.text ? { text: action.text } : {};
  switch (action.type) {
    case 'claim':
      return {
        change: { status: 'claimed', owner: by } as const,
        event: { type: 'claimed', data: { previous: previousOwner, force: action.force === true } },
      };
    case 'note':
      return { change: {}, event: { type: 'note', data: { text: action.text } } };
    case 'call_outcome':
      return { change: {}, event: { type: 'call_outcome', data: { outcome: action.outcome, ...text } } };
    case 'close':
      return {
        change: { status: 'resolved', resolution: action.resolution } as const,
        event: { type: 'resolved', data: { resolution: action.resolution, ...text } },
      };
    default:
      throw new RelanceError(
        ErrorCode.Conflict,
        `This task is about the contact, with no sequence behind it: "${action.type}" needs an invoice sequence (claim, note, call_outcome and close apply)`,
      );
  }
}

/** Applies the action to the store-held task, or throws the refusal (409/400); nothing changes then. */
export async function applyStoreTaskAction(db: Db, id: number, action: HandoffAction, now: string) {
  await db.transaction(async (tx) => {
    const task = await getHandoff(tx, id, true);
    if (!task) throw new RelanceError(ErrorCode.NotFound, `No hand-off task "${id}"`);
    if (!STORE_ACTIONS.has(action.type)) changeOf(action, task.owner); // throws the 409
    const refusal = refuseHandoffAction(await stateOf(tx, task), action, Date.parse(now), () => 0);
    if (refusal) throw new RelanceError(refusal.code, refusal.message, refusal.issues);
    const { change, event } = changeOf(action, task.owner);
    const taskChange: TaskChange = { ...change, at: now };
    await changeHandoffTask(tx, task.id, taskChange, {
      ...event,
      by: action.by,
      at: now,
      key: `${task.sequenceId}|task${task.id}|api|${randomUUID()}`, // each call is one action
    });
  });
}
