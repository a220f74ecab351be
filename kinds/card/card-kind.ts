/**
 * Cards (contract §4): a loyalty card or the payment card on file. Transactional: a customer is
 * told their card lapses whatever their marketing choices. `card.registered` starts a sequence;
 * `card.renewed` ends it (`renewed`) and starts one for the new date; `card.removed` ends it
 * (`cancelled`). Loyalty and payment cards have their own default schedules (ingestion/apply-item-event.ts).
 */
import { itemKind } from '../expiry/item-kind';

export const cardKind = itemKind({ name: 'card', sequenceType: 'card-expiry', purpose: 'transactional' });

/** Events about a card, and the field naming it. */
export const cardEvents = {
  starts: { type: 'card.registered', idField: 'id' },
  signals: { 'card.renewed': 'cardId', 'card.removed': 'cardId' },
} as const;
