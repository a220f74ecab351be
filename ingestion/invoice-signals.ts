/**
 * The signal an invoice's dunning workflow gets for a stored event, built from the event's data
 * validated again by the schema it was accepted with, so each signal's `data` is the type its
 * `type` says. An erasure carries the contact's id only (nothing more in Temporal's history).
 */
import { ErrorCode, RelanceError } from '../domain/errors';
import { eventDataSchemas } from '../domain/events';
import type { StoredEvent } from '../store/event-repository';
import type { InvoiceEventSignal, InvoiceSignalType } from '../workflows/messages';

/** The signals forwarded from accepted events of the contract (a reply has its own dispatch). */
export type EventSignalType = Exclude<InvoiceSignalType, 'reply.received'>;

const signalTypes: readonly EventSignalType[] = [
  'invoice.payment',
  'invoice.payment_plan',
  'invoice.disputed',
  'invoice.dispute_resolved',
  'invoice.promise_to_pay',
  'invoice.cancelled',
  'contact.do_not_contact',
  'contact.erased',
];

export function isInvoiceSignalType(type: string): type is EventSignalType {
  return (signalTypes as readonly string[]).includes(type);
}

/** The event as a typed signal; data that no longer fits its schema is refused (InvalidInput). */
export function invoiceSignalOf(event: StoredEvent & { type: EventSignalType }): InvoiceEventSignal {
  const base = { eventId: event.id, at: event.at };
  if (event.type === 'contact.erased') {
    const data = eventDataSchemas['contact.erased'].safeParse(event.data);
    if (!data.success) throw unfit(event, data.error.issues);
    return { ...base, type: event.type, data: { contactId: data.data.contactId } };
  }
  // One parse per type keeps each branch's data typed by its own schema.
  switch (event.type) {
    case 'invoice.payment':
      return { ...base, type: event.type, data: parse(event, event.type) };
    case 'invoice.payment_plan':
      return { ...base, type: event.type, data: parse(event, event.type) };
    case 'invoice.disputed':
      return { ...base, type: event.type, data: parse(event, event.type) };
    case 'invoice.dispute_resolved':
      return { ...base, type: event.type, data: parse(event, event.type) };
    case 'invoice.promise_to_pay':
      return { ...base, type: event.type, data: parse(event, event.type) };
    case 'invoice.cancelled':
      return { ...base, type: event.type, data: parse(event, event.type) };
    case 'contact.do_not_contact':
      return { ...base, type: event.type, data: parse(event, event.type) };
  }
}

function parse<T extends Exclude<EventSignalType, 'contact.erased'>>(event: StoredEvent, type: T) {
  const schema = eventDataSchemas[type];
  const data = schema.safeParse(event.data);
  if (!data.success) throw unfit(event, data.error.issues);
  return data.data as ReturnType<(typeof eventDataSchemas)[T]['parse']>;
}

function unfit(event: StoredEvent, issues: { path: PropertyKey[]; message: string }[]): RelanceError {
  return new RelanceError(
    ErrorCode.InvalidInput,
    `stored event ${event.id} (${event.type}) no longer fits its schema`,
    issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}
