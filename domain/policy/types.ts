/** The vocabulary of the policy engine: what a decision is made from, and what it says. */
import type { PolicyConfig } from '../config-shapes';
import type { HolidayCalendar } from '../calendar';

export type Channel = 'email' | 'sms';
export type Purpose = 'transactional' | 'marketing';

/** Reason codes of the contract (shared/contract.md §3). */
export type SuppressReason =
  | 'no_consent'
  | 'opted_out'
  | 'frequency_cap'
  | 'duplicate'
  | 'settled'
  | 'paused'
  | 'invalid_address'
  | 'suppressed_address'
  | 'do_not_contact'
  | 'expired';
export type FailReason = 'invalid_address' | 'provider_rejected';

/** What a consent record rests on (GDPR art. 6): see consent.ts for what each one allows. */
export type LegalBasis = 'consent' | 'contract' | 'legitimate_interest';

export interface ConsentRecord {
  channel: Channel;
  purpose: Purpose;
  granted: boolean;
  /** When the change happened, as its sender says (shown with the record, not used to order). */
  at: string;
  /** When Relance received it, by its own clock: consent changes count in this order. */
  receivedAt: string;
  /** Arrival order among changes received at the same instant (the store's increasing id). */
  seq: number;
  source: string;
  /** Absent: the purpose's default (consent for marketing, contract for transactional). */
  legalBasis?: LegalBasis;
}

/** A message already sent (or being sent) to the contact, as the ledger has it. */
export interface SentRecord {
  at: string;
  channel: Channel;
  purpose: Purpose;
  dedupKey: string;
}

/** The business object a message is about, with the state that may stop or pause it. */
export interface SubjectState {
  id: string;
  /** open: escalation may run; settled: paid or cancelled; paused: plan, dispute or promise. */
  condition: 'open' | 'settled' | 'paused';
  detail?: string;
}

export interface MessageIntent {
  purpose: Purpose;
  channel: Channel;
  /** (sequence, step, channel, recipient): a second message with the same key is a duplicate. */
  dedupKey: string;
  /**
   * escalation: a dunning step that a plan, dispute or promise pauses; notice: any other; agent:
   * a person's own message about a hand-off (consent, windows and dedup hold; the transactional
   * caps do not, since a person chose to write).
   */
  kind: 'escalation' | 'installment' | 'notice' | 'offer' | 'agent';
  recipient?: string;
  recipientValid: boolean;
  subjects: SubjectState[];
  /**
   * The last contact-local date (YYYY-MM-DD) on which the message is worth sending (an offer's
   * `validUntil`): one that cannot leave before the end of that day is suppressed as `expired`.
   */
  validUntil?: string;
  /**
   * A marketing message worth more than a generic offer (an expiring voucher's reminder): when a
   * marketing cap holds it, it is deferred to the first slot the caps allow, as long as that slot
   * comes before the end of `validUntil`; otherwise it is suppressed (`frequency_cap`).
   */
  deferWhenCapped?: boolean;
}

export interface PolicyInput {
  now: string;
  message: MessageIntent;
  contact: { timezone: string; country?: string; doNotContact: boolean; doNotContactReason?: string };
  consents: ConsentRecord[];
  addressSuppressed: boolean;
  history: SentRecord[];
  /** Highest escalation level reached by the contact's open invoices (marketing stops at a level). */
  openEscalation: number;
  config: PolicyConfig;
  calendar: HolidayCalendar;
}

export interface PolicyCheck {
  rule:
    | 'do_not_contact'
    | 'subject'
    | 'expiry'
    | 'address'
    | 'consent'
    | 'escalation'
    | 'dedup'
    | 'cap'
    | 'window';
  ok: boolean;
  detail: string;
}

export type Decision =
  | { kind: 'send'; checks: PolicyCheck[] }
  | { kind: 'defer'; until: string; checks: PolicyCheck[] }
  | { kind: 'suppress'; reason: SuppressReason; checks: PolicyCheck[] };
