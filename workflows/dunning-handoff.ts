/**
 * Hand-off tasks inside the dunning workflow: at a hand-off (the schedule's step, a dispute, a
 * do-not-contact flag) the sequence opens a task and waits for the agent, durably. Agents act
 * through the `handoffAction` Update: the validator refuses synchronously, the main loop applies
 * accepted actions in order (handleActions), and the Update answers with the task's new state.
 * Workflow code: deterministic, effects in activities.
 */
import { ApplicationFailure, condition, sleep } from '@temporalio/workflow';
import type { DeliverInput } from '../activities';
import { refuseHandoffAction, type HandoffAction, type TaskResolution } from '../domain/handoff-actions';
import { countSegments } from '../domain/sms-segments';
import { act } from './activity-proxies';
import { agentMessageInput, summary } from './agent-message';
import { DunningCore } from './dunning-core';
import type { HandoffActionResult, InvoiceEventSignal, ReplySignalData } from './messages';
import { deliverOrRecordFailure } from './step-sender';

const nowIso = () => new Date(Date.now()).toISOString();

type Answer = { ok: HandoffActionResult } | { refused: ApplicationFailure };

export abstract class DunningHandoff extends DunningCore {
  private readonly actions: { id: number; action: HandoffAction }[] = [];
  private readonly answers = new Map<number, Answer>();
  private actionCount = 0;
  private eventCount = 0;

  /** The events of the contract, as the run applies them (DunningRun). */
  protected abstract apply(event: InvoiceEventSignal): Promise<void>;
  /** Goes back to what a dispute paused (DunningRun). */
  protected abstract resumeAfterDispute(reason: string): Promise<void>;

  /**
   * Hand-offs open tasks and the sequence waits for them. Running sequences from before took
   * the old path (a hand-off row, then `handed_off`) and their histories hold no task
   * activities: replaying them must take that path again, so the new one sits behind a patch.
   */
  protected tasksEnabled(): boolean {
    return this.changed('handoff-task');
  }

  protected override async taskInstead(reasonCode: string, reason: string): Promise<boolean> {
    if (!this.tasksEnabled()) return false;
    await this.openTask(reasonCode, reason);
    return true;
  }

  protected hasActions(): boolean {
    return this.actions.length > 0;
  }

  /** The Update's validator: throws (nothing changes) when the task refuses the action. */
  validateAction(action: unknown): void {
    const refusal = refuseHandoffAction(this.task, action, Date.now(), (t) => countSegments(t).segments);
    if (refusal)
      throw ApplicationFailure.create({
        type: refusal.code,
        message: refusal.message,
        details: [refusal.issues],
        nonRetryable: true,
      });
  }

  /** The Update's handler: queues the action for the main loop and answers when it is applied. */
  async receiveAction(action: HandoffAction): Promise<HandoffActionResult> {
    this.actionCount += 1;
    const id = this.actionCount;
    this.actions.push({ id, action });
    await condition(() => this.answers.has(id));
    const answer = this.answers.get(id);
    this.answers.delete(id);
    if (!answer) throw new Error('no answer');
    if ('refused' in answer) throw answer.refused;
    return answer.ok;
  }

  protected async handleActions(): Promise<void> {
    for (let next = this.actions.shift(); next; next = this.actions.shift()) {
      try {
        // The task may have moved since validation (a payment resolved it): ask again.
        this.validateAction(next.action);
        const message = await this.applyAction(next.action);
        const task = { ...(this.task ?? this.missingTask()) };
        this.answers.set(next.id, { ok: message ? { task, message } : { task } });
      } catch (error) {
        if (!(error instanceof ApplicationFailure)) throw error;
        this.answers.set(next.id, { refused: error });
      }
    }
  }

  private missingTask(): never {
    throw ApplicationFailure.create({ type: 'CONFLICT', message: 'No hand-off task', nonRetryable: true });
  }

  /** Opens the task (or joins the one open: the new reason goes on its timeline). */
  protected async openTask(reasonCode: string, reason: string): Promise<void> {
    if (this.task && this.taskOpen()) {
      await this.taskEvent('handoff', 'relance', { reasonCode, reason });
      return;
    }
    this.task = await act.openHandoffTask({
      sequenceId: this.sequenceId,
      contactId: this.input.contactId,
      subjectKind: 'invoice',
      subjectIds: [this.input.invoiceId],
      reasonCode,
      reason,
      at: nowIso(),
    });
    this.state.task = this.task;
    // The sequence waits for the person: it shows as paused, why, until the task is resolved.
    this.state.status = 'paused';
    this.state.pausedReason = `handed off to a person: ${reason}`;
  }

  /**
   * A customer's reply that needs a person (ids and labels only): it joins the task open, or opens
   * one with the reply's reason; escalation waits while the task is open, and a reminder still
   * waiting for its window is held back.
   */
  protected async onReply(reply: ReplySignalData): Promise<void> {
    const entry = { replyId: reply.replyId, labels: reply.labels };
    if (!this.taskOpen()) {
      const reason = `customer's reply needs a person (${reply.labels.join(', ')})`;
      if (!(await this.taskInstead(reply.reasonCode, reason))) return;
      await act.closeOpenAttempts({
        sequenceId: this.sequenceId,
        status: 'suppressed',
        reason: 'paused',
        detail: reason,
      });
    }
    await this.taskEvent('reply', 'customer', entry);
  }

  protected async taskEvent(
    type: string,
    by: string,
    data: Record<string, unknown>,
    change: { status?: 'claimed' | 'resolved'; owner?: string; resolution?: TaskResolution } = {},
  ): Promise<void> {
    const task = this.task;
    if (!task) return;
    this.eventCount += 1;
    await act.recordHandoffChange({
      taskId: task.id,
      key: `${this.sequenceId}|task${task.id}|${this.eventCount}`,
      change,
      event: { type, by, data },
      at: nowIso(),
    });
    if (change.status) task.status = change.status;
    if (change.owner !== undefined) task.owner = change.owner;
    if (change.resolution) task.resolution = change.resolution;
  }

  protected async resolveTask(resolution: TaskResolution, by: string, data: Record<string, unknown> = {}) {
    if (!this.taskOpen()) return;
    await this.taskEvent('resolved', by, { resolution, ...data }, { status: 'resolved', resolution });
  }

  /** Escalation may resume under an open task (a broken promise): it still waits for the person. */
  protected override async resumeEscalation(reason: string): Promise<void> {
    await super.resumeEscalation(reason);
    if (!this.taskOpen()) return;
    this.state.status = 'paused';
    this.state.pausedReason = `handed off to a person: ${this.task?.reason ?? reason}`;
  }

  /** An ended sequence leaves no task open: it is resolved by what ended it. */
  protected override async finish(outcome: string): Promise<void> {
    if (this.taskOpen())
      await this.resolveTask(
        outcome === 'paid' ? 'paid' : outcome === 'dispute_customer_right' ? 'customer_right' : 'other',
        'relance',
        { outcome },
      );
    await super.finish(outcome);
  }

  private agentEventId(): string {
    return `agent:${this.task?.id ?? 0}:${this.eventCount + 1}`;
  }

  private async applyAction(action: HandoffAction): Promise<HandoffActionResult['message']> {
    const { by } = action;
    switch (action.type) {
      case 'claim': {
        const data = { previous: this.task?.owner ?? null, force: action.force === true };
        await this.taskEvent('claimed', by, data, { status: 'claimed', owner: by });
        return undefined;
      }
      case 'note':
        await this.taskEvent('note', by, { text: action.text });
        return undefined;
      case 'call_outcome':
        await this.taskEvent('call_outcome', by, {
          outcome: action.outcome,
          ...(action.text ? { text: action.text } : {}),
        });
        return undefined;
      case 'promise_to_pay':
      case 'payment_plan':
        await this.commitment(action);
        return undefined;
      case 'resume_automation':
        await this.resolveTask('automation_resumed', by, action.text ? { text: action.text } : {});
        if (this.state.mode === 'disputed') {
          await this.settleDispute('invoice_upheld');
          await this.resumeAfterDispute('agent resumed automation: invoice upheld');
        } else if (this.state.mode === 'escalating') await this.resumeEscalation('agent resumed automation');
        return undefined;
      case 'send_message':
        return this.agentMessage(action);
      case 'close':
        await this.resolveTask(action.resolution, by, action.text ? { text: action.text } : {});
        if (this.state.mode === 'disputed' && action.resolution === 'customer_right')
          await this.settleDispute('customer_right');
        await this.finish(action.resolution === 'customer_right' ? 'dispute_customer_right' : 'handed_off');
        return undefined;
    }
  }

  private settleDispute(outcome: 'invoice_upheld' | 'customer_right'): Promise<void> {
    return act.settleDispute({ invoiceId: this.input.invoiceId, outcome, at: nowIso() });
  }

  private async commitment(action: Extract<HandoffAction, { type: 'promise_to_pay' | 'payment_plan' }>) {
    const eventId = this.agentEventId();
    await act.recordAgentCommitment({ invoiceId: this.input.invoiceId, action, at: nowIso() });
    if (action.type === 'promise_to_pay') {
      const data = { promisedDate: action.promisedDate, ...(action.amount ? { amount: action.amount } : {}) };
      await this.taskEvent('promise_to_pay', action.by, data);
      const signal = { invoiceId: this.input.invoiceId, ...data };
      await this.apply({ eventId, type: 'invoice.promise_to_pay', at: nowIso(), data: signal });
      return;
    }
    await this.taskEvent('payment_plan', action.by, { installments: action.installments });
    // Installment reminders are automatic messages: the plan hands the invoice back to the sequence.
    await this.resolveTask('payment_plan', action.by);
    await this.apply({
      eventId,
      type: 'invoice.payment_plan',
      at: nowIso(),
      data: { invoiceId: this.input.invoiceId, installments: action.installments },
    });
  }

  /** The agent's own text, through consent, windows and dedup (not the daily caps). */
  private async agentMessage(action: Extract<HandoffAction, { type: 'send_message' }>) {
    const input = agentMessageInput({
      sequenceId: this.sequenceId,
      taskId: this.task?.id ?? 0,
      contactId: this.input.contactId,
      invoiceId: this.input.invoiceId,
      action,
      at: nowIso(),
    });
    const outcome = await deliverOrRecordFailure(input, this.changed);
    await this.taskEvent('message', action.by, {
      channel: action.channel,
      text: action.text,
      ...summary(outcome),
    });
    // A message the send window holds goes when it opens; the answer says when.
    if (outcome.kind === 'deferred') void this.deliverWhenDue(input, outcome.until, action.by);
    return { channel: action.channel, messageId: outcome.messageId, ...summary(outcome) };
  }

  private async deliverWhenDue(input: DeliverInput, until: string, by: string): Promise<void> {
    let next = until;
    for (;;) {
      await sleep(Math.max(0, Date.parse(next) - Date.now()));
      const outcome = await deliverOrRecordFailure(input, this.changed);
      if (outcome.kind !== 'deferred') {
        await this.taskEvent('message_outcome', by, { channel: input.channel, ...summary(outcome) });
        return;
      }
      next = outcome.until;
    }
  }
}
