/**
 * The SQL of a segment selects exactly the contacts `matches` accepts (erased ones left out), for
 * generated contacts and segments: numbers against numeric strings, dates as strings, nulls,
 * nested values, code-point order of non-ASCII text, tags present or not, and keyset pages.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matches, type Segment, type SegmentCondition } from '../../domain/segment';
import { upsertContact } from '../../store/contact-repository';
import { countSegment, selectSegmentPage } from '../../store/segment-query';
import type { Sql } from '../../store/db';
import { createTestDb, drivers, type TestDb } from '../helpers/db';

const COUNTRIES = ['FR', 'DE', 'BE', 'ES'];
const LOCALES = ['fr-FR', 'de-DE', 'en-GB'];
const TAGS = ['opted', 'vip', 'churn', 'Opted', 'é'];
const KEYS = ['tier', 'points', 'since', 'vip', 'note'];
const STRINGS = [
  'gold',
  'platinum',
  'silver',
  '5',
  '10',
  '2026-01-31',
  '2026-03-02',
  'é',
  'z',
  'Z',
  '😀',
  '\uffff',
  '',
];
const NUMBERS = [-3, 0, 2.5, 5, 10, 12, 1e21, 0.1];

const scalar = fc.oneof(fc.constantFrom(...STRINGS), fc.constantFrom(...NUMBERS), fc.boolean());
const attrValue = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom([5], ['gold'], { a: 1 }, []) },
);

const contactArb = fc.record({
  country: fc.option(fc.constantFrom(...COUNTRIES), { nil: undefined }),
  locale: fc.constantFrom(...LOCALES),
  customerType: fc.constantFrom('business' as const, 'consumer' as const),
  tags: fc.subarray(TAGS),
  attributes: fc.dictionary(fc.constantFrom(...KEYS), attrValue, { maxKeys: 4 }),
  erased: fc.boolean(),
});

const opArb = fc.oneof(
  scalar.map((v) => ({ eq: v })),
  fc.array(scalar, { minLength: 1, maxLength: 4 }).map((v) => ({ in: v })),
  fc.oneof(fc.constantFrom(...STRINGS), fc.constantFrom(...NUMBERS)).map((v) => ({ gte: v })),
  fc.oneof(fc.constantFrom(...STRINGS), fc.constantFrom(...NUMBERS)).map((v) => ({ lte: v })),
  fc.boolean().map((v) => ({ exists: v })),
);
const fieldOpArb = fc.oneof(
  opArb,
  fc.constantFrom(...COUNTRIES, ...LOCALES, 'business', 'consumer').map((v) => ({ eq: v })),
  fc.constantFrom('E', 'en-Z', 'c').map((v) => ({ gte: v })),
);

const conditionArb: fc.Arbitrary<SegmentCondition> = fc.oneof(
  fc
    .tuple(fc.constantFrom('country' as const, 'locale' as const, 'customerType' as const), fieldOpArb)
    .map(([field, op]) => ({ field, ...op })),
  fc.tuple(fc.constantFrom(...KEYS, 'missing'), opArb).map(([attribute, op]) => ({ attribute, ...op })),
  fc.constantFrom(...TAGS, 'none').map((tag) => ({ tag })),
  fc.constantFrom(...TAGS).map((tag) => ({ tag, exists: false })),
);
const segmentArb: fc.Arbitrary<Segment> = fc
  .array(conditionArb, { minLength: 1, maxLength: 3 })
  .map((all) => ({ all }));

type Generated = (typeof contactArb extends fc.Arbitrary<infer T> ? T : never) & { id: string };

async function load(sql: Sql, contacts: Generated[]) {
  await sql.query('delete from contacts');
  for (const c of contacts) {
    await upsertContact(sql, { ...c, timezone: 'Europe/Paris' }, '2026-03-02T08:00:00.000Z');
    if (c.erased) await sql.query('update contacts set erased_at = now() where id = $1', [c.id]);
  }
}

async function allPages(sql: Sql, segment: Segment, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page = await selectSegmentPage(sql, segment, { after, limit });
    ids.push(...page.ids);
    if (page.next === null) return ids;
    after = page.next;
  }
  throw new Error('pagination did not end');
}

describe.each(drivers)('segment query against matches() (%s)', (driver) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb(driver);
  });
  afterAll(() => testDb.drop());

  it('when contacts and a segment are generated, then count and every page select exactly the matching, unerased contacts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(contactArb, { minLength: 0, maxLength: 25 }),
        fc.array(segmentArb, { minLength: 1, maxLength: 4 }),
        async (generated, segments) => {
          const contacts = generated.map((c, i) => ({ ...c, id: `c${String(i).padStart(2, '0')}` }));
          await load(testDb.db, contacts);
          for (const segment of segments) {
            const expected = contacts
              .filter((c) => !c.erased && matches({ ...c, country: c.country ?? null }, segment))
              .map((c) => c.id);
            expect(await allPages(testDb.db, segment, 3)).toEqual(expected);
            expect(await countSegment(testDb.db, segment)).toBe(expected.length);
          }
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);
});
