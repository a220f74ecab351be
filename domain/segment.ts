/**
 * Segments (contract section 5): `{ all: [condition, …] }` over a contact's fields, tags and
 * attributes. The schema names every offending path; `matches` is the reference semantics that
 * store/segment-query.ts compiles to SQL (a property test holds both equal).
 *
 * Semantics, per condition (a contact matches a segment when it matches every condition):
 * - The value of `{ field }` is the column (`country` may be absent); of `{ attribute: n }` the
 *   JSON value of `attributes[n]`, absent when the key is missing or holds `null` (the upsert
 *   merges attributes, so `null` is how an upstream system clears one).
 * - `eq: v`: the value is the same JSON scalar (same type: `5` never equals `"5"`, numbers
 *   compare numerically). `in: [v…]`: `eq` to one of them.
 * - `gte`/`lte` with a number: the value is a JSON number, compared numerically; a string such
 *   as `"5"` never matches. With a string: the value is a string, compared by Unicode code points
 *   (ISO dates and times of one form compare as dates); a number never matches.
 * - `exists: true|false`: the value is (not) absent. A fields' value is a string, so a number
 *   or boolean `eq`/`in` on a field never matches.
 * - `{ tag: n }`: the contact's tags hold `n`; with `exists: false`, they do not.
 */
import { z } from 'zod';
import { formatPath, invalidInput } from './errors';

export const SEGMENT_FIELDS = ['country', 'locale', 'customerType'] as const;
export type SegmentField = (typeof SEGMENT_FIELDS)[number];
const OPERATORS = ['eq', 'in', 'gte', 'lte', 'exists'] as const;
const KINDS = ['field', 'attribute', 'tag'] as const;
export const MAX_CONDITIONS = 20;
export const MAX_IN_VALUES = 100;

const scalar = z.union([z.string().max(200), z.number().finite(), z.boolean()], {
  error: 'a string, a number or a boolean',
});
const bound = z.union([z.string().max(200), z.number().finite()], { error: 'a string or a number' });
const name = z
  .string({ error: 'a name' })
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,99}$/,
    'a name of letters, digits, "_", ".", ":" or "-" (at most 100)',
  );

const conditionSchema = z
  .strictObject({
    field: z.enum(SEGMENT_FIELDS, { error: `a contact field: ${SEGMENT_FIELDS.join(', ')}` }).optional(),
    attribute: name.optional(),
    tag: z.string({ error: 'a tag' }).min(1, 'a tag').max(100, 'a tag of at most 100 characters').optional(),
    eq: scalar.optional(),
    in: z
      .array(scalar)
      .min(1, 'at least one value')
      .max(MAX_IN_VALUES, `at most ${MAX_IN_VALUES} values`)
      .optional(),
    gte: bound.optional(),
    lte: bound.optional(),
    exists: z.boolean({ error: 'true or false' }).optional(),
  })
  .superRefine((c, ctx) => {
    const kinds = KINDS.filter((k) => c[k] !== undefined);
    const ops = OPERATORS.filter((o) => c[o] !== undefined);
    if (kinds.length !== 1)
      ctx.addIssue({ code: 'custom', path: [], message: `exactly one of ${KINDS.join(', ')}` });
    else if (kinds[0] === 'tag') {
      for (const op of ops.filter((o) => o !== 'exists'))
        ctx.addIssue({ code: 'custom', path: [op], message: 'a tag condition takes no operator but exists' });
    } else if (ops.length !== 1)
      ctx.addIssue({ code: 'custom', path: [], message: `exactly one operator: ${OPERATORS.join(', ')}` });
  });

export const segmentSchema = z.strictObject(
  {
    all: z
      .array(conditionSchema, { error: 'a list of conditions' })
      .min(1, 'at least one condition')
      .max(MAX_CONDITIONS, `at most ${MAX_CONDITIONS} conditions`),
  },
  { error: 'a segment: { "all": [condition, …] }' },
);

export type Segment = z.infer<typeof segmentSchema>;
export type SegmentCondition = Segment['all'][number];
export type Scalar = string | number | boolean;

/** What a condition reads, and what it asks of it. */
export type Subject =
  | { kind: 'field'; field: SegmentField }
  | { kind: 'attribute'; name: string }
  | { kind: 'tag'; name: string };
export type Operator =
  | { op: 'eq'; value: Scalar }
  | { op: 'in'; values: Scalar[] }
  | { op: 'gte' | 'lte'; value: string | number }
  | { op: 'exists'; value: boolean };

export function subjectOf(c: SegmentCondition): Subject {
  if (c.field !== undefined) return { kind: 'field', field: c.field };
  if (c.attribute !== undefined) return { kind: 'attribute', name: c.attribute };
  return { kind: 'tag', name: c.tag ?? '' };
}

export function operatorOf(c: SegmentCondition): Operator {
  if (c.eq !== undefined) return { op: 'eq', value: c.eq };
  if (c.in !== undefined) return { op: 'in', values: c.in };
  if (c.gte !== undefined) return { op: 'gte', value: c.gte };
  if (c.lte !== undefined) return { op: 'lte', value: c.lte };
  return { op: 'exists', value: c.exists ?? true };
}

const unknownKey = (path: readonly PropertyKey[]) =>
  path.length === 0
    ? 'unknown key: a segment is { "all": [condition, …] }'
    : `unknown field kind or operator: expected one of ${KINDS.join(', ')} and one of ${OPERATORS.join(', ')}`;

/** A valid segment, or a 400 naming each offending path under `prefix` (e.g. `segment`). */
export function parseSegment(input: unknown, prefix: PropertyKey[] = []): Segment {
  const parsed = segmentSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((key) => ({ path: formatPath([...prefix, ...i.path, key]), message: unknownKey(i.path) }))
      : [{ path: formatPath([...prefix, ...i.path]), message: i.message }],
  );
  throw invalidInput(issues, 'Invalid segment');
}

/** What a segment reads of a contact. */
export interface SegmentContact {
  country: string | null;
  locale: string;
  customerType: string;
  tags: readonly string[];
  attributes: Readonly<Record<string, unknown>>;
}

/** Compares by Unicode code point, as PostgreSQL's "C" collation orders UTF-8 text. */
export function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a, (ch) => ch.codePointAt(0) ?? 0);
  const y = Array.from(b, (ch) => ch.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return x.length - y.length;
}

function compares(value: unknown, bound: string | number, op: 'gte' | 'lte'): boolean {
  let diff: number;
  if (typeof bound === 'number' && typeof value === 'number') diff = value - bound;
  else if (typeof bound === 'string' && typeof value === 'string') diff = compareCodePoints(value, bound);
  else return false;
  return op === 'gte' ? diff >= 0 : diff <= 0;
}

function valueOf(contact: SegmentContact, subject: Subject): unknown {
  if (subject.kind === 'field') return contact[subject.field] ?? undefined;
  if (subject.kind === 'attribute') {
    const v = Object.hasOwn(contact.attributes, subject.name) ? contact.attributes[subject.name] : undefined;
    return v ?? undefined;
  }
  return contact.tags.includes(subject.name) ? subject.name : undefined;
}

export function conditionMatches(contact: SegmentContact, c: SegmentCondition): boolean {
  const value = valueOf(contact, subjectOf(c));
  const op = operatorOf(c);
  switch (op.op) {
    case 'eq':
      return value === op.value;
    case 'in':
      return op.values.some((v) => v === value);
    case 'gte':
    case 'lte':
      return compares(value, op.value, op.op);
    case 'exists':
      return (value !== undefined) === op.value;
  }
}

/** Does the contact belong to the segment? (Erasure is the caller's concern.) */
export function matches(contact: SegmentContact, segment: Segment): boolean {
  return segment.all.every((c) => conditionMatches(contact, c));
}
