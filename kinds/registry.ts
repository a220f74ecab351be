/**
 * The sequence kinds a worker knows, and the activities they contribute. Adding a kind: its
 * folder under kinds/, one entry in `defaultKinds`, and its activities (if any) in `kindActivities`.
 */
import type { ActivityDeps } from '../activities/deps';
import type { KindRegistry, SequenceKind } from './kind';
import { invoiceKind } from './invoice/invoice-kind';
import { createAgentCommitmentActivities } from './invoice/agent-commitments.activities';
import { createInvoiceActivities } from './invoice/planning.activities';
import { offerKind } from './offer/offer-kind';
import { agentMessageKind } from './agent/agent-message-kind';
import { cardKind } from './card/card-kind';
import { createExpiryActivities } from './expiry/expiry-plan.activities';
import { pointsKind } from './points/points-kind';
import { voucherKind } from './voucher/voucher-kind';

/** A registry of the given kinds, by name (a name given twice is a wiring mistake). */
export function kindRegistry(kinds: SequenceKind[]): KindRegistry {
  const registry = new Map<string, SequenceKind>();
  for (const kind of kinds) {
    if (registry.has(kind.name)) throw new Error(`sequence kind ${kind.name} is registered twice`);
    registry.set(kind.name, kind);
  }
  return registry;
}

export function defaultKinds(): KindRegistry {
  return kindRegistry([invoiceKind, offerKind, agentMessageKind, cardKind, voucherKind, pointsKind]);
}

/** The activities kinds contribute to the worker (their workflows call them by name). */
export function kindActivities(deps: ActivityDeps) {
  return {
    ...createInvoiceActivities(deps),
    // settleDispute, recordAgentCommitment: what an agent's action on an invoice's task writes.
    ...createAgentCommitmentActivities(deps),
    // planExpiry, expiryCondition, lapseItem: every expiring kind's sequence (expiry-sequence.workflow.ts).
    ...createExpiryActivities(deps),
  };
}

export type {
  DunningPlan,
  InstallmentPlan,
  InvoiceSnapshot,
  PromiseTerms,
} from './invoice/planning.activities';
export type { ExpiryPlan, ExpiryRef } from './expiry/expiry-plan.activities';
