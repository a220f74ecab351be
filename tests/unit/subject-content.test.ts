/**
 * Message contents read at the activity boundary: the older forms running workflows still send
 * become the kinds' SubjectContent with nothing lost (merge flag, installment, offer).
 */
import { describe, expect, it } from 'vitest';
import { kindOf, normaliseContent } from '../../activities/subject-content';
import { ErrorCode } from '../../domain/errors';
import { defaultKinds } from '../../kinds/registry';

const kinds = defaultKinds();
const installment = { number: 1, count: 2, dueDate: '2026-04-01', amountMinor: 5_000 };
const offer = { title: 'Soldes', body: 'Tout à -30 %.', url: 'https://shop.example.com/s', validUntil: null };

describe('content forms at the send boundary', () => {
  it('when an older dunning content asks for a same-day merge, then the invoice kind keeps the merge and the ids', () => {
    expect(
      normaliseContent({ type: 'dunning', invoiceIds: ['INV-1', 'INV-2'], mergeSameDay: true }, kinds),
    ).toEqual({
      kind: 'invoice',
      subjectIds: ['INV-1', 'INV-2'],
      mergeSameDay: true,
    });
    expect(
      normaliseContent({ type: 'dunning', invoiceIds: ['INV-1'], mergeSameDay: false }, kinds),
    ).toMatchObject({
      mergeSameDay: false,
    });
  });

  it('when an older installment content arrives, then its installment travels in extra and it never merges', () => {
    expect(normaliseContent({ type: 'installment', invoiceId: 'INV-1', installment }, kinds)).toEqual({
      kind: 'invoice',
      subjectIds: ['INV-1'],
      mergeSameDay: false,
      extra: { installment },
    });
  });

  it('when an older offer content arrives, then it is of the offer kind, about the campaign', () => {
    expect(normaliseContent({ type: 'offer', campaignId: 'spring', offer }, kinds)).toEqual({
      kind: 'offer',
      subjectIds: ['spring'],
      mergeSameDay: false,
      extra: { offer },
    });
  });

  it('when a content is already in the kind form, then it is taken as it is, and its kind is looked up', () => {
    const content = { kind: 'invoice', subjectIds: ['INV-1'], mergeSameDay: true };
    expect(normaliseContent(content, kinds)).toBe(content);
    expect(kindOf(content, kinds).name).toBe('invoice');
  });

  it('when a content is of no known form, then it is refused for good, naming no kind', () => {
    const refusal = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    for (const bad of [null, [], 'dunning', { type: 'dunning', invoiceIds: 'INV-1' }, { kind: 'invoice' }])
      expect(refusal(() => normaliseContent(bad, kinds))).toMatchObject({
        nonRetryable: true,
        type: ErrorCode.InvalidInput,
      });
    expect(
      refusal(() => kindOf({ kind: 'lease', subjectIds: [], mergeSameDay: false }, kinds)),
    ).toMatchObject({
      nonRetryable: true,
      type: ErrorCode.InvalidInput,
    });
  });
});
