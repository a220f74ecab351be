/** The segment schema's answers to bad input, and the decisions `matches` makes on types. */
import { describe, expect, it } from 'vitest';
import { RelanceError } from '../../domain/errors';
import { matches, MAX_CONDITIONS, parseSegment, type SegmentContact } from '../../domain/segment';

const issuesOf = (input: unknown) => {
  try {
    parseSegment(input, ['segment']);
  } catch (error) {
    if (error instanceof RelanceError) return error.issues;
    throw error;
  }
  return [];
};

const base: SegmentContact = {
  country: 'FR',
  locale: 'fr-FR',
  customerType: 'consumer',
  tags: [],
  attributes: {},
};
const withAttrs = (attributes: Record<string, unknown>) => ({ ...base, attributes });

describe('segment schema', () => {
  it('when a condition has an unknown operator or field kind, then the issue names that key', () => {
    expect(issuesOf({ all: [{ attribute: 'tier', regex: 'g.*' }] })).toContainEqual({
      path: 'segment.all[0].regex',
      message: expect.stringContaining('unknown field kind or operator') as string,
    });
    expect(issuesOf({ all: [{ column: 'x', eq: 1 }] }).map((i) => i.path)).toContain('segment.all[0].column');
  });

  it('when a condition has two operators or two kinds, then the condition is named', () => {
    expect(issuesOf({ all: [{ field: 'country', eq: 'FR', in: ['BE'] }] })).toEqual([
      { path: 'segment.all[0]', message: 'exactly one operator: eq, in, gte, lte, exists' },
    ]);
    expect(issuesOf({ all: [{ field: 'country', attribute: 'x', eq: 'FR' }] })).toEqual([
      { path: 'segment.all[0]', message: 'exactly one of field, attribute, tag' },
    ]);
  });

  it('when values are of the wrong kind, then each path says what was expected', () => {
    const issues = issuesOf({
      all: [
        { field: 'email', eq: 'x' },
        { attribute: "tier'; drop table contacts;--", eq: 'x' },
        { attribute: 'x', in: [] },
        { attribute: 'x', gte: true },
        { attribute: 'x', exists: 'yes' },
        { tag: 'vip', eq: 'x' },
      ],
    });
    expect(issues.map((i) => i.path)).toEqual([
      'segment.all[0].field',
      'segment.all[1].attribute',
      'segment.all[2].in',
      'segment.all[3].gte',
      'segment.all[4].exists',
      'segment.all[5].eq',
    ]);
  });

  it('when a segment has no condition or too many, then segment.all is named', () => {
    expect(issuesOf({ all: [] })).toEqual([{ path: 'segment.all', message: 'at least one condition' }]);
    const many = Array.from({ length: MAX_CONDITIONS + 1 }, () => ({ tag: 'vip' }));
    expect(issuesOf({ all: many })).toEqual([
      { path: 'segment.all', message: `at most ${MAX_CONDITIONS} conditions` },
    ]);
  });
});

describe('matches', () => {
  it('when gte is a number, then a numeric attribute compares numerically and a numeric string never matches', () => {
    const s = { all: [{ attribute: 'points', gte: 3 }] };
    expect(matches(withAttrs({ points: 5 }), s)).toBe(true);
    expect(matches(withAttrs({ points: 2.5 }), s)).toBe(false);
    expect(matches(withAttrs({ points: '5' }), s)).toBe(false);
  });

  it('when lte is an ISO date, then dates compare as strings and a number never matches', () => {
    const s = { all: [{ attribute: 'since', lte: '2026-03-01' }] };
    expect(matches(withAttrs({ since: '2026-02-28' }), s)).toBe(true);
    expect(matches(withAttrs({ since: '2026-03-02' }), s)).toBe(false);
    expect(matches(withAttrs({ since: 20260101 }), s)).toBe(false);
  });

  it('when an attribute holds null, then it does not exist; eq compares type and value', () => {
    expect(matches(withAttrs({ tier: null }), { all: [{ attribute: 'tier', exists: false }] })).toBe(true);
    expect(matches(withAttrs({ n: 5 }), { all: [{ attribute: 'n', eq: '5' }] })).toBe(false);
    expect(matches(withAttrs({ n: 5 }), { all: [{ attribute: 'n', in: [4, 5] }] })).toBe(true);
  });

  it('when a tag condition says exists false, then only contacts without the tag match', () => {
    const s = { all: [{ tag: 'churn', exists: false }] };
    expect(matches({ ...base, tags: ['opted'] }, s)).toBe(true);
    expect(matches({ ...base, tags: ['churn'] }, s)).toBe(false);
  });

  it('when a field is compared with a string bound, then it is by code point (upper case before lower case)', () => {
    expect(matches({ ...base, country: 'FR' }, { all: [{ field: 'country', gte: 'Fa' }] })).toBe(false);
    expect(matches({ ...base, country: null }, { all: [{ field: 'country', exists: false }] })).toBe(true);
  });
});
