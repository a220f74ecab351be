/**
 * A campaign's offer as a sequence kind: its subject is the campaign (nothing to re-check in the
 * store), it is worth sending until the offer's `validUntil`, and its template gets the offer.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { ErrorCode } from '../../domain/errors';
import type { SequenceKind, SubjectContent } from '../kind';

export const OFFER_KIND = 'offer';

export interface OfferContent {
  title: string;
  body: string;
  url: string;
  validUntil: string | null;
}

function isOffer(value: unknown): value is OfferContent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['title'] === 'string' &&
    typeof v['body'] === 'string' &&
    typeof v['url'] === 'string' &&
    (v['validUntil'] === null || typeof v['validUntil'] === 'string')
  );
}

/** The offer a content carries (`extra.offer`). */
export function offerOf(content: SubjectContent): OfferContent {
  const offer = content.extra?.['offer'];
  if (!isOffer(offer))
    throw ApplicationFailure.nonRetryable(
      `offer content of ${content.subjectIds.join(', ')} has no valid offer`,
      ErrorCode.InvalidInput,
    );
  return offer;
}

/** The older form, from running campaign workflows: `{ type: 'offer', campaignId, offer }`. */
export function offerLegacyContent(content: Record<string, unknown>): SubjectContent | undefined {
  if (content['type'] !== 'offer' || typeof content['campaignId'] !== 'string' || !isOffer(content['offer']))
    return undefined;
  return {
    kind: OFFER_KIND,
    subjectIds: [content['campaignId']],
    mergeSameDay: false,
    extra: { offer: content['offer'] },
  };
}

export const offerKind: SequenceKind = {
  name: OFFER_KIND,
  loadSubjects(ctx) {
    const offer = offerOf(ctx.message.content);
    return Promise.resolve({
      subjects: [],
      subjectIds: ctx.message.content.subjectIds,
      ...(offer.validUntil ? { validUntil: offer.validUntil } : {}),
      loaded: offer,
    });
  },
  legacyContent: offerLegacyContent,
  templateData(ctx) {
    return { offer: offerOf(ctx.message.content) };
  },
};
