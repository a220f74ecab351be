/**
 * The state a dunning workflow carries and the moves every part of it shares: pausing and
 * resuming escalation, finishing, handing off, keeping the store's projection current.
 * DunningRun (dunning-run.ts) drives it from timers and signals. Workflow code: deterministic.
 */
import { log, patched, workflowInfo } from '@temporalio/workflow';
import type { InstallmentPlan, InvoiceSnapshot, PromiseTerms, SequenceReport } from '../activities';
import type { HandoffTaskState } from '../domain/handoff-actions';
import type { PlannedStep, SendOutcome } from '../domain/sequence-types';
import { act, storeCalls } from './activity-proxies';
import { dunningReport, initialDunningState } from './dunning-report';
import type { DunningInput, DunningMode, DunningState, InvoiceEventSignal } from './messages';
import type { StepContext, StepResult } from './step-sender';

const nowIso = () => new Date(Date.now()).toISOString();
const DAY_MS = 24 * 3600 * 1000;
const SETTLED = new Set(['paid', 'cancelled', 'dispute_customer_right']);

export class DunningCore {
  readonly state: DunningState;
  protected readonly inbox: InvoiceEventSignal[] = [];
  protected readonly seen = new Set<string>();
  protected readonly sequenceId = workflowInfo().workflowId;
  protected readonly startedAt = nowIso();
  protected queue: PlannedStep[] = [];
  protected plan: InstallmentPlan | null = null;
  protected planCount = 0;
  protected promise: PromiseTerms | null = null;
  /** The mode to go back to when a dispute is upheld, and why it paused. */
  protected resume: { mode: DunningMode; reason: string | null } = { mode: 'escalating', reason: null };
  protected round = 0;
  protected waitingUntil: string | null = null;
  protected lastReport = '';
  /** The fingerprint of the projection last handed to a send to record (reportIfSent). */
  private speculated: string | null = null;
  /** Until when the formal notices that left give the customer to pay (epoch ms), or null. */
  protected paymentDeadline: number | null = null;
  /** The hand-off task the sequence waits on (null before any, and in runs from before tasks). */
  protected task: HandoffTaskState | null = null;

  /**
   * @param current true for the workflow type written with every earlier change in
   * (invoiceDunningWorkflowV2): its runs take each change's new path with no patch marker.
   * The first type's runs keep asking patched(), so the histories they recorded replay.
   */
  constructor(
    protected readonly input: DunningInput,
    protected readonly current = false,
  ) {
    this.state = initialDunningState(input);
  }

  /** Whether the change behind `patchId` applies to this run (see the constructor). */
  protected readonly changed = (patchId: string): boolean => this.current || patched(patchId);

  receive(event: InvoiceEventSignal): void {
    if (this.seen.has(event.eventId)) return;
    this.seen.add(event.eventId);
    this.inbox.push(event);
  }

  /** A task not yet resolved: nothing automatic goes to the contact about this invoice. */
  protected taskOpen(): boolean {
    return this.task !== null && this.task.status !== 'resolved';
  }

  protected nextWake(): string | null {
    // While a person holds the invoice no step or installment reminder is due; a promise's date
    // still comes (to see whether it was kept), and the task hears of it.
    if (this.taskOpen() && this.state.mode !== 'promise') return null;
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

  protected completeStep(step: PlannedStep): void {
    this.queue.shift();
    const tracked = this.state.steps.find((s) => s.id === step.id);
    if (tracked) tracked.status = 'done';
    this.state.escalation = Math.max(this.state.escalation, step.escalation);
  }

  /** A message stating a delay to pay (the formal notice) starts that delay when it leaves. */
  private noteSent(stepId: string, outcome: SendOutcome): void {
    const days = this.queue.find((s) => s.id === stepId)?.paymentDays;
    if (outcome.kind !== 'sent' || days === undefined) return;
    this.paymentDeadline = Math.max(this.paymentDeadline ?? 0, Date.now() + days * DAY_MS);
  }

  /**
   * The hand-off comes no earlier than the delay the notice states, counted from when it left: a
   * notice deferred past its day, or sent late by a late entry, moves the hand-off with it.
   */
  protected holdHandoffForNotice(): void {
    const deadline = this.paymentDeadline;
    const handoff = this.queue.find((s) => s.action === 'handoff');
    if (deadline === null || !handoff || Date.parse(handoff.at) >= deadline) return;
    // A running sequence's timer changes here: histories recorded before this rule handed off at
    // the schedule's time, and replaying them must take that path again (no marker, no hold).
    if (!this.changed('handoff-after-notice-delay')) return;
    handoff.at = new Date(deadline).toISOString();
    const tracked = this.state.steps.find((s) => s.id === handoff.id);
    if (tracked) tracked.at = handoff.at;
  }

  /**
   * True when the step is over; a do-not-contact answer hands the invoice to a person, unless the
   * contact was erased: then the sequence ends `erased`, as the erasure's own signal would end it.
   */
  protected async stepFinished(result: StepResult): Promise<boolean> {
    // A running sequence's commands change here (no hand-off activity): histories recorded before
    // took the hand-off path, and replaying them must take it again. They cannot carry an erased
    // answer (the field is new), so the marker is only ever written on this path.
    if (result === 'erased' && this.changed('erased-ends-without-handoff')) {
      await this.finish('erased');
      return false;
    }
    if (result === 'do_not_contact' || result === 'erased') {
      if (await this.taskInstead('do_not_contact', 'contact flagged do-not-contact')) return false;
      await this.handOff('contact flagged do-not-contact');
      await this.finish('handed_off');
    }
    return result === 'done';
  }

  /** Opens a hand-off task and waits for it instead of ending the sequence (DunningHandoff); false when tasks do not apply. */
  protected taskInstead(reasonCode: string, reason: string): Promise<boolean> {
    void reasonCode;
    void reason;
    return Promise.resolve(false);
  }

  /** Enters a pausing mode, or queues it behind an open dispute. */
  protected async enter(mode: DunningMode, reason: string): Promise<void> {
    if (this.state.mode === 'disputed') this.resume = { mode, reason };
    else await this.pause(mode, reason);
  }

  /** Pauses escalation: messages still waiting for a window are held back, recorded as paused. */
  protected async pause(mode: DunningMode, reason: string): Promise<void> {
    this.setMode(mode, reason);
    await act.closeOpenAttempts({
      sequenceId: this.sequenceId,
      status: 'suppressed',
      reason: 'paused',
      detail: reason,
    });
  }

  protected setMode(mode: DunningMode, reason: string | null): void {
    this.state.mode = mode;
    this.state.pausedReason = mode === 'escalating' ? null : reason;
    this.state.status = mode === 'escalating' ? 'running' : 'paused';
  }

  /** The next step not yet sent goes now; later steps keep the schedule's spacing. */
  protected async resumeEscalation(reason: string): Promise<void> {
    log.info('escalation resumes', { reason });
    this.round += 1;
    this.plan = null;
    this.promise = null;
    this.resume = { mode: 'escalating', reason: null };
    this.setMode('escalating', null);
    await act.markCondition({ invoiceId: this.input.invoiceId, endPauses: true });
    this.queue = await act.rebaseSchedule({ invoiceId: this.input.invoiceId, remaining: this.queue });
    for (const step of this.queue) {
      const tracked = this.state.steps.find((s) => s.id === step.id);
      if (tracked) tracked.at = step.at;
    }
  }

  protected stepContext(): StepContext {
    return {
      sequenceId: this.sequenceId,
      sequenceType: 'invoice-dunning',
      contactId: this.input.contactId,
      round: this.round,
      hasEvents: () => this.inbox.length > 0,
      waiting: async (until) => {
        this.waitingUntil = until;
        if (until) await this.report();
      },
      changed: this.changed,
      reportIfSent: (stepId: string) => this.reportIfSent(stepId),
      recorded: (stepId: string, outcome: SendOutcome) => {
        // The send recorded the projection played for it: report() finds it written.
        if (outcome.kind === 'sent' && outcome.reported && this.speculated) this.lastReport = this.speculated;
        const step = this.state.steps.find((s) => s.id === stepId);
        const reason = 'reason' in outcome ? { reason: outcome.reason } : {};
        step?.outcomes.push({
          channel: outcome.channel,
          status: outcome.kind,
          messageId: outcome.messageId,
          ...reason,
        });
        this.noteSent(stepId, outcome);
      },
    };
  }

  protected snapshot(): Promise<InvoiceSnapshot> {
    return storeCalls(this.changed).invoiceSnapshot({ invoiceId: this.input.invoiceId });
  }

  protected finishFromSnapshot(snapshot: InvoiceSnapshot): Promise<void> {
    return this.finish(snapshot.closedReason ?? snapshot.status);
  }

  /** Ends the sequence; a message still waiting for its window will not leave now. */
  protected async finish(outcome: string): Promise<void> {
    this.state.status = 'completed';
    this.state.outcome = outcome;
    this.state.pausedReason = null;
    this.state.nextStep = null;
    this.state.nextAt = null;
    const reason = SETTLED.has(outcome) ? 'settled' : 'paused';
    await act.closeOpenAttempts({
      sequenceId: this.sequenceId,
      status: 'suppressed',
      reason,
      detail: `sequence ended: ${outcome}`,
    });
  }

  protected async handOff(reason: string): Promise<void> {
    await act.handOff({
      sequenceId: this.sequenceId,
      contactId: this.input.contactId,
      subjectIds: [this.input.invoiceId],
      reason,
      at: nowIso(),
    });
  }

  /** Keeps the store's projection current (what the API and the merge of same-day reminders read). */
  protected async report(): Promise<void> {
    const report = this.currentReport();
    const fingerprint = JSON.stringify(report);
    if (fingerprint === this.lastReport) return;
    this.lastReport = fingerprint;
    await storeCalls(this.changed).recordSequence({ ...report, updatedAt: nowIso() });
  }

  private currentReport(): Omit<SequenceReport, 'updatedAt'> {
    return dunningReport({
      state: this.state,
      sequenceId: this.sequenceId,
      startedAt: this.startedAt,
      nextStepId: this.nextStepId(),
      nextAt: this.waitingUntil ?? this.nextWake(),
    });
  }

  /**
   * The projection once escalation step `stepId` is done by a message sent now: noteSent,
   * completeStep and holdHandoffForNotice played on copies, as after a real send. Only for V2
   * runs (`current`), while another step is left (the last one ends the run and reports it).
   */
  private reportIfSent(stepId: string): SequenceReport | undefined {
    const step = this.queue[0];
    if (!this.current || this.state.mode !== 'escalating' || step?.id !== stepId || this.queue.length < 2)
      return undefined;
    // Only what the play changes is put back: the state's task is the hand-off code's own object.
    const { steps, escalation, nextStep, nextAt } = this.state;
    const saved = { queue: this.queue, deadline: this.paymentDeadline };
    try {
      this.state.steps = steps.map((s) => ({ ...s }));
      this.queue = saved.queue.map((s) => ({ ...s }));
      this.noteSent(stepId, { kind: 'sent', channel: 'email', messageId: '' });
      this.completeStep(this.queue[0] as PlannedStep);
      this.holdHandoffForNotice();
      const report = this.currentReport();
      this.speculated = JSON.stringify(report);
      return { ...report, updatedAt: nowIso() };
    } finally {
      Object.assign(this.state, { steps, escalation, nextStep, nextAt });
      this.queue = saved.queue;
      this.paymentDeadline = saved.deadline;
    }
  }

  protected nextStepId(): string | null {
    const point = this.plan?.points[0];
    if (this.state.mode === 'escalating') return this.queue[0]?.id ?? null;
    if (this.state.mode === 'payment_plan' && point)
      return `installment-${point.index + 1}${point.kind === 'check' ? '-check' : ''}`;
    return null;
  }
}
