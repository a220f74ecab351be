/**
 * A person's own message about a hand-off, as a sequence kind: its subjects are the invoice's
 * (so a settled invoice still stops it), its template data the invoice's plus the text the agent
 * wrote (content.extra.text). Registered beside the default kinds by runtime/engine.ts.
 */
import { invoiceKind } from '../invoice/invoice-kind';
import type { SequenceKind, SubjectContent } from '../kind';

export const AGENT_MESSAGE_KIND = 'agent-message';

const asInvoiceContent = (content: SubjectContent): SubjectContent => ({
  kind: invoiceKind.name,
  subjectIds: content.subjectIds,
  mergeSameDay: false,
});

export const agentMessageKind: SequenceKind = {
  name: AGENT_MESSAGE_KIND,
  loadSubjects: (ctx) =>
    invoiceKind.loadSubjects({
      ...ctx,
      message: { ...ctx.message, content: asInvoiceContent(ctx.message.content) },
    }),
  templateData(ctx, subjects) {
    const text = ctx.message.content.extra?.['text'];
    if (typeof text !== 'string' || text.length === 0) throw new Error('an agent message needs its text');
    const invoiceCtx = {
      ...ctx,
      message: { ...ctx.message, content: asInvoiceContent(ctx.message.content) },
    };
    return { ...invoiceKind.templateData(invoiceCtx, subjects), agent: { text } };
  },
};
