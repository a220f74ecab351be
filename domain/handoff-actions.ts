/**
 * What an agent may do with a hand-off task (contract section 6), and when the task refuses it.
 * Pure: the workflow's Update validator, the API and the simulator all ask the same two functions,
 * so a refusal says the same thing wherever it comes from and nothing is half-applied.
 */
import { isCalendarDate, isDateInRange } from './calendar-date';
import { ErrorCode, type FieldIssue } from './errors';

export const RESOLUTIONS = ['paid', 'written_off', 'sent_to_collection', 'customer_right', 'other'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
/** Resolutions the sequence sets by itself, beside the agents' own. */
export type TaskResolution = Resolution | 'invoice_upheld' | 'automation_resumed' | 'payment_plan';

export const CALL_OUTCOMES = ['answered', 'no_answer', 'voicemail', 'wrong_number'] as const;
export const ACTION_TYPES = [
  'claim',
  'note',
  'call_outcome',
  'promise_to_pay',
  'payment_plan',
  'resume_automation',
  'send_message',
  'close',
] as const;
export type HandoffActionType = (typeof ACTION_TYPES)[number];

interface Who {
  /** Who acts (the token's name by default). */
  by: string;
  /** The caller's role, set by the API from the token, never from the body. */
  role?: string;
  /** An admin taking over a task someone else holds. */
  force?: boolean;
}

export type HandoffAction = Who &
  (
    | { type: 'claim' }
    | { type: 'note'; text: string }
    | { type: 'call_outcome'; outcome: (typeof CALL_OUTCOMES)[number]; text?: string }
    | { type: 'promise_to_pay'; promisedDate: string; amount?: string }
    | { type: 'payment_plan'; installments: { dueDate: string; amount: string }[] }
    | { type: 'resume_automation'; text?: string }
    | { type: 'send_message'; channel: 'email' | 'sms'; text: string }
    | { type: 'close'; resolution: Resolution; text?: string }
  );

/** A task as its workflow holds it, and as an action answers it. */
export interface HandoffTaskState {
  id: number;
  status: 'open' | 'claimed' | 'resolved';
  owner: string | null;
  reasonCode: string;
  reason: string;
  dueBy: string | null;
  resolution: TaskResolution | null;
  /** The contact's zone: "today" for a promised date. */
  timezone: string;
  /** The SMS budget an agent's message must fit (config messages.smsMaxSegments). */
  smsMaxSegments: number;
}

/** A task's state from its stored row, the contact's zone and the SMS budget. */
export function taskStateOf(
  task: Pick<HandoffTaskState, 'id' | 'status' | 'owner' | 'reasonCode' | 'reason' | 'dueBy'>,
  timezone: string,
  smsMaxSegments: number,
): HandoffTaskState {
  const { id, status, owner, reasonCode, reason, dueBy } = task;
  return { id, status, owner, reasonCode, reason, dueBy, resolution: null, timezone, smsMaxSegments };
}

export interface ActionRefusal {
  code: typeof ErrorCode.InvalidInput | typeof ErrorCode.Conflict;
  message: string;
  issues: FieldIssue[];
}

const TEXT_MAX = 2000;
const AMOUNT = /^\d{1,12}(\.\d{1,3})?$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
/** A day that exists (2026-02-30 does not), within the years Relance accepts. */
const isDate = (v: unknown): v is string => typeof v === 'string' && isCalendarDate(v) && isDateInRange(v);
const isText = (v: unknown, max = TEXT_MAX): v is string =>
  typeof v === 'string' && v.trim().length > 0 && v.length <= max;

/** The action a body describes, or every field that is wrong (paths as the caller wrote them). */
export function parseHandoffAction(
  body: unknown,
): { ok: true; action: HandoffAction } | { ok: false; issues: FieldIssue[] } {
  if (!isObject(body)) return { ok: false, issues: [{ path: '(root)', message: 'expected an object' }] };
  const issues: FieldIssue[] = [];
  const need = (field: string, ok: boolean, message: string) => {
    if (!ok) issues.push({ path: field, message });
  };
  const type = body['type'];
  const oneOf = (field: string, values: readonly string[]) =>
    need(field, (values as readonly unknown[]).includes(body[field]), `expected one of ${values.join(', ')}`);
  const requiredText = (field: string) =>
    need(field, isText(body[field]), `expected a text of 1 to ${TEXT_MAX} characters`);
  const optionalText = (field: string) =>
    need(
      field,
      body[field] === undefined || isText(body[field]),
      `expected a text of 1 to ${TEXT_MAX} characters`,
    );
  oneOf('type', ACTION_TYPES);
  need('by', isText(body['by'], 100), 'expected who acts: a name of 1 to 100 characters');
  need('force', body['force'] === undefined || typeof body['force'] === 'boolean', 'expected a boolean');
  switch (type) {
    case 'note':
      requiredText('text');
      break;
    case 'call_outcome':
      oneOf('outcome', CALL_OUTCOMES);
      optionalText('text');
      break;
    case 'promise_to_pay':
      need('promisedDate', isDate(body['promisedDate']), 'expected a date YYYY-MM-DD that exists');
      need(
        'amount',
        body['amount'] === undefined || (typeof body['amount'] === 'string' && AMOUNT.test(body['amount'])),
        'expected a decimal string such as "120.00"',
      );
      break;
    case 'payment_plan':
      installmentIssues(body['installments']).forEach((i) => issues.push(i));
      break;
    case 'send_message':
      need('channel', body['channel'] === 'email' || body['channel'] === 'sms', 'expected email or sms');
      requiredText('text');
      break;
    case 'close':
      oneOf('resolution', RESOLUTIONS);
      optionalText('text');
      break;
    default:
      optionalText('text');
  }
  return issues.length ? { ok: false, issues } : { ok: true, action: body as unknown as HandoffAction };
}

function installmentIssues(value: unknown): FieldIssue[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 36)
    return [{ path: 'installments', message: 'expected 1 to 36 installments' }];
  return value.flatMap((item: unknown, i): FieldIssue[] => {
    const at = `installments[${i}]`;
    if (!isObject(item)) return [{ path: at, message: 'expected { dueDate, amount }' }];
    const out: FieldIssue[] = [];
    if (!isDate(item['dueDate']))
      out.push({ path: `${at}.dueDate`, message: 'expected a date YYYY-MM-DD that exists' });
    if (typeof item['amount'] !== 'string' || !AMOUNT.test(item['amount']))
      out.push({ path: `${at}.amount`, message: 'expected a decimal string such as "120.00"' });
    return out;
  });
}

/** The contact-local date of an instant (YYYY-MM-DD), with Intl only (usable in workflow code). */
export function localDate(epochMs: number, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(epochMs));
}

/**
 * Why the task refuses the action now, or undefined when it may go: 409 for the task's state (it
 * is resolved, someone else holds it), 400 for what the action says (a past date, a shape the
 * parser refuses, an SMS over budget). `segments` counts an SMS text's segments.
 */
export function refuseHandoffAction(
  task: HandoffTaskState | null,
  input: unknown,
  now: number,
  segments: (text: string) => number,
): ActionRefusal | undefined {
  const parsed = parseHandoffAction(input);
  if (!parsed.ok)
    return { code: ErrorCode.InvalidInput, message: 'The action is invalid', issues: parsed.issues };
  const action = parsed.action;
  const conflict = (message: string): ActionRefusal => ({ code: ErrorCode.Conflict, message, issues: [] });
  const invalid = (path: string, message: string): ActionRefusal => ({
    code: ErrorCode.InvalidInput,
    message,
    issues: [{ path, message }],
  });
  if (!task) return conflict('No hand-off task is open for this subject');
  if (task.status === 'resolved')
    return conflict(
      `The task is resolved (${task.resolution ?? 'no resolution'}): no action changes it any more`,
    );
  const othersTask = task.status === 'claimed' && task.owner !== null && task.owner !== action.by;
  if (action.type === 'claim' && othersTask && !(action.force === true && action.role === 'admin'))
    return conflict(
      `The task is claimed by ${task.owner ?? ''}; only an admin with "force": true takes it over`,
    );
  if (action.type === 'promise_to_pay') {
    const today = localDate(now, task.timezone);
    if (action.promisedDate < today)
      return invalid('promisedDate', `expected a date from ${today} (today for the contact) onwards`);
  }
  if (action.type === 'send_message' && action.channel === 'sms') {
    const count = segments(action.text);
    if (count > task.smsMaxSegments)
      return invalid('text', `the SMS takes ${count} segments; at most ${task.smsMaxSegments} may be sent`);
  }
  return undefined;
}
