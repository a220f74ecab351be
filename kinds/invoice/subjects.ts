/**
 * The invoices a message covers, read under the contact lock: its own, plus (for a dunning step
 * that merges) the contact's other open invoices in the same currency due the same step on the
 * same local day; and the check that another sequence's message already listed this invoice today.
 */
import { DateTime } from 'luxon';
import type { PolicyCheck } from '../../domain/policy/types';
import { getInvoices, subjectState, type Invoice } from '../../store/invoice-repository';
import { coveringMessage } from '../../store/message-history';
import { sequencesDueForStep } from '../../store/sequence-repository';
import type { KindContext, LoadedSubjects } from '../kind';
import { installmentOf } from './content';

function localDay(now: string, zone: string): { from: string; to: string } {
  const start = DateTime.fromISO(now, { zone }).startOf('day');
  return { from: start.toUTC().toISO() ?? now, to: start.plus({ days: 1 }).toUTC().toISO() ?? now };
}

function merges(ctx: KindContext): boolean {
  const { content, purpose } = ctx.message;
  return content.mergeSameDay && purpose === 'transactional' && !installmentOf(content);
}

async function invoicesOf(ctx: KindContext): Promise<Invoice[]> {
  const { tx, contact, message, now } = ctx;
  const own = await getInvoices(tx, message.content.subjectIds);
  if (!merges(ctx)) return own;
  const day = localDay(now, contact.timezone);
  const others = await sequencesDueForStep(
    tx,
    contact.id,
    message.step,
    day.from,
    day.to,
    message.sequenceId,
  );
  const currency = own[0]?.currency;
  const extra = (
    await getInvoices(
      tx,
      others.map((s) => s.subjectId),
    )
  ).filter(
    (i) => i.currency === currency && subjectState(i).condition === 'open' && !own.some((o) => o.id === i.id),
  );
  return [...own, ...extra];
}

/** The invoices under the lock; `loaded` is the Invoice rows, for the template data. */
export async function loadInvoices(ctx: KindContext): Promise<LoadedSubjects> {
  const invoices = await invoicesOf(ctx);
  return {
    subjects: invoices.map(subjectState),
    subjectIds: invoices.length > 0 ? invoices.map((i) => i.id) : ctx.message.content.subjectIds,
    loaded: invoices,
  };
}

/** Another sequence's message already covered this invoice for this step today (merged). */
export async function invoiceCoveredToday(ctx: KindContext): Promise<PolicyCheck | undefined> {
  const { tx, contact, message, now } = ctx;
  if (!message.content.mergeSameDay || installmentOf(message.content)) return undefined;
  const [subjectId] = message.content.subjectIds;
  if (!subjectId) return undefined;
  const cover = await coveringMessage(tx, {
    contactId: contact.id,
    step: message.step,
    channel: message.channel,
    subjectId,
    ...localDay(now, contact.timezone),
    excludeSequence: message.sequenceId,
  });
  return cover
    ? {
        rule: 'dedup',
        ok: false,
        detail: `covered by message ${cover.id}, which listed ${cover.subjectIds.join(', ')}`,
      }
    : undefined;
}
