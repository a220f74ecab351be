/**
 * fast-check arbitraries for POST /v1/events: valid events of every contract type (over small
 * pools of ids, so that events of one batch and of earlier batches refer to each other), the
 * same events mutated (a field dropped, replaced by something nasty, an unknown field added),
 * and arbitrary JSON. Values JSON cannot carry literally (1e400, 5,000 levels of nesting that
 * JSON.stringify would overflow on) travel as placeholders that `toRequestText` expands.
 */
import fc from 'fast-check';
import { eventTypes } from '../../domain/events';

const contactIds = ['c1', 'c2', 'c3', 'c4'];
const invoiceIds = ['INV-1', 'INV-2', 'INV-3'];

const cardIds = ['CARD-1', 'CARD-2'];
const voucherIds = ['V-1', 'V-2'];
const lotIds = ['LOT-1', 'LOT-2'];

const contactId = fc.constantFrom(...contactIds);
const invoiceId = fc.constantFrom(...invoiceIds);
const shortText = fc.string({ maxLength: 20 });
const amount = fc
  .tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 99 }))
  .map(([units, cents]) => `${units}.${String(cents).padStart(2, '0')}`);
const date = fc
  .date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const instant = fc
  .date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const channel = fc.constantFrom('email', 'sms');
const purpose = fc.constantFrom('marketing', 'transactional');

const dataOf: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  'contact.upserted': fc.record(
    {
      id: contactId,
      firstName: shortText,
      lastName: shortText,
      email: fc.constantFrom('marie@example.com', 'paul@example.org'),
      phone: fc.constantFrom('+33612345678', '+447700900123'),
      locale: fc.constantFrom('fr-FR', 'en-GB'),
      timezone: fc.constantFrom('Europe/Paris', 'America/New_York'),
      country: fc.constantFrom('FR', 'GB'),
      tags: fc.array(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 3 }),
      attributes: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
    },
    { requiredKeys: ['id', 'locale', 'timezone'] },
  ),
  'contact.consent': fc.record({
    contactId,
    channel,
    purpose,
    granted: fc.boolean(),
    source: fc.string({ minLength: 1, maxLength: 20 }),
  }),
  'contact.do_not_contact': fc.record({ contactId, flagged: fc.boolean(), source: fc.constant('call') }),
  'invoice.issued': fc.record(
    {
      id: invoiceId,
      contactId,
      number: shortText,
      amount,
      currency: fc.constantFrom('EUR', 'GBP'),
      issuedAt: instant,
      dueDate: date,
    },
    { requiredKeys: ['id', 'contactId', 'amount', 'currency', 'dueDate'] },
  ),
  'invoice.payment': fc.record({ invoiceId, amount }),
  'invoice.payment_plan': fc.record({
    invoiceId,
    installments: fc.array(fc.record({ dueDate: date, amount }), { minLength: 1, maxLength: 3 }),
  }),
  'invoice.disputed': fc.record({ invoiceId, reason: shortText }),
  'invoice.dispute_resolved': fc.record({
    invoiceId,
    outcome: fc.constantFrom('customer_right', 'invoice_upheld'),
  }),
  'invoice.promise_to_pay': fc.record(
    { invoiceId, promisedDate: date, amount },
    { requiredKeys: ['invoiceId', 'promisedDate'] },
  ),
  'invoice.cancelled': fc.record({ invoiceId }),
  'campaign.scheduled': fc.record({
    id: fc.constantFrom('camp-1', 'camp-2'),
    template: fc.constant('weekly-offer'),
    channels: fc.constant(['email']),
    contactIds: fc.subarray(contactIds, { minLength: 1 }),
    content: fc.record({
      title: fc.constant('Offer'),
      body: fc.constant('Body'),
      url: fc.constant('https://example.com/o'),
    }),
  }),
  ...itemData(),
};

/** Cards, vouchers and lots (contract §4), over small pools so that renewals and uses find them. */
function itemData(): Record<string, fc.Arbitrary<Record<string, unknown>>> {
  const cardId = fc.constantFrom(...cardIds);
  const voucherId = fc.constantFrom(...voucherIds);
  const lotId = fc.constantFrom(...lotIds);
  const label = fc.constantFrom('Carte Or', "Bon d'achat de 10 €", 'Visa •••• 4242');
  const points = fc.integer({ min: 1, max: 500 });
  return {
    'card.registered': fc.record(
      {
        id: cardId,
        contactId,
        kind: fc.constant('loyalty'),
        label,
        expiresOn: date,
        renewUrl: fc.constant('https://example.com/r'),
      },
      { requiredKeys: ['id', 'contactId', 'kind', 'label', 'expiresOn'] },
    ),
    'card.renewed': fc.record({ cardId, expiresOn: date }),
    'card.removed': fc.record({ cardId }),
    'voucher.issued': fc.record(
      { id: voucherId, contactId, code: fc.constantFrom('SPRING10', 'A-1'), label, expiresOn: date },
      { requiredKeys: ['id', 'contactId', 'code', 'label', 'expiresOn'] },
    ),
    'voucher.redeemed': fc.record({ voucherId }),
    'voucher.cancelled': fc.record({ voucherId }),
    'points.credited': fc.record({ id: lotId, contactId, points, expiresOn: date }),
    'points.used': fc.record({ lotId, points }),
  };
}

/** A valid event of any type; its id (when given) comes from a small pool, so repeats happen. */
export const validEvent: fc.Arbitrary<Record<string, unknown>> = fc
  .constantFrom(...eventTypes.filter((t) => Object.hasOwn(dataOf, t)))
  .chain((type) =>
    fc.record(
      {
        id: fc.integer({ min: 1, max: 400 }).map((n) => `evt-${n}`),
        type: fc.constant(type),
        at: instant,
        data: dataOf[type] as fc.Arbitrary<Record<string, unknown>>,
      },
      { requiredKeys: ['type', 'data'] },
    ),
  );

const DEEP = (levels: number) => `__FUZZ_DEEP_${levels}__`;
const HUGE_NUMBER = '__FUZZ_NUM_1e400__';

/** What a careless or hostile client puts in a field. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    'a\u0000b',
    '\u0000',
    'x\ud800',
    '\udc00y',
    '\ud83d', // half an emoji
    '',
    ' ',
    'x'.repeat(10_000),
    '0000-01-01',
    '0000-01-01T00:00:00Z',
    '9999-12-31',
    '9999-12-31T23:59:59-14:00',
    '+010000-01-01T00:00:00Z',
    '2026-02-30',
    '1899-12-31',
    '2026-13-01',
    '-1.00',
    '1e5',
    '99999999999999999999.99',
    'NaN',
    '__proto__',
    null,
    true,
    0,
    -1,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    [],
    {},
    DEEP(5000),
    DEEP(40),
    DEEP(11),
    HUGE_NUMBER,
  ),
  fc.string({ unit: 'binary', maxLength: 12 }), // any UTF-16 code units, lone surrogates included
  fc.jsonValue({ maxDepth: 4 }),
);

/** Paths to every string in a value (iteratively: events here are shallow, but still). */
function stringPaths(value: unknown): (string | number)[][] {
  const paths: (string | number)[][] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const item = stack.pop() as (typeof stack)[number];
    if (typeof item.value === 'string') paths.push(item.path);
    else if (typeof item.value === 'object' && item.value !== null)
      for (const [k, v] of Object.entries(item.value))
        stack.push({ value: v, path: [...item.path, Array.isArray(item.value) ? Number(k) : k] });
  }
  return paths;
}

/** How a string goes bad: a NUL or half a surrogate pair slipped in, or a year out of range. */
const corruptions: ((text: string, at: number) => string)[] = [
  (t, at) => `${t.slice(0, at)}\u0000${t.slice(at)}`,
  (t, at) => `${t.slice(0, at)}\ud83d${t.slice(at)}`,
  (t, at) => `${t.slice(0, at)}\udc00${t.slice(at)}`,
  (t) => (/^\d{4}-/.test(t) ? `0000${t.slice(4)}` : `${t}\u0000`),
  (t) => (/^\d{4}-/.test(t) ? `9999${t.slice(4)}` : `\ud800${t}`),
];

/** A copy of `event` with the string at `path` corrupted. */
function corruptAt(event: Record<string, unknown>, path: (string | number)[], how: number, at: number) {
  const copy = structuredClone(event);
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  const text = parent[last] as string;
  const corrupt = corruptions[how];
  if (corrupt) parent[last] = corrupt(text, at % (text.length + 1));
  return copy;
}

/**
 * One change to a valid event: a string in it corrupted (the most telling: the rest stays
 * valid), a field dropped or replaced by something nasty, an unknown field, or other data.
 */
function mutate(event: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const data = event.data as Record<string, unknown>;
  const dataKeys = Object.keys(data);
  const envelopeKeys = ['id', 'type', 'at', 'data'];
  const strings = stringPaths(event).filter((p) => p[0] !== 'type');
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(...strings), fc.nat(corruptions.length - 1), fc.nat())
      .map(([path, how, at]) => corruptAt(event, path, how, at)),
    fc.constantFrom(...dataKeys).map((key) => {
      const { [key]: _dropped, ...rest } = data;
      return { ...event, data: rest };
    }),
    fc
      .tuple(fc.constantFrom(...dataKeys, 'attributes', 'tags'), nastyValue)
      .map(([key, value]) => ({ ...event, data: { ...data, [key]: value } })),
    fc
      .tuple(fc.constantFrom(...envelopeKeys), nastyValue)
      .map(([key, value]) => ({ ...event, [key]: value })),
    fc.tuple(fc.string({ unit: 'binary', maxLength: 6 }), nastyValue).map(([key, value]) => ({
      ...event,
      data: { ...data, [key]: value },
    })),
    fc.jsonValue({ maxDepth: 3 }).map((value) => ({ ...event, data: value })),
  );
}

/** An item of a batch: mostly valid events, often mutated ones, sometimes any JSON at all. */
export const batchItem: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: validEvent },
  { weight: 4, arbitrary: validEvent.chain(mutate) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
);

/** The contacts and invoices the pools name, for a store seeded before fuzzing. */
export const seedEvents = [
  ...contactIds.map((id) => ({
    type: 'contact.upserted',
    data: { id, locale: 'fr-FR', timezone: 'Europe/Paris', email: `${id}@example.com` },
  })),
  ...invoiceIds.map((id, i) => ({
    type: 'invoice.issued',
    data: { id, contactId: contactIds[i], amount: '1000.00', currency: 'EUR', dueDate: '2026-06-01' },
  })),
];

/** A request body: a batch of valid events, a batch of any items, one bare item, or any JSON. */
export const requestBody: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.array(validEvent, { minLength: 1, maxLength: 8 }) },
  { weight: 5, arbitrary: fc.array(batchItem, { minLength: 1, maxLength: 8 }) },
  { weight: 2, arbitrary: batchItem },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
);

/** The JSON text sent: placeholders become values JSON.stringify cannot produce itself. */
export function toRequestText(body: unknown): string {
  return JSON.stringify(body)
    .replace(/"__FUZZ_DEEP_(\d+)__"/g, (_match, levels: string) => {
      const n = Number(levels);
      return '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    })
    .replaceAll(`"${HUGE_NUMBER}"`, '1e400');
}
