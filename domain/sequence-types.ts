/**
 * Data shared by workflows and activities: plain JSON, no luxon, no I/O, so workflow code can
 * import it. Instants are UTC ISO strings.
 */
export type ChannelName = 'email' | 'sms';

/**
 * How long a dunning send keeps retrying through a provider outage (the send activity's
 * schedule-to-close timeout). A provider's confirmation lookback must cover all of it, as the
 * last retry may be the one that asks whether the first attempt arrived.
 */
export const DELIVERY_RETRY_WINDOW_MS = 2 * 24 * 60 * 60 * 1000;

/** Campaign messages give up sooner: an offer a day late is better not sent. */
export const CAMPAIGN_RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** One step, placed in time. A nested list in `channels` is a fallback chain. */
export interface PlannedStep {
  id: string;
  at: string;
  localDate: string;
  action: 'send' | 'handoff';
  channels: (ChannelName | ChannelName[])[];
  template?: string;
  escalation: number;
  /** Days this step's message gives to pay (a formal notice): a later hand-off waits that long after it left. */
  paymentDays?: number;
}

/** What a send attempt came to: the contract's statuses, plus `deferred` (policy said later). */
export type SendOutcome =
  | {
      kind: 'sent';
      messageId: string;
      channel: ChannelName;
      /** The send also recorded the projection the workflow gave it for this case (DeliverInput.reportIfSent). */
      reported?: true;
    }
  | { kind: 'deferred'; messageId: string; channel: ChannelName; until: string }
  | {
      kind: 'suppressed';
      messageId: string;
      channel: ChannelName;
      reason: string;
      /** With `do_not_contact`: the contact was erased (its sequences end `erased`, no hand-off). */
      contactErased?: true;
    }
  | { kind: 'failed'; messageId: string; channel: ChannelName; reason: string };

/**
 * The contract's late-entry rule: of the steps already due, only the latest is kept (sent once,
 * now); the steps after it keep their dates. Returns the steps still to run, in order.
 */
export function pendingAfterLateEntry(steps: PlannedStep[], nowMs: number): PlannedStep[] {
  let latestDue = -1;
  steps.forEach((step, index) => {
    if (Date.parse(step.at) <= nowMs) latestDue = index;
  });
  return latestDue < 0 ? steps : steps.slice(latestDue);
}

/** A fallback chain moves on after a permanent failure or an address that cannot be used. */
export function fallsBack(outcome: SendOutcome): boolean {
  return (
    outcome.kind === 'failed' ||
    (outcome.kind === 'suppressed' &&
      (outcome.reason === 'suppressed_address' || outcome.reason === 'invalid_address'))
  );
}
