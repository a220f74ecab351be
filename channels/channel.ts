/**
 * The small interface every delivery channel implements. Expected outcomes are values; a
 * transient fault (network, 5xx, 429) throws ProviderTransientError so Temporal retries the
 * activity, after `retryAfterMs` when the provider said how long to wait.
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
