/**
 * The state machine behind the invoice dunning workflow: what happens when a step, an installment
 * or a promise falls due, and when an invoice event arrives. Deterministic: time comes from the
 * workflow clock, every effect is an activity, every wait is a durable timer or a signal.
 */
import { allHandlersFinished, condition, log } from '@temporalio/workflow';
import type { DeliverInput } from '../activities';
import type { PlannedStep } from '../domain/sequence-types';
import { act, LOCAL_STORE_CALLS, storeCalls } from './activity-proxies';
import { DunningHandoff } from './dunning-handoff';
import { plannedStart } from './dunning-report';
import type { DunningState, InvoiceEventSignal, InvoiceSignalOf } from './messages';
import { runStep } from './step-sender';

export class DunningRun extends DunningHandoff {
  async run(): Promise<DunningState> {
    // V2's planning records the first projection in the same call (the first type's runs wrote it
    // in a call of their own); the report below finds it written (same fingerprint) and skips.
    const plan = await storeCalls(this.changed).planDunning({
      invoiceId: this.input.invoiceId,
      ...(this.current
        ? {
            report: {
              contactId: this.input.contactId,
              sequenceId: this.sequenceId,
              startedAt: this.startedAt,
              at: new Date(Date.now()).toISOString(),
            },
          }
        : {}),
    });
    const start = plannedStart(plan.steps, Date.now());
    this.queue = start.queue;
    this.state.steps = start.tracked;
    if (plan.reported) this.lastReport = JSON.stringify(plan.reported);
    if (plan.condition === 'settled') await this.finish(plan.closedReason ?? 'settled');
    while (this.state.status !== 'completed') {
      if (this.state.mode === 'escalating' && this.queue.length === 0 && !this.taskOpen()) {
        await this.finish('schedule_exhausted'); // a schedule without a hand-off step
        break;
      }
      this.holdHandoffForNotice();
      await this.report();
      const wakeAt = this.nextWake();
      // Agents' actions (Updates) wake the loop like events; runs from before never had any.
      const woken = () => this.inbox.length > 0 || this.hasActions();
      const hasEvents = wakeAt
        ? await this.wakeOrEvent(woken, Date.parse(wakeAt) - Date.now())
        : await condition(woken).then(() => true);
      if (hasEvents) {
        await this.handleInbox();
        await this.handleActions();
      } else await this.onTime();
    }
    await this.handleActions(); // an action that arrived as the sequence ended is answered
    await this.report();
    await condition(allHandlersFinished);
    return this.state;
  }

  /**
   * Waits until the wake time (false) or an event (true). A wake time already past (a late entry's
   * first step) goes at once: runs from before the patch waited for a 1 ms timer first, and replay
   * keeps them on that path.
   */
  private async wakeOrEvent(woken: () => boolean, inMs: number): Promise<boolean> {
    if (inMs <= 0 && this.changed(LOCAL_STORE_CALLS)) return woken();
    return condition(woken, Math.max(0, inMs));
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
    if (!step) return;
    if (step.action === 'handoff') {
      const reason = `schedule step ${step.id}: no payment after the formal notice`;
      if (await this.taskInstead('dunning', reason)) return this.completeStep(step);
      await this.handOff(reason);
      this.completeStep(step);
      return this.finish('handed_off');
    }
    // Only the send activity's input changed form (SubjectContent): commands are the same, so
    // replay holds without patched(); the activity still reads the older form from running runs.
    const content: DeliverInput['content'] = {
      kind: 'invoice',
      subjectIds: [this.input.invoiceId],
      mergeSameDay: true,
    };
    if (await this.stepFinished(await runStep(this.stepContext(), step, content, 'escalation')))
      this.completeStep(step);
  }

  private async onInstallmentPoint(): Promise<void> {
    const plan = this.plan;
    const point = plan?.points[0];
    if (!plan || !point) return this.resumeEscalation('payment plan over with a balance left');
    const track = this.state.installments.find((i) => i.index === point.index && i.kind === point.kind);
    if (point.kind === 'reminder') {
      // A replacement plan gets its own step ids, so its reminders are not taken for the old ones'.
      const prefix = this.planCount > 1 ? `plan${this.planCount}-` : '';
      const step: PlannedStep = {
        id: `${prefix}installment-${point.index + 1}`,
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
      const content: DeliverInput['content'] = {
        kind: 'invoice',
        subjectIds: [this.input.invoiceId],
        mergeSameDay: false,
        extra: { installment },
      };
      if (!(await this.stepFinished(await runStep(this.stepContext(), step, content, 'installment')))) return;
      plan.points.shift();
      if (track) track.status = 'done';
      return;
    }
    const snapshot = await this.snapshot();
    if (snapshot.status !== 'open') return this.finishFromSnapshot(snapshot);
    plan.points.shift();
    // Installments are kept by what was paid since the plan, not by payments made before it.
    if (snapshot.paidMinor - plan.paidBaseMinor >= point.cumulativeMinor) {
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
    const kept = terms !== null && terms.promisedMinor !== null && paidSince >= terms.promisedMinor;
    await act.markCondition({ invoiceId: this.input.invoiceId, promise: kept ? 'kept' : 'broken' });
    if (this.taskOpen()) await this.taskEvent(kept ? 'promise_kept' : 'promise_broken', 'relance', {});
    this.promise = null;
    await this.resumeEscalation(kept ? 'promised amount paid, balance left' : 'promise to pay not kept');
  }

  private async handleInbox(): Promise<void> {
    while (this.inbox.length > 0 && this.state.status !== 'completed') {
      const event = this.inbox.shift();
      if (event) await this.apply(event);
    }
  }

  protected async apply(event: InvoiceEventSignal): Promise<void> {
    log.info('invoice event', { type: event.type, eventId: event.eventId });
    switch (event.type) {
      case 'invoice.payment':
      case 'invoice.cancelled': {
        const snapshot = await this.snapshot();
        if (snapshot.status === 'open') return;
        if (this.taskOpen())
          await this.resolveTask(snapshot.status === 'paid' ? 'paid' : 'written_off', 'relance');
        return this.finishFromSnapshot(snapshot);
      }
      case 'invoice.disputed': {
        if (this.state.mode !== 'disputed')
          this.resume = { mode: this.state.mode, reason: this.state.pausedReason };
        const reason = event.data.reason !== undefined ? `disputed: ${event.data.reason}` : 'disputed';
        await this.pause('disputed', reason);
        if (await this.taskInstead('dispute', reason)) return;
        await this.handOff(reason);
        return;
      }
      case 'invoice.dispute_resolved':
        return this.onDisputeResolved(event);
      case 'invoice.payment_plan':
        this.planCount += 1;
        this.promise = null; // a plan replaces a promise (the store marks it superseded)
        this.plan = await act.planInstallmentPoints({ invoiceId: this.input.invoiceId });
        this.state.installments = this.plan.points.map((p) => ({
          index: p.index,
          kind: p.kind,
          at: p.at,
          status: 'pending',
        }));
        return this.enter('payment_plan', 'payment plan agreed');
      case 'invoice.promise_to_pay':
        if (
          this.state.mode === 'payment_plan' ||
          (this.state.mode === 'disputed' && this.resume.mode === 'payment_plan')
        )
          return; // the plan governs
        this.promise = await act.promiseTerms({ invoiceId: this.input.invoiceId });
        return this.enter('promise', `promise to pay by ${event.data.promisedDate}`);
      case 'contact.do_not_contact':
        if (!event.data.flagged) return;
        {
          const why = `contact flagged do-not-contact (${event.data.reason ?? 'no reason given'})`;
          if (await this.taskInstead('do_not_contact', why)) return;
          await this.handOff(why);
        }
        return this.finish('handed_off');
      case 'contact.erased':
        // Reached only by a signal type that did not exist before: recorded histories never take
        // this path, so no patched() is needed. No hand-off: there is no one left to call.
        return this.finish('erased');
      case 'reply.received':
        // A new signal type: no recorded history carries it, so this path needs no patched().
        return this.onReply(event.data);
    }
  }

  private async onDisputeResolved(event: InvoiceSignalOf<'invoice.dispute_resolved'>): Promise<void> {
    if (event.data.outcome === 'customer_right') return this.finish('dispute_customer_right');
    if (this.state.mode !== 'disputed') return;
    await this.resolveTask('invoice_upheld', 'relance');
    return this.resumeAfterDispute('dispute resolved: invoice upheld');
  }

  /** Back to what the dispute paused: escalation from the next step not sent, or the plan. */
  protected async resumeAfterDispute(reason: string): Promise<void> {
    const back = this.resume;
    this.resume = { mode: 'escalating', reason: null };
    if (back.mode === 'escalating') return this.resumeEscalation(reason);
    if (back.mode === 'payment_plan') {
      // Reminders whose day passed during the dispute are dropped; the checks still run.
      this.plan = await act.planInstallmentPoints({ invoiceId: this.input.invoiceId });
    }
    this.setMode(back.mode, back.reason);
  }
}
