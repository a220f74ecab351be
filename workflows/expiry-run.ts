/**
 * The state machine behind the generic expiry workflow: each step of the subject's schedule at
 * its time, an ending event (renewed, redeemed, used up, cancelled, erased) ends it at once, and
 * the date passing with none ends it `expired`. Deterministic: time from the workflow clock,
 * effects in activities, waits are durable timers or signals.
 */
import { condition, log, workflowInfo } from '@temporalio/workflow';
import type { DeliverInput, ExpiryPlan } from '../activities';
import { pendingAfterLateEntry, type PlannedStep, type SendOutcome } from '../domain/sequence-types';
import { act } from './activity-proxies';
import { expiryReport } from './expiry-report';
import type { ExpiryInput, ExpiryOutcome, ExpiryState, ItemEventSignal } from './messages';
import { runStep, type StepContext } from './step-sender';

const nowIso = () => new Date(Date.now()).toISOString();
const OUTCOMES: readonly string[] = ['renewed', 'redeemed', 'used', 'cancelled', 'expired', 'erased'];
const asOutcome = (value: string): ExpiryOutcome =>
  OUTCOMES.includes(value) ? (value as ExpiryOutcome) : 'cancelled';

export class ExpiryRun {
  readonly state: ExpiryState;
  private readonly inbox: ItemEventSignal[] = [];
  private readonly seen = new Set<string>();
  private readonly sequenceId = workflowInfo().workflowId;
  private readonly startedAt = nowIso();
  private readonly ref: { kind: string; itemId: string; expiresOn: string };
  private queue: PlannedStep[] = [];
  private plan: ExpiryPlan | null = null;
  private waitingUntil: string | null = null;
  private lastReport = '';

  constructor(private readonly input: ExpiryInput) {
    this.ref = { kind: input.kind, itemId: input.itemId, expiresOn: input.expiresOn };
    this.state = {
      kind: input.kind,
      itemId: input.itemId,
      contactId: input.contactId,
      expiresOn: input.expiresOn,
      status: 'running',
      outcome: null,
      nextStep: null,
      nextAt: null,
      steps: [],
    };
  }

  receive(event: ItemEventSignal): void {
    if (this.seen.has(event.eventId)) return;
    this.seen.add(event.eventId);
    this.inbox.push(event);
  }

  async run(): Promise<ExpiryState> {
    const plan = await act.planExpiry({ ...this.ref, sequenceId: this.sequenceId });
    this.plan = plan;
    // Late entry (contract §2, §4): of the steps already due, only the latest goes, once.
    this.queue = pendingAfterLateEntry(plan.steps, Date.now());
    this.state.steps = plan.steps.map((s) => ({
      id: s.id,
      at: s.at,
      status: this.queue.includes(s) ? 'pending' : 'skipped',
      outcomes: [],
    }));
    if (plan.closed) await this.finish(asOutcome(plan.closed));
    while (this.state.status !== 'completed') {
      await this.report();
      const wakeAt = this.nextWake(plan);
      const hasEvents = await condition(
        () => this.inbox.length > 0,
        Math.max(0, Date.parse(wakeAt) - Date.now()),
      );
      if (hasEvents) await this.handleInbox();
      else if (this.queue[0]) await this.onStepDue(this.queue[0]);
      else await this.finish(asOutcome(await act.lapseItem(this.ref)));
    }
    await this.report();
    return this.state;
  }

  /** The next step's time; after the last one, the end of the date (a lapse, if nothing came). */
  private nextWake(plan: ExpiryPlan): string {
    return this.queue[0]?.at ?? plan.lapsesAt;
  }

  private async onStepDue(step: PlannedStep): Promise<void> {
    const content: DeliverInput['content'] = {
      kind: this.input.kind,
      subjectIds: [this.input.itemId],
      mergeSameDay: true,
      extra: { expiresOn: this.input.expiresOn, stepDate: step.localDate },
    };
    const result = await runStep(this.stepContext(), step, content, 'notice');
    if (result === 'interrupted') return;
    if (result === 'erased') return this.finish('erased');
    // do_not_contact: the step's messages were suppressed; later steps are decided again when due.
    this.queue.shift();
    const tracked = this.state.steps.find((s) => s.id === step.id);
    if (tracked) tracked.status = 'done';
  }

  private async handleInbox(): Promise<void> {
    while (this.inbox.length > 0 && this.state.status !== 'completed') {
      const event = this.inbox.shift();
      if (event) await this.apply(event);
    }
  }

  private async apply(event: ItemEventSignal): Promise<void> {
    log.info('item event', { type: event.type, eventId: event.eventId });
    switch (event.type) {
      case 'card.renewed':
        return this.finish('renewed');
      case 'card.removed':
      case 'voucher.cancelled':
        return this.finish('cancelled');
      case 'voucher.redeemed':
        return this.finish('redeemed');
      case 'points.used': {
        // Some points left: the lot's reminders go on (they will say how many are left).
        const closed = await act.expiryCondition(this.ref);
        if (closed) await this.finish(asOutcome(closed));
        return;
      }
      case 'contact.erased':
        return this.finish('erased');
      case 'contact.do_not_contact':
        // Nothing ends: a waiting message is decided again now (and suppressed while flagged).
        return;
    }
  }

  private stepContext(): StepContext {
    return {
      sequenceId: this.sequenceId,
      sequenceType: this.input.sequenceType,
      contactId: this.input.contactId,
      round: 0,
      purpose: this.plan?.purpose ?? 'transactional',
      hasEvents: () => this.inbox.length > 0,
      waiting: async (until) => {
        this.waitingUntil = until;
        if (until) await this.report();
      },
      recorded: (stepId: string, outcome: SendOutcome) => {
        const step = this.state.steps.find((s) => s.id === stepId);
        step?.outcomes.push({
          channel: outcome.channel,
          status: outcome.kind,
          messageId: outcome.messageId,
          ...('reason' in outcome ? { reason: outcome.reason } : {}),
        });
      },
    };
  }

  /** Ends the sequence; a message still waiting for its window or a cap will not leave now. */
  private async finish(outcome: ExpiryOutcome): Promise<void> {
    this.state.status = 'completed';
    this.state.outcome = outcome;
    await act.closeOpenAttempts({
      sequenceId: this.sequenceId,
      status: 'suppressed',
      reason: outcome === 'erased' ? 'do_not_contact' : outcome === 'expired' ? 'expired' : 'settled',
      detail: `sequence ended: ${outcome}`,
    });
  }

  /** Keeps the store's projection current (what the API and the simulator read). */
  private async report(): Promise<void> {
    const live = this.state.status !== 'completed';
    this.state.nextStep = live ? (this.queue[0]?.id ?? null) : null;
    this.state.nextAt = live ? (this.waitingUntil ?? this.queue[0]?.at ?? this.plan?.lapsesAt ?? null) : null;
    const report = expiryReport({
      state: this.state,
      sequenceId: this.sequenceId,
      sequenceType: this.input.sequenceType,
      startedAt: this.startedAt,
    });
    const fingerprint = JSON.stringify(report);
    if (fingerprint === this.lastReport) return;
    this.lastReport = fingerprint;
    await act.recordSequence({ ...report, updatedAt: nowIso() });
  }
}
