/**
 * Hand-off tasks for agents and finance (contract section 6): the list (filters, overdue flag,
 * sort by due-by time or amount), one task with its subject, contact and timeline, and actions,
 * executed by the sequence's workflow and answered with the task's new state.
 */
import type { FastifyInstance } from 'fastify';
import { ErrorCode, RelanceError, invalidInput, type FieldIssue } from '../domain/errors';
import { parseHandoffAction } from '../domain/handoff-actions';
import { isOverdue } from '../domain/handoff-due';
import type { Db, Sql } from '../store/db';
import { getContact } from '../store/contact-repository';
import {
  getHandoff,
  handoffEvents,
  listHandoffs,
  replyLabelsOfTasks,
  type Handoff,
  type HandoffEvent,
  type HandoffStatus,
} from '../store/handoff-repository';
import { repliesByIds } from '../store/inbound-repository';
import { getInvoices, type Invoice } from '../store/invoice-repository';
import { messagesAbout } from '../store/ledger-repository';
import type { Principal } from './auth';
import { applyStoreTaskAction, isStoreTask } from './contact-task-actions';
import type { HandoffActionExecutor } from './handoff-actions';
import { requireJson } from './input-guard';
import { invoiceView, messageView } from './views';

const STATUSES: HandoffStatus[] = ['open', 'claimed', 'resolved'];
const SORTS = ['dueBy', '-dueBy', 'amount', '-amount', 'at'] as const;
const access = { access: ['agent', 'finance'] } as const;

interface ListQuery {
  status?: string;
  owner?: string;
  overdue?: string;
  sort?: string;
}

function parseQuery(q: ListQuery) {
  const issues: FieldIssue[] = [];
  if (q.status !== undefined && !STATUSES.includes(q.status as HandoffStatus))
    issues.push({ path: 'query.status', message: `expected one of ${STATUSES.join(', ')}` });
  if (q.overdue !== undefined && q.overdue !== 'true' && q.overdue !== 'false')
    issues.push({ path: 'query.overdue', message: 'expected true or false' });
  if (q.sort !== undefined && !(SORTS as readonly string[]).includes(q.sort))
    issues.push({ path: 'query.sort', message: `expected one of ${SORTS.join(', ')}` });
  if (issues.length) throw invalidInput(issues);
  return q;
}

function taskView(h: Handoff, invoices: Invoice[], now: string, labels: string[]) {
  const amountDue = invoices.length ? invoiceView(invoices[0] as Invoice).amountDue : null;
  return {
    id: h.id,
    status: h.status,
    owner: h.owner,
    reasonCode: h.reasonCode,
    reason: h.reason,
    /** Labels of the customer's replies on the task (`already_paid`, `dispute`…). */
    labels,
    at: h.at,
    dueBy: h.dueBy,
    overdue: isOverdue(h, now),
    resolution: h.resolution,
    resolvedAt: h.resolvedAt,
    contactId: h.contactId,
    sequenceId: h.sequenceId,
    subject: { kind: h.subjectKind, ids: h.subjectIds },
    subjectIds: h.subjectIds,
    amountDue,
    currency: invoices[0]?.currency ?? null,
  };
}

const compare = (sort: string) => {
  const key = sort.replace(/^-/, '');
  const sign = sort.startsWith('-') ? -1 : 1;
  return (a: ReturnType<typeof taskView>, b: ReturnType<typeof taskView>) => {
    const value = (t: typeof a) =>
      key === 'amount'
        ? Number(t.amountDue ?? 0)
        : key === 'dueBy'
          ? Date.parse(t.dueBy ?? '') || 0
          : Date.parse(t.at);
    return sign * (value(a) - value(b)) || a.id - b.id;
  };
};

async function withInvoices(db: Sql, tasks: Handoff[]) {
  const invoices = await getInvoices(db, [...new Set(tasks.flatMap((t) => t.subjectIds))]);
  const byId = new Map(invoices.map((i) => [i.id, i]));
  return (t: Handoff) => t.subjectIds.flatMap((id) => byId.get(id) ?? []);
}

async function taskOr404(db: Sql, raw: string): Promise<Handoff> {
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  const task = Number.isFinite(id) ? await getHandoff(db, id) : undefined;
  if (!task) throw new RelanceError(ErrorCode.NotFound, `No hand-off task "${raw}"`);
  return task;
}

export function registerHandoffRoutes(
  app: FastifyInstance,
  deps: { db: Db; now: () => string; handoffActions?: HandoffActionExecutor | undefined },
): void {
  const { db, now } = deps;

  app.get<{ Querystring: ListQuery }>('/v1/handoffs', { config: access }, async (request) => {
    const q = parseQuery(request.query);
    const tasks = await listHandoffs(db, {
      ...(q.status ? { status: q.status as HandoffStatus } : {}),
      ...(q.owner ? { owner: q.owner } : {}),
    });
    const invoicesOf = await withInvoices(db, tasks);
    const labels = await replyLabelsOfTasks(
      db,
      tasks.map((t) => t.id),
    );
    const at = now();
    const views = tasks
      .map((t) => taskView(t, invoicesOf(t), at, labels.get(t.id) ?? []))
      .filter((t) => q.overdue === undefined || t.overdue === (q.overdue === 'true'))
      .sort(compare(q.sort ?? 'dueBy'));
    return { handoffs: views };
  });

  app.get<{ Params: { id: string } }>('/v1/handoffs/:id', { config: access }, async (request) => {
    const task = await taskOr404(db, request.params.id);
    return detail(db, task, now());
  });

  app.post<{ Params: { id: string } }>(
    '/v1/handoffs/:id/actions',
    { onRequest: requireJson, config: access },
    async (request) => {
      const task = await taskOr404(db, request.params.id);
      const action = actionOf(request.body, request.principal);
      if (task.status === 'resolved')
        throw new RelanceError(
          ErrorCode.Conflict,
          `The task is resolved (${task.resolution ?? 'no resolution'}): no action changes it any more`,
        );
      if (isStoreTask(task)) {
        await applyStoreTaskAction(db, task.id, action, now());
        return detail(db, (await getHandoff(db, task.id)) ?? task, now());
      }
      if (!deps.handoffActions)
        throw new RelanceError(
          ErrorCode.NotConfigured,
          'This API runs without a Temporal client: actions are off',
        );
      const result = await deps.handoffActions(task.sequenceId, action);
      const fresh = (await getHandoff(db, task.id)) ?? task;
      return { ...(await detail(db, fresh, now())), ...(result.message ? { message: result.message } : {}) };
    },
  );
}

/** The body as an action; `by` defaults to the token's name, `role` is always the token's. */
function actionOf(body: unknown, principal: Principal | undefined) {
  const given =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : null;
  if (!given) throw invalidInput([{ path: '(root)', message: 'expected an object' }]);
  const { role: _ignored, ...rest } = given;
  void _ignored;
  const parsed = parseHandoffAction({ ...rest, by: rest['by'] ?? principal?.name });
  if (!parsed.ok) throw invalidInput(parsed.issues);
  return { ...parsed.action, ...(principal ? { role: principal.role } : {}) };
}

async function detail(db: Sql, task: Handoff, now: string) {
  const [invoices, contact, events, messages, labels] = await Promise.all([
    getInvoices(db, task.subjectIds),
    getContact(db, task.contactId),
    handoffEvents(db, task.id),
    Promise.all(task.subjectIds.map((id) => messagesAbout(db, id))).then((all) => all.flat()),
    replyLabelsOfTasks(db, [task.id]),
  ]);
  const timeline = [
    ...messages.map((m) => ({
      at: m.sentAt ?? m.plannedAt,
      kind: 'message' as const,
      message: messageView(m),
    })),
    ...(await replyEntries(db, events)),
    ...events
      .filter((e) => e.type !== 'reply')
      .map((e) => ({ at: e.at, kind: 'event' as const, type: e.type, by: e.by, data: e.data })),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return {
    ...taskView(task, invoices, now, labels.get(task.id) ?? []),
    subject: { kind: task.subjectKind, ids: task.subjectIds, invoices: invoices.map(invoiceView) },
    contact: contact
      ? {
          id: contact.id,
          firstName: contact.firstName,
          lastName: contact.lastName,
          email: contact.email,
          phone: contact.phone,
          locale: contact.locale,
          timezone: contact.timezone,
          doNotContact: contact.doNotContact,
        }
      : null,
    timeline,
  };
}

/** The customers' replies on the task, with their words (kept in the store, scrubbed on erasure). */
async function replyEntries(db: Sql, events: HandoffEvent[]) {
  const ids = events.flatMap((e) =>
    e.type === 'reply' && typeof e.data['replyId'] === 'string' ? [e.data['replyId']] : [],
  );
  const replies = new Map((await repliesByIds(db, ids)).map((r) => [r.id, r]));
  return events.flatMap((e) => {
    const reply = e.type === 'reply' ? replies.get(String(e.data['replyId'])) : undefined;
    if (!reply) return [];
    const { id, channel, subject, text, labels, receivedAt } = reply;
    return [
      {
        at: e.at,
        kind: 'reply' as const,
        by: e.by,
        reply: { id, channel, subject, text, labels, receivedAt },
      },
    ];
  });
}
