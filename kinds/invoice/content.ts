/**
 * The invoice kind's message contents: `{ kind: 'invoice', subjectIds, mergeSameDay, extra? }`,
 * where an installment reminder carries its installment in `extra.installment`. Workflows started
 * before sequence kinds existed still send the two older forms; they are read here.
 */
import type { SubjectContent } from '../kind';
import type { InstallmentContent } from './template-data';

export const INVOICE_KIND = 'invoice';

/** The installment an installment reminder's content carries, if it is one. */
export function installmentOf(content: SubjectContent): InstallmentContent | undefined {
  const installment = content.extra?.['installment'];
  return isInstallment(installment) ? installment : undefined;
}

function isInstallment(value: unknown): value is InstallmentContent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    ['number', 'count', 'amountMinor'].every((k) => typeof v[k] === 'number') &&
    typeof v['dueDate'] === 'string'
  );
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/**
 * The older forms, from running workflows: `{ type: 'dunning', invoiceIds, mergeSameDay }` and
 * `{ type: 'installment', invoiceId, installment }`. Anything else: not this kind's.
 */
export function invoiceLegacyContent(content: Record<string, unknown>): SubjectContent | undefined {
  if (content['type'] === 'dunning' && isStringArray(content['invoiceIds'])) {
    return {
      kind: INVOICE_KIND,
      subjectIds: content['invoiceIds'],
      mergeSameDay: content['mergeSameDay'] === true,
    };
  }
  if (
    content['type'] === 'installment' &&
    typeof content['invoiceId'] === 'string' &&
    isInstallment(content['installment'])
  ) {
    return {
      kind: INVOICE_KIND,
      subjectIds: [content['invoiceId']],
      mergeSameDay: false,
      extra: { installment: content['installment'] },
    };
  }
  return undefined;
}
