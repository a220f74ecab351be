/**
 * What a sequence kind tells the one send path. The path (plan → policy → ledger → render →
 * provider → result) knows no invoice, card or voucher: it asks the kind of the message, found
 * by the content's `kind`, to load the message's subjects under the contact lock (the send-time
 * re-check), to say which other subjects a same-day message already covered, and to give its
 * templates their data. A kind is registered once, in kinds/registry.ts, and passed to the
 * activities with their other dependencies (tests register their own).
 */
import type { Contact } from '../store/contact-repository';
import type { Sql } from '../store/db';
import type { PolicyCheck, SubjectState } from '../domain/policy/types';
import type { RelanceConfig } from '../config/schema';

/** What a message of a sequence is about: the kind's name, its subjects, kind-specific extras. */
export interface SubjectContent {
  /** A registered kind's name (`invoice`, `card`, `voucher`, `points`, …). */
  kind: string;
  /** The subjects the sequence asked about (the message may cover more, merged the same day). */
  subjectIds: string[];
  /** Several of the contact's subjects of this kind due the same step on the same local day: one message. */
  mergeSameDay: boolean;
  /** Kind-specific facts the workflow holds (an installment's number, the anchor date): plain JSON. */
  extra?: Record<string, unknown>;
}

/** Where a kind's work happens: in the send transaction, with the contact row locked. */
export interface KindContext {
  tx: Sql;
  config: RelanceConfig;
  contact: Contact;
  /** The message being decided. */
  message: {
    sequenceId: string;
    sequenceType: string;
    step: string;
    channel: 'email' | 'sms';
    purpose: 'transactional' | 'marketing';
    content: SubjectContent;
  };
  /** The decision's instant (UTC ISO). */
  now: string;
}

/** The subjects of one message, as they stand under the lock. */
export interface LoadedSubjects {
  /** Each subject's condition for the policy: `settled` stops the message (`settled`). */
  subjects: SubjectState[];
  /** The ids the message covers, in the order the templates list them. */
  subjectIds: string[];
  /** The last contact-local date (YYYY-MM-DD) the message is worth sending (`expired` after). */
  validUntil?: string;
  /** Marketing: deferred by a cap while it can still arrive by `validUntil`, not dropped. */
  deferWhenCapped?: boolean;
  /** Whatever the kind needs to build its template data (kept opaque by the shared path). */
  loaded: unknown;
}

export interface SequenceKind {
  /** The name contents carry (`SubjectContent.kind`). */
  name: string;
  /** Loads the subjects (its own, plus same-day merges) under the contact lock. */
  loadSubjects(ctx: KindContext): Promise<LoadedSubjects>;
  /** A same-day message of another sequence already listed this subject: the dedup check saying so. */
  coveredToday?(ctx: KindContext): Promise<PolicyCheck | undefined>;
  /**
   * Reads a content in a form older than SubjectContent (sent by workflows started before kinds
   * existed) as this kind's, or says it is not one of its forms (undefined).
   */
  legacyContent?(content: Record<string, unknown>): SubjectContent | undefined;
  /**
   * The template's data for the subjects (names, company and contact line are added by the path,
   * and the one-click `unsubscribeUrl` when the purpose is marketing). Throwing fails the message
   * as a template error.
   */
  templateData(ctx: KindContext & { locale: string }, subjects: LoadedSubjects): Record<string, unknown>;
}

/** The kinds a worker knows, by name. */
export type KindRegistry = ReadonlyMap<string, SequenceKind>;
