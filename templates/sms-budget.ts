/**
 * The segment budget of an SMS, enforced on every render with the real data: a long label, a
 * long link or a long name must never turn into a truncated text or a bill of several parts
 * nobody planned. Over budget, the template's compact form (`{{#if compact}}`: greeting, label
 * and extra codes dropped) is sent; still over, the render fails and the send path records a
 * failed message (InvalidTemplate) naming the template, locale and count.
 */
import { ErrorCode, RelanceError } from '../domain/errors';
import type { SegmentCount } from './sms-segments';

interface SmsForm {
  text: string;
  sms?: SegmentCount;
  locale: string;
}

function describeCount(sms: SegmentCount): string {
  const ucs2 = sms.nonGsmCharacters.length
    ? `; characters forcing UCS-2: ${sms.nonGsmCharacters.join(' ')}`
    : '';
  return `${sms.segments} segments (${sms.encoding}, ${sms.units} units${ucs2})`;
}

/** The full form when it fits, else the compact one when it fits, else an InvalidTemplate error. */
export function fitSmsBudget<F extends SmsForm>(
  full: F,
  budget: number,
  fallback: { what: string; compact: () => F },
): F {
  if (!full.sms || full.sms.segments <= budget) return full;
  const compact = fallback.compact();
  if (compact.sms && compact.sms.segments <= budget) return compact;
  throw new RelanceError(
    ErrorCode.InvalidTemplate,
    `${fallback.what} takes ${compact.sms ? describeCount(compact.sms) : 'an unknown count'} even in its compact form (${describeCount(full.sms)} in full); the budget is ${budget} segments`,
  );
}
