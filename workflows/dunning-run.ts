/**
 * The state machine behind the invoice dunning workflow. Deterministic: time comes from the
 * workflow clock, every effect is an activity, every wait is a durable timer or a signal.
 */
import { ActivityFailure, condition, log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities, InstallmentPlan, InvoiceSnapshot, PromiseTerms } from '../activities';
import type { DeliverInput } from '../activities';
import {
  fallsBack,
  pendingAfterLateEntry,
  type PlannedStep,
  type SendOutcome,
} from '../domain/sequence-types';
import type { DunningInput, DunningMode, DunningState, InvoiceEventSignal } from './messages';

const act = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
const send = proxyActivities<Activities>({
  startToCloseTimeout: '60 seconds',
  // A provider outage may last hours: keep trying for two days, then record the failure and go on.
  scheduleToCloseTimeout: '2 days',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '15 minutes',
    nonRetryableErrorTypes: ['INVALID_TEMPLATE', 'NOT_FOUND'],
  },
});

const nowIso = () => new Date(Date.now()).toISOString();
type StepResult = 'done' | 'interrupted' | 'ended';

export class DunningRun {
  readonly state: DunningState;
  private readonly inbox: InvoiceEventSignal[] = [];
  private readonly seen = new Set<string>();
  private readonly sequenceId = workflowInfo().workflowId;
  private readonly startedAt = nowIso();
  private queue: PlannedStep[] = [];
  private plan: InstallmentPlan | null = null;
  private promise: PromiseTerms | null = null;
  private resumeMode: DunningMode = 'escalating';
  private round = 0;
  private deferredUntil: string | null = null;
  private lastReport = '';

  constructor(private readonly input: DunningInput) {
    this.state = {
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

  receive(event: InvoiceEventSignal): void {
    if (this.seen.has(event.eventId)) return;
    this.seen.add(event.eventId);
    this.inbox.push(event);
  }

  async run(): Promise<DunningState> {
    const plan = await act.planDunning({ invoiceId: this.input.invoiceId });
    this.queue = pendingAfterLateEntry(plan.steps, Date.now());
    this.state.steps = plan.steps.map((s) => ({
      id: s.id,
      at: s.at,
      status: this.queue.includes(s) ? 'pending' : 'skipped',
      outcomes: [],
    }));
    if (plan.condition === 'settled') return this.finish(plan.closedReason ?? 'settled');
    while (this.state.status !== 'completed') {
      await this.report();
      const wakeAt = this.nextWake();
      const hasEvents = wakeAt
        ? await condition(() => this.inbox.length > 0, Math.max(0, Date.parse(wakeAt) - Date.now()))
        : await condition(() => this.inbox.length > 0).then(() => true);
      if (hasEvents) await this.handleInbox();
      else await this.onTime();
    }
    await this.report();
    return this.state;
  }

  private nextWake(): string | null {
    switch (this.state.mode) {
      case 'escalating':
        return this.queue[0]?.at ?? null;
      case 'payment_plan':
        return this.plan?.points[0]?.at ?? null;
      case 'promise':
        return this.promise?.until ?? null;
      case 'disputed':
        return null;
    }
  }

  private async onTime(): Promise<void> {
    switch (this.state.mode) {
      case 'escalating':
        return this.onStepDue();
      case 'payment_plan':
        return this.onInstallmentPoint();
      case 'promise':
        return this.onPromiseLapsed();
      case 'disputed':
        return;
    }
  }

  private async onStepDue(): Promise<void> {
    const step = this.queue[0];
    if (!step) {
      this.finish('schedule_exhausted');
      return;
    }
    if (step.action === 'handoff') {
      await this.handOff(`schedule step ${step.id}: no payment after the formal notice`);
      this.markStep(step.id, 'done');
      this.state.escalation = Math.max(this.state.escalation, step.escalation);
      this.finish('handed_off');
      return;
    }
    const result = await this.runStep(step);
    if (result !== 'done') return;
    this.queue.shift();
    this.markStep(step.id, 'done');
    this.state.escalation = Math.max(this.state.escalation, step.escalation);
  }

  private async onInstallmentPoint(): Promise<void> {
    const plan = this.plan;
    const point = plan?.points[0];
    if (!plan || !point) return this.resumeEscalation('payment plan over with a balance left');
    const track = this.state.installments.find((i) => i.index === point.index && i.kind === point.kind);
    if (point.kind === 'reminder') {
      const step: PlannedStep = {
        id: `installment-${point.index + 1}`,
        at: point.at,
        localDate: point.dueDate,
        action: 'send',
        channels: plan.channels,
        template: plan.template,
        escalation: 0,
      };
      const installment = {
        number: point.index + 1,
        count: plan.count,
        dueDate: point.dueDate,
        amountMinor: point.amountMinor,
      };
      const result = await this.runStep(step, {
        type: 'installment',
        invoiceId: this.input.invoiceId,
        installment,
      });
      if (result !== 'done') return;
      plan.points.shift();
      if (track) track.status = 'done';
      return;
    }
    const snapshot = await this.snapshot();
    if (snapshot.status !== 'open') return this.finishFromSnapshot(snapshot);
    plan.points.shift();
    if (snapshot.paidMinor >= point.cumulativeMinor) {
      if (track) track.status = 'kept';
      if (plan.points.length === 0) await this.resumeEscalation('payment plan kept but a balance is left');
      return;
    }
    if (track) track.status = 'missed';
    await act.markCondition({ invoiceId: this.input.invoiceId, plan: 'broken' });
    await this.resumeEscalation(`installment ${point.index + 1} missed`);
  }

  private async onPromiseLapsed(): Promise<void> {
    const terms = this.promise;
    const snapshot = await this.snapshot();
    if (snapshot.status !== 'open') return this.finishFromSnapshot(snapshot);
    const paidSince = snapshot.paidMinor - (terms?.paidMinorAtPromise ?? snapshot.paidMinor);
    const kept = terms?.promisedMinor !== null && terms !== null && paidSince >= terms.promisedMinor;
    await act.markCondition({ invoiceId: this.input.invoiceId, promise: kept ? 'kept' : 'broken' });
    this.promise = null;
    await this.resumeEscalation(kept ? 'promised amount paid, balance left' : 'promise to pay not kept');
  }

  private async handleInbox(): Promise<void> {
    while (this.inbox.length > 0 && this.state.status !== 'completed') {
      const event = this.inbox.shift();
      if (event) await this.apply(event);
    }
  }

  private async apply(event: InvoiceEventSignal): Promise<void> {
    log.info('invoice event', { type: event.type, eventId: event.eventId });
    switch (event.type) {
      case 'invoice.payment':
      case 'invoice.cancelled': {
        const snapshot = await this.snapshot();
        if (snapshot.status !== 'open') this.finishFromSnapshot(snapshot);
        return;
      }
      case 'invoice.disputed':
        if (this.state.mode !== 'disputed') this.resumeMode = this.state.mode;
        this.setMode(
          'disputed',
          `disputed${typeof event.data.reason === 'string' ? `: ${event.data.reason}` : ''}`,
        );
        await this.handOff(this.state.pausedReason ?? 'disputed');
        return;
      case 'invoice.dispute_resolved':
        return this.onDisputeResolved(event);
      case 'invoice.payment_plan':
        this.plan = await act.planInstallmentPoints({ invoiceId: this.input.invoiceId });
        this.state.installments = this.plan.points.map((p) => ({
          index: p.index,
          kind: p.kind,
          at: p.at,
          status: 'pending',
        }));
        return this.enter('payment_plan', 'payment plan agreed');
      case 'invoice.promise_to_pay':
        if (this.state.mode === 'payment_plan' || this.resumeMode === 'payment_plan') return; // the plan governs
        this.promise = await act.promiseTerms({ invoiceId: this.input.invoiceId });
        return this.enter('promise', `promise to pay by ${String(event.data.promisedDate)}`);
      case 'contact.do_not_contact':
        if (event.data.flagged !== true) return;
        await this.handOff(
          `contact flagged do-not-contact (${typeof event.data.reason === 'string' ? event.data.reason : 'no reason given'})`,
        );
        this.finish('handed_off');
        return;
    }
  }

  private async onDisputeResolved(event: InvoiceEventSignal): Promise<void> {
    if (event.data.outcome === 'customer_right') {
      this.finish('dispute_customer_right');
      return;
    }
    if (this.state.mode !== 'disputed') return;
    if (this.resumeMode === 'escalating') return this.resumeEscalation('dispute resolved: invoice upheld');
    this.setMode(this.resumeMode, this.state.pausedReason);
  }

  /** Enters a pausing mode, or queues it behind an open dispute. */
  private enter(mode: DunningMode, reason: string): void {
    if (this.state.mode === 'disputed') this.resumeMode = mode;
    else this.setMode(mode, reason);
  }

  private setMode(mode: DunningMode, reason: string | null): void {
    this.state.mode = mode;
    this.state.pausedReason = mode === 'escalating' ? null : reason;
    this.state.status = mode === 'escalating' ? 'running' : 'paused';
  }

  private async resumeEscalation(reason: string): Promise<void> {
    log.info('escalation resumes', { reason });
    this.round += 1;
    this.plan = null;
    this.setMode('escalating', null);
    this.queue = await act.rebaseSchedule({ invoiceId: this.input.invoiceId, remaining: this.queue });
    for (const step of this.queue) {
      const tracked = this.state.steps.find((s) => s.id === step.id);
      if (tracked) tracked.at = step.at;
    }
  }

  /** Sends a step on each of its channels (a nested list is a fallback chain). */
  private async runStep(step: PlannedStep, content?: DeliverInput['content']): Promise<StepResult> {
    for (const entry of step.channels) {
      let fallbackOf: string | undefined;
      for (const channel of Array.isArray(entry) ? entry : [entry]) {
        const outcome = await this.deliverUntilSettled(step, channel, content, fallbackOf);
        if (outcome === 'interrupted') return 'interrupted';
        this.recordOutcome(step.id, outcome);
        if (outcome.kind === 'suppressed' && outcome.reason === 'do_not_contact') {
          await this.handOff('contact flagged do-not-contact');
          this.finish('handed_off');
          return 'ended';
        }
        if (!fallsBack(outcome)) break;
        fallbackOf = outcome.messageId;
      }
    }
    return 'done';
  }

  /** One channel of a step: asks again after each deferral, unless an event interrupts the wait. */
  private async deliverUntilSettled(
    step: PlannedStep,
    channel: 'email' | 'sms',
    content: DeliverInput['content'] | undefined,
    fallbackOf: string | undefined,
  ): Promise<SendOutcome | 'interrupted'> {
    for (;;) {
      if (this.inbox.length > 0) return 'interrupted';
      let outcome: SendOutcome;
      try {
        outcome = await send.deliverMessage({
          sequenceId: this.sequenceId,
          sequenceType: 'invoice-dunning',
          step: step.id,
          round: this.round,
          channel,
          template: step.template ?? step.id,
          purpose: 'transactional',
          kind: content?.type === 'installment' ? 'installment' : 'escalation',
          contactId: this.input.contactId,
          plannedAt: step.at,
          content: content ?? { type: 'dunning', invoiceIds: [this.input.invoiceId], mergeSameDay: true },
          ...(fallbackOf ? { fallbackOf } : {}),
        });
      } catch (error) {
        if (!(error instanceof ActivityFailure)) throw error;
        log.error('message could not be delivered', {
          step: step.id,
          channel,
          error: error.cause?.message ?? error.message,
        });
        return { kind: 'failed', channel, messageId: '', reason: 'provider_rejected' };
      }
      if (outcome.kind !== 'deferred') return outcome;
      this.deferredUntil = outcome.until;
      await this.report();
      const interrupted = await condition(
        () => this.inbox.length > 0,
        Math.max(0, Date.parse(outcome.until) - Date.now()),
      );
      this.deferredUntil = null;
      if (interrupted) return 'interrupted';
    }
  }

  private recordOutcome(stepId: string, outcome: SendOutcome): void {
    const step = this.state.steps.find((s) => s.id === stepId);
    const entry = {
      channel: outcome.channel,
      status: outcome.kind,
      messageId: outcome.messageId,
      ...('reason' in outcome ? { reason: outcome.reason } : {}),
    };
    if (step) step.outcomes.push(entry);
  }

  private markStep(id: string, status: 'done' | 'skipped'): void {
    const step = this.state.steps.find((s) => s.id === id);
    if (step) step.status = status;
  }

  private snapshot(): Promise<InvoiceSnapshot> {
    return act.invoiceSnapshot({ invoiceId: this.input.invoiceId });
  }

  private finishFromSnapshot(snapshot: InvoiceSnapshot): void {
    this.finish(snapshot.closedReason ?? snapshot.status);
  }

  private finish(outcome: string): DunningState {
    this.state.status = 'completed';
    this.state.outcome = outcome;
    this.state.pausedReason = null;
    this.state.nextStep = null;
    this.state.nextAt = null;
    return this.state;
  }

  private async handOff(reason: string): Promise<void> {
    await act.handOff({
      sequenceId: this.sequenceId,
      contactId: this.input.contactId,
      subjectIds: [this.input.invoiceId],
      reason,
      at: nowIso(),
    });
  }

  /** Keeps the store's projection current (what the API and the merge of same-day reminders read). */
  private async report(): Promise<void> {
    if (this.state.status !== 'completed') {
      const point = this.plan?.points[0];
      this.state.nextStep =
        this.state.mode === 'escalating'
          ? (this.queue[0]?.id ?? null)
          : this.state.mode === 'payment_plan' && point
            ? `installment-${point.index + 1}${point.kind === 'check' ? '-check' : ''}`
            : null;
      this.state.nextAt = this.deferredUntil ?? this.nextWake();
    }
    const report = {
      id: this.sequenceId,
      type: 'invoice-dunning',
      subjectId: this.input.invoiceId,
      contactId: this.input.contactId,
      status: this.state.status,
      stage: this.state.mode,
      outcome: this.state.outcome,
      pausedReason: this.state.pausedReason,
      nextStep: this.state.nextStep,
      nextAt: this.state.nextAt,
      steps: this.state.steps.map((s) => ({ id: s.id, at: s.at, status: s.status })),
      escalation: this.state.escalation,
      startedAt: this.startedAt,
    };
    const fingerprint = JSON.stringify(report);
    if (fingerprint === this.lastReport) return;
    this.lastReport = fingerprint;
    await act.recordSequence({ ...report, updatedAt: nowIso() });
  }
}
