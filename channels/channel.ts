/**
 * The small interface every delivery channel implements. Expected outcomes are values; a
 * transient fault (network, 5xx, 429) throws a ProviderTransientError so Temporal retries the
 * activity, after `retryAfterMs` when the provider said how long to wait. Its subclass says
 * whether the provider may hold the message (ProviderOutcomeUnknownError) or certainly does not
 * (ProviderAnsweredError, ProviderUnreachableError), which decides what a retry does first.
 */
export type ChannelName = 'email' | 'sms';

export interface OutgoingEmail {
  to: string;
  toName?: string;
  from: { email: string; name: string };
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. List-Unsubscribe for marketing. */
  headers?: Record<string, string>;
  /** Stable per message attempt; carried to the provider so a lost answer can be confirmed. */
  idempotencyKey: string;
  /** Relance's ledger id, echoed back by delivery webhooks. */
  messageId: string;
  categories?: string[];
  /** Open/click tracking: off unless a marketing template switches it on. */
  tracking?: { opens: boolean; clicks: boolean };
  /** Campaign mail: may wait a fraction of a second to leave with others in one request. */
  batchable?: boolean;
}

export interface OutgoingSms {
  to: string;
  from: string;
  body: string;
  idempotencyKey: string;
  messageId: string;
  /** Where the provider posts delivery statuses. */
  statusCallback?: string;
}

export type SendResult =
  | { kind: 'accepted'; provider: 'sendgrid' | 'twilio'; providerId: string }
  | { kind: 'rejected'; reason: 'invalid_address' | 'provider_rejected'; detail: string };

export class ProviderTransientError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ProviderTransientError';
  }
}

/**
 * The provider answered with an error status (429, 5xx): it holds nothing from this request, so
 * the next attempt may decide again and send.
 */
export class ProviderAnsweredError extends ProviderTransientError {
  constructor(
    message: string,
    readonly status: number,
    retryAfterMs?: number,
  ) {
    super(message, retryAfterMs);
    this.name = 'ProviderAnsweredError';
  }
}

/** No connection was made (refused, unknown host): the provider holds nothing from this request. */
export class ProviderUnreachableError extends ProviderTransientError {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderUnreachableError';
  }
}

/**
 * The request may have reached the provider (a timeout, a connection cut before the answer): the
 * next attempt must ask the provider before sending again.
 */
export class ProviderOutcomeUnknownError extends ProviderTransientError {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderOutcomeUnknownError';
  }
}

/**
 * The provider refused the credentials (401/403): nothing left; only an operator fixing the key
 * helps, and Temporal keeps retrying the message until then.
 */
export class ProviderCredentialsError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ProviderCredentialsError';
  }
}

/**
 * Did the provider certainly receive nothing from a send that threw? Only an unknown outcome (or
 * an unclassified transient fault) may have delivered; any other error was raised before or
 * instead of a delivery.
 */
export function certainlyNotReceived(error: unknown): boolean {
  if (error instanceof ProviderAnsweredError || error instanceof ProviderUnreachableError) return true;
  return !(error instanceof ProviderTransientError);
}

export interface EmailChannel {
  send(message: OutgoingEmail): Promise<SendResult>;
  /**
   * After a crash between the provider's answer and the ledger write: did the provider accept
   * this idempotency key? undefined when the provider cannot tell (then Relance assumes it did:
   * a reminder lost is better than a reminder sent twice).
   */
  confirm?(idempotencyKey: string, to: string): Promise<string | undefined | null>;
}

export interface SmsChannel {
  send(message: OutgoingSms): Promise<SendResult>;
  confirm?(idempotencyKey: string, to: string): Promise<string | undefined | null>;
}

export interface Channels {
  email: EmailChannel;
  sms: SmsChannel;
}
